"""Closing a session before its end date warns with that date, and the service refuses such a
closing unless the warning was confirmed; the history says it was closed early. The clock is
frozen on Thursday 10 December 2026 in Paris."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.training import services
from preau.training.models import SessionEvent, SessionStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # stopped at NOW

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()
WARNING = (
    "La session se termine le vendredi 18 décembre 2026 : vous la closez avant sa date de fin."
)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def session(territory, cast):
    """Open, from 1 to 18 December."""
    return factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        start_date=day(-9),
        end_date=day(8),
    )


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


def close_url(session) -> str:
    return reverse("training:manage_close", args=[session.pk])


def status(session) -> str:
    session.refresh_from_db()
    return session.status


def test_the_warning_names_the_end_date(session):
    assert services.closing_early_warning(session).startswith(WARNING)


def test_no_warning_from_the_end_date_on(session, clock):
    clock.move_to(datetime.datetime(2026, 12, 18, 8, 0, tzinfo=PARIS))
    assert services.closing_early_warning(session) == ""


def test_closing_before_the_end_date_without_confirming_is_refused_with_the_warning(session, cast):
    with pytest.raises(ValidationError, match="se termine le vendredi 18 décembre 2026"):
        services.close_session(session=session, by=cast["trainer"])

    assert status(session) == SessionStatus.OPEN


def test_closing_before_the_end_date_once_confirmed_is_kept_in_the_history(session, cast):
    services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)

    assert status(session) == SessionStatus.CLOSED
    event = SessionEvent.objects.get(session=session)
    assert event.action == SessionEvent.Action.CLOSED_EARLY
    assert event.detail == "Date de fin prévue : vendredi 18 décembre 2026."


def test_closing_on_the_end_date_asks_no_confirmation(session, cast, clock):
    clock.move_to(datetime.datetime(2026, 12, 18, 17, 0, tzinfo=PARIS))

    services.close_session(session=session, by=cast["trainer"])

    assert status(session) == SessionStatus.CLOSED
    assert SessionEvent.objects.get(session=session).action == SessionEvent.Action.CLOSED


def test_the_confirmation_page_shows_the_warning_and_confirms_it(trainer_client, session):
    page = trainer_client.get(close_url(session)).content.decode()

    assert WARNING in page
    assert "Clore la session avant sa date de fin" in page
    assert 'name="avant_la_fin" value="1"' in page
    assert status(session) == SessionStatus.OPEN


def test_a_post_without_the_confirmation_is_refused_with_the_warning(trainer_client, session):
    response = trainer_client.post(close_url(session), follow=True)

    assert WARNING in response.content.decode()
    assert status(session) == SessionStatus.OPEN


def test_the_confirmed_post_closes_the_session(trainer_client, session):
    response = trainer_client.post(close_url(session), {"avant_la_fin": "1"}, follow=True)

    assert "Session close." in response.content.decode()
    assert status(session) == SessionStatus.CLOSED


def test_after_the_end_date_the_page_has_no_warning(trainer_client, session, clock, cast):
    clock.move_to(datetime.datetime(2026, 12, 19, 9, 0, tzinfo=PARIS))
    trainer_client.force_login(cast["trainer"])  # nine days later: the old sign-in has expired

    page = trainer_client.get(close_url(session)).content.decode()

    assert "avant sa date de fin" not in page and "avant_la_fin" not in page
    trainer_client.post(close_url(session))
    assert status(session) == SessionStatus.CLOSED
