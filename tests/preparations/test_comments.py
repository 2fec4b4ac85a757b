"""Comments anchored to a passage of a group's document: made from the editor's selection (two
Yjs relative positions, checked against the document), listed beside it, resolved by any
member; the same people as the document, and nobody once the session is closed."""

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from preau.preparations import crdt, services
from preau.preparations.models import Comment

from .conftest import close, typed

pytestmark = pytest.mark.django_db


def _var_uint(number: int) -> bytes:
    out = bytearray()
    while number > 0x7F:
        out.append(0x80 | (number & 0x7F))
        number >>= 7
    out.append(number)
    return bytes(out)


def relpos(client: int, clock: int, assoc: int = 0) -> bytes:
    """What `Y.encodeRelativePosition` writes for a position sticking to item (client, clock)."""
    return _var_uint(0) + _var_uint(client) + _var_uint(clock) + _var_uint(assoc)


def _typed_passage(prep, text="Résoudre un problème de partage"):
    """Types `text` in the document and returns (start, end) anchors on its first and last
    characters, as the editor makes them from a selection."""
    before = crdt.state_vector(services.load(prep["document"]))
    services.record_update(
        document=prep["document"], update=typed(prep["document"], text), by=prep["teacher"]
    )
    after = crdt.state_vector(services.load(prep["document"]))
    (client,) = [c for c in after if after[c] != before.get(c)]
    return relpos(client, 0), relpos(client, len(text) - 1)


def _comment(prep, by="classmate", body="Préciser la consigne ?"):
    start, end = _typed_passage(prep)
    return services.add_comment(
        document=prep["document"],
        body=body,
        quote="Résoudre un problème",
        start=start,
        end=end,
        by=prep[by],
    )


# Services -------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["teacher", "classmate", "trainer", "tutor"])
def test_members_and_session_staff_comment_a_passage(prep, person):
    comment = _comment(prep, by=person)

    assert comment.author == prep[person]
    assert (comment.quote, comment.body, comment.resolved) == (
        "Résoudre un problème",
        "Préciser la consigne ?",
        False,
    )
    # The anchors are stored as the editor sent them, and stick to the document's items.
    crdt.check_anchor(bytes(comment.start), services.load(prep["document"]))


def test_an_anchor_stays_valid_after_others_edit_around_it(prep):
    start, end = _typed_passage(prep)
    # Someone else writes before and after the passage: the items anchored stay.
    services.record_update(
        document=prep["document"], update=typed(prep["document"], "Avant. "), by=prep["tutor"]
    )
    comment = services.add_comment(
        document=prep["document"],
        body="ok",
        quote="passage",
        start=start,
        end=end,
        by=prep["teacher"],
    )
    assert comment.pk


@pytest.mark.parametrize(
    "start",
    [
        b"",
        b"\x00",  # truncated
        b"\x07\x01\x02",  # unknown kind
        relpos(123456789, 0),  # an item of no document
        b"\x01\x05autre\x00",  # the end of another root type
        relpos(1, 1) + b"\x00\x00",  # trailing bytes
        b"\x00" + b"\xff" * 80,  # too long
    ],
)
def test_an_anchor_outside_the_document_is_refused(prep, start):
    _good, end = _typed_passage(prep)
    with pytest.raises(ValidationError, match="pas dans ce document"):
        services.add_comment(
            document=prep["document"], body="?", quote="x", start=start, end=end, by=prep["teacher"]
        )
    assert not Comment.objects.exists()


def test_the_end_of_the_document_is_an_anchor(prep):
    _start, end = _typed_passage(prep)
    services.add_comment(
        document=prep["document"],
        body="À la fin",
        quote="x",
        start=b"\x01\x0bprosemirror\x00",
        end=end,
        by=prep["teacher"],
    )


def test_a_comment_needs_a_text_and_a_passage(prep):
    start, end = _typed_passage(prep)
    kwargs = {"document": prep["document"], "start": start, "end": end, "by": prep["teacher"]}
    with pytest.raises(ValidationError, match="Écrivez"):
        services.add_comment(body="   ", quote="x", **kwargs)
    with pytest.raises(ValidationError, match="Sélectionnez"):
        services.add_comment(body="Bien", quote="  ", **kwargs)
    with pytest.raises(ValidationError, match="2000"):
        services.add_comment(body="x" * 2001, quote="x", **kwargs)
    long = services.add_comment(body="Bien", quote="mot " * 200, **kwargs)
    assert len(long.quote) == 300 and long.quote.endswith("…")


@pytest.mark.parametrize("person", ["other", "lou", "ien", "admin"])
def test_outsiders_may_not_comment_nor_resolve(prep, person):
    start, end = _typed_passage(prep)
    with pytest.raises(PermissionDenied):
        services.add_comment(
            document=prep["document"], body="!", quote="x", start=start, end=end, by=prep[person]
        )
    comment = _comment(prep)
    with pytest.raises(PermissionDenied):
        services.resolve_comment(comment=comment, by=prep[person])


