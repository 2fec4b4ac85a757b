"""The demo's questionnaires: `manage.py seed` places a self-positioning at the start and end of
started demo sessions, with answers, and closing answers in closed sessions; a second run adds
nothing."""

import pytest
from django.core.management import call_command

from preau.accounts.seeding import DEMO_ACCOUNTS
from preau.questionnaires import selectors
from preau.questionnaires.models import PositioningResponse, Questionnaire, SatisfactionAnswer
from preau.training.models import Enrolment, SessionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_self_positionings_and_closing_answers_and_seeding_twice_adds_nothing():
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert PositioningResponse.objects.filter(sent=True).count() >= 20
    assert Questionnaire.objects.filter(
        purpose="satisfaction", session__status=SessionStatus.CLOSED, answered__gte=5
    ).exists()
    assert SatisfactionAnswer.objects.exclude(text="").exists()
    demo_emails = {email for email, *_rest in DEMO_ACCOUNTS}
    enrolment = (
        Enrolment.objects.filter(user__email__in=demo_emails)
        .exclude(session__status=SessionStatus.PREPARATION)
        .select_related("session", "user")
        .first()
    )
    chart = selectors.own_positioning(enrolment.session, enrolment.user)
    assert chart.has_answers and len(chart.columns) == 2
    counts = (PositioningResponse.objects.count(), SatisfactionAnswer.objects.count())
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert (PositioningResponse.objects.count(), SatisfactionAnswer.objects.count()) == counts
