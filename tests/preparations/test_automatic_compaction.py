"""Documents are compacted without a cron: the live editing's process enqueues a compaction
(tasks.compact_document, run by a worker) when a document's last live editor leaves, and every
PREAU_PREP_COMPACT_CHECK_SECONDS while editors stay, once the document has
PREAU_PREP_COMPACT_AFTER stored updates. The tests' task backend runs a task as it is enqueued
(ImmediateBackend); `queued` swaps the task for one that only records it."""

import logging

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management import call_command

from preau.preparations import crdt, services, tasks
from preau.preparations.models import DocumentUpdate, Version

from .yclient import YClient, online

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.PREAU_PREP_COMPACT_AFTER = 4  # the template's row and three keystrokes


class Queue:
    """Stands for tasks.compact_document: records what is enqueued, runs nothing."""

    def __init__(self, fail: bool = False):
        self.enqueued: list[tuple] = []
        self.fail = fail

    def enqueue(self, *args):
        if self.fail:
            raise ConnectionError("the task queue is away")
        self.enqueued.append(args)


@pytest.fixture
def queued(monkeypatch):
    queue = Queue()
    monkeypatch.setattr(tasks, "compact_document", queue)
    return queue


def _rows(document) -> int:
    return DocumentUpdate.objects.filter(document=document).count()


rows = sync_to_async(_rows)
stored_html = sync_to_async(lambda document: crdt.to_html(services.load(document)))


async def _type_words(client: YClient, words) -> None:
    for word in words:
        client.type(word)
        await client.pump()


async def _two_typing(prep) -> tuple[YClient, YClient]:
    """Camille and Dominique online; Camille has typed three words (the document is due)."""
    camille = YClient(prep["teacher"], prep["document"])
    dominique = YClient(prep["classmate"], prep["document"])
    await online(camille, dominique)
    await _type_words(camille, ["un ", "deux ", "trois "])
    return camille, dominique


def test_the_last_editor_leaving_compacts_a_document_that_is_due(prep):
    document = prep["document"]

    async def scenario():
        camille = YClient(prep["teacher"], document)
        await online(camille)
        await _type_words(camille, ["un ", "deux ", "trois "])
        assert await rows(document) == 4
        html = camille.html
        await camille.disconnect()
        return html

    html = async_to_sync(scenario)()

    assert _rows(document) == 1
    assert crdt.to_html(services.load(document)) == html
    assert Version.objects.filter(document=document, automatic=True).count() == 1


def test_a_document_below_the_threshold_is_left_as_it_is(prep):
    document = prep["document"]

    async def scenario():
        camille = YClient(prep["teacher"], document)
        await online(camille)
        await _type_words(camille, ["un ", "deux "])
        await camille.disconnect()

    async_to_sync(scenario)()

    assert _rows(document) == 3
    assert not Version.objects.filter(document=document).exists()


def test_nothing_is_compacted_while_another_editor_stays_until_the_last_leaves(prep):
    document = prep["document"]

    async def scenario():
        camille, dominique = await _two_typing(prep)
        await camille.disconnect()
        assert await rows(document) == 4  # Dominique is still writing
        await dominique.pump()
        await dominique.disconnect()
        return dominique.html

    html = async_to_sync(scenario)()

    assert _rows(document) == 1
    assert crdt.to_html(services.load(document)) == html


def test_a_document_edited_for_long_is_compacted_while_its_editors_stay(prep, settings):
    settings.PREAU_LIVE_POLL_SECONDS = 0.05
    settings.PREAU_PREP_COMPACT_CHECK_SECONDS = 0.1
    document = prep["document"]

    async def scenario():
        camille, dominique = await _two_typing(prep)
        for _i in range(60):  # the room's timer checks every 0.1 s
            await camille.pump(timeout=0.05)
            if await rows(document) == 1:
                break
        assert await rows(document) == 1
        # Writing goes on in the compacted document, and nothing is lost.
        dominique.type("quatre ", block=3)
        await dominique.pump()
        await camille.pump()
        assert camille.html == dominique.html == await stored_html(document)
        assert "quatre" in camille.html and "trois" in dominique.html
        await camille.disconnect()
        await dominique.disconnect()

    async_to_sync(scenario)()


def test_the_compaction_is_enqueued_for_a_worker_not_run_by_the_sockets(prep, queued):
    document = prep["document"]

    async def scenario():
        camille = YClient(prep["teacher"], document)
        await online(camille)
        await _type_words(camille, ["un ", "deux ", "trois "])
        await camille.disconnect()

    async_to_sync(scenario)()

    assert _rows(document) == 4  # not merged by the live process
    assert queued.enqueued == [(document.pk,)]


def test_a_compaction_that_cannot_be_enqueued_does_not_trouble_the_editors(
    prep, monkeypatch, caplog
):
    monkeypatch.setattr(tasks, "compact_document", Queue(fail=True))
    document = prep["document"]

    async def scenario():
        camille = YClient(prep["teacher"], document)
        await online(camille)
        await _type_words(camille, ["un ", "deux ", "trois "])
        html = camille.html
        await camille.disconnect()
        return html

    with caplog.at_level(logging.WARNING, logger="preau.preparations.consumers"):
        html = async_to_sync(scenario)()

    assert f"compaction of document {document.pk} not enqueued" in caplog.text
    assert _rows(document) == 4
    assert crdt.to_html(services.load(document)) == html


def test_the_task_compacts_a_document_that_is_due_and_leaves_the_others(prep):
    from .conftest import typed

    assert tasks.compact_document.call(prep["document"].pk) == 0  # 1 row: not due
    assert tasks.compact_document.call(10**9) == 0  # gone
    for word in ["un", "deux", "trois"]:
        services.record_update(
            document=prep["document"], update=typed(prep["document"], word), by=prep["teacher"]
        )
    assert tasks.compact_document.call(prep["document"].pk) == 4
    assert _rows(prep["document"]) == 1


def test_the_command_takes_the_threshold_from_the_setting(prep, settings):
    from io import StringIO

    from .conftest import typed

    for word in ["un", "deux", "trois"]:
        services.record_update(
            document=prep["document"], update=typed(prep["document"], word), by=prep["teacher"]
        )
    out = StringIO()

    call_command("compact_preparations", stdout=out)

    assert "1 document(s) compacté(s), 4 modifications fusionnées." in out.getvalue()
