"""The daily digest of forum notifications: one e-mail per person and day at most, gathering
the notifications that waited for it (email_state « pending »).

Built in flat memory, whatever the volume (200,000 pending notifications a day at national
scale): the people are taken by batches of recipient ids, and each batch's rows are read with
an iterator, ordered by person, so that only one person's digest is in memory at a time (and at
most ITEMS_SHOWN of its items). A run carries the rows written before it started (the highest
id then); later ones wait for the next day.

Idempotent: a person's EmailPreference.last_digest_on is set to the day when a batch claims
them, before their e-mail leaves; a second run the same day (or a second worker) finds nobody
to claim. A crash between the claim and the sending delays
that batch's digests to the next day rather than sending them twice."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import EmailPreference, Notification
from .tokens import absolute, forum_email_off_url

EmailState = Notification.EmailState

PEOPLE_PER_BATCH = 500
ROWS_PER_FETCH = 2000
# A digest lists this many items; beyond, it says how many more wait in the centre.
ITEMS_SHOWN = 50


@dataclass
class DigestReport:
    sent: int = 0  # e-mails sent
    items: int = 0  # notifications they carried (shown or counted)
    skipped: int = 0  # people with pending notifications, already sent today's digest
    people: list[int] = field(default_factory=list)  # only when asked (tests)


@dataclass
class _Digest:
    person_id: int
    items: list = field(default_factory=list)
    more: int = 0


def _pending(ceiling: int):
    return Notification.objects.pending_digest().filter(pk__lte=ceiling)


def _pending_people(ceiling: int):
    """The recipients with pending notifications, by increasing id, streamed."""
    return (
        _pending(ceiling)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
        .iterator(chunk_size=ROWS_PER_FETCH)
    )


def _batches(iterator, size):
    batch = []
    for value in iterator:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def _claim(person_ids: list[int], today: datetime.date) -> list[int]:
    """The people of the batch who have had no digest today, marked as having it now."""
    claimable = (
        EmailPreference.objects.filter(user_id__in=person_ids)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
        .select_for_update(skip_locked=True)
    )
    claimed = list(claimable.values_list("user_id", flat=True))
    EmailPreference.objects.filter(user_id__in=claimed).update(last_digest_on=today)
    return claimed


def _digests(person_ids: list[int], ceiling: int):
    """Each claimed person's digest in turn, from one ordered stream of their pending rows."""
    rows = (
        _pending(ceiling)
        .filter(recipient_id__in=person_ids)
        .order_by("recipient_id", "pk")
        .values_list("pk", "recipient_id", "title", "url", "unsubscribe_url", "created")
        .iterator(chunk_size=ROWS_PER_FETCH)
    )
    current = None
    for _pk, person_id, title, url, unsubscribe_url, created in rows:
        if current is None or current.person_id != person_id:
            if current is not None:
                yield current
            current = _Digest(person_id)
        if len(current.items) < ITEMS_SHOWN:
            current.items.append(
                {
                    "title": title,
                    "link": absolute(url),
                    "unsubscribe_url": absolute(unsubscribe_url) if unsubscribe_url else "",
                    "created": created,
                }
            )
        else:
            current.more += 1
    if current is not None:
        yield current


def _message(digest: _Digest, person, today: datetime.date) -> EmailMessage:
    off_url = forum_email_off_url(person)
    count = len(digest.items) + digest.more
    body = render_to_string(
        "notifications/email/digest.txt",
        {
            "person": person,
            "items": digest.items,
            "more": digest.more,
            "count": count,
            "today": today,
            "centre_url": absolute(reverse("notifications:list")),
            "off_url": off_url,
            "profile_url": absolute(reverse("accounts:profile")),
        },
    )
    subject = render_to_string("notifications/email/digest_subject.txt", {"count": count})
    return EmailMessage(
        subject.strip(),
        body.strip(),
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
        headers={
            "List-Unsubscribe": f"<{off_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_forum_digests(
    *, today: datetime.date | None = None, keep_people: bool = False
) -> DigestReport:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    today = today or timezone.localdate()
    report = DigestReport()
    connection = get_connection()
    # The rows this run carries: those written before it started. A notification arriving
    # meanwhile waits for the next digest.
    ceiling = Notification.objects.aggregate(ceiling=Max("pk"))["ceiling"] or 0
    for person_ids in _batches(_pending_people(ceiling), PEOPLE_PER_BATCH):
        claimed = _claim(person_ids, today)
        report.skipped += len(person_ids) - len(claimed)
        if not claimed:
            continue
        people = {
            user.pk: user
            for user in User.objects.filter(pk__in=claimed).only(
                "pk", "email", "first_name", "is_active"
            )
        }
        messages, mailed = [], []
        for digest in _digests(claimed, ceiling):
            person = people[digest.person_id]
            report.items += len(digest.items) + digest.more
            if person.is_active and person.email:
                mailed.append(person.pk)
                messages.append(_message(digest, person, today))
                if keep_people:
                    report.people.append(person.pk)
        if messages:
            report.sent += connection.send_messages(messages) or 0
        # What the e-mails carried is sent (two UPDATEs per batch); nobody to mail (inactive,
        # no address): dropped.
        claimed_rows = _pending(ceiling).filter(recipient_id__in=claimed)
        claimed_rows.filter(recipient_id__in=mailed).update(email_state=EmailState.SENT)
        claimed_rows.update(email_state=EmailState.NONE)
    return report
