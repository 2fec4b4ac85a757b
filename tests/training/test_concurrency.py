"""Two requests at the same moment, on two database connections: the database, not luck,
decides who gets the last place, and a person is never enrolled twice; two reminder runs never
send the same reminder twice.

Each test starts two threads (each has its own connection), holds them at a barrier until both
are ready, and lets them race. They run on PostgreSQL only: SQLite has no row locks
(select_for_update() does nothing there) and lets one writer at a time into the whole file, so
a race there tests SQLite's file lock, not Préau's code.
"""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections

from preau.accounts.models import Role
from preau.training import reminders, services
from preau.training.models import Enrolment, EnrolmentStatus, ReminderSent
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (run with DATABASE_URL)",
    ),
]

# Long enough for the other thread to reach the same point while this one is in the middle.
WINDOW = 0.3


def race(*calls):
    """Runs each call in its own thread with its own connection, all released at once by a
    barrier; returns their results in order, or raises the first error."""
    barrier = threading.Barrier(len(calls), timeout=10)
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # re-raised in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def slow_insert(monkeypatch):
    """Widens the gap between counting the places and inserting the enrolment, so that without
    a lock both racers would count the same free place."""
    create = Enrolment.objects.create

    def slow_create(**fields):
        time.sleep(WINDOW)
        return create(**fields)

    monkeypatch.setattr(Enrolment.objects, "create", slow_create)


@pytest.fixture
def last_place():
    """An open session of 3 places, 2 taken."""
    session = factories.TrainingSessionFactory(open=True, capacity=3)
    factories.EnrolmentFactory.create_batch(2, session=session)
    return session


def test_two_teachers_taking_the_last_place_at_once_one_gets_it_the_other_waits(
    last_place, slow_insert
):
    camille, malik = factories.teacher(), factories.teacher()

    results = race(
        lambda: services.enrol(session=last_place, user=camille).status,
        lambda: services.enrol(session=last_place, user=malik).status,
    )

    assert sorted(results) == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
    statuses = dict(last_place.enrolments.values_list("user", "status"))
    assert sorted([statuses[camille.pk], statuses[malik.pk]]) == sorted(results)
    assert last_place.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 3


def test_three_self_enrolments_racing_for_two_places_fill_them_exactly(slow_insert):
    session = factories.TrainingSessionFactory(open=True, capacity=2, self_enrolment=True)
    school = factories.SchoolFactory(circonscription=session.circonscription)  # whom it is for
    teachers = [factories.teacher(school=school) for _n in range(3)]

    results = race(
        *(lambda t=t: services.self_enrol(session=session, user=t).status for t in teachers)
    )

    assert sorted(results) == ["enrolled", "enrolled", "waiting"]
    assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 2


def test_the_same_person_enrolling_twice_at_once_is_enrolled_once(last_place, slow_insert):
    camille = factories.teacher()

    first, second = race(
        lambda: services.enrol(session=last_place, user=camille),
        lambda: services.enrol(session=last_place, user=camille),
    )

    assert first.pk == second.pk
    assert last_place.enrolments.filter(user=camille).count() == 1
    assert first.status == EnrolmentStatus.ENROLLED


def test_two_reminder_runs_at_once_send_each_reminder_once(monkeypatch):
    trainer = factories.with_role(Role.TRAINER, circonscription=factories.CirconscriptionFactory())
    today = datetime.date(2026, 11, 30)
    factories.TrainingSessionFactory(start_date=today, trainers=[trainer])
    factories.TrainingSessionFactory(
        open=True,
        start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=1),
        trainers=[trainer],
    )
    # Both runs list the same two reminders before either claims one.
    listed = reminders.due_reminders
    barrier = threading.Barrier(2, timeout=10)

    def listed_together(day):
        due = listed(day)
        barrier.wait()
        return due

    monkeypatch.setattr(reminders, "due_reminders", listed_together)

    first, second = race(
        lambda: reminders.send_due_reminders(today=today),
        lambda: reminders.send_due_reminders(today=today),
    )

    assert len(first.sent) + len(second.sent) == 2
    assert len(first.skipped) + len(second.skipped) == 2
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2
