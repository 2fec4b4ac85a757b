"""Reads about people: their roles, loaded once per request."""

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


def departements_of(user):
    """Ids of the départements a person works in, as a subquery: their school's, those of
    their roles, and every département of a circonscription or an académie they have a role
    in. A UNION of small index lookups, like academies_of."""
    from preau.territories.models import Circonscription, Departement, School

    assignments = RoleAssignment.objects.filter(user=user)
    return (
        Departement.objects.filter(pk__in=assignments.values("departement"))
        .order_by()
        .values("pk")
        .union(
            Departement.objects.filter(academie__in=assignments.values("academie"))
            .order_by()
            .values("pk"),
            Circonscription.objects.filter(pk__in=assignments.values("circonscription"))
            .order_by()
            .values("departement"),
            School.objects.filter(staff=user).order_by().values("departement"),
        )
    )


def circonscriptions_of(user):
    """Ids of the circonscriptions a person works in, as a subquery: their school's, those of
    their roles, and every circonscription of a département or an académie they have a role
    in."""
    from preau.territories.models import Circonscription, School

    assignments = RoleAssignment.objects.filter(user=user)
    return (
        Circonscription.objects.filter(pk__in=assignments.values("circonscription"))
        .order_by()
        .values("pk")
        .union(
            Circonscription.objects.filter(departement__in=assignments.values("departement"))
            .order_by()
            .values("pk"),
            Circonscription.objects.filter(departement__academie__in=assignments.values("academie"))
            .order_by()
            .values("pk"),
            School.objects.filter(staff=user, circonscription__isnull=False)
            .order_by()
            .values("circonscription"),
        )
    )
