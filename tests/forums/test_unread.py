"""Unread markers: each person's own, from the id of the last post they were shown."""

import pytest
from django.urls import reverse

from preau.forums import selectors, services
from preau.forums.models import ReadMark

pytestmark = pytest.mark.django_db


def test_new_posts_of_others_are_unread_until_the_thread_is_opened(client, room, thread):
    session = room["session"]
    services.reply(thread=thread, by=room["classmate"], body="<p>Un</p>")
    services.reply(thread=thread, by=room["classmate"], body="<p>Deux</p>")

    assert selectors.session_unread_count(session, room["teacher"]) == 2
    assert selectors.session_unread_count(session, room["classmate"]) == 0  # their own
    assert selectors.session_unread_count(session, room["trainer"]) == 3

    client.force_login(room["teacher"])
    client.get(reverse("forums:thread", args=[thread.pk]))
    assert selectors.session_unread_count(session, room["teacher"]) == 0
    assert selectors.session_unread_count(session, room["trainer"]) == 3


def test_the_read_mark_holds_a_post_id_and_no_time(room, thread):
    fields = {f.name for f in ReadMark._meta.get_fields()}

    assert fields == {"id", "user", "thread", "last_read_post_id"}


def test_the_participant_session_page_shows_the_count_of_new_messages(client, room, thread):
    services.reply(thread=thread, by=room["classmate"], body="<p>Un</p>")
    client.force_login(room["teacher"])

    page = client.get(reverse("training:participant_session", args=[room["session"].pk]))

    assert "1 nouveau message" in page.content.decode()


def test_the_home_page_lists_sessions_with_new_messages(client, room, thread):
    services.reply(thread=thread, by=room["classmate"], body="<p>Un</p>")
    services.reply(thread=thread, by=room["classmate"], body="<p>Deux</p>")
    client.force_login(room["teacher"])

    page = client.get(reverse("portal:home")).content.decode()

    assert "2 nouveaux messages" in page
    assert reverse("forums:session", args=[room["session"].pk]) in page


def test_mark_all_as_read(client, room, thread):
    services.reply(thread=thread, by=room["classmate"], body="<p>Un</p>")
    services.start_thread(
        forum=room["announcements"], by=room["trainer"], title="Info", body="<p>Salle 3</p>"
    )
    client.force_login(room["teacher"])
    assert selectors.session_unread_count(room["session"], room["teacher"]) == 2

    client.post(reverse("forums:mark_all_read", args=[room["session"].pk]))

    assert selectors.session_unread_count(room["session"], room["teacher"]) == 0
    services.reply(thread=thread, by=room["classmate"], body="<p>Trois</p>")
    assert selectors.session_unread_count(room["session"], room["teacher"]) == 1


def test_nobody_sees_another_persons_unread_markers(client, room, thread):
    """The markers on a page are computed for its viewer only: the trainer, who has read the
    thread, sees no marker while Camille still has a new message."""
    services.reply(thread=thread, by=room["classmate"], body="<p>Un</p>")
    client.force_login(room["trainer"])
    client.get(reverse("forums:thread", args=[thread.pk]))

    forums = client.get(reverse("forums:session", args=[room["session"].pk])).content.decode()
    forum = client.get(reverse("forums:forum", args=[thread.forum_id])).content.decode()

    assert selectors.session_unread_count(room["session"], room["teacher"]) == 1
    assert "fr-badge--new" not in forums and "fr-badge--new" not in forum


def test_the_home_page_leaves_out_a_session_whose_only_new_post_is_the_viewers_own(
    client, room, thread
):
    """The thread's last post is beyond the classmate's read position, but it is her own: the
    count is 0 and the home page says nothing about that session."""
    services.reply(thread=thread, by=room["classmate"], body="<p>Ma réponse</p>")
    client.force_login(room["classmate"])

    page = client.get(reverse("portal:home")).content.decode()

    assert selectors.unread_by_session(room["classmate"]) == []
    assert "nouveau message" not in page


def test_the_unread_count_counts_each_threads_posts_once(room):
    """Filtering `unread > 0` in SQL made Django repeat the counting subquery in the WHERE
    clause, and the database count every thread's new posts twice (14.7 ms of SQL instead of
    3.5 ms on the 25,000-participant bench, docs/performance.md)."""
    from preau.forums.models import Thread

    sql = str(
        selectors.unread_threads(room["teacher"], Thread.objects.filter(forum__session=1))
        .values_list("forum", "unread")
        .query
    )

    assert sql.upper().count("COUNT(") == 1
