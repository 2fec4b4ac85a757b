"""The proof of issue #18: every page of the site (each URL of the access table, plus the admin)
is visited as each role of the cast; no individual self-positioning or satisfaction answer
appears anywhere. A classmate (not of the cast) has answered both with recognisable texts;
below the threshold, not even the aggregates show."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from preau.questionnaires import services
from preau.questionnaires.models import QuestionKind
from tests import factories
from tests.core.test_access_matrix import ACCESS, ARGS, _close, people  # noqa: F401 (fixture)
from tests.core.world import build_world

pytestmark = pytest.mark.django_db

POSITIONING_SECRET = "Positionnement-secret-4b1d"
SATISFACTION_SECRET = "Satisfaction-secrete-77e0"
CAST = ["teacher", "trainer", "tutor", "designer", "reviewer", "editorial", "ien", "pilot",
        "manager", "admin", "nobody"]  # fmt: skip


def _answer(world):
    classmate = world["other_enrolment"].user
    positioning = world["positioning"]
    note = positioning.questions.create(
        kind=QuestionKind.SHORT_TEXT, text="Ce que je veux travailler", position=50
    )
    answers = {str(q.pk): 1 for q in positioning.questions.filter(kind="scale")}
    answers[str(note.pk)] = POSITIONING_SECRET
    services.send(questionnaire=positioning, by=classmate, answers=answers)
    closing = services.closing_questionnaire(world["session"])
    text = closing.questions.filter(kind="long_text").first()
    single = closing.questions.filter(kind="single").first()
    services.send(
        questionnaire=closing,
        by=classmate,
        answers={str(text.pk): SATISFACTION_SECRET, str(single.pk): 0},
    )


def _body(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
        _close(response)  # without closing the test's database connection (PostgreSQL)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def test_no_page_shows_an_individual_answer_to_any_role(people, territory):  # noqa: F811
    world = build_world(people, territory) | {"territory": territory}
    _answer(world)
    leaks = []
    for role in CAST:
        client = Client()
        client.force_login(people[role])
        for name, row in ACCESS.items():
            if row.method != "GET":
                continue
            try:
                url = reverse(name, args=ARGS[row.args](world))
            except NoReverseMatch:  # pragma: no cover
                continue
            body = _body(client.get(url))
            for secret in (POSITIONING_SECRET, SATISFACTION_SECRET):
                if secret in body:
                    leaks.append(f"{secret} on {name} as {role}")
    assert not leaks, leaks


def test_the_admin_registers_no_answer_and_shows_none(client, people, territory):  # noqa: F811
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
    world = build_world(people, territory)
    _answer(world)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        body = _body(client.get(url))
        assert POSITIONING_SECRET not in body and SATISFACTION_SECRET not in body, url
