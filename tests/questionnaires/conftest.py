import pytest

from preau.parcours.models import Activity
from preau.questionnaires import services
from preau.questionnaires.models import QuestionKind
from tests import factories

OBJECTIVES = """- Identifier les obstacles à la compréhension en lecture
- Construire une séquence d’enseignement explicite de la compréhension
- Évaluer les progrès des élèves en compréhension"""


def answer_all(questionnaire, user, seed: int) -> dict:
    """A full set of answers (varied by `seed`) to every question of a questionnaire."""
    answers = {}
    for question in questionnaire.questions.all():
        count = len(question.option_list)
        if question.kind == QuestionKind.MULTIPLE:
            answers[str(question.pk)] = sorted({seed % count, (seed * 7 + 1) % count})
        elif question.is_choice:
            answers[str(question.pk)] = (seed * 3) % count
        elif question.is_text and seed % 2:
            answers[str(question.pk)] = f"Commentaire numéro {seed}"
    return answers


@pytest.fixture
def source(cast, territory):
    """A published parcours with objectives, a self-positioning at its start and end and its own
    satisfaction questionnaire (adapted by its designer: one more question)."""
    parcours = factories.ParcoursFactory(
        published=True,
        academie=territory["academie"],
        objectives=OBJECTIVES,
        designers=[cast["designer"]],
    )
    start = factories.SectionFactory(parcours=parcours, title="Pour commencer", position=0)
    end = factories.SectionFactory(parcours=parcours, title="Pour finir", position=9)
    before = Activity.objects.create(
        section=start, kind="positioning", title="Où en suis-je au départ ?", position=0
    )
    after = Activity.objects.create(
        section=end, kind="positioning", title="Où en suis-je à la fin ?", position=0
    )
    closing = Activity.objects.create(
        section=end, kind="satisfaction", title="Votre avis sur le parcours", position=1
    )
    for activity in (before, after):
        services.questionnaire_for_activity(activity)
    satisfaction = services.questionnaire_for_activity(closing)
    # The designer adapts the national template (on the source before publication, in real
    # life; the rows are the same).
    satisfaction.questions.create(
        kind=QuestionKind.SHORT_TEXT, text="Un mot pour résumer le parcours", position=99
    )
    return parcours


@pytest.fixture
def room(cast, territory, source):
    """An open session of Caen Nord of that parcours: its trainer and tutor (cast), Camille (the
    cast's teacher) and six classmates enrolled, Lou waiting."""
    t = territory
    classmates = [
        factories.teacher(school=t["caen_school"], first_name=f"Collègue{i}") for i in range(6)
    ]
    waiting = factories.teacher(school=t["caen_school"], first_name="Lou")
    session = factories.TrainingSessionFactory(
        open=True,
        source=source,
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"], *classmates],
    )
    factories.EnrolmentFactory(session=session, user=waiting, waiting=True)
    activities = list(
        Activity.objects.filter(section__parcours=session.content)
        .exclude(kind="page")
        .order_by("section__position", "position")
    )
    by_title = {a.title: a for a in activities}
    return {
        "session": session,
        "teacher": cast["teacher"],
        "classmates": classmates,
        "waiting": waiting,
        "before": services.questionnaire_for_activity(by_title["Où en suis-je au départ ?"]),
        "after": services.questionnaire_for_activity(by_title["Où en suis-je à la fin ?"]),
        "satisfaction": services.questionnaire_for_activity(by_title["Votre avis sur le parcours"]),
    }
