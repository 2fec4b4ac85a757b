"""The admin registers no model of the questionnaires and shows no answer. The walk of every
page as every role (tests/core/test_private_content.py) covers the questionnaires' answers too:
their planter, `plant_questionnaires` in tests/core/private_markers.py, has a classmate of the
session answer the self-positioning and the closing questionnaire with recognisable texts."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.core.test_access_matrix import _close
from tests.core.world import build_world

pytestmark = pytest.mark.django_db

SECRETS = ("Positionnement-secret-4b1d", "Satisfaction-secrete-77e0")


def _body(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
        _close(response)  # without closing the test's database connection (PostgreSQL)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def test_the_admin_registers_no_answer_and_shows_none(client, cast, territory):
    from preau.questionnaires import models

    for model in (
        models.PositioningResponse,
        models.SatisfactionAnswer,
        models.SatisfactionMarker,
        models.SatisfactionDraft,
        models.OptionCount,
        models.Questionnaire,
        models.Question,
    ):
        assert model not in admin.site._registry  # Préau's admin site (PreauAdminSite)
    world = build_world(cast, territory)
    assert {m.text for m in world["private_markers"]} >= set(SECRETS)  # the answers are there
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        body = _body(client.get(url))
        assert not any(secret in body for secret in SECRETS), url
