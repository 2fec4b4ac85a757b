"""The questionnaire engine's writes: templates, copies, drafts, sending once, the aggregate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from preau.parcours.models import Activity
from preau.parcours.services import create_new_version
from preau.questionnaires import services
from preau.questionnaires.models import (
    TEXT_ANSWERED,
    OptionCount,
    PositioningResponse,
    Purpose,
    QuestionKind,
    Questionnaire,
    SatisfactionAnswer,
    SatisfactionDraft,
    SatisfactionMarker,
    referentiel,
)
from preau.training.models import SessionStatus
from tests import factories

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def test_the_referentiel_holds_its_14_plus_5_competences():
    codes = [c["code"] for c in referentiel()]
    assert codes == [f"CC{i}" for i in range(1, 15)] + [f"P{i}" for i in range(1, 6)]


def test_self_positioning_is_built_from_the_objectives_of_the_parcours(source):
    activity = Activity.objects.get(section__parcours=source, title="Où en suis-je au départ ?")
    questions = list(activity.questionnaire.questions.all())
    assert [q.objective for q in questions] == [
        "Identifier les obstacles à la compréhension en lecture",
        "Construire une séquence d’enseignement explicite de la compréhension",
        "Évaluer les progrès des élèves en compréhension",
    ]
    assert {q.kind for q in questions} == {QuestionKind.SCALE}
    assert questions[0].option_list[0] == "Je ne maîtrise pas"
    assert questions[0].option_list[-1] == "Je maîtrise et je peux accompagner"


def test_a_satisfaction_activity_starts_from_the_national_default(source):
    template = services.national_template(Purpose.SATISFACTION)
    assert template.is_national_template
    activity = Activity.objects.get(section__parcours=source, kind="satisfaction")
    texts = [q.text for q in activity.questionnaire.questions.all()]
    assert texts[: template.questions.count()] == [q.text for q in template.questions.all()]
    assert texts[-1] == "Un mot pour résumer le parcours"


def test_a_session_and_a_new_version_copy_the_questions_with_their_keys(room, source, cast):
    original = Activity.objects.get(section__parcours=source, kind="satisfaction").questionnaire
    keys = [q.key for q in original.questions.all()]
    assert [q.key for q in room["satisfaction"].questions.all()] == keys
    assert room["satisfaction"].session == room["session"]
    draft = create_new_version(parcours=source, by=cast["designer"])
    copy = Activity.objects.get(section__parcours=draft, kind="satisfaction").questionnaire
    assert [q.key for q in copy.questions.all()] == keys
    assert copy.answered == 0 and copy.session is None


def test_the_closing_questionnaire_is_the_parcours_own_or_else_the_national_default(room):
    assert services.closing_questionnaire(room["session"]) == room["satisfaction"]
    bare = factories.TrainingSessionFactory(open=True)
    default = services.closing_questionnaire(bare)
    assert default.is_default_closing and default.session == bare
    assert services.closing_questionnaire(bare) == default
    assert default.questions.count() == services.national_template("satisfaction").questions.count()


def test_a_positioning_is_saved_as_a_draft_then_sent_once(room):
    teacher, questionnaire = room["teacher"], room["before"]
    first = questionnaire.questions.first()
    services.save_draft(questionnaire=questionnaire, by=teacher, answers={str(first.pk): 1})
    response = PositioningResponse.objects.get(questionnaire=questionnaire, user=teacher)
    assert response.answers == {str(first.pk): 1} and not response.sent
    assert OptionCount.objects.count() == 0  # a draft counts for nothing
    services.send(questionnaire=questionnaire, by=teacher, answers={str(first.pk): 2})
    response.refresh_from_db()
    assert response.sent and response.answers == {str(first.pk): 2}
    with pytest.raises(ValidationError):
        services.send(questionnaire=questionnaire, by=teacher, answers={str(first.pk): 3})
    with pytest.raises(ValidationError):
        services.save_draft(questionnaire=questionnaire, by=teacher, answers={})
    questionnaire.refresh_from_db()
    assert questionnaire.answered == 1


def test_answers_out_of_range_are_left_out(room):
    questionnaire = room["before"]
    first = questionnaire.questions.first()
    cleaned = services.clean_answers(
        questionnaire, {str(first.pk): 9, "999999": 1, "x": "y", str(first.pk + 1): -1}
    )
    assert cleaned == {}


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_takes_no_answer_nor_draft(room, status):
    room["session"].status = status
    room["session"].save(update_fields=["status"])
    for questionnaire in (room["before"], room["satisfaction"]):
        answers = answer_all(questionnaire, room["teacher"], 1)
        with pytest.raises(ValidationError):
            services.save_draft(questionnaire=questionnaire, by=room["teacher"], answers=answers)
        with pytest.raises(ValidationError):
            services.send(questionnaire=questionnaire, by=room["teacher"], answers=answers)
    assert not PositioningResponse.objects.exists() and not SatisfactionAnswer.objects.exists()


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_makes_no_questionnaire_when_one_is_opened(
    room, source, status
):
    """Opening a questionnaire makes it the first time, while the session is open; in a closed
    or archived session nothing is written: none is made, nor tied to the session."""
    content_kept = factories.TrainingSessionFactory(
        **{status: True}, source=source, participants=[room["teacher"]]
    )
    without_own = factories.TrainingSessionFactory(**{status: True}, participants=[room["teacher"]])
    before = Questionnaire.objects.count(), Questionnaire.objects.filter(session__isnull=False)
    before = before[0], before[1].count()
    activity = Activity.objects.get(
        section__parcours=content_kept.content, title="Où en suis-je au départ ?"
    )
    assert services.questionnaire_of_activity_to_open(activity, content_kept) is None
    assert services.closing_questionnaire_to_open(content_kept) is None
    assert services.closing_questionnaire_to_open(without_own) is None
    after = Questionnaire.objects.count(), Questionnaire.objects.filter(session__isnull=False)
    assert (after[0], after[1].count()) == before
    # One made while the session was open is found.
    assert services.closing_questionnaire_to_open(room["session"]) == room["satisfaction"]
    room["session"].status = status
    room["session"].save(update_fields=["status"])
    assert services.closing_questionnaire_to_open(room["session"]) == room["satisfaction"]
    assert (
        services.questionnaire_of_activity_to_open(room["before"].activity, room["session"])
        == room["before"]
    )


def test_only_enrolled_participants_answer(room, cast):
    for person in (room["waiting"], cast["trainer"], cast["nobody"]):
        with pytest.raises(PermissionDenied):
            services.send(
                questionnaire=room["satisfaction"],
                by=person,
                answers=answer_all(room["satisfaction"], person, 1),
            )


def test_a_satisfaction_answer_is_written_without_its_author_and_the_draft_goes(room):
    teacher, questionnaire = room["teacher"], room["satisfaction"]
    answers = answer_all(questionnaire, teacher, 3)
    services.save_draft(questionnaire=questionnaire, by=teacher, answers=answers)
    assert SatisfactionDraft.objects.filter(user=teacher).exists()
    services.send(questionnaire=questionnaire, by=teacher, answers=answers)
    assert not SatisfactionDraft.objects.exists()
    assert SatisfactionMarker.objects.filter(questionnaire=questionnaire, user=teacher).exists()
    assert SatisfactionAnswer.objects.count() == len(answers)
    assert "Commentaire numéro 3" in SatisfactionAnswer.objects.values_list("text", flat=True)
    with pytest.raises(ValidationError):
        services.send(questionnaire=questionnaire, by=teacher, answers=answers)
    assert SatisfactionAnswer.objects.count() == len(answers)
    with pytest.raises(ValidationError):  # once sent, no draft is kept beside the person
        services.save_draft(questionnaire=questionnaire, by=teacher, answers=answers)
    assert not SatisfactionDraft.objects.exists()


def test_the_maintained_aggregate_equals_a_direct_count_of_the_answers(room):
    people = [room["teacher"], *room["classmates"]]
    for seed, person in enumerate(people):
        for questionnaire in (room["before"], room["after"], room["satisfaction"]):
            services.send(
                questionnaire=questionnaire,
                by=person,
                answers=answer_all(questionnaire, person, seed),
            )
    satisfaction = room["satisfaction"]
    for question in satisfaction.questions.exclude(kind=QuestionKind.HEADING):
        counted = dict(OptionCount.objects.filter(question=question).values_list("option", "count"))
        rows = SatisfactionAnswer.objects.filter(question=question)
        direct = {}
        for row in rows:
            for option in row.choices or ([TEXT_ANSWERED] if row.text else []):
                direct[option] = direct.get(option, 0) + 1
        assert counted == direct, question.text
    for questionnaire in (room["before"], room["after"]):
        responses = PositioningResponse.objects.filter(questionnaire=questionnaire, sent=True)
        for question in questionnaire.questions.all():
            direct = {}
            for response in responses:
                value = response.answers.get(str(question.pk))
                if value is not None:
                    direct[value] = direct.get(value, 0) + 1
            counted = dict(
                OptionCount.objects.filter(question=question).values_list("option", "count")
            )
            assert counted == direct
    for questionnaire in Questionnaire.objects.filter(session=room["session"]):
        assert questionnaire.answered == len(people)
    assert SatisfactionMarker.objects.count() == len(people)
