"""« Qui a écrit quoi »: which member writes with which editor (Yjs client id), noted when an
editor's first update is stored (websocket, HTTP save, restore), read by the document's
writers only; the decoder of Yjs state vectors it rests on; and why a compaction keeps it
true (the merged update keeps every item's id)."""

import base64
import json
import logging

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.urls import reverse
from pycrdt import Doc, Encoder, get_state

from preau.preparations import crdt, selectors, services
from preau.preparations.models import Author, DocumentUpdate
from preau.training.models import SessionStatus

from .conftest import close
from .yclient import YClient

pytestmark = pytest.mark.django_db

CAMILLE, DOMINIQUE, TRAINER = 1_001, 2_002, 3_003  # the editors' client ids


def _encoded(pairs: list[tuple[int, int]]) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(pairs))
    for client, clock in pairs:
        encoder.write_var_uint(client)
        encoder.write_var_uint(clock)
    return encoder.to_bytes()


def editor(document, client_id: int) -> Doc:
    """A browser tab's Yjs document: the stored document, under its own client id."""
    doc = Doc(client_id=client_id)
    for update in services.stored_updates(document):
        doc.apply_update(update)
    return doc


def type_in(doc: Doc, text: str, block: int = 1, at: int = 0) -> bytes:
    before = doc.get_state()
    crdt.fragment(doc).children[block].children[0].insert(at, text)
    return doc.get_update(before)


def authors_of(document) -> dict[int, object]:
    return dict(Author.objects.filter(document=document).values_list("client_id", "user"))


# The decoder ----------------------------------------------------------------------------------


def test_a_state_vector_decodes_to_its_clients_and_clocks():
    # One-byte and multi-byte varuints (300 and 70,000 need two and three bytes).
    assert crdt.decode_state_vector(_encoded([(5, 3), (300, 70_000)])) == {5: 3, 300: 70_000}
    assert crdt.decode_state_vector(b"\x00") == {}
    doc = Doc(client_id=2**53 - 1)  # the largest id Yjs reads
    crdt.fragment(doc).children.append(crdt.XmlElement("paragraph", {}, [crdt.XmlText("abc")]))
    assert crdt.decode_state_vector(doc.get_state()) == {2**53 - 1: 5}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x01", b"\x01\x05", b"\x01\x80", b"\x02\x05\x03", b"\x01\x05\x03\x00", b"\xff" * 12],
    ids=["empty", "no pair", "half a pair", "cut number", "one pair of two", "trailing", "long"],
)
def test_a_truncated_or_padded_state_vector_is_refused(data):
    with pytest.raises(crdt.InvalidUpdate):
        crdt.decode_state_vector(data)


def test_an_update_names_the_editors_whose_first_items_it_carries():
    camille = Doc(client_id=CAMILLE)
    crdt.fragment(camille).children.append(crdt.XmlElement("paragraph", {}, [crdt.XmlText("")]))
    first = camille.get_update()
    second = type_in(camille, "Compter", block=0)
    dominique = Doc(client_id=DOMINIQUE)
    dominique.apply_update(camille.get_update())
    his = type_in(dominique, "loin ", block=0)
    before = dominique.get_state()
    del crdt.fragment(dominique).children[0].children[0][0:2]  # deletes Camille's « Co »

    assert crdt.update_clients(first) == {CAMILLE}
    # A later keystroke of a known editor names nobody: it costs no lookup.
    assert crdt.update_clients(second) == set()
    assert crdt.update_clients(his) == {DOMINIQUE}
    assert crdt.update_clients(dominique.get_update(before)) == set()  # deletions only
    assert crdt.update_clients(crdt.merge([first, second, his])) == {CAMILLE, DOMINIQUE}
    assert crdt.update_clients(crdt.EMPTY_UPDATE) == set()


def test_an_editor_id_yjs_could_not_read_is_refused(monkeypatch):
    monkeypatch.setattr(crdt, "get_state", lambda update: _encoded([(2**53, 1)]))

    with pytest.raises(crdt.InvalidUpdate, match="too large|out of range"):
        crdt.update_clients(b"\x00\x00")


# Noting who writes ----------------------------------------------------------------------------


def test_a_members_first_update_notes_who_writes_with_that_editor(prep):
    document = prep["document"]
    camille = editor(document, CAMILLE)

    services.record_update(
        document=document, update=type_in(camille, "Compter"), by=prep["teacher"]
    )
    services.record_update(document=document, update=type_in(camille, "loin"), by=prep["teacher"])

    assert authors_of(document) == {CAMILLE: prep["teacher"].pk}
    # Only this document: the other group's document has no author yet.
    assert authors_of(prep["other_document"]) == {}


def test_two_members_each_keep_their_own_editor(prep):
    document = prep["document"]
    camille, dominique = editor(document, CAMILLE), editor(document, DOMINIQUE)

    services.record_update(
        document=document, update=type_in(camille, "Compter"), by=prep["teacher"]
    )
    services.record_update(
        document=document, update=type_in(dominique, "Problèmes", block=3), by=prep["classmate"]
    )

    assert authors_of(document) == {CAMILLE: prep["teacher"].pk, DOMINIQUE: prep["classmate"].pk}


