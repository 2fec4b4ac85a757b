"""Two managers (or a double submit) making groups of one activity at once: on PostgreSQL, in
threads with their own connections; the activity's row is locked, so the second sees the
first's group and is told why. SQLite has no row locks: skipped there (the constraint's
refusal is tested in test_bad_input.py)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from preau.preparations import services
from preau.preparations.models import Group

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time and has no row locks to test",
    ),
]


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_the_same_group_submitted_twice_at_once_is_made_once(prep, monkeypatch):
    checked, go_on = threading.Event(), threading.Event()
    real_new_group = services._new_group
    outcomes = {}

    def new_group(**kwargs):
        if threading.current_thread().name == "first":
            checked.set()
            go_on.wait(20)
        return real_new_group(**kwargs)

    monkeypatch.setattr(services, "_new_group", new_group)

    def submit(name):
        def run():
            try:
                services.create_group(
                    activity=prep["activity"],
                    session=prep["session"],
                    name="Les retardataires",
                    members=[prep["lou"]],
                    by=prep["trainer"],
                )
                outcomes[name] = "made"
            except ValidationError as error:
                outcomes[name] = " ".join(error.messages)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread

    first = submit("first")
    assert checked.wait(20)
    second = submit("second")
    deadline = time.monotonic() + 20
    while second.is_alive() and not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    go_on.set()
    first.join(20)
    second.join(20)

    assert outcomes == {"first": "made", "second": "Un groupe porte déjà ce nom."}
    assert Group.objects.filter(name="Les retardataires").count() == 1
