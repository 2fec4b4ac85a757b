"""The spring reminder of the 18 hours: from the configured day on, once per teacher and school
year, only to teachers still missing hours, saying what is missing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from preau.hours import services
from preau.hours.models import Entry, HoursPolicy, HoursReminderSent, Kind, Source
from preau.hours.reminders import send_hours_reminders
from preau.hours.tasks import send_hours_reminders as send_hours_reminders_task
from tests import factories

YEAR = 2025
APRIL_15 = datetime.date(2026, 4, 15)


def credit(teacher, *, kind=Kind.TRAINING, presence=0, distance=0):
    """A ledger line written directly, then the teacher's totals refreshed as a service would."""
    entry = Entry.objects.create(
        teacher=teacher,
        school_year=YEAR,
        date=datetime.date(2025, 11, 5),
        kind=kind,
        source=Source.ANIMATION if kind == Kind.ANIMATION else Source.SESSION,
        title="Ligne de test",
        presence_hours=Decimal(presence),
        distance_hours=Decimal(distance),
    )
    services.refresh_year_totals([(teacher.pk, YEAR)])
    return entry


@pytest.fixture
def teachers(territory):
    school = territory["caen_school"]
    complete = factories.teacher(school=school, email="complete@ac-normandie.fr")
    credit(complete, presence=6, distance=3)
    credit(complete, kind=Kind.ANIMATION, presence=9)
    missing = factories.teacher(school=school, email="missing@ac-normandie.fr")
    credit(missing, presence=6)
    return {"complete": complete, "missing": missing}


def test_nothing_is_sent_before_the_reminder_date(teachers):
    report = send_hours_reminders(today=APRIL_15 - datetime.timedelta(days=1))

    assert report.sent == []
    assert mail.outbox == []
    assert not HoursReminderSent.objects.exists()


def test_the_reminder_date_is_a_setting(settings, teachers):
    settings.PREAU_HOURS_REMINDER_DATE = "03-01"

    send_hours_reminders(today=datetime.date(2026, 3, 1))

    assert [m.to for m in mail.outbox] == [["missing@ac-normandie.fr"]]


def test_teacher_missing_hours_gets_the_reminder_once(teachers):
    send_hours_reminders(today=APRIL_15)
    send_hours_reminders(today=APRIL_15 + datetime.timedelta(days=1))
    send_hours_reminders_task.call(day=(APRIL_15 + datetime.timedelta(days=2)).isoformat())

    assert [m.to for m in mail.outbox] == [["missing@ac-normandie.fr"]]
    assert HoursReminderSent.objects.get().school_year == YEAR


def test_complete_teacher_never_gets_the_reminder(teachers):
    report = send_hours_reminders(today=APRIL_15)

    assert teachers["complete"] not in [r.teacher for r in report.sent]
    assert "complete@ac-normandie.fr" not in [m.to[0] for m in mail.outbox]
    assert not HoursReminderSent.objects.filter(teacher=teachers["complete"]).exists()


def test_the_reminder_says_what_is_missing_and_links_to_my_hours(settings, teachers):
    settings.PREAU_SITE_URL = "https://preau.example/"
    settings.PREAU_HOURS_REMINDER_SUBJECT = "Vos 18 heures"
    settings.PREAU_HOURS_REMINDER_INTRO = "Bonjour Camille,"

    send_hours_reminders(today=APRIL_15)

    (message,) = mail.outbox
    assert message.subject == "Vos 18 heures"
    assert message.body.startswith("Bonjour Camille,")
    assert "2025-2026" in message.body
    assert (
        "Il vous manque 3 h de formation dont au moins une partie à distance "
        "et 9 h d’animations pédagogiques ou de formation." in message.body
    )
    assert "https://preau.example/heures/" in message.body


def test_the_academie_distance_minimum_is_explained(territory, teachers):
    HoursPolicy.objects.create(academie=territory["academie"], min_distance_hours=Decimal(2))

    send_hours_reminders(today=APRIL_15)

    assert "dont plus de 2 h à distance" in mail.outbox[0].body


def test_dry_run_sends_nothing_and_claims_nothing(teachers):
    report = send_hours_reminders(today=APRIL_15, dry_run=True)

    assert [r.teacher for r in report.sent] == [teachers["missing"]]
    assert mail.outbox == []
    assert not HoursReminderSent.objects.exists()


def test_command_dry_run_lists_the_teachers_without_sending(teachers, capsys):
    call_command("send_hours_reminders", "--date", APRIL_15.isoformat(), "--dry-run")

    out = capsys.readouterr().out
    assert "missing@ac-normandie.fr : à envoyer" in out
    assert "complete@" not in out
    assert mail.outbox == []
    assert not HoursReminderSent.objects.exists()


def test_a_failed_sending_gives_its_claim_back(teachers, monkeypatch):
    def broken(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)

    report = send_hours_reminders(today=APRIL_15)

    assert [r.teacher for r in report.failed] == [teachers["missing"]]
    assert not HoursReminderSent.objects.exists()
