"""The IEN, pilot teams, academic managers and administrators see no forum content: not on any
page or export of the application, nor in the technical admin (domain.md §6)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.core.test_access_matrix import ACCESS, ARGS, _close
from tests.core.world import build_world

pytestmark = pytest.mark.django_db

SECRET = "Confidence de salle des maîtres"


def _content(response) -> str:
    if response.streaming:
        body = b"".join(response.streaming_content)
        _close(response)
        return body.decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ["ien", "pilot", "manager", "admin"])
def test_no_page_or_export_shows_forum_content_to_those_who_pilot(client, cast, territory, role):
    world = build_world(cast, territory)
    world["post"].body = f"<p>{SECRET}</p>"
    world["post"].save(update_fields=["body"])
    world["thread"].title = SECRET
    world["thread"].save(update_fields=["title"])
    client.force_login(cast[role])
    seen = []
    for name, row in ACCESS.items():
        if row.method != "GET":
            continue
        url = reverse(name, args=ARGS[row.args](world | {"territory": territory}))
        response = client.get(url)
        if SECRET in _content(response):
            seen.append(name)
    assert not seen, seen


def test_the_admin_registers_no_forum_model():
    """Moderation happens in the application, by the session's trainers and tutors; the
    technical staff have no reason to read teachers' exchanges, so no forum model is in the
    admin (not even with the bodies left out: a thread title is content too)."""
    assert not [m for m in admin.site._registry if m._meta.app_label == "forums"]


def test_the_admin_has_no_forum_page_even_for_a_superuser(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/forums/post/").status_code == 404
    assert client.get("/admin/forums/").status_code == 404