def test_any_member_resolves_a_comment_which_stays(prep):
    comment = _comment(prep, by="classmate")

    services.resolve_comment(comment=comment, by=prep["teacher"])

    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == prep["teacher"]
    with pytest.raises(ValidationError, match="déjà résolu"):
        services.resolve_comment(comment=comment, by=prep["tutor"])


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_a_closed_session_refuses_comments_and_resolving(prep, status):
    comment = _comment(prep)
    start, end = _typed_passage(prep, "encore")
    close(prep["session"], status)
    prep["document"].group.session.refresh_from_db()
    with pytest.raises(ValidationError, match="close"):
        services.add_comment(
            document=prep["document"], body="!", quote="x", start=start, end=end, by=prep["teacher"]
        )
    with pytest.raises(ValidationError, match="close"):
        services.resolve_comment(comment=comment, by=prep["teacher"])
    comment.refresh_from_db()
    assert not comment.resolved and Comment.objects.count() == 1


# Views ----------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_the_page_lists_comments_with_author_and_passage(client, prep):
    resolved = _comment(prep, by="classmate", body="Ajouter une <b>image</b>")
    services.resolve_comment(comment=resolved, by=prep["trainer"])
    _comment(prep, by="tutor", body="Durée de la phase 2 ?")
    client.force_login(prep["teacher"])

    page = client.get(reverse("preparations:document", args=[prep["document"].pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Dominique Lemaire" in html and "« Résoudre un problème »" in html
    assert "Ajouter une &lt;b&gt;image&lt;/b&gt;" in html  # escaped
    assert f"Résolu par {prep['trainer'].get_full_name()}" in html
    assert "Durée de la phase 2 ?" in html
    assert reverse("preparations:add_comment", args=[prep["document"].pk]) in html


def test_adding_a_comment_through_the_form(client, prep):
    start, end = _typed_passage(prep)
    client.force_login(prep["classmate"])

    response = client.post(
        reverse("preparations:add_comment", args=[prep["document"].pk]),
        {
            "commentaire": "Trop long ?",
            "passage": "Résoudre",
            "debut": _b64(start),
            "fin": _b64(end),
        },
    )

    assert response.status_code == 302 and response.url.endswith("#commentaires")
    comment = Comment.objects.get()
    assert (comment.author, bytes(comment.start), bytes(comment.end)) == (
        prep["classmate"],
        start,
        end,
    )


def test_a_comment_without_a_selection_says_why(client, prep):
    client.force_login(prep["teacher"])
    response = client.post(
        reverse("preparations:add_comment", args=[prep["document"].pk]),
        {"commentaire": "Sans passage", "passage": "x", "debut": "pas du base64!", "fin": ""},
        follow=True,
    )
    assert "sélectionnez-le de nouveau" in response.content.decode()
    assert not Comment.objects.exists()


def test_resolving_through_the_button(client, prep):
    comment = _comment(prep)
    client.force_login(prep["tutor"])
    response = client.post(reverse("preparations:resolve_comment", args=[comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == prep["tutor"]


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "manager", "admin", "nobody"])
def test_outsiders_get_404_on_comment_urls(client, prep, person):
    comment = _comment(prep)
    start, end = _typed_passage(prep, "x")
    client.force_login(prep[person])
    add = client.post(
        reverse("preparations:add_comment", args=[prep["document"].pk]),
        {"commentaire": "!", "passage": "x", "debut": _b64(start), "fin": _b64(end)},
    )
    resolve = client.post(reverse("preparations:resolve_comment", args=[comment.pk]))
    assert (add.status_code, resolve.status_code) == (404, 404)
    comment.refresh_from_db()
    assert not comment.resolved and Comment.objects.count() == 1


def test_the_session_a_plan_is_shared_with_sees_no_comments(client, prep):
    _comment(prep, body="Note interne du groupe")
    services.share(document=prep["document"], shared=True, by=prep["teacher"])
    client.force_login(prep["lou"])

    page = client.get(reverse("preparations:document", args=[prep["document"].pk]))

    assert page.status_code == 200
    assert "Note interne du groupe" not in page.content.decode()
    comment = Comment.objects.get()
    assert (
        client.post(reverse("preparations:resolve_comment", args=[comment.pk])).status_code == 404
    )


def test_closed_session_shows_comments_without_buttons(client, prep):
    _comment(prep, body="À revoir")
    close(prep["session"])
    client.force_login(prep["teacher"])
    html = client.get(reverse("preparations:document", args=[prep["document"].pk])).content.decode()
    assert "À revoir" in html
    assert "comment-form" not in html
    assert "resoudre" not in html
