"""Demo questionnaires: in every demo session that has started, a self-positioning at the start
of its content and another at its end; its participants positioned themselves at the start
(and, in closed sessions and for some in open ones, at the end); in closed sessions, most
answered the closing questionnaire (comments in demo/comments.json). Written through
services.record (history, not events: no notification); seeding twice changes nothing."""

import json
import random
from pathlib import Path

from django.db import transaction

from preau.parcours.models import Activity, Section
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from . import services
from .models import PositioningResponse, QuestionKind

DATA = Path(__file__).parent / "demo" / "comments.json"


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    if PositioningResponse.objects.exists():
        log("Questionnaires : les réponses de démonstration sont déjà en place.")
        return
    from preau.accounts.seeding import DEMO_ACCOUNTS

    comments = json.loads(DATA.read_text(encoding="utf-8"))
    demo_emails = {email for email, *_rest in DEMO_ACCOUNTS}
    sessions = (
        TrainingSession.objects.exclude(status=SessionStatus.PREPARATION)
        .select_related("content")
        .order_by("start_date", "pk")
    )
    answered = 0
    for session in sessions:
        answered += _seed_session(session, comments, demo_emails, rng)
    log(f"Questionnaires : {answered} réponses de démonstration dans {sessions.count()} sessions.")


def _placed(session, title: str, first: bool) -> Activity:
    sections = Section.objects.filter(parcours=session.content_id).order_by("position", "pk")
    section = sections.first() if first else sections.last()
    if section is None:
        section = Section.objects.create(parcours_id=session.content_id, title="Positionnement")
    activity = Activity.objects.filter(section=section, kind="positioning").first()
    if activity is None:
        activity = Activity.objects.create(
            section=section,
            kind="positioning",
            title=title,
            position=0 if first else section.activities.count(),
        )
    return activity


def _seed_session(session, comments, demo_emails, rng) -> int:
    people = [
        e.user
        for e in Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .select_related("user")
        .order_by("pk")
    ]
    if not people:
        return 0
    before = services.questionnaire_for_activity(
        _placed(session, "Où en suis-je au départ ?", True)
    )
    after = services.questionnaire_for_activity(_placed(session, "Où en suis-je à la fin ?", False))
    closed = session.status != SessionStatus.OPEN
    count = 0
    for person in people:
        start = {str(q.pk): rng.choice((0, 0, 1, 1, 2)) for q in before.questions.all()}
        services.record(questionnaire=before, session=session, by=person, answers=start)
        count += 1
        demo = person.email in demo_emails
        if closed or demo or rng.random() < 0.3:
            levels = list(start.values())
            end = {
                str(q.pk): min(3, levels[i % len(levels)] + rng.choice((1, 1, 2)))
                for i, q in enumerate(after.questions.all())
            }
            services.record(questionnaire=after, session=session, by=person, answers=end)
            count += 1
    if closed:
        closing = services.closing_questionnaire(session)
        for person in people:
            if person.email in demo_emails or rng.random() < 0.8:
                services.record(
                    questionnaire=closing,
                    session=session,
                    by=person,
                    answers=_satisfaction(closing, comments, rng),
                )
                count += 1
    return count


def _satisfaction(questionnaire, comments, rng) -> dict:
    answers = {}
    texts = [comments["helped"], comments["improve"]]
    for question in questionnaire.questions.all():
        options = question.option_list
        if question.kind == QuestionKind.MULTIPLE:
            answers[str(question.pk)] = sorted(rng.sample(range(len(options)), 2))
        elif question.is_choice:
            # Mostly satisfied: the last two options weigh more.
            answers[str(question.pk)] = min(
                len(options) - 1, int(rng.triangular(0, len(options), len(options) - 0.5))
            )
        elif question.kind == QuestionKind.LONG_TEXT and texts and rng.random() < 0.6:
            answers[str(question.pk)] = rng.choice(texts.pop(0))
        elif question.kind == QuestionKind.SHORT_TEXT and rng.random() < 0.5:
            answers[str(question.pk)] = rng.choice(comments["one_word"])
    return answers
