"""Every write to the forums, with its rules.

A closed or archived session's forums are read-only: every service that writes content, a
moderation, or a subscription refuses (`_check_writable`). Two writes stay allowed there,
because they belong to the person and not to the session: a person's own read position
(`mark_read`, `mark_all_read`), and leaving a subscription (`unfollow`, `unsubscribe`).
"""

import datetime
import re

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from preau.core.numbers import french_count
from preau.parcours.sanitize import clean_html
from preau.parcours.uploads import validate_upload
from preau.training.models import Enrolment, EnrolmentStatus, SessionStaff, SessionStatus

from .access import is_moderator
from .models import BODY_MAX_CHARS, EDIT_MINUTES, Forum, Post, ReadMark, Subscription, Thread

UNSUBSCRIBE_SALT = "preau.forums.unsubscribe"
FORUM_KIND = "forum"  # the activity kind of a discussion forum (activities.py)


# Forums of a session -----------------------------------------------------------------------


def ensure_forums(*, session) -> None:
    """The session's forums, made on first need: its announcements, and one discussion forum per
    « Forum de discussion » activity of its content (the session's own copy: a session deployed
    from the same parcours gets its own forums, and nothing of another session's)."""
    from preau.parcours.models import Activity

    Forum.objects.get_or_create(session=session, kind=Forum.Kind.ANNOUNCEMENTS)
    missing = Activity.objects.filter(
        kind=FORUM_KIND, section__parcours=session.content_id, forum__isnull=True
    )
    Forum.objects.bulk_create(
        [Forum(session=session, kind=Forum.Kind.DISCUSSION, activity=a) for a in missing],
        ignore_conflicts=True,
    )


# Rules ----------------------------------------------------------------------------------------


def _check_writable(session) -> None:
    if session.is_read_only:
        raise ValidationError(
            _("La session est close : ses forums se consultent mais ne reçoivent plus de messages.")
        )


def _check_may_post(forum: Forum, by) -> None:
    session = forum.session
    _check_writable(session)
    staff = is_moderator(by, session)
    if forum.is_announcements:
        if not staff:
            raise PermissionDenied(_("Seuls les formateurs et les tuteurs publient des annonces."))
        return
    if staff:
        return
    enrolled = Enrolment.objects.filter(
        session=session, user=by, status=EnrolmentStatus.ENROLLED
    ).exists()
    if not enrolled or session.status != SessionStatus.OPEN:
        raise PermissionDenied(_("Vous ne pouvez pas écrire dans ce forum."))


def _check_moderator(session, by) -> None:
    _check_writable(session)
    if not is_moderator(by, session):
        raise PermissionDenied(_("Seuls les formateurs et les tuteurs modèrent les forums."))


def clean_body(body: str) -> str:
    """Sanitised HTML, or a French error: empty, or longer than the cap."""
    if len(body or "") > BODY_MAX_CHARS * 2:  # before any parsing of a huge paste
        raise _too_long()
    body = clean_html(body)
    if not strip_tags(body).strip():
        raise ValidationError(_("Le message est vide."), code="empty")
    if len(body) > BODY_MAX_CHARS:
        raise _too_long()
    return body


def _too_long() -> ValidationError:
    return ValidationError(
        _("Le message est trop long : %(max)s caractères au plus.")
        % {"max": french_count(BODY_MAX_CHARS)},
        code="too_long",
    )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Donnez un titre à la discussion."), code="empty_title")
    return title[:200]


def _check_attachment(attachment) -> None:
    if attachment:
        validate_upload(attachment)


# Threads and posts ----------------------------------------------------------------------------


@transaction.atomic
def start_thread(*, forum: Forum, by, title: str, body: str, attachment=None) -> Thread:
    """A new thread with its opening post; its author follows it. An announcement is notified to
    every participant; a new discussion to those who follow the forum."""
    _check_may_post(forum, by)
    title, body = _clean_title(title), clean_body(body)
    _check_attachment(attachment)
    thread = Thread.objects.create(forum=forum, title=title, author=by)
    post = Post.objects.create(thread=thread, author=by, body=body, attachment=attachment or "")
    Thread.objects.filter(pk=thread.pk).update(last_post_id=post.pk)
    thread.last_post_id = post.pk
    Subscription.objects.get_or_create(user=by, thread=thread)
    _mark(user=by, thread=thread, post_id=post.pk)
    from . import notifications

    if forum.is_announcements:
        notifications.announcement(post)
    else:
        notifications.new_post(post, followers=_forum_followers(forum, by))
    notifications.mentions(post)
    return thread


