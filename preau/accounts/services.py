"""Writes about people and roles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core.params import is_digits

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


@transaction.atomic
def start_totp_enrolment(*, user: User):
    """A new, unconfirmed TOTP device (any earlier unconfirmed one is dropped)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .two_factor import is_eligible

    if not is_eligible(user):
        raise ValidationError(_("La double authentification n’est pas proposée à votre rôle."))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("La double authentification est déjà activée."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user, name="Application d’authentification", confirmed=False
    )


@transaction.atomic
def confirm_totp_device(*, user: User, code: str) -> tuple[object, list[str]]:
    """The first code from the application proves it holds the key: the device is confirmed
    and 10 new recovery codes are made (returned once, in clear, to be shown once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Commencez par afficher un nouveau QR code."))
    code = "".join(code.split())
    if not is_digits(code) or not device.verify_token(code):
        raise ValidationError(
            _(
                "Ce code ne correspond pas. Vérifiez l’heure de votre téléphone et "
                "saisissez le code affiché maintenant."
            )
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, _new_recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    return _new_recovery_codes(user)


@transaction.atomic
def disable_two_factor(*, user: User) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .two_factor import is_required

    if is_required(user):
        raise ValidationError(
            _(
                "La double authentification est obligatoire pour votre rôle : elle ne peut "
                "pas être désactivée."
            )
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _new_recovery_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from .two_factor import RECOVERY_CODES

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def record_sign_in_day(*, user: User) -> None:
    """Keeps the day of a sign-in (Europe/Paris), never its time: one write a day at most."""
    today = timezone.localdate()
    if user.last_login_day != today:
        User.objects.filter(pk=user.pk).update(last_login_day=today)
        user.last_login_day = today
