"""Sign-in and password-reset limits (django-axes, django-ratelimit).

Sign-in: a lock per account and a lock per IP address, with two thresholds. An académie or a
school often reaches us through one address: a per-IP threshold as low as the per-account one
would lock out every teacher behind it because of a few typos. Unknown addresses are counted
like existing ones, so the lock-out page tells nothing about who has an account.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import ALL, _split_rate, is_ratelimited

from preau.core.net import client_ip


def normalized_username(request: HttpRequest, credentials: dict | None) -> str:
    """Accounts are e-mail addresses compared without case: `Camille@…` and `camille@…` share
    one counter, otherwise changing a letter's case would give an attacker fresh attempts."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return str(username).strip().lower()


class SignInLimitsHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: axes gives one queryset of recent
    failures for each, in that order; each gets its own threshold."""

    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        by_account, by_ip = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return (
            by_account >= settings.PREAU_SIGNIN_FAILURES_PER_ACCOUNT
            or by_ip >= settings.PREAU_SIGNIN_FAILURES_PER_IP
        )


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """One page for every lock: account or address, existing or not."""
    return render(request, "accounts/lockout.html", {"minutes": lockout_minutes()}, status=429)


def password_reset_is_limited(request: HttpRequest, email: str) -> bool:
    """Counts this request against the caps per IP and per address typed (existing or not)."""
    by_ip = is_ratelimited(
        request,
        group="pwreset-ip",
        key=lambda group, req: client_ip(req),
        rate=settings.PREAU_PASSWORD_RESET_RATE_PER_IP,
        method="POST",
        increment=True,
    )
    by_email = is_ratelimited(
        request,
        group="pwreset-email",
        key=lambda group, req: email.strip().lower(),
        rate=settings.PREAU_PASSWORD_RESET_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )
    return by_ip or by_email


def password_reset_wait_minutes() -> int:
    """The longest of the two windows: by then both counters have started again."""
    seconds = max(
        _split_rate(settings.PREAU_PASSWORD_RESET_RATE_PER_IP)[1],
        _split_rate(settings.PREAU_PASSWORD_RESET_RATE_PER_EMAIL)[1],
    )
    return max(1, seconds // 60)


def unsubscribe_is_limited(request: HttpRequest) -> bool:
    """Counts this request (GET or POST) against the cap per IP of the sign-in-free
    unsubscribe link of the forums' e-mails."""
    return is_ratelimited(
        request,
        group="unsubscribe-ip",
        key=lambda group, req: client_ip(req),
        rate=settings.PREAU_UNSUBSCRIBE_RATE_PER_IP,
        method=ALL,
        increment=True,
    )


def unsubscribe_wait_minutes() -> int:
    return max(1, _split_rate(settings.PREAU_UNSUBSCRIBE_RATE_PER_IP)[1] // 60)
