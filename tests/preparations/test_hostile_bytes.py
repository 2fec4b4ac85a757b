"""Bytes from a client that would abort the server process if pycrdt read them: pycrdt 0.13.1
reserves memory for the counts it reads (five bytes claiming 4 billion entries: a 146 GB
allocation, then abort) and recurses into nested values (a segmentation fault). Such an abort
is not a Python exception: it would kill the ASGI or gunicorn process, every socket with it.

Every client state vector and update is read strictly (crdt.py) before pycrdt sees it. The
crdt-level checks run in a subprocess, so that a regression fails a test instead of killing
pytest; the consumer and view tests guard pycrdt so that hostile bytes reaching it fail the
test rather than the process."""

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from pycrdt import Doc

from preau.preparations import crdt
from preau.preparations.consumers import CLOSE_BAD_MESSAGE, SYNC_STEP1, SYNC_UPDATE, sync_message
from preau.preparations.models import DocumentUpdate

from .conftest import typed
from .yclient import YClient


def _vu(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _root_item(content_ref: int, content: bytes) -> bytes:
    """One update: client 5 writes one item, at clock 0, under the root `prosemirror`."""
    item = bytes([content_ref]) + _vu(1) + _vu(11) + b"prosemirror" + content
    return _vu(1) + _vu(1) + _vu(5) + _vu(0) + item + _vu(0)


HUGE = _vu(0xFFFFFFFF)

HOSTILE_STATE_VECTORS = {
    "4 billion entries": HUGE,
    "an entry cut short": b"\x01" + HUGE,
    "more entries than written": b"\x02\x01\x01",
    "trailing bytes": b"\x01\x01\x01\x00",
    "a clock out of range": b"\x01\x01" + _vu(2**40),
    "a number that never ends": b"\x01" + b"\xff" * 12,
}

HOSTILE_UPDATES = {
    "4 billion deletions": b"\x00\x01\x01" + HUGE,
    "4 billion clients": HUGE,
    "an array of 4 billion values": _root_item(8, b"\x01\x75" + HUGE),
    "an object of 4 billion keys": _root_item(8, b"\x01\x76" + HUGE),
    "100,000 nested arrays": _root_item(8, b"\x01" + b"\x75\x01" * 100_000 + b"\x7e"),
    "a string that is not UTF-8": _root_item(4, b"\x02\xc3\x28"),
    "an item after the end": _root_item(4, b"\x01a") + b"\x00",
    "an empty item": _root_item(1, b"\x00"),
}

SCRIPT = """
import sys
from preau.preparations import crdt

doc = crdt.rebuild([crdt.initial_update([(2, "Objectifs")])])
for line in sys.stdin.read().split():
    kind, data = line.split(":")
    data = bytes.fromhex(data)
    try:
        if kind == "sv":
            crdt.update_since(doc, data)
        else:
            crdt.check_update(data, crdt.rebuild([crdt.initial_update([(2, "Objectifs")])]))
    except crdt.InvalidUpdate:
        print("refused")
    else:
        print("accepted")
"""


def test_hostile_bytes_are_refused_without_aborting_the_process():
    lines = [f"sv:{data.hex()}" for data in HOSTILE_STATE_VECTORS.values()]
    lines += [f"up:{data.hex()}" for data in HOSTILE_UPDATES.values()]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input="\n".join(lines),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["refused"] * len(lines)


def test_real_state_vectors_and_updates_still_read():
    doc = crdt.rebuild([crdt.initial_update([(2, "Objectifs"), (0, "Écrire 😀")])])
    before = doc.get_state()
    text = crdt.fragment(doc).children[1].children[0]
    text.insert(0, "é😀", {"strong": {}})
    del text[0:2]
    update = doc.get_update(before)

    assert crdt.read_state_vector(doc.get_state()) == crdt.state_vector(doc)
    assert crdt.read_update(update) == {doc.client_id: crdt.state_vector(doc)[doc.client_id]}
    assert crdt.read_update(crdt.merge([doc.get_update(), update]))
    assert crdt.update_since(doc, before) == doc.get_update(before)


@pytest.fixture
def guarded_pycrdt(monkeypatch):
    """pycrdt's readers fail the test (pytest.fail is no Exception: no handler swallows it) if
    they are ever given one of the hostile byte strings."""
    hostile = {*HOSTILE_STATE_VECTORS.values(), *HOSTILE_UPDATES.values()}
    get_update, apply_update = Doc.get_update, Doc.apply_update

    def guarded_get_update(self, state=None):
        if state is not None and bytes(state) in hostile:
            pytest.fail("a hostile state vector reached pycrdt")
        return get_update(self, state) if state is not None else get_update(self)

    def guarded_apply_update(self, update, *args, **kwargs):
        if bytes(update) in hostile:
            pytest.fail("a hostile update reached pycrdt")
        return apply_update(self, update, *args, **kwargs)

    monkeypatch.setattr(Doc, "get_update", guarded_get_update)
    monkeypatch.setattr(Doc, "apply_update", guarded_apply_update)


def _count(document) -> int:
    return DocumentUpdate.objects.filter(document=document).count()


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_STATE_VECTORS)
def test_a_hostile_sync_request_closes_the_socket(prep, guarded_pycrdt, name):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        await camille.send(sync_message(SYNC_STEP1, HOSTILE_STATE_VECTORS[name]))
        await camille.pump(timeout=1)  # (a loaded machine)
        assert camille.closed_code == CLOSE_BAD_MESSAGE

    async_to_sync(scenario)()


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_UPDATES)
def test_a_hostile_update_closes_the_socket_and_nothing_is_stored(prep, guarded_pycrdt, name):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        await camille.send(sync_message(SYNC_UPDATE, HOSTILE_UPDATES[name]))
        await camille.pump(timeout=1)  # (a loaded machine)
        assert camille.closed_code == CLOSE_BAD_MESSAGE

    async_to_sync(scenario)()
    assert _count(prep["document"]) == 1


def _post(client, document, update: bytes, state: bytes):
    return client.post(
        reverse("preparations:update", args=[document.pk]),
        json.dumps(
            {"update": base64.b64encode(update).decode(), "state": base64.b64encode(state).decode()}
        ),
        content_type="application/json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_STATE_VECTORS)
def test_a_hostile_state_vector_over_http_is_refused_and_nothing_stored(
    client, prep, guarded_pycrdt, name
):
    """Even with a good update beside it: the state is read before anything is stored (a
    refusal that says nothing was saved must not have saved the update)."""
    client.force_login(prep["teacher"])

    response = _post(
        client, prep["document"], typed(prep["document"], "perdu"), HOSTILE_STATE_VECTORS[name]
    )

    assert response.status_code == 400
    assert "rien n’a été enregistré" in response.json()["error"]
    assert _count(prep["document"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_UPDATES)
def test_a_hostile_update_over_http_is_refused_and_nothing_stored(
    client, prep, guarded_pycrdt, name
):
    client.force_login(prep["teacher"])

    response = _post(client, prep["document"], HOSTILE_UPDATES[name], b"")

    assert response.status_code == 400
    assert _count(prep["document"]) == 1
