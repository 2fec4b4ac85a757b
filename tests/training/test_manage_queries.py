"""The organisers' pages cost a fixed number of queries, whatever the number of participants
or sessions; the trainers' dashboard is one query, with its facts computed by the database."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.accounts.selectors import roles_of
from preau.training import selectors
from preau.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tests import factories

pytestmark = pytest.mark.django_db

# Every signed-in page starts with these.
SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def assert_queries(ran, queries: list[str], what: str) -> None:
    expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
    assert len(ran) == len(queries), (
        f"{what}: {len(ran)} queries instead of {len(queries)}.\n"
        f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
    )


def add_participants(session, school, count: int, *, waiting: int = 0) -> None:
    users = factories.teachers_at(school, count + waiting)
    Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            user=user,
            status=EnrolmentStatus.WAITING if i >= count else EnrolmentStatus.ENROLLED,
            group=f"Groupe {i % 3}",
        )
        for i, user in enumerate(users)
    )


SESSION_PAGE_QUERIES = [
    SESSION,
    USER,
    ROLES,
    BELL,
    "the session with its parcours, copy and territory, if the user manages it",
    "its team, with the people",
    "its meetings, with how many enrolled participants are marked at each",
    "its distance windows",
    "its enrolments, with the people and their schools",
    "its history, with who did each thing",
]


@pytest.mark.parametrize(
    ("status", "extra"),
    [
        ("preparation", ["whether the copy of the content holds an activity (opening check)"]),
        ("open", []),
    ],
)
def test_session_page_costs_the_same_with_10_or_300_participants(
    client, cast, territory, count_queries, status, extra
):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        status=status,
        start_date=days(-3),
    )
    for meeting in factories.MeetingFactory.create_batch(3, session=session):
        meeting.date = days(-1)
        meeting.save()
    factories.DistanceWindowFactory(session=session)
    client.force_login(cast["trainer"])
    url = reverse("training:manage", args=[session.pk])

    for total in (10, 300):
        add_participants(
            session,
            territory["caen_school"],
            total - session.enrolments.count() - 2,
            waiting=2,
        )
        first = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).first()
        Attendance.objects.get_or_create(
            meeting=session.meetings.first(), enrolment=first, status=AttendanceStatus.PRESENT
        )
        with count_queries() as ran:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["enrolled"]) + len(response.context["waiting"]) == total
        assert_queries(ran, SESSION_PAGE_QUERIES + extra, f"session page, {total} participants")


def add_sessions(territory, trainer, count: int) -> None:
    for i in range(count):
        session = factories.TrainingSessionFactory(
            circonscription=territory["caen"], open=bool(i % 2), trainers=[trainer]
        )
        add_participants(session, territory["caen_school"], 3, waiting=1)
        factories.MeetingFactory(session=session, date=days(-1))


@pytest.mark.parametrize("who", ["trainer", "ien"])
def test_my_sessions_costs_the_same_with_10x_more_sessions(
    client, cast, territory, count_queries, who
):
    client.force_login(cast[who])
    url = reverse("training:manage_list")
    for more in (2, 18):  # 2, then 20 sessions: all on one page
        add_sessions(territory, cast["trainer"], more)
        with count_queries() as ran:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == {2: 2, 18: 20}[more]
        assert_queries(
            ran,
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                "count of the sessions the user manages (paginator)",
                "page of sessions, with territory, and the counts and facts of their next action "
                "as subqueries",
            ],
            f"Mes sessions with {more} more sessions",
        )


# The trainers' dashboard ----------------------------------------------------------------------


@pytest.fixture
def trainer_sessions(territory, cast):
    """One session of the cast's trainer per case of the next action."""
    trainer, caen = cast["trainer"], territory["caen"]

    def make(title, **kwargs):
        return factories.TrainingSessionFactory(
            title=title, circonscription=caen, trainers=[trainer], **kwargs
        )

    sessions = {
        "to_open": make("À ouvrir"),
        "to_call": make("Appel", open=True),
        "called": make("Appel fait", open=True),
        "running": make("En cours", open=True),
        "to_attest": make("À attester", open=True, end_date=days(-1)),
        "to_close": make("À clore", open=True, end_date=days(-1)),
        "closed": make("Close", closed=True),
        "archived": make("Archivée", archived=True),
    }
    for key in ("to_call", "called", "to_attest", "to_close"):
        factories.EnrolmentFactory.create_batch(2, session=sessions[key])
    factories.EnrolmentFactory(session=sessions["to_call"], waiting=True)
    factories.MeetingFactory(session=sessions["to_call"], date=days(-1))
    held = factories.MeetingFactory(session=sessions["called"], date=days(-1))
    for enrolment in sessions["called"].enrolments.all():
        Attendance.objects.create(meeting=held, enrolment=enrolment, status="present")
    factories.MeetingFactory(session=sessions["running"], date=days(3))  # not held yet
    for enrolment in sessions["to_close"].enrolments.all():
        enrolment.completed_at = timezone.now()
        enrolment.save()
    factories.EnrolmentFactory(session=sessions["to_attest"], attested=True)
    factories.TrainingSessionFactory(circonscription=caen)  # not the trainer's
    return sessions


def test_trainer_dashboard_gives_counts_and_next_action_in_one_query(
    cast, trainer_sessions, django_assert_num_queries
):
    # The person's roles (whether they run or only follow each session) are read once per
    # request for the menu, and cached on the user: loaded here as a page has them.
    roles_of(cast["trainer"])
    with django_assert_num_queries(1):
        rows = {
            s.title: (s.next_action, s.next_action_label, s.enrolled_count, s.waiting_count)
            + (s.attested_count,)
            for s in selectors.trainer_dashboard(cast["trainer"])
        }

    assert rows == {
        "À ouvrir": ("open", "Ouvrir", 0, 0, 0),
        "Appel": ("call", "Faire l’appel", 2, 1, 0),
        "Appel fait": ("", "", 2, 0, 0),
        "En cours": ("", "", 0, 0, 0),
        "À attester": ("attest", "Attester", 3, 0, 1),
        "À clore": ("close", "Clore", 2, 0, 2),
        "Close": ("", "", 0, 0, 0),
    }


def test_trainer_dashboard_lists_sessions_waiting_for_an_action_first(cast, trainer_sessions):
    actions = [s.next_action for s in selectors.trainer_dashboard(cast["trainer"])]
    assert actions[:4] != ["", "", "", ""] and "" not in actions[:4]
    assert actions[4:] == ["", "", ""]


def test_trainer_dashboard_is_only_the_sessions_one_runs(cast, trainer_sessions):
    assert selectors.trainer_dashboard(cast["ien"]) == []
    assert selectors.trainer_dashboard(cast["teacher"]) == []
