import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from preau.forums import services
from preau.forums.models import BODY_MAX_CHARS, Post, Subscription, Thread
from preau.training.models import SessionStatus

pytestmark = pytest.mark.django_db


def test_a_session_gets_one_announcements_forum_and_one_forum_per_forum_activity(room):
    services.ensure_forums(session=room["session"])
    services.ensure_forums(session=room["session"])  # nothing made twice

    forums = list(room["session"].forums.order_by("kind"))
    assert [f.kind for f in forums] == ["announcements", "discussion"]
    assert forums[1].activity.title == "Partagez une séance que vous avez menée"


def test_two_sessions_of_the_same_parcours_have_their_own_forums_and_no_posts_copied(room, thread):
    from preau.parcours.models import Activity
    from tests import factories

    session = room["session"]
    section = factories.SectionFactory(parcours=session.source)
    Activity.objects.create(section=section, kind="forum", title="Échanges entre collègues")
    other = factories.TrainingSessionFactory(open=True, source=session.source)
    services.ensure_forums(session=other)
    forums = list(other.forums.all())

    assert len(forums) == 2
    assert room["discussion"].activity_id not in {f.activity_id for f in forums}
    assert not Thread.objects.filter(forum__session=other).exists()


def test_a_participant_starts_a_thread_and_follows_it(room):
    thread = services.start_thread(
        forum=room["discussion"], by=room["teacher"], title="  Les  rituels ", body="<p>Oui</p>"
    )

    assert thread.title == "Les rituels"
    assert thread.posts.get().body == "<p>Oui</p>"
    assert thread.last_post_id == thread.posts.get().pk
    assert Subscription.objects.filter(user=room["teacher"], thread=thread).exists()


def test_a_script_in_a_post_is_removed(room):
    thread = services.start_thread(
        forum=room["discussion"],
        by=room["teacher"],
        title="Essai",
        body='<p onclick="x()">Bonjour<script>alert(1)</script></p>',
    )

    assert thread.posts.get().body == "<p>Bonjour</p>"


@pytest.mark.parametrize("body", ["", "   ", "<p><br></p>", "<script>alert(1)</script>"])
def test_an_empty_post_is_refused_and_nothing_is_saved(room, body):
    with pytest.raises(ValidationError, match="Le message est vide"):
        services.start_thread(forum=room["discussion"], by=room["teacher"], title="T", body=body)

    assert not Thread.objects.exists()


def test_a_post_longer_than_the_cap_is_refused(room, thread):
    with pytest.raises(ValidationError, match="trop long"):
        services.reply(thread=thread, by=room["classmate"], body="<p>" + "a" * BODY_MAX_CHARS)
    with pytest.raises(ValidationError, match="trop long"):
        services.reply(thread=thread, by=room["classmate"], body="a" * 10 * 1024 * 1024)

    assert thread.posts.count() == 1


def test_a_forbidden_file_is_refused_and_nothing_is_saved(room):
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        services.start_thread(
            forum=room["discussion"],
            by=room["teacher"],
            title="Fichier",
            body="<p>Voici</p>",
            attachment=SimpleUploadedFile("virus.exe", b"MZ"),
        )

    assert not Thread.objects.exists()


def test_only_trainers_and_tutors_post_announcements(room):
    with pytest.raises(PermissionDenied):
        services.start_thread(
            forum=room["announcements"], by=room["teacher"], title="A", body="<p>b</p>"
        )
    for person in ("trainer", "tutor"):
        services.start_thread(
            forum=room["announcements"], by=room[person], title="A", body="<p>b</p>"
        )

    assert room["announcements"].threads.count() == 2


def test_participants_do_not_reply_to_announcements(room):
    thread = services.start_thread(
        forum=room["announcements"], by=room["trainer"], title="A", body="<p>b</p>"
    )

    with pytest.raises(PermissionDenied):
        services.reply(thread=thread, by=room["teacher"], body="<p>merci</p>")


def test_a_person_waiting_or_outside_the_session_cannot_post(room, thread):
    for person in ("waiting", "ien", "pilot", "nobody", "other_trainer"):
        with pytest.raises(PermissionDenied):
            services.reply(thread=thread, by=room[person], body="<p>Bonjour</p>")


def test_a_reply_may_quote_a_post_of_the_same_thread(room, thread):
    first = thread.posts.get()
    reply = services.reply(thread=thread, by=room["classmate"], body="<p>Oui</p>", quote=first)

    assert reply.quote == first
    assert Thread.objects.get(pk=thread.pk).last_post_id == reply.pk


