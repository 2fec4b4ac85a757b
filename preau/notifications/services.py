"""The one writer of notifications. Every event that tells a person something (a forum post, an
enrolment, a review) calls notify(): it writes the records, and the e-mails leave after the
transaction commits, rendered from those same records (emails.py)."""

import contextvars
import datetime
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import EmailPreference, ForumEmail, Notification

Kind = Notification.Kind
EmailState = Notification.EmailState

FORUM_KINDS = {Kind.ANNOUNCEMENT, Kind.REPLY, Kind.MENTION}

# Rows written per INSERT, and recipients whose preferences are read per query.
BATCH = 1000
# Up to this many e-mails go out right after the commit, in the request; more (an announcement
# to an académie-wide session) are handed to a background task.
INLINE_EMAILS = 100

_muted = contextvars.ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """Notifications written inside are kept in the list but e-mail nobody: the demo seed
    plays the workflows through the services. Usable as a decorator."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _batches(recipients: Iterable, size: int):
    if isinstance(recipients, QuerySet):
        recipients = recipients.iterator(chunk_size=size)
    iterator = iter(recipients)
    while batch := list(islice(iterator, size)):
        yield batch


def _forum_preferences(users: list) -> dict[int, str]:
    return dict(
        EmailPreference.objects.filter(user__in=[user.pk for user in users]).values_list(
            "user_id", "forum_email"
        )
    )


def _email_state(kind: str, user, preferences: dict[int, str]) -> str:
    if _muted.get() or not user.is_active or not user.email:
        return EmailState.NONE
    if kind not in FORUM_KINDS:
        return EmailState.SENT
    preference = preferences.get(user.pk, ForumEmail.EACH)
    if preference == ForumEmail.DIGEST:
        return EmailState.PENDING
    if preference == ForumEmail.NONE:
        return EmailState.NONE
    return EmailState.SENT


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    url: str,
    text: str = "",
    session=None,
    unsubscribe_url: Callable | None = None,
) -> int:
    """Writes one Notification per recipient (bulk), never to the author (callers exclude them);
    e-mails leave after commit: for FORUM_KINDS as the recipient's preference says (each post at
    once, or in the daily digest), the other kinds at once. `unsubscribe_url` is None or a
    callable(user) -> absolute-or-relative URL of a signed link (no sign-in needed) that stops
    this stream; it is stored on the record and printed in the e-mail. Returns the number
    written."""
    kind = Kind(kind)
    created = timezone.now()
    written = 0
    to_mail: list[int] = []
    for batch in _batches(recipients, BATCH):
        preferences = _forum_preferences(batch) if kind in FORUM_KINDS else {}
        rows = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                text=text,
                url=url[:500],
                session=session,
                unsubscribe_url=(unsubscribe_url(user) if unsubscribe_url else "")[:500],
                created=created,
                email_state=_email_state(kind, user, preferences),
            )
            for user in batch
        )
        written += len(rows)
        to_mail += [row.pk for row in rows if row.email_state == EmailState.SENT]
    if to_mail:
        transaction.on_commit(lambda: _send_after_commit(to_mail))
    return written


def _send_after_commit(ids: list[int]) -> None:
    from . import emails
    from .tasks import send_notification_emails

    if len(ids) <= INLINE_EMAILS:
        emails.send_notifications(ids)
    else:
        send_notification_emails.enqueue(ids)


# The recipient's own actions -------------------------------------------------------------------


def mark_read(*, notification: Notification) -> None:
    """The recipient opened it (access.py has checked they are the recipient). Only the fact
    is kept, never when."""
    if not notification.is_read:
        Notification.objects.filter(pk=notification.pk).update(is_read=True)
        notification.is_read = True


def mark_all_read(*, user) -> int:
    return Notification.objects.for_recipient(user).unread().update(is_read=True)


@transaction.atomic
def set_forum_email(*, user, forum_email: str) -> EmailPreference:
    """The person's choice for forum e-mails: each message, a daily digest, or none. Leaving
    the digest sends nothing more of what was waiting for it (turning e-mails off), or lets
    the next digest carry it (back to each message: the waiting ones still go in one digest)."""
    forum_email = ForumEmail(forum_email)
    preference, _created = EmailPreference.objects.select_for_update().get_or_create(user=user)
    preference.forum_email = forum_email
    preference.save(update_fields=["forum_email"])
    if forum_email == ForumEmail.NONE:
        Notification.objects.for_recipient(user).pending_digest().update(
            email_state=EmailState.NONE
        )
    return preference


def forum_email_of(user) -> str:
    preference = EmailPreference.objects.filter(user=user).values_list("forum_email", flat=True)
    return preference.first() or ForumEmail.EACH


# Retention -------------------------------------------------------------------------------------

PURGE_AFTER_DAYS = 365
PURGE_BATCH = 10_000


def purge_old_notifications(*, wet_run: bool, now=None) -> int:
    """Deletes (or, dry, counts) the notifications created more than a year ago, by batches of
    ids so that no long lock holds the table. Returns the number deleted (or to delete)."""
    limit = (now or timezone.now()) - datetime.timedelta(days=PURGE_AFTER_DAYS)
    old = Notification.objects.filter(created__lt=limit)
    if not wet_run:
        return old.count()
    deleted = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH]):
        deleted += Notification.objects.filter(pk__in=ids).delete()[0]
    return deleted
