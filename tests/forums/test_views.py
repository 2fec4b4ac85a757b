"""The forum pages through HTTP: who reads, who writes, what each sees."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.forums import services
from preau.forums.models import Post, Thread
from preau.training.models import SessionStatus
from tests.core.test_access_matrix import _close

pytestmark = pytest.mark.django_db


def _urls(room, thread):
    post = thread.posts.get()
    return [
        reverse("forums:session", args=[room["session"].pk]),
        reverse("forums:forum", args=[room["discussion"].pk]),
        reverse("forums:forum", args=[room["announcements"].pk]),
        reverse("forums:thread", args=[thread.pk]),
        reverse("forums:thread_new", args=[room["discussion"].pk]),
        reverse("forums:activity", args=[room["discussion"].activity_id]),
        reverse("forums:post", args=[post.pk]),
        reverse("forums:post_hide", args=[post.pk]),
    ]


def test_members_read_the_forums(client, room, thread):
    for person in ("teacher", "classmate", "trainer", "tutor"):
        client.force_login(room[person])
        for url in _urls(room, thread)[:4]:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (person, url)


@pytest.mark.parametrize("person", ["ien", "pilot", "manager", "admin", "nobody", "waiting"])
def test_the_ien_pilots_and_outsiders_see_no_forum_content(client, room, thread, person):
    """They may run the session (IEN, pilots, managers, administrators) or wait for a place:
    every forum page is a 404 to them, exactly like one that does not exist."""
    client.force_login(room[person])
    for url in _urls(room, thread):
        assert client.get(url).status_code == 404, url
    post = thread.posts.get()
    assert client.get(reverse("forums:attachment", args=[post.pk])).status_code == 404


def test_the_session_page_of_the_ien_shows_no_forum_content(client, room, thread):
    client.force_login(room["ien"])

    response = client.get(reverse("training:manage", args=[room["session"].pk]))

    assert response.status_code == 200
    assert "rituels du matin" not in response.content.decode()


def test_a_participant_starts_a_thread_through_the_form(client, room):
    client.force_login(room["teacher"])

    response = client.post(
        reverse("forums:thread_new", args=[room["discussion"].pk]),
        {"title": "Le cahier de réussites", "body": "<p>Qui l’utilise en GS ?</p>"},
    )

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("forums:thread", args=[thread.pk])
    page = client.get(response.url).content.decode()
    assert "Qui l’utilise en GS ?" in page


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "Le message est vide."),
        ("<script>alert(1)</script>", "Le message est vide."),
        ("x" * 50_000, "Le message est trop long"),
    ],
)
def test_bad_input_gets_a_french_error_and_nothing_is_saved(client, room, thread, body, message):
    client.force_login(room["classmate"])

    response = client.post(reverse("forums:reply", args=[thread.pk]), {"body": body})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Le message n’a pas été publié" in response.content.decode()
    assert thread.posts.count() == 1


def test_a_nine_megabyte_post_gets_the_french_error(client, room, thread):
    client.force_login(room["classmate"])

    response = client.post(
        reverse("forums:reply", args=[thread.pk]), {"body": "<p>" + "a" * 9_000_000 + "</p>"}
    )

    assert "Le message est trop long" in response.content.decode()
    assert thread.posts.count() == 1


def test_a_forbidden_file_gets_a_french_error_and_nothing_is_saved(client, room, thread):
    client.force_login(room["classmate"])

    response = client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"body": "<p>Voici</p>", "attachment": SimpleUploadedFile("outil.exe", b"MZ")},
    )

    assert "Type de fichier non accepté" in response.content.decode()
    assert thread.posts.count() == 1


def test_an_attachment_is_served_to_members_only(client, room, thread):
    client.force_login(room["classmate"])
    client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"body": "<p>Ma fiche</p>", "attachment": SimpleUploadedFile("fiche.pdf", b"%PDF-1.4")},
    )
    post = Post.objects.exclude(attachment="").get()
    url = reverse("forums:attachment", args=[post.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    _close(response)  # without closing the test's database connection (PostgreSQL)
    client.force_login(room["ien"])
    assert client.get(url).status_code == 404


def test_a_reply_quotes_a_post(client, room, thread):
    client.force_login(room["classmate"])
    first = thread.posts.get()

    client.post(
        reverse("forums:reply", args=[thread.pk]),
        {"body": "<p>Je fais pareil.</p>", "citation": str(first.pk)},
    )

    reply = thread.posts.last()
    assert reply.quote == first
    page = client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "Camille" in page and "a écrit" in page


def test_a_hidden_post_shows_its_reason_to_its_author_and_nothing_to_others(client, room, thread):
    post = thread.posts.get()
    client.force_login(room["tutor"])
    response = client.post(
        reverse("forums:post_hide", args=[post.pk]), {"reason": "Propos hors charte"}
    )
    assert response.status_code == 302
    url = reverse("forums:thread", args=[thread.pk])

    client.force_login(room["teacher"])
    mine = client.get(url).content.decode()
    client.force_login(room["classmate"])
    theirs = client.get(url).content.decode()

    assert "Propos hors charte" in mine and "Comment organisez-vous" in mine
    assert "Propos hors charte" not in theirs and "Comment organisez-vous" not in theirs
    assert "masqué par l’équipe de formation" in theirs


def test_edited_posts_show_modifie(client, room, thread):
    post = thread.posts.get()
    client.force_login(room["teacher"])

    client.post(reverse("forums:post_edit", args=[post.pk]), {"body": "<p>Corrigé</p>"})

    page = client.get(reverse("forums:thread", args=[thread.pk])).content.decode()
    assert "Corrigé" in page and "modifié" in page


def test_a_closed_session_forum_is_readable_and_refuses_a_post(client, room, thread):
    session = room["session"]
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    client.force_login(room["classmate"])
    url = reverse("forums:thread", args=[thread.pk])

    page = client.get(url).content.decode()
    response = client.post(reverse("forums:reply", args=[thread.pk]), {"body": "<p>Tard</p>"})

    assert "Comment organisez-vous" in page and "ne reçoivent plus de messages" in page
    assert 'name="body"' not in page
    assert response.status_code == 302
    assert "ne reçoivent plus de messages" in client.get(response.url).content.decode()
    assert thread.posts.count() == 1


def test_an_archived_session_keeps_its_forums_readable_for_participants(client, room, thread):
    session = room["session"]
    session.status = SessionStatus.ARCHIVED
    session.save(update_fields=["status"])
    client.force_login(room["classmate"])

    assert client.get(reverse("forums:thread", args=[thread.pk])).status_code == 200
    assert client.get(reverse("forums:session", args=[session.pk])).status_code == 200


def test_the_session_content_links_to_the_forum_of_the_session(client, room):
    client.force_login(room["teacher"])

    page = client.get(reverse("training:participant_session", args=[room["session"].pk]))
    url = reverse("forums:activity", args=[room["discussion"].activity_id])

    assert url in page.content.decode()
    assert client.get(url).url == reverse("forums:forum", args=[room["discussion"].pk])


def test_moderators_pin_and_lock_through_the_page(client, room, thread):
    client.force_login(room["tutor"])

    client.post(reverse("forums:thread_pin", args=[thread.pk]), {"epingler": "1"})
    client.post(reverse("forums:thread_lock", args=[thread.pk]), {"verrouiller": "1"})
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked) == (True, True)

    client.force_login(room["classmate"])
    client.post(reverse("forums:thread_lock", args=[thread.pk]), {"verrouiller": "0"})
    thread.refresh_from_db()
    assert thread.locked


def test_a_thread_of_a_locked_discussion_offers_no_reply_form(client, room, thread):
    services.set_locked(thread=thread, by=room["trainer"], locked=True)
    client.force_login(room["classmate"])

    page = client.get(reverse("forums:thread", args=[thread.pk])).content.decode()

    assert 'name="body"' not in page and "verrouillée" in page


def test_the_session_page_links_its_team_to_the_forums_not_the_ien(client, room):
    url = reverse("training:manage", args=[room["session"].pk])
    forums = reverse("forums:session", args=[room["session"].pk])

    client.force_login(room["tutor"])
    assert forums in client.get(url).content.decode()
    client.force_login(room["ien"])
    assert forums not in client.get(url).content.decode()


def test_a_refused_reply_keeps_page_links_on_the_thread_address(client, room, thread):
    from preau.forums.models import Post as PostModel

    PostModel.objects.bulk_create(
        PostModel(thread=thread, author=room["classmate"], body="<p>r</p>") for _ in range(30)
    )
    client.force_login(room["teacher"])

    page = client.post(reverse("forums:reply", args=[thread.pk]), {"body": ""}).content.decode()

    assert f'href="{reverse("forums:thread", args=[thread.pk])}?page=2"' in page


def test_a_ten_megabyte_post_gets_a_french_page_saying_it_is_too_big_and_nothing_is_saved(
    client, room, thread, settings
):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(room["classmate"])

    response = client.post(
        reverse("forums:reply", args=[thread.pk]), {"body": "x" * (10 * 1024 * 1024 + 1)}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Le formulaire envoyé est trop volumineux" in content
    assert "10,0\xa0Mio" in content
    assert "Rien n’a été enregistré." in content
    assert thread.posts.count() == 1
