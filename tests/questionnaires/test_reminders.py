"""The closing questionnaire's reminder: once, after the last meeting, never to those who
answered; the attestation does not depend on it."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from preau.notifications.models import Notification
from preau.questionnaires import services
from preau.questionnaires.reminders import send_closing_reminders
from preau.training import services as training_services
from tests import factories

from .conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.mark.date_sensitive
def test_participants_are_reminded_once_after_the_last_meeting(room):
    session, today = room["session"], timezone.localdate()
    factories.MeetingFactory(session=session, date=today - datetime.timedelta(days=3))
    last = factories.MeetingFactory(session=session, date=today)
    assert send_closing_reminders(today=today).reminded == 0  # the last meeting is today
    answered = room["classmates"][0]
    closing = services.closing_questionnaire(session)
    services.send(questionnaire=closing, by=answered, answers=answer_all(closing, answered, 1))
    tomorrow = last.date + datetime.timedelta(days=1)
    report = send_closing_reminders(today=tomorrow)
    assert report.reminded == 6  # 7 enrolled, one answered; Lou (waiting) is not
    reminded = set(
        Notification.objects.filter(kind="questionnaire").values_list("recipient", flat=True)
    )
    assert answered.pk not in reminded and room["waiting"].pk not in reminded
    assert room["teacher"].pk in reminded
    assert send_closing_reminders(today=tomorrow + datetime.timedelta(days=1)).reminded == 0
    call_command("send_questionnaire_reminders", "--date", tomorrow.isoformat(), verbosity=0)
    assert Notification.objects.filter(kind="questionnaire").count() == 6


def test_attesting_a_participant_does_not_depend_on_the_questionnaire(room, cast):
    """Nobody answered the closing questionnaire: the trainer attests all the same."""
    session = room["session"]
    enrolment = session.enrolments.get(user=room["teacher"])
    attested = training_services.attest(
        session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk], reason="Fin du groupe"
    )
    assert attested == 1
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
