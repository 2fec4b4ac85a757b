"""Which territories a person may see, as SQL filters.

Piloting follows the hierarchy: an IEN sees their circonscription, a pilot team member their
département, an academic manager their académie, an administrator everything. Each function
returns a QuerySet, so that callers add their own filters and the database does the work.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.selectors import is_administrator

from .models import Circonscription, Departement, School


def _scopes(user, role: str, field: str):
    return RoleAssignment.objects.filter(user=user, role=role).values(field)


def _piloting_filter(user, *, circonscription: str, departement: str) -> Q:
    return (
        Q(**{f"{circonscription}__in": _scopes(user, Role.IEN, "circonscription")})
        | Q(**{f"{departement}__in": _scopes(user, Role.PILOT, "departement")})
        | Q(**{f"{departement}__academie__in": _scopes(user, Role.ACADEMIC_MANAGER, "academie")})
    )


def departements_piloted_by(user) -> QuerySet[Departement]:
    if is_administrator(user):
        return Departement.objects.all()
    return Departement.objects.filter(
        Q(pk__in=_scopes(user, Role.PILOT, "departement"))
        | Q(academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie"))
    )


def circonscriptions_piloted_by(user) -> QuerySet[Circonscription]:
    if is_administrator(user):
        return Circonscription.objects.all()
    return Circonscription.objects.filter(
        _piloting_filter(user, circonscription="pk", departement="departement")
    )


def schools_piloted_by(user) -> QuerySet[School]:
    if is_administrator(user):
        return School.objects.all()
    return School.objects.filter(
        _piloting_filter(user, circonscription="circonscription", departement="departement")
    )


def teachers_piloted_by(user) -> QuerySet[User]:
    """Teachers whose school lies in a territory the user pilots."""
    if is_administrator(user):
        return User.objects.teachers()
    return User.objects.teachers().filter(
        _piloting_filter(
            user, circonscription="school__circonscription", departement="school__departement"
        )
    )


def get_departement_for_user_or_404(user, code: str) -> Departement:
    return get_object_or_404(departements_piloted_by(user).select_related("academie"), code=code)


def get_circonscription_for_user_or_404(user, code: str) -> Circonscription:
    return get_object_or_404(
        circonscriptions_piloted_by(user).select_related("departement__academie"), code=code
    )


def get_school_for_user_or_404(user, uai: str) -> School:
    return get_object_or_404(
        schools_piloted_by(user).select_related("circonscription", "departement"),
        uai=uai.upper(),
    )
