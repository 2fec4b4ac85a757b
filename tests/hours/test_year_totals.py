"""The yearly totals per teacher (TeacherYearTotals), which the IEN's follow-up and the
aggregates read instead of the ledger: every kind of write keeps them equal to the ledger, in
the writer's transaction; `manage.py hours_totals` finds and repairs a row that is not."""

import datetime
import threading
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from preau.accounts.models import User
from preau.hours import services
from preau.hours.models import Entry, Kind, Source, TeacherYearTotals
from preau.hours.rules import Totals, school_year_of
from preau.hours.selectors import (
    TOTALS,
    ledger,
    totals_of,
    with_hours_status,
    year_totals_disagreements,
)
from preau.hr.people import merge_into
from preau.training import services as training_services
from tests import factories

YEAR = 2025
DAY = datetime.date(2025, 11, 5)
# The sessions here are open and run on: attesting them now is early (training.services.attest).
EARLY = "Le groupe a terminé avant la date de fin."


def stored(teacher: User, year: int) -> Totals:
    """The teacher's row of the year as the pages read it (no row: zeros)."""
    row = TeacherYearTotals.objects.filter(teacher=teacher, school_year=year).first()
    return Totals(*(getattr(row, c) for c in TOTALS)) if row else Totals()


def assert_exact(teacher: User, year: int) -> Totals:
    """The row equals the ledger summed by the Python rules, with_hours_status reads it, and
    no row anywhere disagrees with the ledger."""
    expected = totals_of(ledger(teacher, year))
    assert stored(teacher, year) == expected
    row = with_hours_status(User.objects.filter(pk=teacher.pk), year).get()
    assert Totals(*(getattr(row, c) for c in TOTALS)) == expected
    assert year_totals_disagreements() == []
    return expected


def correct(teacher, hours, *, kind=Kind.TRAINING, distance=0, year=YEAR, by=None):
    return services.correct(
        by=by or factories.UserFactory(),
        teacher=teacher,
        school_year=year,
        date=datetime.date(year, 11, 5),
        kind=kind,
        presence_hours=D(hours),
        distance_hours=D(distance),
        reason="Stage suivi hors de Préau",
    )


# Each kind of write ---------------------------------------------------------------------------


def test_attesting_a_session_credits_the_totals_once_even_if_attested_again(db):
    session = factories.TrainingSessionFactory(open=True)
    enrolments = [factories.EnrolmentFactory(session=session) for _n in range(3)]
    year = school_year_of(session.end_date)

    training_services.attest(
        session=session,
        by=factories.trainer_of(session),
        enrolment_ids=[e.pk for e in enrolments],
        reason=EARLY,
    )
    # The same session credited again (credit_attested ignores the conflict).
    services.credit_attested(enrolments)

    for enrolment in enrolments:
        totals = assert_exact(enrolment.user, year)
        assert totals.training == session.presence_hours + session.distance_hours
        assert totals.training_distance == session.distance_hours


def test_withdrawing_an_attestation_takes_its_hours_off_the_totals(db):
    session = factories.TrainingSessionFactory(open=True)
    enrolment = factories.EnrolmentFactory(session=session)
    teacher, year = enrolment.user, school_year_of(session.end_date)
    correct(teacher, 2, year=year)
    training_services.attest(
        session=session,
        by=factories.trainer_of(session),
        enrolment_ids=[enrolment.pk],
        reason=EARLY,
    )
    assert stored(teacher, year).training == 2 + session.presence_hours + session.distance_hours

    enrolment.refresh_from_db()
    training_services.withdraw_attestation(enrolment=enrolment)

    assert assert_exact(teacher, year).training == 2


def test_corrections_add_and_remove_hours_in_the_totals_of_their_year(db):
    teacher = factories.teacher()
    correct(teacher, 6, distance=3)
    correct(teacher, -2, distance=-1)
    correct(teacher, 4, kind=Kind.ANIMATION)
    correct(teacher, 5, year=YEAR + 1)

    assert assert_exact(teacher, YEAR) == Totals(D(6), D(2), D(4), D(0))
    assert assert_exact(teacher, YEAR + 1) == Totals(training=D(5))


def test_a_union_meeting_counts_in_the_totals_once_validated_and_a_refusal_changes_nothing(db):
    teacher, ien = factories.teacher(), factories.UserFactory()
    validated = services.declare_union_meeting(teacher=teacher, date=DAY, hours=D(3))
    refused = services.declare_union_meeting(teacher=teacher, date=DAY, hours=D(6))

    assert assert_exact(teacher, YEAR).union_meetings == 0  # both pending

    services.validate_declaration(entry=validated, by=ien)
    services.refuse_declaration(entry=refused, by=ien, reason="Hors temps de service")

    assert assert_exact(teacher, YEAR).union_meetings == 3
    assert Entry.objects.filter(teacher=teacher).counted().count() == 1


