"""Nothing of a closed or archived session is to come: the home page's agenda, « Mon agenda »
and the iCalendar feed leave out its meetings and distance work from today on (what took place
stays in the feed as history, for a closed session). The clock is frozen on Thursday
10 December 2026 in Paris."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from preau.training import selectors, services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # stopped at NOW

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def running(territory, title: str, teacher, trainer):
    """An open session from 1 to 31 December: a meeting held on 2 December, one on
    15 December, distance work from 3 to 20 December."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        title=title,
        trainers=[trainer],
        start_date=day(-9),
        end_date=day(21),
    )
    factories.EnrolmentFactory(session=session, user=teacher)
    factories.MeetingFactory(session=session, date=day(-8), title=f"{title} : lancement")
    factories.MeetingFactory(session=session, date=day(5), title=f"{title} : bilan")
    factories.DistanceWindowFactory(
        session=session, starts_on=day(-7), ends_on=day(10), title=f"{title} : lectures"
    )
    return session


@pytest.fixture
def sessions(territory, cast):
    teacher, trainer = cast["teacher"], cast["trainer"]
    still = running(territory, "Ouverte", teacher, trainer)
    closed = running(territory, "Close", teacher, trainer)
    archived = running(territory, "Archivée", teacher, trainer)
    services.close_session(session=closed, by=trainer, before_end_confirmed=True)
    services.close_session(session=archived, by=trainer, before_end_confirmed=True)
    services.archive_session(session=archived, by=trainer)
    return {"open": still, "closed": closed, "archived": archived}


@pytest.mark.parametrize("who", ["teacher", "trainer"])
def test_upcoming_events_are_those_of_running_sessions_only(cast, sessions, who):
    titles = [event.title for event in selectors.upcoming_events(cast[who], limit=20)]

    assert titles == ["Ouverte : lectures", "Ouverte : bilan"]


@pytest.mark.parametrize("who", ["teacher", "trainer"])
def test_home_page_agenda_shows_nothing_to_come_of_a_closed_session(client, cast, sessions, who):
    client.force_login(cast[who])

    page = client.get(reverse("portal:home")).content.decode()

    assert "Ouverte : bilan" in page
    assert "Close : bilan" not in page and "Archivée : bilan" not in page
    assert "Close : lectures" not in page


def test_my_agenda_page_shows_nothing_to_come_of_a_closed_session(client, cast, sessions):
    client.force_login(cast["teacher"])

    page = client.get(reverse("training:agenda")).content.decode()

    assert "Ouverte : bilan" in page
    assert "Close" not in page and "Archivée" not in page


def feed_summaries(client, user) -> set[str]:
    feed = services.calendar_feed_for(user=user)
    response = client.get(reverse("training:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("who", ["teacher", "trainer"])
def test_the_feed_keeps_what_a_closed_session_held_and_drops_what_was_to_come(
    client, cast, sessions, who
):
    summaries = feed_summaries(client, cast[who])

    prefixes = {"Ouverte —", "Close —", "Archivée —"}
    by_session = {p: {s for s in summaries if s.startswith(p)} for p in prefixes}
    assert by_session["Ouverte —"] == {
        "Ouverte — Ouverte : lancement",
        "Ouverte — Ouverte : bilan",
        "Ouverte — Ouverte : lectures",
    }
    # Held before the closing: history. To come, or running: gone.
    assert by_session["Close —"] == {"Close — Close : lancement"}
    assert by_session["Archivée —"] == set()


def test_a_meeting_of_a_closed_session_today_is_not_to_come(client, cast, sessions, clock):
    factories.MeetingFactory(session=sessions["closed"], date=TODAY, title="Close : ce jour")

    assert "Close — Close : ce jour" not in feed_summaries(client, cast["teacher"])
    titles = [e.title for e in selectors.upcoming_events(cast["teacher"], limit=20)]
    assert "Close : ce jour" not in titles
