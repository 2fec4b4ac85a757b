"""Attesting before the training is over (its last presence meeting, the end of its last
distance window) asks for a reason, kept in the session's history and shown on the session
page; every attestation, withdrawal, opening and closing is in that history. The clock is
frozen on Sunday 6 December 2026 in Paris: the issue's session starts on the 7th."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.hours.models import Entry
from preau.training import services
from preau.training.models import SessionEvent
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # stopped at NOW

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 6, 18, 0, tzinfo=PARIS)
TODAY = NOW.date()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def session(territory, cast):
    """The issue's session: open, from Monday 7 December (its only meeting) to 18 December
    (distance work from the 8th to the 18th); seven participants."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        start_date=day(1),
        end_date=day(12),
        title="Lire au CP",
    )
    factories.MeetingFactory(session=session, date=day(1))
    factories.DistanceWindowFactory(session=session, starts_on=day(2), ends_on=day(12))
    factories.EnrolmentFactory.create_batch(7, session=session)
    return session


def everyone(session) -> list[int]:
    return list(session.enrolments.values_list("pk", flat=True))


def attested_count(session) -> int:
    return session.enrolments.filter(completed_at__isnull=False).count()


def test_attesting_before_the_first_meeting_without_a_reason_is_refused_with_the_dates(
    session, cast
):
    with pytest.raises(ValidationError) as refused:
        services.attest(session=session, by=cast["trainer"], enrolment_ids=everyone(session))

    message = refused.value.messages[0]
    assert "La formation n’est pas terminée" in message
    assert "sa dernière réunion en présence a lieu le lundi 7 décembre 2026" in message
    assert "son travail à distance court jusqu’au vendredi 18 décembre 2026" in message
    assert attested_count(session) == 0
    assert not Entry.objects.exists()  # no hours in the ledger
    assert not SessionEvent.objects.exists()


def test_a_blank_reason_is_no_reason(session, cast):
    with pytest.raises(ValidationError, match="indiquez la raison"):
        services.attest(
            session=session, by=cast["trainer"], enrolment_ids=everyone(session), reason="   "
        )
    assert attested_count(session) == 0


def test_with_a_reason_the_early_attestation_is_made_and_the_reason_kept(session, cast):
    attested = services.attest(
        session=session,
        by=cast["trainer"],
        enrolment_ids=everyone(session),
        reason="  Le groupe a tout fait lors d’un stage en novembre.  ",
    )

    assert attested == 7
    assert Entry.objects.filter(session=session).count() == 7
    event = SessionEvent.objects.get()
    assert event.action == SessionEvent.Action.ATTESTED_EARLY
    assert (event.session, event.actor) == (session, cast["trainer"])
    assert event.reason == "Le groupe a tout fait lors d’un stage en novembre."
    assert event.detail.startswith("7 participants : ")


def test_after_the_last_meeting_the_distance_window_still_asks_for_a_reason(session, cast, clock):
    clock.move_to(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=PARIS))

    with pytest.raises(ValidationError) as refused:
        services.attest(session=session, by=cast["trainer"], enrolment_ids=everyone(session))

    message = refused.value.messages[0]
    assert "son travail à distance court jusqu’au vendredi 18 décembre 2026" in message
    assert "réunion" not in message  # held on the 7th: nothing to wait for there


def test_on_the_last_day_of_the_distance_work_a_reason_is_still_asked(session, cast, clock):
    """The work at distance runs until the end of its last day: that day, it is not over."""
    clock.move_to(datetime.datetime(2026, 12, 18, 17, 0, tzinfo=PARIS))

    with pytest.raises(ValidationError) as refused:
        services.attest(session=session, by=cast["trainer"], enrolment_ids=everyone(session))

    assert (
        "son travail à distance court jusqu’au vendredi 18 décembre 2026"
        in (refused.value.messages[0])
    )
    assert attested_count(session) == 0


def test_the_day_after_the_distance_work_no_reason_is_asked(session, cast, clock):
    clock.move_to(datetime.datetime(2026, 12, 19, 9, 0, tzinfo=PARIS))

    assert services.attest(session=session, by=cast["trainer"], enrolment_ids=everyone(session))

    event = SessionEvent.objects.get()
    assert (event.action, event.reason) == (SessionEvent.Action.ATTESTED, "")