def test_an_animation_credits_the_totals_of_each_attendee_and_no_one_else(db, territory):
    attendees = factories.teachers_at(territory["caen_school"], 4)
    absent = factories.teacher(school=territory["caen_school"])
    correct(attendees[0], 1, kind=Kind.ANIMATION)

    services.record_animation(
        by=factories.UserFactory(),
        circonscription=territory["caen"],
        title="Conférence",
        date=DAY,
        presence_hours=D(2),
        distance_hours=D("0.5"),
        attendees=attendees,
    )

    assert [assert_exact(t, YEAR).animations for t in attendees] == [D("3.5"), *[D("2.5")] * 3]
    assert assert_exact(absent, YEAR) == Totals()
    assert not TeacherYearTotals.objects.filter(teacher=absent).exists()


def test_recording_an_animation_refreshes_the_totals_in_the_same_queries_for_3_or_60(
    db, territory, count_queries
):
    ien = factories.UserFactory()
    for count in (3, 60):
        attendees = factories.teachers_at(territory["caen_school"], count)
        with count_queries() as ran:
            services.record_animation(
                by=ien,
                circonscription=territory["caen"],
                title=f"Conférence pour {count}",
                date=DAY,
                presence_hours=D(3),
                attendees=attendees,
            )
        # Savepoint, the animation, its entries; the totals: a row to lock for each teacher
        # (inserted if missing), the locks, one UPDATE from the ledger; release.
        assert len(ran) == 7, ran.sql()


def test_merging_a_placeholder_moves_its_hours_into_the_totals_of_the_account(db, territory):
    placeholder = factories.teacher(
        school=territory["caen_school"], email="jerome.garcon@ac-normandie.fr", is_placeholder=True
    )
    real = factories.teacher(school=territory["caen_school"], email="jerome.garcon@ac-rouen.fr")
    session = factories.TrainingSessionFactory(open=True)
    enrolment = factories.EnrolmentFactory(session=session, user=placeholder)
    year = school_year_of(session.end_date)
    training_services.attest(
        session=session,
        by=factories.trainer_of(session),
        enrolment_ids=[enrolment.pk],
        reason=EARLY,
    )
    # Both accounts attended the same animation: the merged account counts it once.
    services.record_animation(
        by=factories.UserFactory(),
        circonscription=territory["caen"],
        title="Conférence",
        date=DAY,
        presence_hours=D(3),
        attendees=[placeholder, real],
    )
    correct(real, 1, year=year)
    correct(placeholder, 2, kind=Kind.ANIMATION)

    merge_into(source=placeholder, target=real)

    assert not TeacherYearTotals.objects.filter(teacher_id=placeholder.pk).exists()
    session_hours = session.presence_hours + session.distance_hours
    assert assert_exact(real, year).training == 1 + session_hours
    assert assert_exact(real, YEAR).animations == 3 + 2


def test_deleting_a_teacher_deletes_their_totals(db):
    teacher = factories.teacher()
    correct(teacher, 3)

    teacher.delete()

    assert not TeacherYearTotals.objects.exists()
    assert year_totals_disagreements() == []


# Bulk loads, checks and repairs -----------------------------------------------------------------


def _written_around_the_services(teacher, hours, *, source=Source.CORRECTION, validated=True):
    return Entry.objects.create(
        teacher=teacher,
        school_year=YEAR,
        date=DAY,
        kind=Kind.UNION_MEETING if source == Source.DECLARATION else Kind.TRAINING,
        source=source,
        title="Ligne chargée en masse",
        reason="Chargement",
        presence_hours=D(hours),
        validated_at=timezone.now() if validated else None,
    )


def test_rebuilding_rewrites_every_row_from_the_ledger(db):
    loaded, pending, gone = factories.teacher(), factories.teacher(), factories.teacher()
    _written_around_the_services(loaded, 4)
    _written_around_the_services(loaded, 3, source=Source.DECLARATION)
    _written_around_the_services(pending, 6, source=Source.DECLARATION, validated=False)
    correct(gone, 5)
    Entry.objects.filter(teacher=gone).delete()  # around the services too
    assert len(year_totals_disagreements()) == 2  # loaded has no row, gone still counts 5

    written = services.rebuild_year_totals()

    assert written == 1  # only `loaded` has counted entries
    assert assert_exact(loaded, YEAR) == Totals(training=D(4), union_meetings=D(3))
    assert assert_exact(pending, YEAR) == Totals()
    assert assert_exact(gone, YEAR) == Totals()


