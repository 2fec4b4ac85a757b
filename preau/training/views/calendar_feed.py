"""The private iCalendar feed (RFC 5545) of a person: the meetings and distance windows of the
sessions they are enrolled in (not waiting) or run. Calendar applications fetch it without a
session cookie, so the secret token in the address is the only key; « Mon agenda » renews it."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..access import get_calendar_feed_or_404
from ..calendar import build_calendar
from ..selectors import calendar_meetings, calendar_windows

# A year of history is plenty for a calendar, and keeps the feed small after years of training.
HISTORY = datetime.timedelta(days=365)
REFRESH = datetime.timedelta(hours=1)


@login_not_required
@require_safe
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_calendar_feed_or_404(token)
    since = timezone.localdate() - HISTORY
    content = build_calendar(
        calendar_meetings(feed.user).filter(date__gte=since),
        calendar_windows(feed.user).filter(ends_on__gte=since),
        method="PUBLISH",
        name=_("Préau — mes sessions de formation"),
        refresh=REFRESH,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="preau.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
