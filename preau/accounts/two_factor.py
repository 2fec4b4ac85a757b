"""Second factor (TOTP, django-otp) for administrators, academic managers and pilot teams.

Who may enrol: ELIGIBLE_ROLES (and technical-admin accounts). Who must:
the roles listed in PREAU_REQUIRE_2FA_FOR. A person with a confirmed device gives their code
after their password; a person who must and has none is sent to enrol before anything else.

What a request costs: nothing. At sign-in (user_logged_in) the session records what is still
owed ("verify" or "enrol"); SecondFactorMiddleware reads that key only, and the key goes away
when the code is given. The technical admin is behind the same middleware.
"""

import time

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from preau.core.params import is_digits

from .models import Role
from .selectors import role_names

ELIGIBLE_ROLES = frozenset({Role.ADMIN, Role.ACADEMIC_MANAGER, Role.PILOT})
OWED_KEY = "_preau_2fa_owed"
VERIFY, ENROL = "verify", "enrol"
# The password was right, the code is still to come: who, where to, since when.
PENDING_KEY = "_preau_2fa_pending"
PENDING_SECONDS = 5 * 60
RECOVERY_CODES = 10


def is_eligible(user) -> bool:
    return bool(user.is_staff or role_names(user) & ELIGIBLE_ROLES)


def is_required(user) -> bool:
    # Only eligible roles can be forced (a system check refuses the others).
    required = set(settings.PREAU_REQUIRE_2FA_FOR) & ELIGIBLE_ROLES
    if user.is_staff and Role.ADMIN in required:
        return True
    return bool(role_names(user) & required)


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def owed_at_sign_in(user) -> str | None:
    """Queries only for the few people who may have a device."""
    if not is_eligible(user):
        return None
    if has_confirmed_device(user):
        return VERIFY
    if is_required(user):
        return ENROL
    return None


def record_owed(request: HttpRequest, user) -> None:
    owed = owed_at_sign_in(user)
    if owed:
        request.session[OWED_KEY] = owed
    else:
        request.session.pop(OWED_KEY, None)


def owed(request: HttpRequest) -> str | None:
    return request.session.get(OWED_KEY)


def settle(request: HttpRequest, device) -> None:
    """The code was given: the session is verified (django-otp's own key, for its admin)."""
    from django_otp import login as otp_login

    otp_login(request, device)
    # django-otp stamps the exact time of use; the day is all we keep (docs/privacy.md).
    day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    type(device).objects.filter(pk=device.pk).update(last_used_at=day)
    request.session.pop(OWED_KEY, None)
    request.session.pop(PENDING_KEY, None)


def start_pending(request: HttpRequest, user, *, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": int(time.time()),
    }


def pending(request: HttpRequest) -> dict | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return data


def match_code(user, code: str):
    """The device the code belongs to (TOTP, or a recovery code, which is then used up), or
    None. Both devices slow down after each wrong code (django-otp's throttling)."""
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return None
    totp = confirmed_totp(user)
    if totp is not None and is_digits(code) and totp.verify_token(code):
        return totp
    recovery = recovery_device(user)
    if recovery is not None and not is_digits(code) and recovery.verify_token(code):
        return recovery
    return None


def wait_seconds(user) -> int:
    """How long before a code is looked at again, after too many wrong ones (0: now)."""
    totp = confirmed_totp(user)
    if totp is None:
        return 0
    allowed, data = totp.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)


def otpauth_qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, border=2, title="QR code")


def check_required_roles(app_configs=None, **kwargs):
    """System check: PREAU_REQUIRE_2FA_FOR names eligible roles only."""
    from django.core.checks import Error

    wrong = sorted(set(settings.PREAU_REQUIRE_2FA_FOR) - ELIGIBLE_ROLES)
    if not wrong:
        return []
    return [
        Error(
            f"PREAU_REQUIRE_2FA_FOR: {', '.join(wrong)} cannot be required to use a second "
            f"factor; allowed: {', '.join(sorted(ELIGIBLE_ROLES))}.",
            id="preau.E001",
        )
    ]