def test_a_locked_thread_refuses_replies_from_participants_not_from_moderators(room, thread):
    services.set_locked(thread=thread, by=room["tutor"], locked=True)

    with pytest.raises(ValidationError, match="verrouillée"):
        services.reply(thread=thread, by=room["classmate"], body="<p>Oui</p>")
    services.reply(thread=thread, by=room["trainer"], body="<p>Je clos ici.</p>")


def test_participants_do_not_moderate(room, thread):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.hide_post(post=post, by=room["classmate"], reason="Hors sujet")
    with pytest.raises(PermissionDenied):
        services.set_pinned(thread=thread, by=room["teacher"], pinned=True)
    with pytest.raises(PermissionDenied):
        services.set_locked(thread=thread, by=room["ien"], locked=True)


def test_a_tutor_hides_a_post_with_a_reason(room, thread):
    post = services.hide_post(post=thread.posts.get(), by=room["tutor"], reason=" Hors  sujet ")

    assert (post.hidden, post.hidden_reason) == (True, "Hors sujet")
    with pytest.raises(ValidationError, match="motif"):
        services.hide_post(post=post, by=room["tutor"], reason="  ")


def test_its_author_edits_a_post_within_thirty_minutes_then_it_shows_edited(
    room, thread, time_machine
):
    post = thread.posts.get()
    services.edit_post(post=post, by=room["teacher"], body="<p>Corrigé</p>")

    post.refresh_from_db()
    assert (post.body, post.edited) == ("<p>Corrigé</p>", True)
    with pytest.raises(ValidationError):
        services.edit_post(post=post, by=room["classmate"], body="<p>Pas à moi</p>")
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=31), tick=False)
    with pytest.raises(ValidationError, match="30 minutes"):
        services.edit_post(post=post, by=room["teacher"], body="<p>Trop tard</p>")


def test_its_author_deletes_a_post_while_nobody_replied(room, thread):
    reply = services.reply(thread=thread, by=room["classmate"], body="<p>Oui</p>")

    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        services.delete_post(post=thread.posts.first(), by=room["teacher"])
    with pytest.raises(PermissionDenied):
        services.delete_post(post=reply, by=room["teacher"])
    assert services.delete_post(post=reply, by=room["classmate"]) == thread
    assert Thread.objects.get(pk=thread.pk).last_post_id == thread.posts.get().pk
    assert services.delete_post(post=thread.posts.get(), by=room["teacher"]) is None
    assert not Thread.objects.filter(pk=thread.pk).exists()


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_every_write_of_a_closed_or_archived_session_is_refused(room, thread, status):
    post = thread.posts.get()
    session = room["session"]
    session.status = status
    session.save(update_fields=["status"])
    thread.refresh_from_db()
    post = Post.objects.select_related("thread__forum__session").get(pk=post.pk)
    writes = {
        "start_thread": lambda: services.start_thread(
            forum=thread.forum, by=room["trainer"], title="T", body="<p>b</p>"
        ),
        "reply": lambda: services.reply(thread=thread, by=room["trainer"], body="<p>b</p>"),
        "edit_post": lambda: services.edit_post(post=post, by=room["teacher"], body="<p>b</p>"),
        "delete_post": lambda: services.delete_post(post=post, by=room["teacher"]),
        "hide_post": lambda: services.hide_post(post=post, by=room["trainer"], reason="r"),
        "unhide_post": lambda: services.unhide_post(post=post, by=room["trainer"]),
        "set_pinned": lambda: services.set_pinned(thread=thread, by=room["trainer"], pinned=True),
        "set_locked": lambda: services.set_locked(thread=thread, by=room["trainer"], locked=True),
        "follow": lambda: services.follow(user=room["classmate"], thread=thread),
    }
    for name, write in writes.items():
        with pytest.raises(ValidationError, match="session est close"):
            write()
        assert Post.objects.count() == 1, name
    assert not Post.objects.filter(edited=True).exists()
    assert not Thread.objects.filter(pinned=True).exists()
    assert not Thread.objects.filter(locked=True).exists()


def test_a_participant_cannot_post_before_the_session_opens_but_the_trainer_can(room, thread):
    session = room["session"]
    session.status = SessionStatus.PREPARATION
    session.save(update_fields=["status"])
    thread.forum.session.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.reply(thread=thread, by=room["classmate"], body="<p>Bonjour</p>")
    services.start_thread(
        forum=room["announcements"], by=room["trainer"], title="Bienvenue", body="<p>Bientôt</p>"
    )
