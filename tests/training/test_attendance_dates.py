"""Attendance is noted from a meeting's day on (Europe/Paris), never before; a participant meets
the session's rule only once every presence meeting has taken place and they were present or
excused at each (docs/attendance.md). The clock is frozen: Sunday 6 December 2026, 10:00 in
Paris, the day before the first meeting of the session of the issue."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.training import selectors, services
from preau.training.models import Attendance, AttendanceStatus, AttestationRule
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # stopped at NOW

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()
PRESENT, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def session(territory, cast):
    """An open session of Caen Nord from 30 November to 18 December: a meeting held on
    1 December, one to come on 7 December; Anne, Bruno, Chloé enrolled."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        start_date=day(-6),
        end_date=day(12),
    )
    for name in ("Anne", "Bruno", "Chloé"):
        factories.EnrolmentFactory(session=session, user__first_name=name)
    return session


@pytest.fixture
def held(session):
    return factories.MeetingFactory(session=session, date=day(-5))


@pytest.fixture
def to_come(session):
    return factories.MeetingFactory(session=session, date=day(1))


def people(session) -> dict:
    return {e.user.first_name: e for e in session.enrolments.select_related("user")}


def mark(meeting, by, **statuses) -> None:
    ids = people(meeting.session)
    services.record_attendance(
        meeting=meeting, by=by, statuses={ids[name].pk: status for name, status in statuses.items()}
    )


# Attendance from the meeting's day on --------------------------------------------------------


def test_attendance_at_a_meeting_still_to_come_is_refused_with_its_date(to_come, cast):
    with pytest.raises(ValidationError, match="lundi 7 décembre 2026 n’a pas encore eu lieu"):
        mark(to_come, cast["trainer"], Anne=PRESENT)

    assert not Attendance.objects.exists()


def test_all_present_at_a_meeting_still_to_come_is_refused(to_come, cast):
    with pytest.raises(ValidationError, match="n’a pas encore eu lieu"):
        services.mark_all_present(meeting=to_come, by=cast["trainer"])

    assert not Attendance.objects.exists()


def test_attendance_is_noted_on_the_meeting_day_itself_and_after(held, to_come, cast, clock):
    mark(held, cast["trainer"], Anne=PRESENT)
    clock.move_to(datetime.datetime(2026, 12, 7, 8, 30, tzinfo=PARIS))  # before it starts

    mark(to_come, cast["trainer"], Anne=PRESENT)

    assert Attendance.objects.count() == 2


def test_the_meeting_day_is_the_day_in_paris_not_in_utc(to_come, cast, clock):
    # 23:30 UTC on the 6th is already 00:30 on the 7th in Paris: the meeting's day has come.
    clock.move_to(datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC))
    mark(to_come, cast["trainer"], Anne=PRESENT)
    assert Attendance.objects.count() == 1


def test_at_22_utc_the_day_before_in_paris_is_still_the_day_before(to_come, cast, clock):
    clock.move_to(datetime.datetime(2026, 12, 6, 22, 30, tzinfo=datetime.UTC))  # 23:30 in Paris
    with pytest.raises(ValidationError):
        mark(to_come, cast["trainer"], Anne=PRESENT)


def test_roll_call_page_of_a_meeting_to_come_offers_no_choice_and_says_when(client, cast, to_come):
    client.force_login(cast["trainer"])

    page = client.get(reverse("training:attendance", args=[to_come.pk])).content.decode()

    assert "Cette réunion n’a pas encore eu lieu" in page
    assert "à partir du lundi 7 décembre 2026" in page
    assert "Tous présents" not in page
    assert "Enregistrer les présences" not in page
    assert page.count("disabled") == 3 * 3  # three choices for each of the three participants


def test_posting_attendance_to_a_meeting_to_come_through_the_page_saves_nothing(
    client, cast, session, to_come
):
    client.force_login(cast["trainer"])
    anne = people(session)["Anne"]
    url = reverse("training:attendance", args=[to_come.pk])

    response = client.post(url, {f"status-{anne.pk}": PRESENT}, follow=True)
    client.post(reverse("training:attendance_all_present", args=[to_come.pk]))

    assert "n’a pas encore eu lieu" in response.content.decode()
    assert not Attendance.objects.exists()


