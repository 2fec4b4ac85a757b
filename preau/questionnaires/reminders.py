"""The one reminder of the closing questionnaire: the day after the last meeting of an open
session, each participant who has not answered is told, once (a notification and its e-mail).
Never forced: the attestation does not depend on it."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.notifications.models import Notification
from preau.notifications.services import notify
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from .models import SatisfactionMarker, SatisfactionReminder
from .services import closing_questionnaire


@dataclass
class ReminderReport:
    sessions: int = 0
    reminded: int = 0


def due_sessions(today: datetime.date):
    """Open sessions whose last meeting is over (before today)."""
    return (
        TrainingSession.objects.filter(status=SessionStatus.OPEN)
        .annotate(last_meeting=Max("meetings__date"))
        .filter(last_meeting__lt=today)
    )


def send_closing_reminders(*, today: datetime.date, dry_run: bool = False) -> ReminderReport:
    report = ReminderReport()
    for session in due_sessions(today):
        with transaction.atomic():
            questionnaire = closing_questionnaire(session)
            recipients = list(
                Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
                .exclude(
                    user__in=SatisfactionMarker.objects.filter(questionnaire=questionnaire).values(
                        "user"
                    )
                )
                .exclude(
                    user__in=SatisfactionReminder.objects.filter(session=session).values("user")
                )
                .values_list("user", flat=True)
            )
            if not recipients:
                continue
            report.sessions += 1
            report.reminded += len(recipients)
            if dry_run:
                continue
            SatisfactionReminder.objects.bulk_create(
                SatisfactionReminder(session=session, user_id=pk) for pk in recipients
            )
            notify(
                recipients=get_user_model().objects.filter(pk__in=recipients),
                kind=Notification.Kind.QUESTIONNAIRE,
                title=_("Votre avis sur « %(title)s »") % {"title": session.title[:150]},
                text=_(
                    "La formation se termine : dites-nous ce que vous en avez pensé, en "
                    "quelques minutes. Le questionnaire est anonyme et facultatif ; votre "
                    "attestation n’en dépend pas."
                ),
                url=reverse("questionnaires:closing", args=[session.pk]),
                session=session,
            )
    return report
