"""Middleware of the accounts: a session's idle expiry and the owed second factor."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class SessionIdleMiddleware:
    """Pushes a signed-in session's idle expiry forward (preau/accounts/session_policy.py).
    Public views (@login_not_required) are skipped: they never load the session for this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if request.user.is_authenticated:
            from .session_policy import refresh_on_activity

            refresh_on_activity(request)
        return None


class SecondFactorMiddleware:
    """A session that still owes its second factor (preau/accounts/two_factor.py) reaches only
    the code page, the enrolment page and sign-out, the technical admin included."""

    ALLOWED = frozenset(
        {
            "accounts:second_factor",
            "accounts:two_factor",
            "accounts:logout",
            # Probes: no session read, no query.
            "core:healthz",
            "core:readyz",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public pages too (the home page greets a signed-in person with their dashboard), but
        # only when a session cookie came: reading no session costs nothing.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if request.resolver_match.view_name in self.ALLOWED:
            return None
        from . import two_factor

        owed = two_factor.owed(request)
        if not owed:
            return None
        target = "accounts:second_factor" if owed == two_factor.VERIFY else "accounts:two_factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
