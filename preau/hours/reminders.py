"""The spring reminder of the 18 hours, sent by `manage.py send_hours_reminders` (or its task).

From settings.PREAU_HOURS_REMINDER_DATE ("MM-DD") on, every teacher still missing hours in the
current school year gets one e-mail saying what is missing (rules.explain) with a link to
« Mes 18 heures »; teachers already complete never get it. Statuses come from
selectors.with_hours_status: one query for all teachers, streamed.

Sent once per teacher and school year, even with two workers at once: each e-mail is claimed
by inserting its HoursReminderSent row (unique on teacher and school year) in its own
transaction before it is sent, as training.reminders does. An e-mail whose sending fails gives
its claim back, so that the next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.accounts.models import User

from .models import HoursPolicy, HoursReminderSent
from .rules import Status, school_year_day, school_year_label, school_year_of
from .selectors import HOURS, ZERO, assessment_of_row, with_hours_status

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueHoursReminder:
    teacher: User
    school_year: int
    explanation: str


@dataclass
class HoursReminderReport:
    sent: list[DueHoursReminder] = field(default_factory=list)
    # Claimed by another worker between our listing and our claim.
    skipped: list[DueHoursReminder] = field(default_factory=list)
    failed: list[DueHoursReminder] = field(default_factory=list)


def reminder_date(school_year: int) -> datetime.date:
    """The day of the reminder in a school year (September – August)."""
    month, day = (int(part) for part in settings.PREAU_HOURS_REMINDER_DATE.split("-"))
    return school_year_day(school_year, month, day)


def due_hours_reminders(today: datetime.date):
    """Yields the teachers to remind today, none before the reminder date: one query, streamed,
    with each teacher's status and the distance minimum of their académie."""
    year = school_year_of(today)
    if today < reminder_date(year):
        return
    policy = HoursPolicy.objects.filter(
        academie=OuterRef("school__circonscription__departement__academie")
    ).values("min_distance_hours")[:1]
    min_distance = Coalesce(Subquery(policy, output_field=HOURS), ZERO)
    already = HoursReminderSent.objects.filter(teacher=OuterRef("pk"), school_year=year)
    teachers = (
        User.objects.teachers()
        .filter(is_active=True)
        .exclude(email="")
        .annotate(min_distance=min_distance)
        .exclude(Exists(already))
    )
    rows = (
        with_hours_status(teachers, year, min_distance=F("min_distance"))
        .exclude(status=Status.COMPLETE)
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=500):
        assessment = assessment_of_row(row, Decimal(str(row.min_distance)))
        yield DueHoursReminder(row, year, assessment.explanation)


def _claim(reminder: DueHoursReminder) -> bool:
    """Inserts the reminder's row, committed at once; False when another worker has it."""
    try:
        with transaction.atomic():
            HoursReminderSent.objects.create(
                teacher=reminder.teacher, school_year=reminder.school_year
            )
    except IntegrityError:
        return False
    return True


def _release(reminder: DueHoursReminder) -> None:
    HoursReminderSent.objects.filter(
        teacher=reminder.teacher, school_year=reminder.school_year
    ).delete()


def message(reminder: DueHoursReminder) -> EmailMessage:
    link = settings.PREAU_SITE_URL.rstrip("/") + reverse("hours:mine")
    body = "\n\n".join(
        [
            settings.PREAU_HOURS_REMINDER_INTRO,
            _("Pour l’année scolaire %(year)s : %(explanation)s")
            % {
                "year": school_year_label(reminder.school_year),
                "explanation": reminder.explanation,
            },
            _("Le détail de vos heures et les sessions à venir : %(link)s") % {"link": link},
        ]
    )
    return EmailMessage(
        settings.PREAU_HOURS_REMINDER_SUBJECT,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [reminder.teacher.email],
    )


def send_hours_reminders(*, today: datetime.date, dry_run: bool = False) -> HoursReminderReport:
    """Sends the spring reminder to the teachers still missing hours, each once a school year;
    nothing before the reminder date; with dry_run, only says who would get it."""
    report = HoursReminderReport()
    due = due_hours_reminders(today)
    if dry_run:
        report.sent = list(due)
        return report
    connection = get_connection()
    for reminder in due:
        if not _claim(reminder):
            report.skipped.append(reminder)
            continue
        try:
            connection.send_messages([message(reminder)])
        except Exception:
            logger.exception("Hours reminder for teacher %s not sent", reminder.teacher.pk)
            _release(reminder)
            report.failed.append(reminder)
        else:
            report.sent.append(reminder)
    return report
