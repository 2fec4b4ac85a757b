"""How long a signed-in session lasts without activity, by role.

- Staff roles (anyone with a role other than teacher, or access to the technical admin): they
  see other people's data, so their session ends after PREAU_SESSION_STAFF_IDLE_MINUTES without
  a request (2 h by default), whatever they ticked.
- Teachers who tick « Rester connecté »: PREAU_SESSION_REMEMBER_DAYS without a request (14).
- Other teachers: until the browser is closed.

The expiry lives in the session row (expire_date) and in the cookie; the server refuses an
expired session whatever the browser keeps. Refreshing it means writing the session, so it is
written again only once more than half the idle time has passed since the last write: a staff
session idle for between 1 h and 2 h (by default) ends, never one active within the hour.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import Role
from .selectors import role_names

IDLE_KEY = "_preau_idle_seconds"
WRITTEN_KEY = "_preau_expiry_written_at"
REMEMBER_KEY = "_preau_remember"


def has_staff_role(user) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    return bool(role_names(user) - {Role.TEACHER})


def idle_seconds_for(user, *, remember: bool) -> int | None:
    """None: a browser session (ends when the browser closes)."""
    if has_staff_role(user):
        return settings.PREAU_SESSION_STAFF_IDLE_MINUTES * 60
    if remember:
        return settings.PREAU_SESSION_REMEMBER_DAYS * 24 * 60 * 60
    return None


def _now(idle: int) -> int:
    """When the expiry was last pushed forward: to the second for a staff idle time (hours),
    to the Paris day for a teacher's « Rester connecté » (days), whose session keeps no time
    finer than the day of its sign-in (docs/privacy.md)."""
    now = timezone.now()
    if idle >= DAY_SECONDS:
        now = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(now.timestamp())


DAY_SECONDS = 24 * 60 * 60


def apply_at_sign_in(request: HttpRequest, user) -> None:
    """Called on every sign-in (password, second factor, reset link, admin, force_login). The
    sign-in form leaves the « Rester connecté » choice in the session for this moment."""
    session = request.session
    remember = bool(session.pop(REMEMBER_KEY, False))
    idle = idle_seconds_for(user, remember=remember)
    if idle is None:
        session.pop(IDLE_KEY, None)
        session.pop(WRITTEN_KEY, None)
        session.set_expiry(0)
        return
    session[IDLE_KEY] = idle
    session[WRITTEN_KEY] = _now(idle)
    session.set_expiry(idle)


def refresh_on_activity(request: HttpRequest) -> None:
    session = request.session
    idle = session.get(IDLE_KEY)
    if not idle:
        return
    now = _now(idle)
    if now - session.get(WRITTEN_KEY, 0) > idle // 2:
        session[WRITTEN_KEY] = now  # marks the session modified: saved with a new expiry
        session.set_expiry(idle)
