"""The demo's training sessions: `manage.py seed` plays seventeen sessions through the real
services, in every state, and a second run adds nothing."""

import datetime
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from preau.accounts.models import User
from preau.parcours.models import Parcours
from preau.training import seeding, services
from preau.training.access import sessions_in_offre_for
from preau.training.models import (
    Attendance,
    DistanceWindow,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Meeting,
    SessionEvent,
    SessionStaff,
    SessionStatus,
    StaffRole,
    StepDone,
    TrainingSession,
)
from preau.training.selectors import steps_progress
from preau.virtualclasses import seeding as virtual_class_seeding

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

MODELS = (TrainingSession, SessionStaff, Meeting, DistanceWindow, Enrolment, Attendance)


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0, i_know_this_is_production=True)


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS] + [Parcours.all_objects.count()]


def test_seeding_twice_duplicates_nothing(seeded, django_assert_num_queries):
    first = counts()

    call_command("seed", verbosity=0, i_know_this_is_production=True)

    assert counts() == first
    assert TrainingSession.objects.count() == len(seeding.SESSIONS) == 17
    # 1. savepoint (seed_demo is atomic)  2. the titles already there  3. release
    with django_assert_num_queries(3):
        seeding.seed_demo(random.Random(0), log=lambda message: None)


def test_every_state_of_a_session_is_there_across_the_demo_circonscriptions(seeded):
    today = timezone.localdate()
    statuses = Counter(TrainingSession.objects.values_list("status", flat=True))
    assert statuses == {
        SessionStatus.PREPARATION: 3,
        SessionStatus.OPEN: 9,
        SessionStatus.CLOSED: 3,
        SessionStatus.ARCHIVED: 2,
    }
    open_sessions = TrainingSession.objects.filter(status=SessionStatus.OPEN)
    assert open_sessions.in_offre_de_formation(today).count() == 2
    assert open_sessions.filter(start_date__gt=today, self_enrolment=False).exists()  # to come
    assert open_sessions.filter(start_date__lte=today, end_date__gte=today).count() == 3
    assert open_sessions.filter(end_date__lt=today).count() == 2  # to attest and close
    # A session whose start date has come but which is still in preparation: its trainers
    # get the reminder.
    assert TrainingSession.objects.filter(
        status=SessionStatus.PREPARATION, start_date__lte=today
    ).exists()
    names = set(
        TrainingSession.objects.exclude(circonscription=None).values_list(
            "circonscription__name", flat=True
        )
    )
    assert names == {
        "Caen Nord", "Caen Sud", "Bayeux", "Saint-Lô", "Cherbourg-en-Cotentin", "Avranches",
    }  # fmt: skip
    assert TrainingSession.objects.filter(circonscription=None, departement__code="050").exists()
    full = TrainingSession.objects.get(capacity=12)
    assert full.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 12
    assert full.enrolments.filter(status=EnrolmentStatus.WAITING).count() == 3


def test_caen_nord_sessions_are_run_by_the_demo_trainer(seeded):
    caen_nord = TrainingSession.objects.filter(circonscription__name="Caen Nord")

    assert caen_nord.count() == 6
    assert set(caen_nord.values_list("status", flat=True)) == set(SessionStatus.values)
    for session in caen_nord:
        staff = dict(session.staff.values_list("user__email", "role"))
        assert staff["formateur@demo.preau.fr"] == StaffRole.TRAINER
        assert staff["tuteur@demo.preau.fr"] == StaffRole.TUTOR


def test_demo_teacher_has_a_session_in_progress_one_to_come_and_one_completed(seeded):
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(user__email="enseignant@demo.preau.fr").select_related(
        "session"
    )

    assert len(enrolments) == 3
    in_progress = [e for e in enrolments if e.session.start_date <= today <= e.session.end_date]
    to_come = [e for e in enrolments if e.session.start_date > today]
    completed = [e for e in enrolments if e.is_attested]
    assert len(in_progress) == len(to_come) == len(completed) == 1
    assert in_progress[0].session.status == to_come[0].session.status == SessionStatus.OPEN
    assert completed[0].session.status == SessionStatus.CLOSED
    assert len(completed[0].certificate_code) == 16
    assert all(e.session.circonscription.name == "Caen Nord" for e in enrolments)


