"""Reads about people: their roles, loaded once per request."""

from django.db.models import Q

from .models import Role, RoleAssignment

PILOTING_ROLES = frozenset({Role.IEN, Role.PILOT, Role.ACADEMIC_MANAGER, Role.ADMIN})
TRAINING_ROLES = frozenset({Role.TRAINER, Role.TUTOR})
DESIGN_ROLES = frozenset(
    {Role.DESIGNER, Role.REVIEWER, Role.UNIVERSITY_REVIEWER, Role.EDITORIAL_COMMITTEE}
)


def roles_of(user) -> list[RoleAssignment]:
    """The user's role assignments with their territories, in one query cached on the user."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_preau_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user)
            .select_related("academie", "departement", "circonscription")
            .order_by("role", "pk")
        )
        user._preau_roles = cached
    return cached


def role_names(user) -> set[str]:
    names = {assignment.role for assignment in roles_of(user)}
    if getattr(user, "is_superuser", False):
        names.add(Role.ADMIN)
    return names


def has_role(user, *roles: str) -> bool:
    return not role_names(user).isdisjoint(roles)


def is_administrator(user) -> bool:
    return has_role(user, Role.ADMIN)


def academies_of(user):
    """Ids of the académies a person works in (through a role or their school), as a subquery.

    A UNION of four small lookups (the roles' académies, their départements', their
    circonscriptions', the school's), each read through an index. Written as one query joining
    académie → départements → circonscriptions × schools → staff with OR conditions, PostgreSQL
    had to build that join for the whole country (6.3 million rows, 1.3 s) on every page of
    the offre (docs/performance.md, issue 7).
    """
    from preau.territories.models import Academie, Circonscription, Departement, School

    assignments = RoleAssignment.objects.filter(user=user)
    # order_by(): no model ordering inside a UNION (SQLite refuses it in a subquery).
    return (
        Academie.objects.filter(pk__in=assignments.values("academie"))
        .order_by()
        .values("pk")
        .union(
            Departement.objects.filter(pk__in=assignments.values("departement"))
            .order_by()
            .values("academie"),
            Circonscription.objects.filter(pk__in=assignments.values("circonscription"))
            .order_by()
            .values("departement__academie"),
            School.objects.filter(staff=user).order_by().values("departement__academie"),
        )
    )


def territories_of(user) -> tuple[frozenset, frozenset, frozenset]:
    """(circonscription ids, département ids, académie ids) where a person works: their
    school's, their roles', and every circonscription and département under a role's
    département or académie. Besides the roles (roles_of, cached): one query for a teacher
    (their school), two more for someone with a role; cached on the user.

    The offre de formation filters its sessions by these ids as plain lists: written as nested
    UNION subqueries inside the sessions' query (like academies_of), PostgreSQL spent 11 ms
    planning it, twice per page (count and page), on the national data set."""
    from preau.territories.models import Circonscription, Departement, School

    cached = getattr(user, "_preau_territories", None)
    if cached is not None:
        return cached
    circonscriptions, departements, academies = set(), set(), set()
    if getattr(user, "school_id", None):
        school = (
            School.objects.filter(pk=user.school_id)
            .order_by()
            .values_list("circonscription_id", "departement_id", "departement__academie_id")
            .first()
        )
        if school:
            circonscriptions.add(school[0])
            departements.add(school[1])
            academies.add(school[2])
    assignments = roles_of(user)
    role_circonscriptions = {a.circonscription_id for a in assignments if a.circonscription_id}
    role_departements = {a.departement_id for a in assignments if a.departement_id}
    role_academies = {a.academie_id for a in assignments if a.academie_id}
    if role_circonscriptions or role_departements or role_academies:
        for pk, departement, academie in Circonscription.objects.filter(
            Q(pk__in=role_circonscriptions)
            | Q(departement__in=role_departements)
            | Q(departement__academie__in=role_academies)
        ).values_list("pk", "departement_id", "departement__academie_id"):
            circonscriptions.add(pk)
            departements.add(departement)
            academies.add(academie)
        for pk, academie in Departement.objects.filter(
            Q(pk__in=role_departements) | Q(academie__in=role_academies)
        ).values_list("pk", "academie_id"):
            departements.add(pk)
            academies.add(academie)
        academies |= role_academies
    circonscriptions.discard(None)  # a school without a circonscription yet
    cached = (frozenset(circonscriptions), frozenset(departements), frozenset(academies))
    user._preau_territories = cached
    return cached
