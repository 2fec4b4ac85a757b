"""The demo's forums: `manage.py seed` fills the forums of the demo sessions that have started
with the exchanges of demo/forums.json; a second run adds nothing."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from preau.accounts.models import User
from preau.forums import selectors
from preau.forums.models import Forum, Post, Thread
from preau.forums.seeding import DATA
from preau.training.models import SessionStatus, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0, i_know_this_is_production=True)


def test_started_demo_sessions_have_lively_forums_and_none_in_preparation(seeded):
    started = TrainingSession.objects.exclude(status=SessionStatus.PREPARATION)
    with_posts = started.filter(forums__threads__isnull=False).distinct()

    assert with_posts.count() >= 5
    assert not Forum.objects.filter(session__status=SessionStatus.PREPARATION).exists()
    assert Thread.objects.filter(forum__kind="announcements").exists()
    texts = json.loads(DATA.read_text(encoding="utf-8"))
    titles = {t["title"] for t in texts["threads"]}
    assert set(Thread.objects.values_list("title", flat=True)) & titles


def test_mentions_name_real_people_of_the_session(seeded):
    post = Post.objects.filter(body__contains="@").select_related("thread__forum__session").first()

    assert "{p" not in post.body
    from preau.forums.services import mentioned_users

    assert mentioned_users(post)


def test_the_demo_teacher_finds_new_messages(seeded, client):
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    session = TrainingSession.objects.filter(
        enrolments__user=teacher, status=SessionStatus.OPEN, forums__isnull=False
    ).first()

    assert selectors.session_unread_count(session, teacher) > 0
    client.force_login(teacher)
    assert "nouveaux messages" in client.get(reverse("portal:home")).content.decode()


def test_seeding_twice_adds_no_post(seeded):
    before = Post.objects.count()

    call_command("seed", verbosity=0, i_know_this_is_production=True)

    assert Post.objects.count() == before