def test_an_update_carrying_another_members_editor_does_not_take_it_over(prep, caplog):
    """Dominique sends Camille's first update again (a forged update, or one that crossed
    the relay): the editor stays Camille's, and the log says so without naming anyone."""
    document = prep["document"]
    first = type_in(editor(document, CAMILLE), "Compter")
    services.record_update(document=document, update=first, by=prep["teacher"])

    with caplog.at_level(logging.WARNING, logger="preau.preparations.services"):
        services.record_update(document=document, update=first, by=prep["classmate"])

    assert authors_of(document) == {CAMILLE: prep["teacher"].pk}
    assert f"editor {CAMILLE}" in caplog.text and "not reassigned" in caplog.text
    # (Nobody named: the document and the editor only.)
    assert [record.args for record in caplog.records] == [(document.pk, CAMILLE)]


def test_an_editor_already_noted_costs_no_lookup(prep, django_assert_num_queries):
    document = prep["document"]
    camille = editor(document, CAMILLE)
    first = type_in(camille, "Compter")
    known: set[int] = set()

    # SELECT the stored updates (the update is checked against the stored document),
    # SAVEPOINT, UPDATE the document's size, INSERT the update, SELECT the editors already
    # noted, INSERT the author, RELEASE SAVEPOINT.
    with django_assert_num_queries(7):
        services.record_update(
            document=document, update=first, by=prep["teacher"], checked=True, known_clients=known
        )
    assert known == {CAMILLE}
    # The same first items again on this connection: SELECT, SAVEPOINT, UPDATE, INSERT,
    # RELEASE.
    with django_assert_num_queries(5):
        services.record_update(
            document=document, update=first, by=prep["teacher"], checked=True, known_clients=known
        )
    # Her next keystroke names no editor at all: SELECT, SAVEPOINT, UPDATE, INSERT, RELEASE.
    with django_assert_num_queries(5):
        services.record_update(
            document=document, update=type_in(camille, "!"), by=prep["teacher"], checked=True
        )


def test_a_refused_update_notes_nobody(prep):
    document = prep["document"]
    close(prep["session"])

    with pytest.raises(ValidationError):
        services.record_update(
            document=document, update=type_in(editor(document, CAMILLE), "x"), by=prep["teacher"]
        )

    assert authors_of(document) == {}


def test_restoring_a_version_is_a_change_written_by_the_restorer(prep):
    document = prep["document"]
    services.record_update(
        document=document, update=type_in(editor(document, CAMILLE), "Compter"), by=prep["teacher"]
    )
    version = services.name_version(document=document, name="Avant", by=prep["teacher"])
    services.record_update(
        document=document, update=type_in(editor(document, DOMINIQUE), "x"), by=prep["classmate"]
    )

    services.restore_version(version=version, by=prep["trainer"])

    restorers = [c for c, user in authors_of(document).items() if user == prep["trainer"].pk]
    assert len(restorers) == 1  # the server's copy that wrote the restore, under its own id
    assert restorers[0] in crdt.update_clients(bytes(DocumentUpdate.objects.last().data))


