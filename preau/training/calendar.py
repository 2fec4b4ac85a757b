"""iCalendar (RFC 5545) for sessions: invitations attached to e-mails, and each person's
private feed of their meetings and distance windows."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from .models import DistanceWindow, Enrolment, Meeting

PRODID = "-//Préau//Formation continue//FR"
UID_DOMAIN = "preau"


def _calendar(method: str, name: str, refresh: datetime.timedelta | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    if refresh is not None:
        # How often a subscribed calendar should fetch the feed again: RFC 7986's property,
        # and the older one Outlook reads.
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))  # an unknown property: typed here
    return calendar


def _meeting_event(meeting: Meeting, stamp: datetime.datetime) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    # Times in UTC: every calendar application reads them without a VTIMEZONE block.
    for name, time in (("dtstart", meeting.start_time), ("dtend", meeting.end_time)):
        local = datetime.datetime.combine(meeting.date, time, tzinfo=zone)
        event.add(name, local.astimezone(datetime.UTC))
    kind = _("classe virtuelle") if meeting.remote else _("réunion en présence")
    event.add("summary", f"{meeting.session.title} — {meeting.title or kind}")
    event.add("location", meeting.place)
    return event


def _window_event(window: DistanceWindow, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"window-{window.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", window.starts_on)
    event.add("dtend", window.ends_on + datetime.timedelta(days=1))  # DTEND is exclusive
    event.add("summary", f"{window.session.title} — {window.title or _('travail à distance')}")
    event.add("location", _("À distance"))
    event.add("transp", "TRANSPARENT")  # a period to work in, not a busy slot
    return event


def build_calendar(
    meetings: Iterable[Meeting],
    windows: Iterable[DistanceWindow],
    *,
    method: str,
    name: str,
    refresh: datetime.timedelta | None = None,
) -> bytes:
    """An iCalendar of meetings and distance windows (each with its `session` loaded); one
    event per meeting or window, with a UID that stays the same in every file, so that the
    invitation and the feed update one event rather than adding another."""
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = _calendar(method, name, refresh)
    for meeting in meetings:
        calendar.add_component(_meeting_event(meeting, stamp))
    for window in windows:
        calendar.add_component(_window_event(window, stamp))
    return calendar.to_ical()


def session_invitation(enrolment: Enrolment) -> bytes:
    session = enrolment.session
    return build_calendar(
        session.meetings.select_related("session"),
        session.distance_windows.select_related("session"),
        method="PUBLISH",
        name=session.title,
    )
