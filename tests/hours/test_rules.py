"""The rules of the 18 hours, case by case, and the SQL version agreeing with them."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from preau.accounts.models import User
from preau.hours import services
from preau.hours.models import Entry, Kind
from preau.hours.rules import (
    Status,
    Totals,
    assess,
    school_year_of,
    target_hours,
)
from preau.hours.selectors import assessment_of_row, teacher_year, with_hours_status
from tests import factories

# The sessions here are open and run on: attesting them now is early (training.services.attest).
EARLY = "Le groupe a terminé avant la date de fin."


def test_the_school_year_runs_from_1_september_to_31_august():
    assert school_year_of(datetime.date(2026, 9, 1)) == 2026
    assert school_year_of(datetime.date(2027, 8, 31)) == 2026
    assert school_year_of(datetime.date(2026, 8, 31)) == 2025


@pytest.mark.parametrize(("quotite", "target"), [(100, D(18)), (75, D("13.5")), (50, D(9))])
def test_the_target_is_18_hours_prorated_by_the_working_share(quotite, target):
    assert target_hours(quotite) == target


def test_a_full_time_teacher_with_9_h_training_in_part_at_distance_and_9_h_animations_is_done():
    a = assess(Totals(training=D(9), training_distance=D(3), animations=D(9)), quotite=100)

    assert a.status == Status.COMPLETE
    assert a.explanation == "Vos 18 h sont faites : bravo."


def test_training_must_be_at_least_half_of_the_target():
    a = assess(Totals(training=D(6), training_distance=D(2), animations=D(12)), quotite=100)

    assert a.status == Status.MISSING_TRAINING
    assert a.missing_training == D(3)
    assert a.explanation == "Il vous manque 3 h de formation."


def test_the_missing_part_is_explained_as_the_issue_words_it():
    a = assess(Totals(training=D(6), animations=D(9)), quotite=100)

    assert a.explanation == "Il vous manque 3 h de formation dont au moins une partie à distance."


def test_missing_training_and_animations_are_both_named():
    a = assess(Totals(training=D(6), training_distance=D(1)), quotite=100)

    assert a.explanation == (
        "Il vous manque 3 h de formation et 9 h d’animations pédagogiques ou de formation."
    )


def test_hours_beyond_18_do_not_make_up_for_a_missing_distance_part():
    a = assess(Totals(training=D(15), training_distance=D(0), animations=D(9)), quotite=100)

    assert a.counted == D(24)
    assert a.beyond_target == D(6)
    assert a.status == Status.MISSING_DISTANCE
    assert a.explanation == "Il vous manque une partie de votre formation à distance."


def test_training_beyond_half_counts_towards_the_total():
    a = assess(Totals(training=D(18), training_distance=D(6)), quotite=100)

    assert a.status == Status.COMPLETE


def test_missing_animations_are_counted_in_hours():
    a = assess(Totals(training=D(9), training_distance=D(3), animations=D(6)), quotite=100)

    assert a.status == Status.MISSING_ANIMATIONS
    assert a.explanation == "Il vous manque 3 h d’animations pédagogiques ou de formation."


@pytest.mark.parametrize(
    ("quotite", "training", "animations", "status"),
    [
        (50, D("4.5"), D("4.5"), Status.COMPLETE),
        (50, D(4), D(5), Status.MISSING_TRAINING),
        (75, D("6.75"), D("6.75"), Status.COMPLETE),
        (75, D(6), D(9), Status.MISSING_TRAINING),
    ],
)
def test_part_time_teachers_owe_prorated_hours(quotite, training, animations, status):
    totals = Totals(training=training, training_distance=D(1), animations=animations)

    assert assess(totals, quotite=quotite).status == status


def test_union_meetings_replace_animations_up_to_9_hours():
    a = assess(Totals(training=D(9), training_distance=D(3), union_meetings=D(12)), quotite=100)

    assert a.union_counted == D(9)
    assert a.status == Status.COMPLETE


def test_a_part_time_teacher_swaps_prorated_union_hours():
    a = assess(Totals(training=D("4.5"), training_distance=D(1), union_meetings=D(9)), quotite=50)

    assert a.union_counted == D("4.5")
    assert a.counted == D(9)
    assert a.beyond_target == 0


def test_an_academie_may_ask_for_more_distance_than_any():
    totals = Totals(training=D(9), training_distance=D(2), animations=D(9))

    assert assess(totals, quotite=100, min_distance=D(3)).status == Status.MISSING_DISTANCE
    assert assess(totals, quotite=100, min_distance=D(1)).status == Status.COMPLETE


def test_a_teacher_enrolled_in_a_session_to_come_is_on_track():
    a = assess(Totals(training=D(3), training_distance=D(1)), quotite=100, upcoming_training=True)

    assert a.status == Status.ON_TRACK


# The ledger ------------------------------------------------------------------------------


def test_a_session_straddling_31_august_counts_in_the_year_it_ends(db):
    session = factories.TrainingSessionFactory(
        open=True,
        start_date=datetime.date(2026, 6, 20),
        end_date=datetime.date(2026, 9, 10),
    )
    enrolment = factories.EnrolmentFactory(session=session)
    from preau.training import services as training_services

    training_services.attest(
        session=session, by=factories.trainer_of(session), enrolment_ids=[enrolment.pk]
    )

    entry = Entry.objects.get(teacher=enrolment.user)
    assert entry.school_year == 2026
    assert entry.kind == Kind.TRAINING
    assert entry.total_hours == session.presence_hours + session.distance_hours


def test_withdrawing_an_attestation_removes_the_hours(db):
    session = factories.TrainingSessionFactory(open=True)
    enrolment = factories.EnrolmentFactory(session=session)
    from preau.training import services as training_services

    training_services.attest(
        session=session,
        by=factories.trainer_of(session),
        enrolment_ids=[enrolment.pk],
        reason=EARLY,
    )
    enrolment.refresh_from_db()
    training_services.withdraw_attestation(enrolment=enrolment)

    assert not Entry.objects.filter(teacher=enrolment.user).exists()


def test_a_correction_needs_a_reason_and_may_remove_hours(db):
    teacher, ien = factories.teacher(), factories.UserFactory()
    day = datetime.date(2026, 10, 1)
    with pytest.raises(ValidationError):
        services.correct(
            by=ien,
            teacher=teacher,
            school_year=2026,
            date=day,
            kind=Kind.ANIMATION,
            presence_hours=D(-3),
            distance_hours=D(0),
            reason="  ",
        )

    services.correct(
        by=ien,
        teacher=teacher,
        school_year=2026,
        date=day,
        kind=Kind.ANIMATION,
        presence_hours=D(-3),
        distance_hours=D(0),
        reason="Animation comptée deux fois",
    )

    assert Entry.objects.get(teacher=teacher).total_hours == D(-3)


@pytest.mark.parametrize(
    ("presence", "message"),
    [(D(-1), "négatif"), (D(31), "30 h au plus"), (D(0), "au moins une heure")],
)
def test_absurd_animation_hours_are_refused(db, presence, message):
    circonscription = factories.CirconscriptionFactory()
    with pytest.raises(ValidationError) as raised:
        services.record_animation(
            by=factories.UserFactory(),
            circonscription=circonscription,
            title="Conférence",
            date=datetime.date(2026, 10, 1),
            presence_hours=presence,
            attendees=[factories.teacher()],
        )
    assert message in " ".join(raised.value.messages)


def test_a_correction_dated_outside_its_school_year_is_refused(db):
    with pytest.raises(ValidationError) as raised:
        services.correct(
            by=factories.UserFactory(),
            teacher=factories.teacher(),
            school_year=2026,
            date=datetime.date(2026, 8, 31),
            kind=Kind.TRAINING,
            presence_hours=D(1),
            distance_hours=D(0),
            reason="Oubli",
        )
    assert "n’est pas dans l’année scolaire 2026-2027" in raised.value.messages[0]


def test_a_union_meeting_counts_once_the_ien_validates_it(db):
    teacher = factories.teacher()
    entry = services.declare_union_meeting(
        teacher=teacher, date=datetime.date(2026, 10, 5), hours=D(3)
    )
    assert teacher_year(teacher, 2026)["assessment"].totals.union_meetings == 0

    services.validate_declaration(entry=entry, by=factories.UserFactory())

    assert teacher_year(teacher, 2026)["assessment"].totals.union_meetings == D(3)


# SQL and Python agree ----------------------------------------------------------------------

CASES = [
    # quotite, [(kind, presence, distance)], upcoming
    (100, [(Kind.TRAINING, 6, 3), (Kind.ANIMATION, 9, 0)], False),
    (100, [(Kind.TRAINING, 9, 0), (Kind.ANIMATION, 9, 0)], False),
    (100, [(Kind.TRAINING, 9, 3)], False),
    (100, [(Kind.TRAINING, 9, 3), (Kind.ANIMATION, 6, 0), (Kind.UNION_MEETING, 12, 0)], False),
    (50, [(Kind.TRAINING, 3, "1.5"), (Kind.ANIMATION, "4.5", 0)], False),
    (50, [(Kind.TRAINING, 3, "1.5"), (Kind.UNION_MEETING, 9, 0)], False),
    (75, [(Kind.TRAINING, 5, 2)], True),
    (75, [(Kind.TRAINING, "6.5", 2), (Kind.ANIMATION, 7, 0)], False),
    (75, [(Kind.TRAINING, "6.8", 2), (Kind.ANIMATION, "6.7", 0)], False),
    (80, [(Kind.TRAINING, "7.2", 2), (Kind.ANIMATION, "7.2", 0)], False),
    (100, [], False),
]


@pytest.mark.parametrize(("quotite", "rows", "upcoming"), CASES)
def test_the_database_computes_the_same_status_as_the_rules(db, quotite, rows, upcoming):
    teacher = factories.teacher(quotite=quotite)
    for kind, presence, distance in rows:
        Entry.objects.create(
            teacher=teacher,
            school_year=2026,
            date=datetime.date(2026, 10, 1),
            kind=kind,
            source="correction",
            reason="test",
            title="x",
            presence_hours=D(str(presence)),
            distance_hours=D(str(distance)),
        )
    services.refresh_year_totals([(teacher.pk, 2026)])  # as the services do after a write
    if upcoming:
        session = factories.TrainingSessionFactory(
            open=True, start_date=datetime.date(2027, 1, 10), end_date=datetime.date(2027, 2, 10)
        )
        factories.EnrolmentFactory(session=session, user=teacher)

    row = with_hours_status(User.objects.filter(pk=teacher.pk), 2026).get()

    assert row.status == assessment_of_row(row).status
    assert row.status == teacher_year(teacher, 2026)["assessment"].status
    assert row.counted == teacher_year(teacher, 2026)["assessment"].counted
