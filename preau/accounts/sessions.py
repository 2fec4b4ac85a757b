"""Session stores whose rows do not date a sign-in.

Django stores each session with its expiry: the moment of the last write plus
SESSION_COOKIE_AGE, to the microsecond, and a session is written at sign-in, so the row would
say when its owner signed in, to the second. Préau keeps only the day of a sign-in
(docs/privacy.md): these stores move every expiry to the midnight (Europe/Paris) after it, for
the database row, the cache's timeout and the cookie alike."""

import datetime

from django.contrib.sessions.backends import cached_db, db
from django.utils import timezone


def at_next_midnight(moment: datetime.datetime) -> datetime.datetime:
    """The first midnight in Paris at or after `moment` (a session lives a little longer)."""
    local = timezone.localtime(moment)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight < local:
        midnight = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time())
        )
    return midnight


def _is_short_idle(session) -> bool:
    """A staff session that ends after less than a day without activity
    (preau/accounts/session_policy.py): its expiry must keep its time, or it would not end
    after 2 h. Such a row lives while the person works, and is deleted once it expires."""
    from .session_policy import IDLE_KEY

    idle = session.get(IDLE_KEY)
    return bool(idle) and idle < DAY_SECONDS


DAY_SECONDS = 24 * 60 * 60


class DayExpiryMixin:
    def get_expiry_date(self, **kwargs) -> datetime.datetime:
        expiry = super().get_expiry_date(**kwargs)
        return expiry if _is_short_idle(self) else at_next_midnight(expiry)

    def get_expiry_age(self, **kwargs) -> int:
        if "expiry" in kwargs or _is_short_idle(self):  # stored, or a staff idle time
            return super().get_expiry_age(**kwargs)
        modification = kwargs.get("modification") or timezone.now()
        expiry = self.get_expiry_date(modification=modification)
        return max(0, int((expiry - modification).total_seconds()))


class SessionStore(DayExpiryMixin, db.SessionStore):
    pass


class CachedSessionStore(DayExpiryMixin, cached_db.SessionStore):
    pass
