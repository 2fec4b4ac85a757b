"""Writes about people and roles."""

import datetime

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


def record_sign_in_day(sender, user, **kwargs) -> None:
    """`user.last_login` becomes midnight (Europe/Paris) of the day of the sign-in: the day is
    all a trainer may see, and all Préau keeps (receiver of `user_logged_in`)."""
    day = timezone.localdate()
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    if user.last_login != midnight:
        user.last_login = midnight
        user.save(update_fields=["last_login"])
