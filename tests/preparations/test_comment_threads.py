"""A comment's thread: replies, reopening a resolved comment, deleting one's own comment or reply
(the session's trainers and tutors delete anyone's: they moderate), each asked first. The same
people as the document, nobody once the session is closed; with htmx, the answer is the
comment (or the list) again."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preau.preparations import services
from preau.preparations.models import Comment, Membership, Reply

from .conftest import close
from .test_comments import _comment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _reply(prep, comment, by="teacher", body="D’accord, je reformule."):
    return services.reply_to_comment(comment=comment, body=body, by=prep[by])


# Services: replies ----------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["teacher", "classmate", "trainer", "tutor"])
def test_members_trainers_and_tutors_reply_to_a_comment(prep, person):
    comment = _comment(prep, by="classmate")

    first = _reply(prep, comment, by=person, body="  Oui, à préciser.  ")
    second = _reply(prep, comment, by="classmate", body="Merci")

    assert (first.author, first.body) == (prep[person], "Oui, à préciser.")
    assert list(comment.replies.all()) == [first, second]  # in the order they came


def test_a_reply_needs_a_text_of_2000_characters_at_most(prep):
    comment = _comment(prep)
    with pytest.raises(ValidationError, match="Écrivez votre réponse"):
        _reply(prep, comment, body="   ")
    with pytest.raises(ValidationError, match="2000"):
        _reply(prep, comment, body="x" * 2001)
    assert _reply(prep, comment, body="x" * 2000).pk
    assert Reply.objects.count() == 1


def test_a_resolved_comment_takes_no_reply_until_reopened(prep):
    comment = _comment(prep)
    services.resolve_comment(comment=comment, by=prep["trainer"])

    with pytest.raises(ValidationError, match="rouvrez-le"):
        _reply(prep, comment)

    services.reopen_comment(comment=comment, by=prep["classmate"])
    assert _reply(prep, comment).pk


def test_a_reply_to_a_comment_deleted_meanwhile_is_refused(prep):
    comment = _comment(prep)
    Comment.objects.filter(pk=comment.pk).delete()

    with pytest.raises(ValidationError, match="supprimé entre-temps"):
        _reply(prep, comment)
    assert not Reply.objects.exists()


# Services: reopening --------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["teacher", "classmate", "trainer", "tutor"])
def test_any_member_trainer_or_tutor_reopens_a_resolved_comment(prep, person):
    comment = _comment(prep, by="classmate")
    services.resolve_comment(comment=comment, by=prep["teacher"])

    services.reopen_comment(comment=comment, by=prep[person])

    comment.refresh_from_db()
    assert (comment.resolved, comment.resolved_by) == (False, None)
    # Resolved again by someone else: it says who, this time.
    services.resolve_comment(comment=comment, by=prep["tutor"])
    comment.refresh_from_db()
    assert comment.resolved_by == prep["tutor"]


def test_a_comment_not_resolved_is_not_reopened(prep):
    comment = _comment(prep)
    with pytest.raises(ValidationError, match="n’est pas résolu"):
        services.reopen_comment(comment=comment, by=prep["teacher"])


# Services: deleting ---------------------------------------------------------------------------


def test_the_author_deletes_their_comment_with_its_whole_thread(prep):
    comment = _comment(prep, by="classmate")
    _reply(prep, comment, by="teacher")
    _reply(prep, comment, by="trainer")
    kept = _comment(prep, by="classmate", body="Un autre")

    services.delete_comment(comment=comment, by=prep["classmate"])

    assert list(Comment.objects.all()) == [kept]
    assert not Reply.objects.exists()


def test_the_author_deletes_their_reply_and_the_thread_stays(prep):
    comment = _comment(prep, by="classmate")
    mine = _reply(prep, comment, by="teacher")
    theirs = _reply(prep, comment, by="classmate")

    services.delete_reply(reply=mine, by=prep["teacher"])

    assert list(comment.replies.all()) == [theirs]
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_member_may_not_delete_another_s_comment_nor_reply(prep):
    comment = _comment(prep, by="classmate")
    theirs = _reply(prep, comment, by="classmate")

    with pytest.raises(PermissionDenied, match="Seul son auteur"):
        services.delete_comment(comment=comment, by=prep["teacher"])
    with pytest.raises(PermissionDenied, match="Seul son auteur"):
        services.delete_reply(reply=theirs, by=prep["teacher"])

    assert Comment.objects.count() == 1 and Reply.objects.count() == 1


@pytest.mark.parametrize("person", ["trainer", "tutor"])
def test_the_session_s_trainers_and_tutors_delete_anyone_s_comment_and_reply(prep, person):
    comment = _comment(prep, by="classmate")
    reply = _reply(prep, comment, by="teacher")
    other = _comment(prep, by="teacher")

    services.delete_reply(reply=reply, by=prep[person])
    services.delete_comment(comment=other, by=prep[person])

    assert list(Comment.objects.all()) == [comment]
    assert not Reply.objects.exists()


def test_a_member_taken_out_of_the_group_no_longer_deletes_their_comment(prep):
    comment = _comment(prep, by="classmate")
    Membership.objects.filter(user=prep["classmate"]).delete()

    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, by=prep["classmate"])
    assert Comment.objects.exists()


def test_a_comment_whose_author_left_is_deleted_by_moderators_only(prep):
    comment = _comment(prep, by="classmate")
    Comment.objects.filter(pk=comment.pk).update(author=None)
    comment.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, by=prep["teacher"])
    services.delete_comment(comment=comment, by=prep["trainer"])
    assert not Comment.objects.exists()


@pytest.mark.parametrize("person", ["other", "lou", "ien", "admin"])
def test_outsiders_may_not_reply_reopen_nor_delete(prep, person):
    comment = _comment(prep)
    reply = _reply(prep, comment)
    resolved = _comment(prep, body="Résolu déjà")
    services.resolve_comment(comment=resolved, by=prep["teacher"])

    with pytest.raises(PermissionDenied):
        _reply(prep, comment, by=person)
    with pytest.raises(PermissionDenied):
        services.reopen_comment(comment=resolved, by=prep[person])
    with pytest.raises(PermissionDenied):
        services.delete_reply(reply=reply, by=prep[person])
    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, by=prep[person])

    assert (Comment.objects.count(), Reply.objects.count()) == (2, 1)
    resolved.refresh_from_db()
    assert resolved.resolved


@pytest.fixture
def closed_thread(prep, request):
    """A comment with a reply, a resolved comment; then the session closed or archived."""
    comment = _comment(prep, by="teacher")
    reply = _reply(prep, comment, by="teacher")
    resolved = _comment(prep, by="teacher", body="Fait")
    services.resolve_comment(comment=resolved, by=prep["teacher"])
    close(prep["session"], request.param)
    prep["document"].group.session.refresh_from_db()  # (the comments' document's)
    return {"comment": comment, "reply": reply, "resolved": resolved}


CLOSED = pytest.mark.parametrize("closed_thread", ["closed", "archived"], indirect=True)


def _unchanged(closed_thread):
    assert (Comment.objects.count(), Reply.objects.count()) == (2, 1)
    closed_thread["resolved"].refresh_from_db()
    assert closed_thread["resolved"].resolved


@CLOSED
def test_a_closed_session_refuses_replies(prep, closed_thread):
    with pytest.raises(ValidationError, match="La session est close"):
        _reply(prep, closed_thread["comment"], by="classmate")
    _unchanged(closed_thread)


@CLOSED
def test_a_closed_session_refuses_reopening(prep, closed_thread):
    with pytest.raises(ValidationError, match="La session est close"):
        services.reopen_comment(comment=closed_thread["resolved"], by=prep["teacher"])
    _unchanged(closed_thread)


@CLOSED
@pytest.mark.parametrize("person", ["teacher", "trainer"])
def test_a_closed_session_refuses_deleting_a_comment(prep, closed_thread, person):
    with pytest.raises(ValidationError, match="La session est close"):
        services.delete_comment(comment=closed_thread["comment"], by=prep[person])
    _unchanged(closed_thread)


@CLOSED
@pytest.mark.parametrize("person", ["teacher", "trainer"])
def test_a_closed_session_refuses_deleting_a_reply(prep, closed_thread, person):
    with pytest.raises(ValidationError, match="La session est close"):
        services.delete_reply(reply=closed_thread["reply"], by=prep[person])
    _unchanged(closed_thread)


# Views: who reaches what ----------------------------------------------------------------------


def _urls(comment, reply, resolved):
    return {
        "list": ("get", reverse("preparations:comments", args=[comment.document_id]), {}),
        "comment": ("get", reverse("preparations:comment", args=[comment.pk]), {}),
        "reply": (
            "post",
            reverse("preparations:reply_comment", args=[comment.pk]),
            {"reponse": "Une réponse"},
        ),
        "reopen": ("post", reverse("preparations:reopen_comment", args=[resolved.pk]), {}),
        "ask_delete_reply": ("get", reverse("preparations:delete_reply", args=[reply.pk]), {}),
        "delete_reply": ("post", reverse("preparations:delete_reply", args=[reply.pk]), {}),
        "ask_delete": ("get", reverse("preparations:delete_comment", args=[comment.pk]), {}),
        "delete": ("post", reverse("preparations:delete_comment", args=[comment.pk]), {}),
    }


@pytest.fixture
def thread(prep):
    comment = _comment(prep, by="classmate")
    reply = _reply(prep, comment, by="classmate")
    resolved = _comment(prep, by="classmate", body="Fait")
    services.resolve_comment(comment=resolved, by=prep["classmate"])
    return {"comment": comment, "reply": reply, "resolved": resolved}


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "manager", "admin", "nobody"])
def test_outsiders_get_404_on_every_thread_url(client, prep, thread, person):
    """Another group's member, a participant without a group, the IEN (who manages the
    session), pilots, managers, administrators, a stranger."""
    client.force_login(prep[person])
    for name, (method, url, data) in _urls(**thread).items():
        assert getattr(client, method)(url, data).status_code == 404, name
        assert getattr(client, method)(url, data, **HTMX).status_code == 404, name
    assert (Comment.objects.count(), Reply.objects.count()) == (2, 1)


def test_the_session_a_plan_is_shared_with_gets_404_on_thread_urls(client, prep, thread):
    services.share(document=prep["document"], shared=True, by=prep["teacher"])
    client.force_login(prep["other"])
    for name, (method, url, data) in _urls(**thread).items():
        assert getattr(client, method)(url, data).status_code == 404, name


@pytest.mark.parametrize("person", ["classmate", "trainer", "tutor"])
def test_the_author_trainer_and_tutor_go_through_every_thread_url(client, prep, thread, person):
    """The comments' author (a member), the session's trainer and its tutor: each asks, then
    deletes (the reply, then the comment)."""
    client.force_login(prep[person])
    urls = _urls(**thread)
    answers = {
        name: getattr(client, method)(url, data).status_code
        for name, (method, url, data) in urls.items()
    }
    assert answers == {
        "list": 302,  # (without htmx: the page, at the comments)
        "comment": 302,  # (without htmx: the page, at the comment)
        "reply": 302,
        "reopen": 302,
        "ask_delete_reply": 200,
        "delete_reply": 302,
        "ask_delete": 200,
        "delete": 302,
    }
    assert list(Comment.objects.all()) == [thread["resolved"]]
    assert not Comment.objects.get().resolved  # (reopened on the way)
    assert not Reply.objects.exists()


def test_a_member_replies_and_reopens_but_does_not_delete_another_s(client, prep, thread):
    client.force_login(prep["teacher"])
    urls = _urls(**thread)

    for name in ("reply", "reopen"):
        method, url, data = urls[name]
        assert getattr(client, method)(url, data).status_code == 302, name
    # Asked (a forged link: none is shown) or posted: the page says why, nothing is deleted.
    for name in ("ask_delete", "ask_delete_reply", "delete", "delete_reply"):
        method, url, data = urls[name]
        page = getattr(client, method)(url, follow=True).content.decode()
        assert "Seul son auteur" in page and "C’est définitif" not in page, name
        answer = getattr(client, method)(url, **HTMX)
        assert answer.status_code == 200 and "Seul son auteur" in answer.content.decode(), name

    assert Comment.objects.count() == 2
    assert Reply.objects.filter(author=prep["teacher"]).count() == 1


# Views: the list, with and without htmx ------------------------------------------------------


def _page(client, prep, person="teacher") -> str:
    client.force_login(prep[person])
    return client.get(reverse("preparations:document", args=[prep["document"].pk])).content.decode()


def test_the_empty_state_says_how_to_comment(client, prep):
    html = _page(client, prep)
    assert "Aucun commentaire pour l’instant." in html
    assert "sélectionnez quelques mots du document" in html


def test_the_page_shows_threads_and_the_buttons_each_may_use(client, prep):
    mine = _comment(prep, by="teacher", body="Le mien")
    _reply(prep, mine, by="classmate", body="Réponse de Dominique")
    theirs = _comment(prep, by="classmate", body="Le sien")
    own_reply = _reply(prep, theirs, by="teacher", body="Ma réponse")
    done = _comment(prep, by="classmate", body="Fait")
    services.resolve_comment(comment=done, by=prep["tutor"])

    html = _page(client, prep, "teacher")

    assert "Réponse de Dominique" in html and "Ma réponse" in html
    delete = reverse("preparations:delete_comment", args=[mine.pk])
    assert f'href="{delete}"' in html
    assert reverse("preparations:delete_comment", args=[theirs.pk]) not in html
    assert reverse("preparations:delete_reply", args=[own_reply.pk]) in html
    assert reverse("preparations:delete_reply", args=[mine.replies.get().pk]) not in html
    assert reverse("preparations:reply_comment", args=[theirs.pk]) in html
    assert reverse("preparations:reopen_comment", args=[done.pk]) in html
    assert reverse("preparations:reply_comment", args=[done.pk]) not in html  # resolved
    # The editor's highlights: the anchors of the unresolved comments only.
    assert f'id="commentaire-{mine.pk}"' in html
    assert html.count("data-comment-start=") == 2

    trainer_html = _page(client, prep, "trainer")
    for comment in (mine, theirs, done):
        assert reverse("preparations:delete_comment", args=[comment.pk]) in trainer_html
    assert reverse("preparations:delete_reply", args=[own_reply.pk]) in trainer_html


def test_a_closed_session_shows_threads_without_any_form(client, prep):
    comment = _comment(prep, by="teacher", body="À revoir")
    _reply(prep, comment, by="classmate", body="Vu")
    done = _comment(prep, by="teacher", body="Fait")
    services.resolve_comment(comment=done, by=prep["teacher"])
    close(prep["session"])

    html = _page(client, prep, "trainer")

    assert "À revoir" in html and "Vu" in html
    for action in ("/repondre/", "/rouvrir/", "/resoudre/", "/supprimer/", "comment-form"):
        assert action not in html, action
    assert "data-comment-start" in html  # (harmless: no editor on a closed session's page)


def test_the_list_through_htmx_is_the_list_again_with_no_notice(client, prep):
    """What editor.js loads when another browser changed the comments."""
    comment = _comment(prep, by="classmate", body="Ajouté ailleurs")
    client.force_login(prep["teacher"])

    html = client.get(
        reverse("preparations:comments", args=[prep["document"].pk]), **HTMX
    ).content.decode()

    assert html.lstrip().startswith('<section id="commentaires"')
    assert "Ajouté ailleurs" in html and f'id="commentaire-{comment.pk}"' in html
    # (no change made by this answer: nothing for editor.js to tell the others)
    assert "data-comment-changed" not in html and "data-comment-notice" not in html


def test_a_reply_through_htmx_answers_the_comment_alone(client, prep):
    comment = _comment(prep, by="classmate")
    client.force_login(prep["teacher"])

    answer = client.post(
        reverse("preparations:reply_comment", args=[comment.pk]),
        {"reponse": "Je m’en occupe"},
        **HTMX,
    )

    html = answer.content.decode()
    assert answer.status_code == 200
    assert re.match(rf'\s*<li class="preau-comment[^"]*"\s+id="commentaire-{comment.pk}"', html)
    assert "<section" not in html and "Je m’en occupe" in html and "Réponse ajoutée." in html
    assert "data-comment-changed" in html  # (editor.js tells the other browsers)
    # The keyboard stays in the reply box (open, empty), for a next reply.
    assert re.search(r'id="reponse-texte-\d+"[^>]*autofocus', html)


def test_a_refused_reply_through_htmx_keeps_the_text_and_says_why(client, prep):
    comment = _comment(prep, by="classmate")
    services.resolve_comment(comment=comment, by=prep["classmate"])
    client.force_login(prep["teacher"])

    answer = client.post(
        reverse("preparations:reply_comment", args=[comment.pk]), {"reponse": "Trop tard ?"}, **HTMX
    )

    html = answer.content.decode()
    assert answer.status_code == 200  # (htmx swaps only a success's answer)
    assert "rouvrez-le pour y répondre" in html and 'role="status"' in html
    assert not Reply.objects.exists()


def test_resolving_then_reopening_through_htmx(client, prep):
    comment = _comment(prep, by="classmate")
    client.force_login(prep["tutor"])

    resolved = client.post(reverse("preparations:resolve_comment", args=[comment.pk]), **HTMX)
    html = resolved.content.decode()
    assert "Résolu par" in html and "data-comment-start" not in html
    assert re.search(r'id="rouvrir-\d+"\s+autofocus', html)

    reopened = client.post(reverse("preparations:reopen_comment", args=[comment.pk]), **HTMX)
    html = reopened.content.decode()
    assert "Commentaire rouvert." in html and "data-comment-start" in html
    assert re.search(r'id="resoudre-\d+"\s+autofocus', html)


def test_deleting_asks_first_in_place_then_answers_the_list(client, prep):
    comment = _comment(prep, by="teacher")
    _reply(prep, comment, by="classmate")
    _reply(prep, comment, by="trainer")
    client.force_login(prep["teacher"])
    url = reverse("preparations:delete_comment", args=[comment.pk])

    asked = client.get(url, **HTMX).content.decode()

    assert "Supprimer ce commentaire et ses 2 réponses ? C’est définitif." in asked
    assert f'data-hx-post="{url}"' in asked
    assert reverse("preparations:comment", args=[comment.pk]) + "?focus=supprimer" in asked
    assert Comment.objects.exists()

    cancelled = client.get(
        reverse("preparations:comment", args=[comment.pk]), {"focus": "supprimer"}, **HTMX
    ).content.decode()
    assert "C’est définitif" not in cancelled
    assert re.search(rf'href="{url}"[^>]*autofocus', cancelled)

    deleted = client.post(url, **HTMX).content.decode()
    assert '<section id="commentaires"' in deleted and "Commentaire supprimé." in deleted
    assert "Aucun commentaire pour l’instant." in deleted
    assert not Comment.objects.exists() and not Reply.objects.exists()


def test_deleting_without_javascript_asks_on_a_page(client, prep):
    comment = _comment(prep, by="teacher", body="À supprimer")
    reply = _reply(prep, comment, by="teacher", body="Ma réponse")
    client.force_login(prep["teacher"])

    page = client.get(reverse("preparations:delete_reply", args=[reply.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Supprimer cette réponse ? C’est définitif." in html and "Ma réponse" in html

    page = client.get(reverse("preparations:delete_comment", args=[comment.pk]))
    html = page.content.decode()
    assert "Supprimer ce commentaire et sa réponse ? C’est définitif." in html

    response = client.post(reverse("preparations:delete_comment", args=[comment.pk]))
    assert response.status_code == 302 and response.url.endswith("#commentaires")
    assert not Comment.objects.exists()


def test_deleting_a_reply_through_htmx_answers_the_comment(client, prep):
    comment = _comment(prep, by="classmate")
    reply = _reply(prep, comment, by="classmate", body="Réponse à enlever")
    client.force_login(prep["trainer"])
    url = reverse("preparations:delete_reply", args=[reply.pk])

    asked = client.get(url, **HTMX).content.decode()
    assert "Supprimer cette réponse ? C’est définitif." in asked
    assert f"?reponse={reply.pk}" in asked  # « Annuler » comes back to that reply's link

    done = client.post(url, **HTMX).content.decode()
    assert "Réponse supprimée." in done and "Réponse à enlever" not in done
    assert not Reply.objects.exists() and Comment.objects.exists()


def test_adding_a_comment_through_htmx_answers_the_list(client, prep):
    from .test_comments import _b64, _typed_passage

    start, end = _typed_passage(prep)
    client.force_login(prep["teacher"])
    url = reverse("preparations:add_comment", args=[prep["document"].pk])
    data = {
        "commentaire": "Par htmx",
        "passage": "Résoudre",
        "debut": _b64(start),
        "fin": _b64(end),
    }

    html = client.post(url, data, **HTMX).content.decode()

    assert "data-comment-added" in html and "Commentaire ajouté." in html
    assert f'data-comment-start="{_b64(start)}"' in html

    refused = client.post(url, {**data, "debut": "", "commentaire": "Gardé"}, **HTMX)
    html = refused.content.decode()
    assert refused.status_code == 200 and "sélectionnez-le de nouveau" in html
    assert ">Gardé</textarea>" in html and "data-comment-added" not in html
    assert Comment.objects.count() == 1


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_comments_cost_the_same_queries_with_ten_times_more(client, prep):
    """The comments' part of the page: may_moderate (1), the comments with their authors (1),
    their replies with their authors (1), whatever their number."""
    url = reverse("preparations:document", args=[prep["document"].pk])
    client.force_login(prep["teacher"])
    for _ in range(2):
        _reply(prep, _comment(prep, by="classmate"), by="teacher")
    few = _count_queries(client, url)
    for _ in range(18):
        _reply(prep, _comment(prep, by="classmate"), by="teacher")
    assert _count_queries(client, url) == few
