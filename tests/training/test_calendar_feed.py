"""Each person's private iCalendar feed (RFC 5545): « Mon agenda » gives its address and renews
it; the feed lists the meetings and distance windows of the sessions the person is enrolled in
(not waiting) or runs, and nothing else; the enrolment e-mail carries the same events."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from preau.training import services
from preau.training.models import CalendarFeed, StaffRole
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

AGENDA = reverse("training:agenda")
RENEW = reverse("training:agenda_renew")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def next_year() -> int:
    """A year all in the future, whatever the day: its January (winter time) and June
    (summer time) meetings are to come."""
    return timezone.localdate().year + 1


def feed_url(token: str) -> str:
    return reverse("training:calendar_feed", args=[token])


def events(content: bytes) -> dict[str, dict]:
    """The VEVENTs of an iCalendar file by UID, after a strict parse."""
    calendar = Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def teacher(cast):
    return cast["teacher"]


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def schedule(territory, teacher, cast):
    """The teacher is enrolled in `mine` (a meeting in Caen, a virtual class, a distance
    window), waits for a place in `waited`; the trainer runs `taught`; `other` is nobody's."""
    mine = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], title="Lire au CP"
    )
    factories.EnrolmentFactory(session=mine, user=teacher)
    meeting = factories.MeetingFactory(
        session=mine,
        title="Lancement",
        date=datetime.date(next_year(), 1, 12),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 0),
        place_name="École Jules Ferry",
        address="1 rue de l’École, 14000 Caen",
    )
    virtual = factories.MeetingFactory(
        session=mine, title="", virtual=True, date=datetime.date(next_year(), 6, 8)
    )
    window = factories.DistanceWindowFactory(
        session=mine,
        title="Lectures",
        starts_on=datetime.date(next_year(), 1, 13),
        ends_on=datetime.date(next_year(), 1, 31),
    )
    waited = factories.TrainingSessionFactory(open=True, capacity=1, title="Complète")
    factories.EnrolmentFactory(session=waited)
    factories.EnrolmentFactory(session=waited, user=teacher, waiting=True)
    waited_meeting = factories.MeetingFactory(session=waited, date=days(5))
    taught = factories.TrainingSessionFactory(open=True, title="Formée par le formateur")
    factories.SessionStaffFactory(session=taught, user=cast["trainer"], role=StaffRole.TRAINER)
    taught_meeting = factories.MeetingFactory(session=taught, date=days(6))
    other_meeting = factories.MeetingFactory(date=days(7))
    return {
        "meeting": meeting,
        "virtual": virtual,
        "window": window,
        "waited_meeting": waited_meeting,
        "taught_meeting": taught_meeting,
        "other_meeting": other_meeting,
    }


# Mon agenda --------------------------------------------------------------------------------


def test_agenda_page_makes_the_feed_on_first_visit_and_keeps_it(teacher_client, teacher):
    assert not CalendarFeed.objects.exists()

    first = teacher_client.get(AGENDA).content.decode()
    token = CalendarFeed.objects.get(user=teacher).token
    second = teacher_client.get(AGENDA).content.decode()

    assert f"http://testserver{feed_url(token)}" in first
    assert f"webcal://testserver{feed_url(token)}" in first
    assert CalendarFeed.objects.get(user=teacher).token == token
    assert f"http://testserver{feed_url(token)}" in second
    for application in ("Outlook", "Thunderbird", "iPhone", "Android"):
        assert application in first


def test_agenda_page_lists_the_next_events(teacher_client, schedule):
    factories.MeetingFactory(session=schedule["meeting"].session, title="Bientôt", date=days(3))

    content = teacher_client.get(AGENDA).content.decode()

    assert "Bientôt" in content
    assert "Lire au CP" in content
    assert "Complète" not in content


def test_renewing_asks_for_confirmation_then_revokes_the_old_address(
    teacher_client, client, teacher, schedule
):
    old = services.calendar_feed_for(user=teacher).token

    confirmation = teacher_client.get(RENEW)
    assert "Renouveler l’adresse de votre agenda ?" in confirmation.content.decode()
    assert CalendarFeed.objects.get(user=teacher).token == old

    response = teacher_client.post(RENEW, follow=True)

    new = CalendarFeed.objects.get(user=teacher).token
    assert new != old
    assert response.redirect_chain == [(AGENDA, 302)]
    assert "l’ancienne ne fonctionne plus" in response.content.decode()
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_agenda_pages_need_a_signed_in_person(client, db):
    for url in (AGENDA, RENEW):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# The feed ----------------------------------------------------------------------------------


def test_feed_is_a_valid_icalendar_of_the_persons_meetings_and_windows(client, teacher, schedule):
    token = services.calendar_feed_for(user=teacher).token

    response = client.get(feed_url(token))  # calendar applications send no session cookie

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    found = events(response.content)
    meeting, virtual, window = schedule["meeting"], schedule["virtual"], schedule["window"]
    assert set(found) == {
        f"meeting-{meeting.pk}@preau",
        f"meeting-{virtual.pk}@preau",
        f"window-{window.pk}@preau",
    }
    for event in found.values():
        for field in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
            assert field in event, field
    launch = found[f"meeting-{meeting.pk}@preau"]
    # 9:00 in Paris in January is 8:00 UTC.
    assert launch.decoded("DTSTART") == datetime.datetime(
        next_year(), 1, 12, 8, 0, tzinfo=datetime.UTC
    )
    assert launch.decoded("DTEND") == datetime.datetime(
        next_year(), 1, 12, 11, 0, tzinfo=datetime.UTC
    )
    assert str(launch["SUMMARY"]) == "Lire au CP — Lancement"
    assert str(launch["LOCATION"]) == "École Jules Ferry, 1 rue de l’École, 14000 Caen"
    june = found[f"meeting-{virtual.pk}@preau"]
    # Summer time: 9:00 in Paris is 7:00 UTC.
    assert june.decoded("DTSTART") == datetime.datetime(
        next_year(), 6, 8, 7, 0, tzinfo=datetime.UTC
    )
    assert str(june["SUMMARY"]) == "Lire au CP — classe virtuelle"
    assert str(june["LOCATION"]) == "À distance"
    reading = found[f"window-{window.pk}@preau"]
    assert reading.decoded("DTSTART") == datetime.date(next_year(), 1, 13)
    assert reading.decoded("DTEND") == datetime.date(next_year(), 2, 1)  # exclusive: the day after
    assert str(reading["TRANSP"]) == "TRANSPARENT"


