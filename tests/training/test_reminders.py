"""Reminders to trainers: open a session whose start date has come (once), attest and close a
session whose end date has passed (once per ISO week), never twice for the same event."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from preau.accounts.models import Role
from preau.training import reminders
from preau.training.models import EnrolmentStatus, ReminderSent, SessionStatus
from preau.training.reminders import send_due_reminders, week_key
from preau.training.tasks import send_reminders
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)  # ISO week 2026-W49


def days(n: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=n)


@pytest.fixture
def trainers(territory):
    caen = territory["caen"]
    return [
        factories.with_role(
            Role.TRAINER,
            circonscription=caen,
            user=factories.UserFactory(email="julien@ac-test.fr"),
        ),
        factories.with_role(
            Role.TRAINER, circonscription=caen, user=factories.UserFactory(email="lea@ac-test.fr")
        ),
    ]


@pytest.fixture
def tutor(territory):
    return factories.with_role(Role.TUTOR, circonscription=territory["caen"])


@pytest.fixture
def late_to_open(territory, trainers, tutor):
    """In preparation, should have started today."""
    return factories.TrainingSessionFactory(
        title="Fluence en lecture",
        circonscription=territory["caen"],
        start_date=MONDAY,
        end_date=days(28),
        trainers=trainers,
        tutors=[tutor],
    )


@pytest.fixture
def ended(territory, trainers):
    """Open, ended last Friday, two participants of three not yet attested."""
    session = factories.TrainingSessionFactory(
        open=True,
        title="Résoudre des problèmes",
        circonscription=territory["caen"],
        start_date=days(-40),
        end_date=days(-3),
        trainers=trainers,
    )
    factories.EnrolmentFactory.create_batch(2, session=session)
    factories.EnrolmentFactory(session=session, attested=True)
    factories.EnrolmentFactory(session=session, waiting=True)
    return session


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_trainers_are_reminded_once_that_a_session_due_to_start_is_not_open(late_to_open):
    report = send_due_reminders(today=MONDAY)

    assert [(r.session, r.kind) for r in report.sent] == [
        (late_to_open, ReminderSent.Kind.OPEN_SESSION)
    ]
    assert recipients() == ["julien@ac-test.fr", "lea@ac-test.fr"]
    message = mail.outbox[0]
    assert message.subject == "Préau : la session « Fluence en lecture » n’est toujours pas ouverte"
    assert "devait commencer le lundi 30 novembre 2026" in message.body
    assert "Ouvrir la session" in message.body

    send_due_reminders(today=MONDAY)
    send_due_reminders(today=days(1))
    send_due_reminders(today=days(8))

    assert len(mail.outbox) == 2
    assert ReminderSent.objects.get().key == "2026-11-30"


def test_no_open_reminder_before_the_start_date_nor_for_an_open_session(late_to_open):
    send_due_reminders(today=days(-1))
    assert mail.outbox == []

    late_to_open.status = SessionStatus.OPEN
    late_to_open.save(update_fields=["status"])
    send_due_reminders(today=MONDAY)
    assert mail.outbox == []


def test_a_postponed_session_gets_a_new_reminder_at_its_new_start_date(late_to_open):
    send_due_reminders(today=MONDAY)
    late_to_open.start_date, late_to_open.end_date = days(14), days(40)
    late_to_open.save(update_fields=["start_date", "end_date"])

    send_due_reminders(today=days(7))
    assert len(mail.outbox) == 2
    send_due_reminders(today=days(14))

    assert len(mail.outbox) == 4
    assert sorted(ReminderSent.objects.values_list("key", flat=True)) == [
        "2026-11-30",
        "2026-12-14",
    ]


def test_tutors_are_not_reminded_and_a_session_without_trainer_reminds_its_creator(
    territory, tutor
):
    creator = factories.with_role(Role.IEN, circonscription=territory["caen"])
    factories.TrainingSessionFactory(
        circonscription=territory["caen"], start_date=MONDAY, tutors=[tutor], created_by=creator
    )

    send_due_reminders(today=MONDAY)

    assert recipients() == [creator.email]


def test_a_session_with_nobody_to_write_to_is_reported_and_not_claimed(territory):
    factories.TrainingSessionFactory(start_date=MONDAY, created_by=None)

    report = send_due_reminders(today=MONDAY)

    assert len(report.unaddressed) == 1
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_inactive_trainers_are_not_written_to(late_to_open, trainers):
    trainers[1].is_active = False
    trainers[1].save(update_fields=["is_active"])

    send_due_reminders(today=MONDAY)

    assert recipients() == ["julien@ac-test.fr"]


def test_trainers_are_reminded_weekly_to_attest_and_close_an_ended_session(ended):
    send_due_reminders(today=days(-2))  # the day after the end date (Saturday, week 48)
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == (
        "Préau : attestez les participants et clôturez la session « Résoudre des problèmes »"
    )
    assert "2 participants ne sont pas encore attestés" in message.body
    assert "une fois la session close l’attestation n’est plus possible" in message.body

    for day in (-1, 0, 1, 6):  # Sunday of week 48, then all of week 49
        send_due_reminders(today=days(day))
    assert len(mail.outbox) == 4
    assert list(ReminderSent.objects.order_by("key").values_list("key", flat=True)) == [
        "2026-W48",
        "2026-W49",
    ]

    ended.status = SessionStatus.CLOSED
    ended.save(update_fields=["status"])
    send_due_reminders(today=days(7))
    assert len(mail.outbox) == 4


def test_close_reminder_says_when_everybody_is_attested(ended):
    ended.enrolments.filter(status=EnrolmentStatus.ENROLLED).update(completed_at=ended.opened_at)

    send_due_reminders(today=MONDAY)

    assert "Tous les participants sont attestés" in mail.outbox[0].body


def test_no_close_reminder_on_the_end_date_itself(ended):
    send_due_reminders(today=ended.end_date)

    assert mail.outbox == []


def test_iso_weeks_straddle_the_new_year():
    assert week_key(datetime.date(2027, 1, 1)) == "2026-W53"
    assert week_key(datetime.date(2027, 1, 4)) == "2027-W01"


def test_dry_run_sends_and_claims_nothing(late_to_open, ended):
    report = send_due_reminders(today=MONDAY, dry_run=True)

    assert len(report.sent) == 2
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_reminder_claimed_by_another_worker_meanwhile_is_not_sent(late_to_open, monkeypatch):
    """The other worker inserts its row between our listing and our claim."""
    listed = reminders.due_reminders

    def listed_then_claimed_elsewhere(today):
        due = listed(today)
        for reminder in due:
            ReminderSent.objects.create(
                session=reminder.session, kind=reminder.kind, key=reminder.key
            )
        return due

    monkeypatch.setattr(reminders, "due_reminders", listed_then_claimed_elsewhere)

    report = send_due_reminders(today=MONDAY)

    assert len(report.skipped) == 1 and report.sent == []
    assert mail.outbox == []


def test_a_reminder_that_could_not_be_sent_is_tried_again_next_time(late_to_open, monkeypatch):
    def broken(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
        report = send_due_reminders(today=MONDAY)
    assert len(report.failed) == 1 and not ReminderSent.objects.exists()

    report = send_due_reminders(today=MONDAY)

    assert len(report.sent) == 1 and len(mail.outbox) == 2


def test_command_sends_the_reminders_of_the_given_day_and_says_what_it_did(late_to_open, ended):
    out = io.StringIO()

    call_command("send_reminders", "--date", "2026-11-30", stdout=out)

    assert len(mail.outbox) == 4
    output = out.getvalue()
    assert "[ouvrir la session] Fluence en lecture" in output
    assert "[attester et clore la session] Résoudre des problèmes" in output
    assert "julien@ac-test.fr, lea@ac-test.fr" in output
    assert output.endswith("30/11/2026 : 2 rappel(s) envoyé.\n")


def test_command_dry_run_only_lists_the_reminders_due(late_to_open):
    out = io.StringIO()

    call_command("send_reminders", "--date", "2026-11-30", "--dry-run", stdout=out)

    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert "Fluence en lecture (n° " in out.getvalue()
    assert "1 rappel(s) à envoyer." in out.getvalue()


def test_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="Date invalide « 30/11/2026 »"):
        call_command("send_reminders", "--date", "30/11/2026")


def test_command_fails_loudly_when_a_reminder_could_not_be_sent(late_to_open, monkeypatch):
    def broken(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)

    with pytest.raises(CommandError, match="1 rappel"):
        call_command("send_reminders", "--date", "2026-11-30", stdout=io.StringIO())


def test_task_sends_the_reminders_and_returns_counts(late_to_open, ended):
    result = send_reminders.enqueue("2026-11-30")

    assert result.return_value == {"sent": 2, "skipped": 0, "failed": 0, "unaddressed": 0}
    assert len(mail.outbox) == 4

    assert send_reminders.enqueue("2026-11-30").return_value["sent"] == 0


def test_reminder_rows_are_unique_per_session_kind_and_key(late_to_open):
    from django.db import IntegrityError, transaction

    ReminderSent.objects.create(session=late_to_open, kind="open_session", key="2026-11-30")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(session=late_to_open, kind="open_session", key="2026-11-30")