@transaction.atomic
def reply(*, thread: Thread, by, body: str, quote: Post | None = None, attachment=None) -> Post:
    """A reply; followers of the thread or of its forum are notified, people mentioned too."""
    thread = Thread.objects.select_for_update().select_related("forum__session").get(pk=thread.pk)
    _check_may_post(thread.forum, by)
    if thread.locked and not is_moderator(by, thread.forum.session):
        raise ValidationError(_("Cette discussion est verrouillée : on ne peut plus y répondre."))
    if thread.forum.is_announcements and not is_moderator(by, thread.forum.session):
        raise PermissionDenied
    body = clean_body(body)
    _check_attachment(attachment)
    if quote is not None and (quote.thread_id != thread.pk or quote.hidden):
        quote = None
    post = Post.objects.create(
        thread=thread, author=by, body=body, quote=quote, attachment=attachment or ""
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_id=post.pk)
    _mark(user=by, thread=thread, post_id=post.pk)
    from . import notifications

    followers = _thread_followers(thread, by)
    notifications.new_post(post, followers=followers)
    notifications.mentions(post, already=followers)
    return post


def may_edit(post: Post, user, now=None) -> bool:
    now = now or timezone.now()
    return (
        post.author_id == user.pk
        and not post.hidden
        and now - post.created <= datetime.timedelta(minutes=EDIT_MINUTES)
    )


def has_replies(post: Post) -> bool:
    return Post.objects.filter(thread_id=post.thread_id, pk__gt=post.pk).exists()


@transaction.atomic
def edit_post(*, post: Post, by, body: str) -> Post:
    """Its author changes a post within 30 minutes; it then shows « modifié »."""
    _check_writable(post.thread.forum.session)
    if not may_edit(post, by):
        raise ValidationError(
            _("Un message se modifie par son auteur, dans les %(n)s minutes qui suivent son envoi.")
            % {"n": EDIT_MINUTES}
        )
    post.body, post.edited = clean_body(body), True
    post.save(update_fields=["body", "edited"])
    return post


@transaction.atomic
def delete_post(*, post: Post, by) -> Thread | None:
    """Its author deletes a post nobody has answered yet (an opening post alone: its thread).
    Returns the thread when it remains."""
    thread = (
        Thread.objects.select_for_update().select_related("forum__session").get(pk=post.thread_id)
    )
    _check_writable(thread.forum.session)
    if post.author_id != by.pk:
        raise PermissionDenied
    if has_replies(post):
        raise ValidationError(
            _("Ce message a déjà reçu une réponse : il ne peut plus être supprimé.")
        )
    first = Post.objects.filter(thread=thread).order_by("pk").values_list("pk", flat=True).first()
    if first == post.pk:
        thread.delete()
        return None
    post.delete()
    last = Post.objects.filter(thread=thread).aggregate(m=Max("pk"))["m"] or 0
    Thread.objects.filter(pk=thread.pk).update(last_post_id=last)
    return thread


# Moderation -----------------------------------------------------------------------------------


@transaction.atomic
def hide_post(*, post: Post, by, reason: str) -> Post:
    """A trainer or tutor hides a post; its author sees it with the reason, others a mention."""
    _check_moderator(post.thread.forum.session, by)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Indiquez le motif : son auteur le verra."), code="no_reason")
    post.hidden, post.hidden_reason = True, reason[:500]
    post.save(update_fields=["hidden", "hidden_reason"])
    return post


@transaction.atomic
def unhide_post(*, post: Post, by) -> Post:
    _check_moderator(post.thread.forum.session, by)
    post.hidden, post.hidden_reason = False, ""
    post.save(update_fields=["hidden", "hidden_reason"])
    return post


@transaction.atomic
def set_pinned(*, thread: Thread, by, pinned: bool) -> Thread:
    _check_moderator(thread.forum.session, by)
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    return thread


@transaction.atomic
def set_locked(*, thread: Thread, by, locked: bool) -> Thread:
    _check_moderator(thread.forum.session, by)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    return thread


# Unread ---------------------------------------------------------------------------------------


def _mark(*, user, thread: Thread, post_id: int) -> None:
    """Moves the person's read position forward (never back)."""
    updated = ReadMark.objects.filter(
        user=user, thread=thread, last_read_post_id__lt=post_id
    ).update(last_read_post_id=post_id)
    if not updated:
        ReadMark.objects.bulk_create(
            [ReadMark(user=user, thread=thread, last_read_post_id=post_id)],
            ignore_conflicts=True,
        )


def mark_read(*, user, thread: Thread, post_id: int) -> None:
    """The person has been shown the posts of `thread` up to `post_id`."""
    if post_id:
        _mark(user=user, thread=thread, post_id=post_id)