def test_meetings_are_on_school_days_in_schools_with_attendance_taken_when_held(seeded):
    today = timezone.localdate()
    # The virtual classes' seeder adds a class « à distance » today, whatever the day, so that
    # the demo shows one running (preau/virtualclasses/seeding.py): not the calendar's rules.
    meetings = list(
        Meeting.objects.select_related("session").exclude(title=virtual_class_seeding.TITLE)
    )

    assert not any(seeding.in_holidays(m.date) for m in meetings)
    assert all(m.date.weekday() in (2, 3) for m in meetings)
    assert all(m.session.start_date <= m.date <= m.session.end_date for m in meetings)
    in_schools = [m for m in meetings if not m.remote]
    assert all(m.place_name.startswith("École") and m.address for m in in_schools)
    assert any(m.remote for m in meetings)
    for meeting in meetings:
        marked = meeting.attendances.count()
        enrolled = meeting.session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        assert marked == (enrolled if meeting.date < today else 0), meeting
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses["present"] > statuses["excused"] > 0 and statuses["absent"] > 0


def test_attestations_and_closing_happened_when_they_would_have(seeded):
    now = timezone.now()
    closed = TrainingSession.objects.filter(status__in=[SessionStatus.CLOSED, "archived"])

    for session in closed:
        assert session.opened_at.date() < session.start_date
        assert session.end_date < timezone.localtime(session.closed_at).date()
        attested = session.enrolments.filter(completed_at__isnull=False)
        assert attested.count() >= session.enrolments.count() * 0.7
        assert all(e.certificate_code and e.attested_by_id for e in attested)
        assert all(e.completed_at <= session.closed_at <= now for e in attested)
    assert Enrolment.objects.filter(source=EnrolmentSource.SELF).count() == 9 + 15


@pytest.mark.parametrize("day", [datetime.date(2026, 12, 10), datetime.date(2027, 6, 30)])
def test_the_history_of_each_session_tells_the_story_when_it_happened(db, day):
    """The seed dates its sessions' openings, attestations and closings in the past: their
    history (SessionEvent) carries the same dates, and nothing was attested early."""
    paris = datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Europe/Paris"))
    with time_machine.travel(paris, tick=False):
        call_command("seed", verbosity=0, i_know_this_is_production=True)
    played = TrainingSession.objects.exclude(status=SessionStatus.PREPARATION)

    assert played.count() == 14
    for session in played:
        events = {e.action: e.created_at for e in session.events.all()}
        assert events[SessionEvent.Action.OPENED] == session.opened_at
        assert SessionEvent.Action.ATTESTED_EARLY not in events
        if session.closed_at:
            assert events[SessionEvent.Action.CLOSED] == session.closed_at
            attested = session.enrolments.filter(completed_at__isnull=False)
            assert events[SessionEvent.Action.ATTESTED] == max(
                attested.values_list("completed_at", flat=True)
            )


def test_the_demo_teacher_finds_a_session_opened_to_her_departement_and_is_warned(seeded):
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    [offered] = sessions_in_offre_for(teacher, timezone.localdate())

    assert offered.circonscription != teacher.school.circonscription
    assert offered.self_enrolment_scope == "departement"
    assert "est une école maternelle" in services.audience_warning(session=offered, user=teacher)


def test_the_demo_participants_have_ticked_steps_and_the_demo_teacher_half_of_a_running_one(
    seeded,
):
    assert StepDone.objects.count() > 50
    # Only sessions whose content was opened to the participants have ticks.
    statuses = set(StepDone.objects.values_list("enrolment__session__status", flat=True))
    assert statuses <= {SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.ARCHIVED}
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    running = [
        e
        for e in Enrolment.objects.filter(user=teacher, session__status=SessionStatus.OPEN)
        if e.ticked_steps.exists()
    ]
    # Her session in progress asks for every step ticked, and she ticked half of them.
    in_progress = [e for e in running if e.session.attestation_requires_steps]
    assert len(in_progress) == 1
    progress = steps_progress(in_progress[0])
    assert 0 < progress.done < progress.total
