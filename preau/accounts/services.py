"""Writes about people and roles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ROLE_SCOPE_KINDS, Role, RoleAssignment, User


@transaction.atomic
def update_profile(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def assign_role(
    *, user: User, role: str, academie=None, departement=None, circonscription=None
) -> RoleAssignment:
    """Gives a role, checking its scope in French before the database constraint would."""
    scope = {"academie": academie, "departement": departement, "circonscription": circonscription}
    given = [field for field, value in scope.items() if value is not None]
    kind = given[0] if len(given) == 1 else None
    if len(given) > 1 or kind not in ROLE_SCOPE_KINDS[Role(role)]:
        raise ValidationError(
            _("Le territoire choisi ne convient pas au rôle « %(role)s ».")
            % {"role": Role(role).label}
        )
    if role == Role.TEACHER and user.school_id is None:
        raise ValidationError(_("Un professeur des écoles doit avoir une école d’affectation."))
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **scope)
    return assignment


def record_sign_in_day(*, user: User) -> None:
    """Keeps the day of a sign-in (Europe/Paris), never its time: one write a day at most."""
    today = timezone.localdate()
    if user.last_login_day != today:
        User.objects.filter(pk=user.pk).update(last_login_day=today)
        user.last_login_day = today