def test_the_http_save_notes_the_author(client, prep):
    document = prep["document"]
    client.force_login(prep["classmate"])

    response = client.post(
        reverse("preparations:update", args=[document.pk]),
        json.dumps(
            {
                "update": base64.b64encode(type_in(editor(document, DOMINIQUE), "x")).decode(),
                "state": "",
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert authors_of(document) == {DOMINIQUE: prep["classmate"].pk}


def test_the_websocket_notes_the_author(prep):
    document = prep["document"]

    async def scenario():
        camille = YClient(prep["teacher"], document, doc=Doc(client_id=CAMILLE))
        assert await camille.connect()
        # Until the stored document has come (a loaded machine answered after the first pump's
        # 0.2 s of quiet: the text was then typed into an empty document).
        for _attempt in range(50):
            await camille.pump()
            if len(crdt.fragment(camille.doc).children) > 1:
                break
        camille.type("Compter")
        await camille.pump()
        camille.type("loin", index=len("Compter"))
        await camille.pump()
        await camille.disconnect()

    async_to_sync(scenario)()

    assert authors_of(document) == {CAMILLE: prep["teacher"].pk}
    assert "Compter" in crdt.to_text(services.load(document))


# Compaction -----------------------------------------------------------------------------------


def test_authorship_survives_compaction(prep, client):
    """A compaction merges the rows without re-encoding the items: each keeps its id (client,
    clock), so the editors' client ids still name who wrote each character. Proof: the same
    state vector, and an edit made before the compaction against Camille's characters (it
    names them by id) lands between the same characters after it."""
    document = prep["document"]
    camille, dominique = editor(document, CAMILLE), editor(document, DOMINIQUE)
    services.record_update(
        document=document, update=type_in(camille, "Compter"), by=prep["teacher"]
    )
    services.record_update(
        document=document, update=type_in(dominique, "Trois étapes", block=3), by=prep["classmate"]
    )
    dominique.apply_update(services.load(document).get_update())
    late = type_in(dominique, "+", at=len("Comp"))  # between Camille's « p » and « t »
    clients_before = crdt.state_vector(services.load(document))
    client.force_login(prep["teacher"])
    answer_before = client.get(reverse("preparations:authors", args=[document.pk])).json()

    services.compact(document=document)

    (merged,) = DocumentUpdate.objects.filter(document=document).values_list("data", flat=True)
    assert crdt.decode_state_vector(get_state(bytes(merged))) == clients_before
    assert {CAMILLE, DOMINIQUE} <= set(clients_before)
    services.record_update(document=document, update=late, by=prep["classmate"])
    assert crdt.to_text(services.load(document)).startswith("Objectifs\nComp+ter\n")
    assert client.get(reverse("preparations:authors", args=[document.pk])).json() == answer_before


# Reading who wrote what -----------------------------------------------------------------------


def _write_as(prep, person: str, client_id: int, block: int = 1):
    document = prep["document"]
    services.record_update(
        document=document, update=type_in(editor(document, client_id), "x", block), by=prep[person]
    )


def test_the_authors_get_their_colour_in_the_order_they_first_wrote(prep):
    _write_as(prep, "classmate", DOMINIQUE)
    _write_as(prep, "teacher", CAMILLE)
    _write_as(prep, "classmate", 4_004)  # a second tab of Dominique's
    before = selectors.authorship(prep["document"])
    _write_as(prep, "trainer", TRAINER)

    answer = selectors.authorship(prep["document"])

    assert answer["authors"] == [
        {"name": "Dominique Lemaire", "colour": 0},
        {"name": prep["teacher"].get_full_name(), "colour": 1},
        {"name": prep["trainer"].get_full_name(), "colour": 2},
    ]
    assert answer["clients"] == {
        str(DOMINIQUE): 0,
        str(CAMILLE): 1,
        "4004": 0,
        str(TRAINER): 2,
    }
    # Someone joining changes nobody's colour.
    assert answer["authors"][:2] == before["authors"]


def test_past_eight_authors_the_colours_start_again(prep):
    from tests import factories

    document = prep["document"]
    for n in range(9):
        person = factories.teacher(first_name=f"Auteur{n}", last_name="Test")
        Author.objects.create(document=document, client_id=100 + n, user=person)

    colours = [a["colour"] for a in selectors.authorship(document)["authors"]]

    assert colours == [0, 1, 2, 3, 4, 5, 6, 7, 0]
    assert selectors.AUTHOR_COLOURS == 8


@pytest.mark.parametrize("person", ["teacher", "classmate", "trainer", "tutor"])
def test_the_documents_writers_read_who_wrote_what(client, prep, person):
    _write_as(prep, "classmate", DOMINIQUE)
    client.force_login(prep[person])

    response = client.get(reverse("preparations:authors", args=[prep["document"].pk]))

    assert response.status_code == 200
    assert response.json() == {
        "clients": {str(DOMINIQUE): 0},
        "authors": [{"name": "Dominique Lemaire", "colour": 0}],
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "manager", "admin", "nobody"])
def test_nobody_else_reads_who_wrote_what(client, prep, person):
    _write_as(prep, "classmate", DOMINIQUE)
    client.force_login(prep[person])

    response = client.get(reverse("preparations:authors", args=[prep["document"].pk]))

    assert response.status_code == 404
    assert "Lemaire" not in response.content.decode()


def test_signed_out_nobody_reads_who_wrote_what(client, prep):
    _write_as(prep, "classmate", DOMINIQUE)

    response = client.get(reverse("preparations:authors", args=[prep["document"].pk]))

    assert response.status_code == 302 and "Lemaire" not in response.content.decode()


def test_the_session_a_plan_is_shared_with_does_not_read_who_wrote_it(client, prep):
    _write_as(prep, "classmate", DOMINIQUE)
    services.share(document=prep["document"], shared=True, by=prep["teacher"])
    for person in ["other", "lou"]:  # they read the plan itself
        client.force_login(prep[person])
        url = reverse("preparations:document", args=[prep["document"].pk])
        assert client.get(url).status_code == 200

        response = client.get(reverse("preparations:authors", args=[prep["document"].pk]))

        assert response.status_code == 404


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_who_wrote_what_is_still_read_once_the_session_is_closed(client, prep, status):
    _write_as(prep, "classmate", DOMINIQUE)
    close(prep["session"], status)
    for person in ["teacher", "trainer", "tutor"]:
        client.force_login(prep[person])

        response = client.get(reverse("preparations:authors", args=[prep["document"].pk]))

        assert response.status_code == 200
        assert response.json()["authors"] == [{"name": "Dominique Lemaire", "colour": 0}]