def test_feed_says_how_often_to_refresh(client, teacher):
    token = services.calendar_feed_for(user=teacher).token

    calendar = Calendar.from_ical(client.get(feed_url(token)).content)

    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H\r\n" in calendar.to_ical().decode()
    assert str(calendar["X-WR-CALNAME"]) == "Préau — mes sessions de formation"


def test_feed_of_a_trainer_holds_the_sessions_they_run(client, cast, schedule):
    token = services.calendar_feed_for(user=cast["trainer"]).token

    found = events(client.get(feed_url(token)).content)

    assert set(found) == {f"meeting-{schedule['taught_meeting'].pk}@preau"}


def test_feed_leaves_out_waiting_list_other_and_archived_sessions_and_old_history(
    client, teacher, schedule, territory
):
    archived = factories.TrainingSessionFactory(archived=True)
    factories.EnrolmentFactory(session=archived, user=teacher, attested=True)
    factories.MeetingFactory(session=archived, date=days(-70))
    old = factories.TrainingSessionFactory(closed=True, start_date=days(-500), end_date=days(-480))
    factories.EnrolmentFactory(session=old, user=teacher)
    factories.MeetingFactory(session=old, date=days(-490))
    token = services.calendar_feed_for(user=teacher).token

    found = events(client.get(feed_url(token)).content)

    assert len(found) == 3
    for name in ("waited_meeting", "taught_meeting", "other_meeting"):
        assert f"meeting-{schedule[name].pk}@preau" not in found


def test_feed_never_names_the_other_participants(client, teacher, schedule):
    session = schedule["meeting"].session
    other = factories.teacher(first_name="Prénomtémoin", last_name="Nomtémoin")
    factories.EnrolmentFactory(session=session, user=other)
    token = services.calendar_feed_for(user=teacher).token

    content = client.get(feed_url(token)).content.decode()

    assert "Nomtémoin" not in content
    assert "Prénomtémoin" not in content
    assert other.email not in content


@pytest.mark.parametrize("token", ["inconnu-0123456789", "x"])
def test_an_unknown_token_is_a_404(client, db, token):
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_of_a_deactivated_account_is_a_404(client, teacher):
    token = services.calendar_feed_for(user=teacher).token
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])

    assert client.get(feed_url(token)).status_code == 404


def test_feed_costs_three_queries_with_10_or_100_sessions(client, teacher, count_queries):
    token = services.calendar_feed_for(user=teacher).token
    queries = [
        "the feed by its token, with its person",
        "meetings of the person's sessions, with their session",
        "distance windows of the person's sessions, with their session",
    ]
    for count in (10, 100):
        while teacher.enrolments.count() < count:
            session = factories.TrainingSessionFactory(open=True)
            factories.EnrolmentFactory(session=session, user=teacher)
            factories.MeetingFactory(session=session)
            factories.DistanceWindowFactory(session=session)
        with count_queries() as ran:
            response = client.get(feed_url(token))
        assert response.status_code == 200
        assert len(events(response.content)) == 2 * count
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{count} sessions: {len(ran)} queries instead of {len(queries)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )


# The invitation e-mail -----------------------------------------------------------------------


def test_enrolment_email_attaches_the_sessions_events_as_icalendar(
    teacher, schedule, django_capture_on_commit_callbacks
):
    session = schedule["meeting"].session
    newcomer = factories.teacher()

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(session=session, user=newcomer)

    (message,) = mail.outbox
    assert message.to == [newcomer.email]
    assert "Lire au CP" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    found = events(content.encode() if isinstance(content, str) else content)
    # The same UIDs as in the feed: adding both updates one event rather than doubling it.
    assert set(found) == {
        f"meeting-{schedule['meeting'].pk}@preau",
        f"meeting-{schedule['virtual'].pk}@preau",
        f"window-{schedule['window'].pk}@preau",
    }
    for event in found.values():
        for field in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
            assert field in event, field
    raw = message.message().as_string()
    assert 'Content-Type: text/calendar; charset="utf-8"' in raw
    assert "École Jules Ferry" in message.body


def test_no_email_for_a_waiting_list_place(territory, django_capture_on_commit_callbacks):
    session = factories.TrainingSessionFactory(open=True, capacity=1)
    factories.EnrolmentFactory(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(session=session, user=factories.teacher())

    assert not mail.outbox


def test_a_trainers_agenda_leads_to_the_sessions_they_run(client, cast, schedule):
    client.force_login(cast["trainer"])

    content = client.get(AGENDA).content.decode()

    session = schedule["taught_meeting"].session
    assert reverse("training:manage", args=[session.pk]) in content
    assert "Vous formez" in content
