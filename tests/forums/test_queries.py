"""Forum pages run a fixed number of queries, whatever the number of posts and people."""

import pytest
from django.urls import reverse

from preau.forums.models import Post, Thread
from preau.training.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


def _grow_thread(thread, author, n: int) -> None:
    posts = Post.objects.bulk_create(
        Post(thread=thread, author=author, body=f"<p>Réponse {i}</p>") for i in range(n)
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_id=max(p.pk for p in posts))


def _run(client, count_queries, url):
    with count_queries() as ran:
        response = client.get(url)
    assert response.status_code == 200
    return ran


# The thread page, for a participant:
THREAD_QUERIES = [
    "the sign-in session",
    "the user",
    "the thread with its forum and session, among the viewer's sessions",
    "the post count (pagination)",
    "the page of 25 posts with their authors and quoted posts",
    "the viewer's read position in the thread",
    "moving it forward",
    "is the viewer staff of the session (moderation)",
    "the viewer's subscription to the thread",
    "the viewer's roles (the site menu)",
    "the viewer's unread notifications (the bell in the header)",
]


def test_a_thread_page_runs_the_same_queries_with_10_or_1000_replies(
    client, room, thread, count_queries
):
    client.force_login(room["teacher"])
    url = reverse("forums:thread", args=[thread.pk])
    counts = []
    for total in (10, 1000):
        _grow_thread(thread, room["classmate"], total - thread.posts.count() + 1)
        ran = _run(client, count_queries, url + "?page=2")
        counts.append(len(ran))
        assert len(ran) == len(THREAD_QUERIES), ran.sql()
    assert Post.objects.filter(thread=thread).count() == 1001
    response = client.get(url + "?page=41")
    assert response.context["page"].number == 41
    assert len(response.context["posts"]) == 1


# The forum list of a session, for a participant:
SESSION_FORUMS_QUERIES = [
    "the sign-in session",
    "the user",
    "the session, among the viewer's sessions",
    "ensure: the announcements forum (get)",
    "ensure: the forum activities without a forum",
    "the forums with their activities",
    "thread counts per forum",
    "the viewer's unread counts per forum",
    "is the viewer staff of the session",
    "the viewer's roles (the site menu)",
    "the viewer's unread notifications (the bell in the header)",
]


def test_the_forum_list_runs_the_same_queries_with_ten_times_more_people_and_posts(
    client, room, thread, count_queries
):
    client.force_login(room["teacher"])
    url = reverse("forums:session", args=[room["session"].pk])
    for factor in (1, 10):
        people = factories.teachers_at(room["teacher"].school, 20 * factor)
        Enrolment.objects.bulk_create(
            Enrolment(session=room["session"], user=person) for person in people
        )
        _grow_thread(thread, people[0], 30 * factor)
        ran = _run(client, count_queries, url)
        assert len(ran) == len(SESSION_FORUMS_QUERIES), ran.sql()


# A forum's threads, for a participant:
FORUM_QUERIES = [
    "the sign-in session",
    "the user",
    "the forum with its session and activity, among the viewer's sessions",
    "the thread count (pagination)",
    "the page of threads with authors and post counts",
    "the viewer's unread counts for those threads",
    "the viewer's subscription to the forum",
    "is the viewer staff of the session (may write)",
    "the viewer's roles (the site menu)",
    "the viewer's unread notifications (the bell in the header)",
]


def test_a_forum_page_runs_the_same_queries_with_ten_times_more_threads(
    client, room, count_queries
):
    client.force_login(room["teacher"])
    url = reverse("forums:forum", args=[room["discussion"].pk])
    for factor in (1, 10):
        threads = Thread.objects.bulk_create(
            Thread(forum=room["discussion"], title=f"Sujet {i}", author=room["classmate"])
            for i in range(5 * factor)
        )
        for t in threads:
            _grow_thread(t, room["classmate"], 2)
        ran = _run(client, count_queries, url)
        assert len(ran) == len(FORUM_QUERIES), ran.sql()
