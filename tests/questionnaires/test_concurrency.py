"""A draft saved (one request) while the same person's answers are being sent (another): the
draft waits for the send, then is refused; nothing of it is kept.

Without that, a satisfaction draft written after `send` deleted the draft would keep the person
beside their answers for good, and a self-positioning draft would overwrite the answers just
sent. The send runs in this thread and is held uncommitted while another thread (its own
connection) saves the draft. PostgreSQL only: SQLite takes the whole database's write lock at
the start of every transaction (`transaction_mode` IMMEDIATE), so the two never interleave
there, and it has no row locks.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from preau.questionnaires import services
from preau.questionnaires.models import PositioningResponse, SatisfactionDraft

from .conftest import answer_all

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (run with DATABASE_URL)",
    ),
]

# Long enough for an unlocked draft to be written while the send is held uncommitted.
WINDOW = 1.0


def _in_another_request(call) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as error:  # looked at by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _while_sending(questionnaire, person, sent: dict, draft: dict) -> dict:
    """Sends `sent`, and before the send commits, saves `draft` from another connection."""
    with transaction.atomic():
        services.send(questionnaire=questionnaire, by=person, answers=sent)
        thread, outcome = _in_another_request(
            lambda: services.save_draft(questionnaire=questionnaire, by=person, answers=draft)
        )
        thread.join(timeout=WINDOW)
    thread.join(timeout=30)
    assert not thread.is_alive(), "the draft is stuck"
    return outcome


def test_a_satisfaction_draft_saved_while_sending_is_refused_and_kept_nowhere(room):
    teacher, questionnaire = room["teacher"], room["satisfaction"]
    answers = answer_all(questionnaire, teacher, 3)
    outcome = _while_sending(questionnaire, teacher, answers, answers)
    assert isinstance(outcome.get("error"), ValidationError)
    assert not SatisfactionDraft.objects.exists()


def test_a_positioning_draft_saved_while_sending_does_not_overwrite_what_was_sent(room):
    teacher, questionnaire = room["teacher"], room["before"]
    first = questionnaire.questions.first()
    services.save_draft(questionnaire=questionnaire, by=teacher, answers={str(first.pk): 0})
    outcome = _while_sending(questionnaire, teacher, {str(first.pk): 3}, {str(first.pk): 1})
    assert isinstance(outcome.get("error"), ValidationError)
    response = PositioningResponse.objects.get(questionnaire=questionnaire, user=teacher)
    assert response.sent and response.answers == {str(first.pk): 3}
