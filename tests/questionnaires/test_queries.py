"""The results pages run a fixed number of queries, whatever the number of answers and
sessions: they read the maintained aggregate, never the answers (but the comments shown)."""

import pytest
from django.urls import reverse

from preau.questionnaires import services
from preau.training.models import SessionStatus
from tests import factories

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _answers(session, n: int, start: int = 0):
    closing = services.closing_questionnaire(session)
    for seed in range(start, start + n):
        person = factories.teacher()
        factories.EnrolmentFactory(session=session, user=person)
        services.send(questionnaire=closing, by=person, answers=answer_all(closing, person, seed))


def _set_status(session, status: str) -> None:
    session.status = status
    session.save(update_fields=["status"])


def _run(client, count_queries, url):
    with count_queries() as ran:
        response = client.get(url)
    assert response.status_code == 200
    return ran


SESSION_RESULTS_QUERIES = [
    "the sign-in session",
    "the user",
    "the session among those the viewer follows (its trainers, tutors, pilots)",
    "whether the viewer is one of its trainers or tutors (self-positioning results)",
    "the session's questionnaires",
    "the counts of the questionnaires shown (above the threshold)",
    "their questions",
    "the comments of the satisfaction questionnaires shown",
    "the viewer's roles (the site menu)",
    "unread notifications of the person (the bell in the header)",
]


def test_session_results_run_the_same_queries_with_6_or_60_answers(
    client, room, cast, count_queries
):
    client.force_login(cast["trainer"])
    url = reverse("questionnaires:session_results", args=[room["session"].pk])
    for total, start in ((6, 0), (54, 6)):
        _set_status(room["session"], SessionStatus.OPEN)
        _answers(room["session"], total, start)
        _set_status(room["session"], SessionStatus.CLOSED)  # satisfaction results shown
        ran = _run(client, count_queries, url)
        assert len(ran) == len(SESSION_RESULTS_QUERIES), ran.sql()


PARCOURS_RESULTS_QUERIES = [
    "the sign-in session",
    "the user",
    "the parcours (published or archived)",
    "the viewer's roles (editorial committee?)",
    "the totals: answers and sessions of the lineage",
    "the counts per question key and option, summed over the lineage",
    "the latest wording of each question key",
    "the comments, in the order of their random ids",
    "the viewer's roles (the site menu)",
    "unread notifications of the person (the bell in the header)",
]


def test_parcours_results_run_the_same_queries_with_1_or_10_sessions(
    client, room, cast, source, count_queries
):
    client.force_login(cast["editorial"])
    url = reverse("questionnaires:parcours_results", args=[source.pk])
    _answers(room["session"], 6)
    _set_status(room["session"], SessionStatus.CLOSED)  # only closed sessions count
    ran = _run(client, count_queries, url)
    assert len(ran) == len(PARCOURS_RESULTS_QUERIES), ran.sql()
    for _ in range(9):
        session = factories.TrainingSessionFactory(open=True, source=source)
        _answers(session, 5)
        _set_status(session, SessionStatus.CLOSED)
    ran = _run(client, count_queries, url)
    assert len(ran) == len(PARCOURS_RESULTS_QUERIES), ran.sql()
    assert "51 réponses dans 10 sessions" in client.get(url).content.decode()
