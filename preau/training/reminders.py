"""Reminders to trainers, sent once a day by `manage.py send_reminders` (or its task):

- open: a session still in preparation once its start date has come, once per start date
  (if the trainers move the start date, the new date gets its own reminder);
- close: an open session after its end date, once per ISO week until the trainers close it,
  with the number of participants not yet attested.

Never twice for the same event, even with two workers running at once: each reminder is
claimed by inserting its ReminderSent row (unique on session, kind and key) in its own
transaction before anything is sent. The worker whose insert fails leaves that reminder to the
one that succeeded. A reminder whose sending fails gives its claim back, so that the next run
tries again.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string

from .models import (
    EnrolmentStatus,
    ReminderSent,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
)

logger = logging.getLogger(__name__)

Kind = ReminderSent.Kind

TEMPLATES = {
    Kind.OPEN_SESSION: "training/email/reminder_open.txt",
    Kind.CLOSE_SESSION: "training/email/reminder_close.txt",
}


@dataclass(frozen=True)
class DueReminder:
    session: TrainingSession
    kind: str
    key: str

    @property
    def recipients(self) -> list[str]:
        """The trainers of the session; the person who created it when it has none (a session
        in preparation may not have its trainers yet)."""
        emails = [staff.user.email for staff in self.session.trainers if staff.user.is_active]
        creator = self.session.created_by
        if not emails and creator is not None and creator.is_active:
            emails = [creator.email]
        return emails


@dataclass
class ReminderReport:
    sent: list[DueReminder] = field(default_factory=list)
    # Claimed by another worker between our listing and our claim.
    skipped: list[DueReminder] = field(default_factory=list)
    failed: list[DueReminder] = field(default_factory=list)
    # Due, but nobody to write to.
    unaddressed: list[DueReminder] = field(default_factory=list)


def week_key(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _with_recipients(queryset):
    trainers = SessionStaff.objects.filter(role=StaffRole.TRAINER).select_related("user")
    return queryset.select_related("created_by").prefetch_related(
        Prefetch("staff", queryset=trainers.order_by("pk"), to_attr="trainers")
    )


def due_reminders(today: datetime.date) -> list[DueReminder]:
    """The reminders that today's run should send, in session order (4 queries)."""
    to_open = _with_recipients(
        TrainingSession.objects.filter(status=SessionStatus.PREPARATION, start_date__lte=today)
    )
    to_close = _with_recipients(
        TrainingSession.objects.filter(status=SessionStatus.OPEN, end_date__lt=today).annotate(
            unattested=Count(
                "enrolments",
                filter=Q(
                    enrolments__status=EnrolmentStatus.ENROLLED,
                    enrolments__completed_at__isnull=True,
                ),
            )
        )
    )
    candidates = [
        DueReminder(session, Kind.OPEN_SESSION, session.start_date.isoformat())
        for session in to_open.order_by("start_date", "pk")
    ] + [
        DueReminder(session, Kind.CLOSE_SESSION, week_key(today))
        for session in to_close.order_by("end_date", "pk")
    ]
    if not candidates:
        return []
    # Reminders already sent, to skip without a claim; the claim remains the real guard.
    already = set(
        ReminderSent.objects.filter(
            session__in=[c.session.pk for c in candidates],
            key__in={c.key for c in candidates},
        ).values_list("session_id", "kind", "key")
    )
    return [c for c in candidates if (c.session.pk, c.kind, c.key) not in already]


def _claim(reminder: DueReminder) -> bool:
    """Inserts the reminder's row, committed at once; False when another worker has it."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                session=reminder.session, kind=reminder.kind, key=reminder.key
            )
    except IntegrityError:
        return False
    return True


def _release(reminder: DueReminder) -> None:
    ReminderSent.objects.filter(
        session=reminder.session, kind=reminder.kind, key=reminder.key
    ).delete()


def _messages(reminder: DueReminder) -> list[EmailMessage]:
    messages = []
    for email in reminder.recipients:
        text = render_to_string(TEMPLATES[reminder.kind], {"session": reminder.session})
        subject, _sep, body = text.partition("\n")
        messages.append(
            EmailMessage(subject.strip(), body.strip(), settings.DEFAULT_FROM_EMAIL, [email])
        )
    return messages


def send_due_reminders(*, today: datetime.date, dry_run: bool = False) -> ReminderReport:
    """Sends today's reminders, each at most once; with dry_run, only says which are due."""
    report = ReminderReport()
    due = due_reminders(today)
    if dry_run:
        report.sent = due
        return report
    connection = get_connection()
    for reminder in due:
        messages = _messages(reminder)
        if not messages:
            report.unaddressed.append(reminder)
            continue
        if not _claim(reminder):
            report.skipped.append(reminder)
            continue
        try:
            connection.send_messages(messages)
        except Exception:
            logger.exception(
                "Reminder %s for session %s not sent", reminder.kind, reminder.session.pk
            )
            _release(reminder)
            report.failed.append(reminder)
        else:
            report.sent.append(reminder)
    return report
