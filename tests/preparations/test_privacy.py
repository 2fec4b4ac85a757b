"""A group's document belongs to the group and the session's trainers and tutors: those who
pilot the session and the administrators read it nowhere (no page, no admin, not who wrote
what), and its storage keeps no time at all, nor an author per change (domain.md §6): the
document keeps which member wrote with which editor (Yjs client id), without a time, for
« qui a écrit quoi », read by the document's writers only (test_authorship.py)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse

from preau.preparations import services
from preau.preparations.models import Author
from tests.core.test_access_matrix import ACCESS, ARGS, _close
from tests.core.world import build_world

from .conftest import typed

pytestmark = pytest.mark.django_db

SECRET = "Idée notée par Camille en salle des maîtres"


@pytest.mark.parametrize("role", ["ien", "pilot", "manager", "admin"])
def test_no_page_shows_a_group_document_to_those_who_pilot(client, cast, territory, role):
    world = build_world(cast, territory)
    document = world["prep_document"]
    services.record_update(document=document, update=typed(document, SECRET), by=cast["teacher"])
    client.force_login(cast[role])
    seen = []
    for name, row in ACCESS.items():
        if row.method != "GET":
            continue
        response = client.get(reverse(name, args=ARGS[row.args](world | {"territory": territory})))
        if response.streaming:
            body = b"".join(response.streaming_content)
            _close(response)
        else:
            body = response.content
        if SECRET in body.decode("utf-8", "replace"):
            seen.append(name)
    assert not seen, seen


def test_the_admin_registers_no_preparation_model():
    assert not [m for m in admin.site._registry if m._meta.app_label == "preparations"]


@pytest.mark.parametrize("role", ["ien", "pilot", "manager", "admin"])
def test_those_who_pilot_never_learn_who_wrote_what(client, cast, territory, role):
    world = build_world(cast, territory)
    document = world["prep_document"]
    services.record_update(document=document, update=typed(document, SECRET), by=cast["teacher"])
    assert Author.objects.filter(document=document, user=cast["teacher"]).exists()
    client.force_login(cast[role])

    response = client.get(reverse("preparations:authors", args=[document.pk]))

    assert response.status_code == 404
    assert cast["teacher"].last_name not in response.content.decode()


def test_no_change_keeps_a_time_or_an_author_and_nothing_keeps_a_time():
    """Who typed what when would measure each teacher's work. A stored change is its bytes
    and its document, nothing else; no model of the app has a date, time or duration field.
    Who wrote with which editor is kept per document, without a time (`Author`): since a
    change's items name their editor, the database can tell who wrote a change, never when."""
    update = apps.get_model("preparations", "DocumentUpdate")
    assert {f.name for f in update._meta.concrete_fields} == {"id", "document", "data"}
    author = apps.get_model("preparations", "Author")
    assert {f.name for f in author._meta.concrete_fields} == {"id", "document", "client_id", "user"}
    for model in apps.get_app_config("preparations").get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateField | models.TimeField), field
            assert not isinstance(field, models.DurationField), field
