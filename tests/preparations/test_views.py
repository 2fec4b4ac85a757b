"""The preparation pages through HTTP: who reads which group's document, who makes the
groups, and the plain-HTTP save (the fallback when websockets are blocked)."""

import base64
import json

import pytest
from django.urls import reverse
from pycrdt import Doc

from preau.preparations import crdt, services
from preau.preparations.models import DocumentUpdate, Group
from tests import factories

from .conftest import close, typed

pytestmark = pytest.mark.django_db


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _post_update(client, document, update: bytes, state: bytes = b""):
    return client.post(
        reverse("preparations:update", args=[document.pk]),
        json.dumps({"update": _b64(update), "state": _b64(state)}),
        content_type="application/json",
    )


def _count(document) -> int:
    return DocumentUpdate.objects.filter(document=document).count()


@pytest.mark.parametrize("person", ["teacher", "classmate", "trainer", "tutor"])
def test_members_and_the_session_staff_read_the_group_document(client, prep, person):
    services.record_update(
        document=prep["document"],
        update=typed(prep["document"], "Dénombrer <vite>"),
        by=prep["teacher"],
    )
    client.force_login(prep[person])

    page = client.get(reverse("preparations:document", args=[prep["document"].pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<h2>Objectifs</h2><p>Dénombrer &lt;vite&gt;</p>" in html
    assert 'id="preparation-editor"' in html


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "manager", "admin", "nobody"])
def test_other_groups_the_ien_and_outsiders_never_reach_a_group_document(client, prep, person):
    client.force_login(prep[person])
    document = prep["document"]

    assert client.get(reverse("preparations:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("preparations:pdf", args=[document.pk])).status_code == 404
    response = _post_update(client, document, typed(document, "intrus"))
    assert response.status_code == 404
    assert _count(document) == 1


def test_a_participant_sees_only_their_own_group(client, prep):
    client.force_login(prep["teacher"])

    html = client.get(reverse("preparations:activity", args=[prep["activity"].pk])).content.decode()

    assert "Votre groupe : Jules Ferry" in html
    assert "Bayeux" not in html and "Sacha" not in html
    assert "Constituer les groupes" not in html


def test_the_ien_sees_the_groups_but_no_document(client, prep):
    client.force_login(prep["ien"])

    html = client.get(reverse("preparations:activity", args=[prep["activity"].pk])).content.decode()

    assert "Bayeux" in html and "Jules Ferry" in html
    assert reverse("preparations:document", args=[prep["document"].pk]) not in html


def test_a_participant_waiting_or_unenrolled_gets_a_404_for_the_activity(client, prep):
    client.force_login(prep["nobody"])

    assert (
        client.get(reverse("preparations:activity", args=[prep["activity"].pk])).status_code == 404
    )


def test_the_trainer_makes_a_group_by_hand(client, prep):
    client.force_login(prep["trainer"])

    response = client.post(
        reverse("preparations:make_groups", args=[prep["activity"].pk]),
        {"mode": "main", "name": "Les retardataires", "members": [prep["lou"].pk]},
    )

    assert response.status_code == 302
    group = Group.objects.get(name="Les retardataires")
    assert list(group.members.all()) == [prep["lou"]]
    assert _count(group.document) == 1  # the template


def test_a_tutor_is_told_why_they_cannot_make_groups(client, prep):
    client.force_login(prep["tutor"])

    response = client.post(
        reverse("preparations:make_groups", args=[prep["activity"].pk]), {"mode": "ecole"}
    )

    assert response.status_code == 403
    assert Group.objects.count() == 2


def test_the_trainer_takes_someone_out_of_a_group(client, prep):
    client.force_login(prep["trainer"])

    response = client.post(
        reverse("preparations:remove_member", args=[prep["group"].pk]),
        {"personne": prep["classmate"].pk},
    )

    assert response.status_code == 302
    assert list(prep["group"].members.all()) == [prep["teacher"]]


# The plain-HTTP save --------------------------------------------------------------------------


def test_a_member_saves_through_http_and_gets_what_they_lack(client, prep):
    """Camille (offline from the websocket) posts her edit with her state; the answer carries
    Dominique's edit stored meanwhile, and both end identical."""
    document = prep["document"]
    camille = services.load(document)
    services.record_update(
        document=document, update=typed(document, "Dominique écrit. "), by=prep["classmate"]
    )
    before = camille.get_state()
    crdt.fragment(camille).children[3].children[0].insert(0, "Camille écrit.")
    client.force_login(prep["teacher"])

    response = _post_update(client, document, camille.get_update(before), camille.get_state())

    assert response.status_code == 200
    camille.apply_update(base64.b64decode(response.json()["update"]))
    server = services.load(document)
    assert crdt.to_html(camille) == crdt.to_html(server)
    assert "Dominique écrit. " in crdt.to_text(server) and "Camille écrit." in crdt.to_text(server)


def test_http_save_in_a_closed_session_is_refused_and_nothing_stored(client, prep):
    update = typed(prep["document"], "trop tard")
    close(prep["session"])
    client.force_login(prep["teacher"])

    response = _post_update(client, prep["document"], update)

    assert response.status_code == 403
    assert "close" in response.json()["error"]
    assert _count(prep["document"]) == 1


@pytest.mark.parametrize(
    "body, status",
    [
        ("not json", 400),
        (json.dumps({"update": "%%%"}), 400),
        (json.dumps({"update": base64.b64encode(b"\x07forged").decode()}), 400),
        (json.dumps(["a list"]), 400),
    ],
)
def test_http_save_refuses_what_is_not_an_update(client, prep, body, status):
    client.force_login(prep["teacher"])

    response = client.post(
        reverse("preparations:update", args=[prep["document"].pk]),
        body,
        content_type="application/json",
    )

    assert response.status_code == status
    assert "rien n’a été enregistré" in response.json()["error"]
    assert _count(prep["document"]) == 1


def test_http_save_refuses_a_huge_paste(client, prep):
    doc = services.load(prep["document"])
    before = doc.get_state()
    crdt.fragment(doc).children[1].children[0].insert(0, "b" * 1_500_000)
    client.force_login(prep["teacher"])

    response = _post_update(client, prep["document"], doc.get_update(before))

    assert response.status_code == 413
    assert _count(prep["document"]) == 1


def test_http_save_refuses_an_update_the_document_has_no_room_for(client, prep, settings):
    document = prep["document"]
    document.refresh_from_db()
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = document.stored_bytes + 10
    client.force_login(prep["teacher"])

    response = _post_update(client, document, typed(document, "Une phrase de trop"))

    assert response.status_code == 413
    assert response.json()["error"].startswith("Ce document est plein (")
    assert _count(document) == 1


def test_http_save_refuses_a_write_outside_the_document(client, prep):
    doc = Doc()
    doc.get("ailleurs", type=crdt.XmlFragment).children.append(crdt.XmlText("x"))
    client.force_login(prep["teacher"])

    assert _post_update(client, prep["document"], doc.get_update()).status_code == 400
    assert _count(prep["document"]) == 1


@pytest.mark.parametrize("closed", [False, True])
def test_a_member_downloads_the_document_as_a_pdf(client, prep, closed):
    services.record_update(
        document=prep["document"], update=typed(prep["document"], "Dénombrer"), by=prep["teacher"]
    )
    if closed:
        close(prep["session"])
    client.force_login(prep["classmate"])

    response = client.get(reverse("preparations:pdf", args=[prep["document"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "preparation-jules-ferry.pdf" in response["Content-Disposition"]


def test_a_groups_members_are_listed_in_french_order(client, prep):
    """« Étienne » and « Gérard » before « Guyot » (byte order put « Étienne » last)."""
    names = ["Guyot", "Zoé", "Étienne", "Gérard"]
    people = [
        factories.teacher(school=prep["teacher"].school, first_name="Ada", last_name=name)
        for name in names
    ]
    for person in people:
        factories.EnrolmentFactory(session=prep["session"], user=person)
    services.create_group(
        activity=prep["activity"],
        session=prep["session"],
        name="Quatre",
        members=people,
        by=prep["trainer"],
    )
    client.force_login(prep["trainer"])

    response = client.get(reverse("preparations:activity", args=[prep["activity"].pk]))

    group = next(g for g in response.context["groups"] if g.name == "Quatre")
    listed = [m.user.last_name for m in group.memberships.all()]
    assert listed == ["Étienne", "Gérard", "Guyot", "Zoé"]


def test_http_save_answers_with_the_servers_state_so_the_editor_sends_what_it_lacks(client, prep):
    """The editor's protocol (editor.js): a first request (no update) learns the server's state
    vector; the next posts everything the server lacks, computed from it: what was typed
    before, even if no save ever carried it (a websocket that swallowed it)."""
    document = prep["document"]
    camille = services.load(document)
    before = camille.get_state()
    crdt.fragment(camille).children[1].children[0].insert(0, "jamais envoyé ")
    client.force_login(prep["teacher"])

    first = _post_update(client, document, b"", camille.get_state())
    assert first.status_code == 200
    server_state = base64.b64decode(first.json()["state"])
    assert server_state == services.load(document).get_state() != camille.get_state()
    services.record_update(
        document=document, update=typed(document, "Dominique ", at_block=3), by=prep["classmate"]
    )
    assert camille.get_update(server_state) == camille.get_update(before)

    second = _post_update(client, document, camille.get_update(server_state), camille.get_state())

    assert second.status_code == 200
    camille.apply_update(base64.b64decode(second.json()["update"]))
    server = services.load(document)
    assert crdt.state_vector(camille) == crdt.state_vector(server)
    assert crdt.read_state_vector(base64.b64decode(second.json()["state"])) == crdt.state_vector(
        server
    )
    assert crdt.to_text(server).count("jamais envoyé") == 1
    assert "Dominique " in crdt.to_text(camille)


def test_http_save_of_an_offline_diff_over_the_limit_says_so_and_stores_nothing(client, prep):
    doc = services.load(prep["document"])
    before = doc.get_state()
    crdt.fragment(doc).children[1].children[0].insert(0, "é" * 600_000)  # 1.2 MB of UTF-8
    client.force_login(prep["teacher"])

    response = _post_update(client, prep["document"], doc.get_update(before), doc.get_state())

    assert response.status_code == 413
    assert "trop grande" in response.json()["error"]
    assert "rien n’a été enregistré" in response.json()["error"]
    assert _count(prep["document"]) == 1
