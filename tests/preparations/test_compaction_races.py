"""Compactions of one document at the same time (cron overlapping itself, a command run by
hand): on PostgreSQL, in threads with their own connections. SQLite lets one writer at a time
and has no row locks: skipped there."""

import threading
import time

import pytest
from django.db import connection, connections

from preau.preparations import crdt, services
from preau.preparations.models import Document

from .conftest import typed

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


def _in_thread(name: str, work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def test_two_compactions_at_once_lose_no_update(prep, monkeypatch):
    """The first compaction has read the rows and merges; an update is stored; a second
    compaction starts. Without a lock, the second merged everything and wrote row one, then
    the first wrote its own merge over it, without the update."""
    document = prep["document"]
    for word in ["un ", "deux "]:
        services.record_update(document=document, update=typed(document, word), by=prep["teacher"])
    merging, go_on = threading.Event(), threading.Event()
    real_merge = crdt.merge

    def merge(updates):
        if threading.current_thread().name == "first":
            merging.set()
            go_on.wait(20)
        return real_merge(updates)

    monkeypatch.setattr(crdt, "merge", merge)

    first = _in_thread("first", lambda: services.compact(document=document))
    assert merging.wait(20)
    services.record_update(document=document, update=typed(document, "tardif "), by=prep["teacher"])
    second = _in_thread("second", lambda: services.compact(document=document))
    deadline = time.monotonic() + 20
    while second.is_alive() and not _waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    go_on.set()
    first.join(20)
    second.join(20)

    assert "tardif" in crdt.to_text(services.load(document))
    assert "un" in crdt.to_text(services.load(document))


def test_the_command_skips_a_document_another_compaction_holds(prep):
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    document = prep["document"]
    for word in ["un", "deux", "trois"]:
        services.record_update(document=document, update=typed(document, word), by=prep["teacher"])
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            Document.objects.select_for_update(no_key=True).get(pk=document.pk)
            holding.set()
            release.wait(20)

    holder = _in_thread("holder", hold)
    assert holding.wait(20)
    out = StringIO()
    started = time.monotonic()
    try:
        call_command("compact_preparations", "--min-updates", "3", stdout=out)
    finally:
        release.set()
        holder.join(20)

    assert time.monotonic() - started < 10  # not waited for
    assert "0 document(s) compacté(s)" in out.getvalue()
    assert services.stored_updates(document).__len__() == 4
