"""Reads about people: their roles, loaded once per request."""

from .models import Role, RoleAssignment

PILOTING_ROLES = frozenset({Role.IEN, Role.PILOT, Role.ACADEMIC_MANAGER, Role.ADMIN})
TRAINING_ROLES = frozenset({Role.TRAINER, Role.TUTOR})
DESIGN_ROLES = frozenset({Role.DESIGNER, Role.REVIEWER, Role.EDITORIAL_COMMITTEE})


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
