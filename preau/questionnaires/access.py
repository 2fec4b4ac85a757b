"""Who reaches which questionnaire page.

- Answering, and one's own self-positioning: the participants enrolled (not waiting) in the
  session, once it is opened; nobody else ever reads a person's answers.
- A session's results (aggregates, from PREAU_MIN_GROUP_FOR_AGGREGATES answers): those who
  follow the session (its trainers and tutors, those who pilot its territory, administrators);
  its self-positioning results, its own trainers and tutors only (domain.md §6: the IEN sees
  participation; the answering page promises « ni l’inspection, ni les administrateurs »).
- A parcours' satisfaction results across its sessions and versions: the designers of any of
  its versions and the national editorial committee.
- A territory's results: those who pilot it (IEN, pilot team, academic managers), and
  administrators for the whole country (statistics).
- Adapting the questions: whoever may edit the content that holds the activity (designers of a
  draft, those who run the session for its copy).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role
from preau.accounts.selectors import has_role
from preau.parcours.models import Activity, Parcours, Status
from preau.training.access import sessions_followed_by, sessions_piloted_by
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from .models import Question, Questionnaire

KINDS = ("positioning", "satisfaction")
PILOT_ROLES = (Role.IEN, Role.PILOT, Role.ACADEMIC_MANAGER, Role.ADMIN)


def participant_sessions(user):
    """The sessions a person takes part in (enrolled, session opened)."""
    return TrainingSession.objects.filter(
        pk__in=Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED).values(
            "session"
        )
    ).exclude(status=SessionStatus.PREPARATION)


def get_participant_session_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(participant_sessions(user).select_related("source"), pk=pk)


def get_session_activity_or_404(user, pk: int) -> tuple[Activity, TrainingSession, str]:
    """A questionnaire activity of a session's content, with the session and what the person
    does there: « answer » (a participant) or « results » (one who follows the session)."""
    activity = get_object_or_404(
        Activity.objects.select_related("section__parcours__training_session").filter(
            kind__in=KINDS, section__parcours__status=Status.SESSION_COPY
        ),
        pk=pk,
    )
    session = activity.section.parcours.training_session
    if participant_sessions(user).filter(pk=session.pk).exists():
        return activity, session, "answer"
    if sessions_followed_by(user).filter(pk=session.pk).exists() and (
        activity.kind != "positioning" or may_read_positioning_results(user, session)
    ):
        return activity, session, "results"
    raise Http404


def may_read_positioning_results(user, session: TrainingSession) -> bool:
    """The group's self-positioning distribution is for the session's own trainers and tutors
    (not those who pilot it, nor administrators)."""
    from preau.training.access import sessions_staffed_by

    return sessions_staffed_by(user).filter(pk=session.pk).exists()


def get_questionnaire_to_answer_or_404(user, pk: int) -> Questionnaire:
    return get_object_or_404(
        Questionnaire.objects.select_related("session", "activity").filter(
            session__in=participant_sessions(user)
        ),
        pk=pk,
    )


def get_questionnaire_to_edit_or_404(user, pk: int) -> Questionnaire:
    """The questionnaire of an activity whose content the person may edit (403 for one they
    only see, 404 otherwise, as the content editors answer)."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("activity__section__parcours"),
        pk=pk,
        activity__isnull=False,
    )
    check_may_edit(user, questionnaire.activity)
    return questionnaire


def check_may_edit(user, activity: Activity) -> None:
    from preau.parcours.access import get_activity_to_edit_or_404
    from preau.training.access import get_content_activity_to_adapt_or_404

    if activity.section.parcours.status == Status.SESSION_COPY:
        get_content_activity_to_adapt_or_404(user, activity.pk)
    else:
        get_activity_to_edit_or_404(user, activity.pk)


def get_question_to_edit_or_404(user, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("questionnaire__activity__section__parcours"),
        pk=pk,
        questionnaire__activity__isnull=False,
    )
    check_may_edit(user, question.questionnaire.activity)
    return question


def get_session_to_read_results_or_404(user, pk: int) -> TrainingSession:
    """A session the person follows, with `may_manage` (those who run it may still adapt the
    questions nobody answered)."""
    from preau.training.access import get_session_to_follow_or_404

    return get_session_to_follow_or_404(user, pk)


def may_read_parcours_results(user, parcours: Parcours) -> bool:
    if has_role(user, Role.EDITORIAL_COMMITTEE):
        return True
    return Parcours.all_objects.filter(lineage_id=parcours.lineage_id, designers=user).exists()


def get_parcours_for_results_or_404(user, pk: int) -> Parcours:
    """A parcours (any version) whose satisfaction results the person reads: 404 for a
    parcours that is not published or archived, 403 for one they did not design."""
    parcours = get_object_or_404(
        Parcours.objects.filter(Q(status=Status.PUBLISHED) | Q(status=Status.ARCHIVED)), pk=pk
    )
    if not may_read_parcours_results(user, parcours):
        raise PermissionDenied
    return parcours


def piloted_sessions(user):
    if not has_role(user, *PILOT_ROLES):
        raise PermissionDenied
    return sessions_piloted_by(user)