def test_on_the_day_of_the_last_meeting_no_reason_is_asked(territory, cast, clock):
    """A session of meetings only: once its last meeting's day has come (attendance is noted
    from the meeting's start), it is over."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        start_date=day(1),
        end_date=day(3),
    )
    factories.MeetingFactory(session=session, date=day(3))
    enrolment = factories.EnrolmentFactory(session=session)

    clock.move_to(datetime.datetime(2026, 12, 8, 18, 0, tzinfo=PARIS))  # the day before
    with pytest.raises(ValidationError, match="sa dernière réunion en présence a lieu le mercredi"):
        services.attest(session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk])
    clock.move_to(datetime.datetime(2026, 12, 9, 17, 0, tzinfo=PARIS))
    assert services.attest(session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk])


def test_the_attestation_page_warns_on_the_last_day_of_the_distance_work(
    client, session, cast, clock
):
    clock.move_to(datetime.datetime(2026, 12, 18, 17, 0, tzinfo=PARIS))
    client.force_login(cast["trainer"])

    page = client.get(reverse("training:attestation", args=[session.pk]))

    assert (
        "son travail à distance court jusqu’au vendredi 18 décembre 2026" in (page.context["early"])
    )


def test_a_session_whose_calendar_is_empty_is_over_on_its_end_date(territory, cast, clock):
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        start_date=day(-10),
        end_date=day(2),
        trainers=[cast["trainer"]],
    )
    enrolment = factories.EnrolmentFactory(session=session)

    with pytest.raises(ValidationError, match="elle se termine le mardi 8 décembre 2026"):
        services.attest(session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk])
    clock.move_to(datetime.datetime(2026, 12, 8, 12, 0, tzinfo=PARIS))
    assert services.attest(session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk])


def test_nothing_to_attest_asks_for_nothing(session, cast):
    assert services.attest(session=session, by=cast["trainer"], enrolment_ids=[]) == 0
    assert not SessionEvent.objects.exists()


# Through the page -------------------------------------------------------------------------


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


def test_page_warns_and_asks_for_the_reason_before_the_end(trainer_client, session):
    page = trainer_client.get(reverse("training:attestation", args=[session.pk])).content
    page = page.decode()

    assert "La formation n’est pas terminée" in page
    assert "Sa dernière réunion en présence a lieu le lundi 7 décembre 2026" in page
    assert 'name="reason"' in page


def test_page_asks_nothing_once_the_training_is_over(trainer_client, session, clock, cast):
    clock.move_to(datetime.datetime(2026, 12, 19, 9, 0, tzinfo=PARIS))
    trainer_client.force_login(cast["trainer"])  # days later: the old sign-in has expired

    page = trainer_client.get(reverse("training:attestation", args=[session.pk])).content
    page = page.decode()

    assert "La formation n’est pas terminée" not in page
    assert 'name="reason"' not in page


def test_posting_without_a_reason_attests_nobody_and_says_why(trainer_client, session):
    url = reverse("training:attestation", args=[session.pk])

    response = trainer_client.post(
        url, {"selection": "1", "selected": everyone(session)}, follow=True
    )

    assert "indiquez la raison" in response.content.decode()
    assert attested_count(session) == 0


def test_the_reason_shows_in_the_history_of_the_session_page(trainer_client, session, cast):
    url = reverse("training:attestation", args=[session.pk])
    trainer_client.post(
        url,
        {"one": everyone(session)[0], "reason": "Dernière réunion avancée, hors Préau."},
    )

    page = trainer_client.get(reverse("training:manage", args=[session.pk])).content.decode()

    history = page[page.index('id="historique"') :]
    assert "Participants attestés avant la fin de la formation" in history
    assert "« Dernière réunion avancée, hors Préau. »" in history
    assert cast["trainer"].get_full_name() in history
    assert "6 décembre 2026 à 18:00" in history


def test_the_history_keeps_opening_withdrawal_and_closing_most_recent_first(territory, cast, clock):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]], start_date=day(-20),
        end_date=day(-1),
    )  # fmt: skip
    factories.MeetingFactory(session=session, date=day(-20))
    factories.ActivityFactory(section__parcours=session.content)
    enrolment = factories.EnrolmentFactory(session=session)
    trainer = cast["trainer"]

    services.open_session(session=session, by=trainer)
    services.attest(session=session, by=trainer, enrolment_ids=[enrolment.pk])
    services.withdraw_attestation(enrolment=enrolment, by=trainer)
    services.close_session(session=session, by=trainer)
    services.archive_session(session=session, by=trainer)

    assert [e.action for e in session.events.all()] == [
        SessionEvent.Action.ARCHIVED,
        SessionEvent.Action.CLOSED,
        SessionEvent.Action.ATTESTATION_WITHDRAWN,
        SessionEvent.Action.ATTESTED,
        SessionEvent.Action.OPENED,
    ]
    assert session.events.get(action="attestation_withdrawn").detail == (
        enrolment.user.get_full_name()
    )


@pytest.mark.parametrize("who", ["teacher", "other_ien", "nobody"])
def test_others_see_no_history(client, cast, session, who):
    services.attest(
        session=session, by=cast["trainer"], enrolment_ids=everyone(session), reason="Secret"
    )
    client.force_login(cast[who])

    assert client.get(reverse("training:manage", args=[session.pk])).status_code == 404


def test_the_ien_of_the_circonscription_reads_the_history(client, cast, session):
    services.attest(
        session=session, by=cast["trainer"], enrolment_ids=everyone(session), reason="Stage"
    )
    client.force_login(cast["ien"])

    page = client.get(reverse("training:manage", args=[session.pk])).content.decode()

    assert "« Stage »" in page


def test_the_history_names_the_attested_in_french_order(session, cast):
    names = ["Guyot", "Zoé", "Étienne", "de Villiers", "Gérard", "Le Gall", "Eve"]
    for enrolment, name in zip(session.enrolments.order_by("pk"), names, strict=True):
        enrolment.user.first_name, enrolment.user.last_name = "Ada", name
        enrolment.user.save(update_fields=["first_name", "last_name"])

    services.attest(
        session=session, by=cast["trainer"], enrolment_ids=everyone(session), reason="Stage."
    )

    assert SessionEvent.objects.get().detail == (
        "7 participants : Ada de Villiers, Ada Étienne, Ada Eve, Ada Gérard, Ada Guyot, "
        "Ada Le Gall, Ada Zoé"
    )