def test_the_check_finds_a_row_that_was_tampered_with_and_the_rebuild_repairs_it(db, capsys):
    teacher, other = factories.teacher(), factories.teacher()
    correct(teacher, 6, distance=3)
    correct(other, 9)
    call_command("hours_totals", "--check")
    assert "conformes" in capsys.readouterr().out

    TeacherYearTotals.objects.filter(teacher=teacher).update(training_distance=D(0))
    # The pages read the row, not the ledger: the teacher now seems to miss distance hours.
    assert not with_hours_status(User.objects.filter(pk=teacher.pk), YEAR).get().distance_ok

    with pytest.raises(CommandError, match="1 total"):
        call_command("hours_totals", "--check")
    out = capsys.readouterr().out
    assert f"enseignant {teacher.pk}, année {YEAR}" in out
    assert "= 9 / 0 / 0 / 0, registre = 9 / 3 / 0 / 0" in out
    assert f"enseignant {other.pk}" not in out

    call_command("hours_totals", "--rebuild")

    assert with_hours_status(User.objects.filter(pk=teacher.pk), YEAR).get().distance_ok
    assert_exact(teacher, YEAR)
    call_command("hours_totals", "--check")


def test_the_check_finds_a_missing_row_and_a_row_without_entries(db, capsys):
    missing, stray = factories.teacher(), factories.teacher()
    correct(missing, 3)
    TeacherYearTotals.objects.filter(teacher=missing).delete()
    TeacherYearTotals.objects.create(teacher=stray, school_year=YEAR, animations=D(2))

    with pytest.raises(CommandError, match="2 total"):
        call_command("hours_totals", "--check")

    out = capsys.readouterr().out
    assert f"enseignant {missing.pk}, année {YEAR} : totaux" in out
    assert "= — / — / — / —, registre = 3 / 0 / 0 / 0" in out
    assert "= 0 / 0 / 2 / 0, registre = — / — / — / —" in out


def test_the_command_asks_what_to_do(db):
    with pytest.raises(CommandError):
        call_command("hours_totals")


# Two writers at once ----------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_another_writers_refresh_of_the_same_teacher_year():
    """The first writer has added its entry and locked the teacher-year's row, as
    refresh_year_totals does before reading the ledger. The second writer (a correction)
    must wait for that lock, then read the ledger again: its update includes the hours the
    first one committed meanwhile. Without the lock, its UPDATE would wait on the row all
    the same, but then sum the ledger as it was before the first writer committed."""
    teacher, ien = factories.teacher(), factories.UserFactory()
    correct(teacher, 1, by=ien)  # the row exists and is committed
    first_holds_the_lock, second_started = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                _written_around_the_services(teacher, 3)
                TeacherYearTotals.objects.select_for_update().get(teacher=teacher, school_year=YEAR)
                first_holds_the_lock.set()
                second_started.wait(5)
                threading.Event().wait(0.5)  # the second writer reaches the lock meanwhile
                services.refresh_year_totals([(teacher.pk, YEAR)])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            first_holds_the_lock.wait(5)
            second_started.set()
            correct(teacher, 2, by=ien)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert errors == []
    assert Entry.objects.filter(teacher=teacher).count() == 3
    assert assert_exact(teacher, YEAR).training == 1 + 3 + 2


# The data migration -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_totals_of_the_entries_already_in_the_ledger():
    from django.db.migrations.executor import MigrationExecutor

    teacher, other = factories.teacher(), factories.teacher()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("hours", "0002_hours_reminder_sent")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("hours", "Entry")
        for who, kind, presence, distance, source, validated in [
            (teacher, Kind.TRAINING, 6, 3, Source.SESSION, None),
            (teacher, Kind.ANIMATION, 2, 1, Source.ANIMATION, None),
            (teacher, Kind.UNION_MEETING, 3, 0, Source.DECLARATION, timezone.now()),
            (teacher, Kind.UNION_MEETING, 6, 0, Source.DECLARATION, None),  # pending
            (other, Kind.TRAINING, -2, 0, Source.CORRECTION, None),
        ]:
            old.objects.create(
                teacher_id=who.pk,
                school_year=YEAR,
                date=DAY,
                kind=kind,
                source=source,
                title="Ligne d’avant les totaux",
                reason="Reprise",
                presence_hours=D(presence),
                distance_hours=D(distance),
                validated_at=validated,
            )

        executor = MigrationExecutor(connection)
        executor.migrate([("hours", "0003_teacher_year_totals")])

        assert stored(teacher, YEAR) == Totals(D(9), D(3), D(3), D(3))
        assert stored(other, YEAR) == Totals(training=D(-2))
        assert year_totals_disagreements() == []
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