def test_session_page_offers_the_roll_call_of_meetings_held_only(client, cast, held, to_come):
    client.force_login(cast["trainer"])

    page = client.get(reverse("training:manage", args=[held.session_id])).content.decode()

    assert reverse("training:attendance", args=[held.pk]) in page
    assert reverse("training:attendance", args=[to_come.pk]) not in page
    # The signing sheet is printed before the meeting.
    assert reverse("training:signing_sheet", args=[to_come.pk]) in page


def test_a_meeting_with_attendance_cannot_move_to_a_day_to_come(held, cast):
    mark(held, cast["trainer"], Anne=PRESENT)

    with pytest.raises(ValidationError, match="ne peut pas être déplacée à une date à venir"):
        services.update_meeting(meeting=held, date=day(3))

    held.refresh_from_db()
    assert held.date == day(-5)
    services.update_meeting(meeting=held, date=day(-4))  # another day held: allowed


def test_a_meeting_without_attendance_moves_freely(to_come):
    services.update_meeting(meeting=to_come, date=day(5))

    to_come.refresh_from_db()
    assert to_come.date == day(5)


# The session's rule ------------------------------------------------------------------------


def standing(session) -> dict:
    return {
        e.user.first_name: (e.meetings_total, e.meetings_held, e.meetings_ok, e.satisfies_rule)
        for e in selectors.enrolments_for_attestation(session)
    }


def test_nobody_meets_the_rule_while_a_meeting_is_to_come(session, held, to_come, cast):
    mark(held, cast["trainer"], Anne=PRESENT, Bruno=EXCUSED, Chloé=PRESENT)

    assert standing(session) == {
        "Anne": (2, 1, 1, False),
        "Bruno": (2, 1, 1, False),
        "Chloé": (2, 1, 1, False),
    }
    assert list(selectors.unattested_satisfying_rule(session)) == []


def test_once_every_meeting_took_place_present_or_excused_meets_the_rule(
    session, held, to_come, cast, clock
):
    mark(held, cast["trainer"], Anne=PRESENT, Bruno=EXCUSED, Chloé=PRESENT)
    clock.move_to(datetime.datetime(2026, 12, 7, 17, 0, tzinfo=PARIS))
    mark(to_come, cast["trainer"], Anne=EXCUSED, Bruno=PRESENT, Chloé=ABSENT)

    assert standing(session) == {
        "Anne": (2, 2, 2, True),
        "Bruno": (2, 2, 2, True),
        "Chloé": (2, 2, 1, False),
    }


def test_a_meeting_with_no_mark_is_not_excused(session, held, to_come, cast, clock):
    mark(held, cast["trainer"], Anne=PRESENT, Bruno=PRESENT)  # Chloé: no mark
    clock.move_to(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=PARIS))
    mark(to_come, cast["trainer"], Anne=PRESENT, Bruno=PRESENT, Chloé=PRESENT)

    assert standing(session)["Chloé"] == (2, 2, 1, False)
    assert standing(session)["Anne"] == (2, 2, 2, True)


def test_a_mark_saved_before_the_rule_existed_at_a_meeting_to_come_does_not_count(
    session, held, to_come, cast
):
    """Attendance written at a future meeting before this rule (the issue's data) is ignored
    until the meeting's day."""
    mark(held, cast["trainer"], Anne=PRESENT)
    Attendance.objects.create(meeting=to_come, enrolment=people(session)["Anne"], status=PRESENT)

    assert standing(session)["Anne"] == (2, 1, 1, False)


def test_rule_button_attests_nobody_before_the_last_meeting(client, cast, session, held, to_come):
    mark(held, cast["trainer"], Anne=PRESENT, Bruno=PRESENT, Chloé=PRESENT)
    client.force_login(cast["trainer"])
    url = reverse("training:attestation", args=[session.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"rule": "1", "reason": "Fin anticipée"}, follow=True)

    assert "1 réunion n’a pas encore eu lieu : personne ne remplit encore la règle." in page
    assert "0 participant remplit la règle" in page  # French: singular for 0
    assert "Aucun participant à attester" in response.content.decode()
    assert not session.enrolments.filter(completed_at__isnull=False).exists()


def test_the_trainer_decision_rule_is_left_to_the_trainer(session, held, to_come):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.save(update_fields=["attestation_rule"])

    assert {row[3] for row in standing(session).values()} == {None}
