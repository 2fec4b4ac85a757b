"""Who may see and run which training session, as SQL filters.

- trainers and tutors of a session (its staff) run it;
- the IEN of its circonscription, the pilot team of its département, the academic managers of
  its académie and administrators see it and may run it (create, enrol, open, close); they see
  who is enrolled and who completed, never anything about activity inside the session;
- a teacher sees only the sessions they are enrolled in (or waiting for), and the open ones
  of the offre de formation.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment
from preau.accounts.selectors import is_administrator

from .models import Enrolment, TrainingSession


def _scopes(user, role: str, field: str):
    return RoleAssignment.objects.filter(user=user, role=role).values(field)


def _piloting_filter(user) -> Q:
    return (
        Q(circonscription__in=_scopes(user, Role.IEN, "circonscription"))
        | Q(departement__in=_scopes(user, Role.PILOT, "departement"))
        | Q(departement__academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie"))
    )


def _ids(condition: Q) -> QuerySet:
    # Joins on staff or enrolments can repeat a session: filter on ids to keep one row each.
    return TrainingSession.objects.filter(condition).values("pk")


def sessions_managed_by(user) -> QuerySet[TrainingSession]:
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(pk__in=_ids(Q(staff__user=user) | _piloting_filter(user)))


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(
        pk__in=_ids(Q(staff__user=user) | _piloting_filter(user) | Q(enrolments__user=user))
    )


def get_session_to_manage_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(
        sessions_managed_by(user).select_related("source", "content", "circonscription"),
        pk=pk,
    )


def get_session_for_user_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(
        sessions_visible_to(user).select_related("source", "content", "circonscription"),
        pk=pk,
    )


def get_own_enrolment_or_404(user, session_pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("session", "session__content"),
        session_id=session_pk,
        user=user,
    )


def may_manage(user, session: TrainingSession) -> bool:
    return sessions_managed_by(user).filter(pk=session.pk).exists()
