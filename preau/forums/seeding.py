"""Demo forums: in every demo session that has started, a « Forum de discussion » in its content
and lively exchanges between its participants and its team (texts in demo/forums.json), plus
the team's announcements. Written directly (no notification, no e-mail): history, not events.
Seeding twice changes nothing."""

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from preau.parcours.models import Activity, Section
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from .models import Forum, Post, ReadMark, Subscription, Thread
from .services import ensure_forums

DATA = Path(__file__).parent / "demo" / "forums.json"
THREADS_PER_SESSION = 4


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    if Post.objects.exists():
        log("Forums : les échanges de démonstration sont déjà en place.")
        return
    from preau.accounts.seeding import DEMO_ACCOUNTS

    data = json.loads(DATA.read_text(encoding="utf-8"))
    demo_emails = {email for email, *_rest in DEMO_ACCOUNTS}
    sessions = (
        TrainingSession.objects.exclude(status=SessionStatus.PREPARATION)
        .filter(staff__isnull=False)
        .distinct()
        .order_by("start_date", "pk")
    )
    posts = 0
    for session in sessions:
        posts += _seed_session(session, data, demo_emails, rng)
    log(f"Forums : {posts} messages de démonstration dans {sessions.count()} sessions.")


def _seed_session(session, data, demo_emails, rng) -> int:
    staff = {m.role: m.user for m in session.staff.select_related("user").order_by("pk")}
    trainer = staff.get("trainer") or next(iter(staff.values()))
    tutor = staff.get("tutor") or trainer
    enrolled = [
        e.user
        for e in Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .select_related("user")
        .order_by("pk")
    ]
    if len(enrolled) < 5:
        return 0
    # The demo teacher, when enrolled, writes second: the others answer her, so she finds new
    # messages when she signs in.
    demo_teacher = [u for u in enrolled if u.email in demo_emails][:1]
    pool = [u for u in enrolled if u not in demo_teacher]
    chosen = rng.sample(pool, 4 - len(demo_teacher))
    order = chosen[:1] + demo_teacher + chosen[1:]
    people = {"formateur": trainer, "tuteur": tutor} | {
        f"p{n}": user for n, user in enumerate(order, 1)
    }
    _add_forum_activity(session, data["activity"])
    ensure_forums(session=session)
    announcements = session.forums.get(kind=Forum.Kind.ANNOUNCEMENTS)
    discussion = session.forums.filter(kind=Forum.Kind.DISCUSSION).first()
    end = min(
        timezone.now(),
        timezone.make_aware(datetime.datetime.combine(session.end_date, datetime.time(18))),
    )
    start = timezone.make_aware(datetime.datetime.combine(session.start_date, datetime.time(8)))
    count = 0
    conversations = [(announcements, c) for c in data["announcements"]] + [
        (discussion, c) for c in rng.sample(data["threads"], THREADS_PER_SESSION)
    ]
    span = max((end - start).total_seconds(), 3600)
    for index, (forum, conversation) in enumerate(conversations):
        first = start + datetime.timedelta(seconds=span * index / (len(conversations) + 1))
        count += _thread(forum, conversation, people, first, end, rng)
    return count


def _add_forum_activity(session, activity) -> None:
    if Activity.objects.filter(section__parcours=session.content_id, kind="forum").exists():
        return
    section = Section.objects.filter(parcours=session.content_id).order_by("position", "pk").last()
    if section is None:
        section = Section.objects.create(parcours_id=session.content_id, title="Échanges")
    Activity.objects.create(
        section=section,
        kind="forum",
        title=activity["title"],
        body=activity["body"],
        position=section.activities.count(),
    )


def _thread(forum, conversation, people, first, end, rng) -> int:
    names = {key: f"{u.first_name} {u.last_name}" for key, u in people.items()}
    author = people[conversation["posts"][0]["author"]]
    thread = Thread.objects.create(forum=forum, title=conversation["title"], author=author)
    when = first
    posts = []
    for item in conversation["posts"]:
        body = item["body"]
        for key, name in names.items():
            body = body.replace("{" + key + "}", name)
        post = Post.objects.create(thread=thread, author=people[item["author"]], body=body)
        Post.objects.filter(pk=post.pk).update(created=min(when, end))
        posts.append(post)
        when += datetime.timedelta(hours=rng.randint(3, 40), minutes=rng.randint(0, 59))
    Thread.objects.filter(pk=thread.pk).update(last_post_id=posts[-1].pk)
    Subscription.objects.get_or_create(user=author, thread=thread)
    # Everyone has read up to their own last post; the demo teacher's replies to come are new.
    last_by = {}
    for post in posts:
        last_by[post.author_id] = post.pk
    ReadMark.objects.bulk_create(
        [ReadMark(user_id=u, thread=thread, last_read_post_id=pk) for u, pk in last_by.items()],
        ignore_conflicts=True,
    )
    return len(posts)