@transaction.atomic
def mark_all_read(*, user, session) -> int:
    """Every thread of the session's forums read up to its latest post. Returns the number of
    threads whose position moved."""
    threads = Thread.objects.filter(forum__session=session).values_list("pk", "last_post_id")
    moved = 0
    marks = dict(
        ReadMark.objects.filter(user=user, thread__forum__session=session).values_list(
            "thread_id", "last_read_post_id"
        )
    )
    new, changed = [], []
    for thread_id, last in threads:
        if thread_id not in marks:
            new.append(ReadMark(user=user, thread_id=thread_id, last_read_post_id=last))
        elif marks[thread_id] < last:
            changed.append(thread_id)
    ReadMark.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    if changed:
        from django.db.models import OuterRef, Subquery

        ReadMark.objects.filter(user=user, thread_id__in=changed).update(
            last_read_post_id=Subquery(
                Thread.objects.filter(pk=OuterRef("thread_id")).values("last_post_id")[:1]
            )
        )
    moved = len(new) + len(changed)
    return moved


# Subscriptions --------------------------------------------------------------------------------


def follow(*, user, thread: Thread | None = None, forum: Forum | None = None) -> Subscription:
    session = (thread.forum if thread else forum).session
    _check_writable(session)
    subscription, _created = Subscription.objects.get_or_create(
        user=user, thread=thread, forum=forum
    )
    return subscription


def unfollow(*, user, thread: Thread | None = None, forum: Forum | None = None) -> int:
    return Subscription.objects.filter(user=user, thread=thread, forum=forum).delete()[0]


def is_following(user, *, thread: Thread | None = None, forum: Forum | None = None) -> bool:
    return Subscription.objects.filter(user=user, thread=thread, forum=forum).exists()


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.user_id], salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription: Subscription) -> str:
    return reverse("forums:unsubscribe", args=[unsubscribe_token(subscription)])


def unsubscribe(*, token: str) -> bool:
    """Deletes the subscription a signed link names (no sign-in needed). False for a tampered
    link; True also when it was already gone (the link may be clicked twice)."""
    try:
        pk, user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    Subscription.objects.filter(pk=pk, user_id=user_id).delete()
    return True


def _thread_followers(thread: Thread, author) -> list[Subscription]:
    """The subscriptions whose person hears of a new post in `thread`: theirs on the thread, or
    on its forum (one per person, the thread's first), never the author's, only members'."""
    subscriptions = (
        Subscription.objects.filter(Q(thread=thread) | Q(forum=thread.forum_id))
        .exclude(user=author)
        .filter(_member_filter(thread.forum.session))
        .select_related("user")
        .order_by("user_id", "forum_id")  # the thread's own subscription first (forum NULL)
    )
    seen, result = set(), []
    for subscription in subscriptions:
        if subscription.user_id not in seen:
            seen.add(subscription.user_id)
            result.append(subscription)
    return result


def _forum_followers(forum: Forum, author) -> list[Subscription]:
    return list(
        Subscription.objects.filter(forum=forum)
        .exclude(user=author)
        .filter(_member_filter(forum.session))
        .select_related("user")
    )


def _member_filter(session, field: str = "user") -> Q:
    """People still members of the session (someone who left hears nothing more)."""
    staff = SessionStaff.objects.filter(session=session).values("user")
    enrolled = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
    return Q(**{f"{field}__in": staff}) | Q(**{f"{field}__in": enrolled.values("user")})


# Mentions -------------------------------------------------------------------------------------


_MENTION = re.compile(r"@([^\s@<>,;:!?.()]+(?:[ \u00a0][^\s@<>,;:!?.()]+){1,3})")


def mentioned_users(post: Post) -> list:
    """The session members named `@Prénom Nom` in a post (its author aside), found in SQL: each
    `@` followed by up to four words gives the (first name, last name) splits it may be."""
    from django.contrib.auth import get_user_model

    text = strip_tags(post.body).replace("\u00a0", " ")
    names = Q()
    for match in list(_MENTION.finditer(text))[:20]:
        words = match.group(1).split(" ")
        for k in range(1, len(words)):
            for j in range(k + 1, len(words) + 1):
                names |= Q(
                    first_name__iexact=" ".join(words[:k]),
                    last_name__iexact=" ".join(words[k:j]),
                )
    if not names:
        return []
    return list(
        get_user_model()
        .objects.filter(names)
        .filter(_member_filter(post.thread.forum.session, field="pk"))
        .exclude(pk=post.author_id)
    )


def unsubscribe_is_valid(token: str) -> bool:
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return True
