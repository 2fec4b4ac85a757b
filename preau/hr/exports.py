"""Attendance back to the HR application, per linked GAIA session: GAIA's own conventions
(pipe-separated, Windows-1252, no header) and the same rows as a spreadsheet.

One row per participant of the platform session whose enrolment GAIA knows (a trainee of this
GAIA session): dispositif | module | session | group | last name | first name | e-mail |
school UAI | one column per presence meeting (P present, A absent, E excused, empty: not
recorded) | completed (O/N) | hours credited (presence + distance, comma decimal).

Both are written through preau/core/exports.py: a name starting with « = » never runs as a
formula, and the hours are numbers in the spreadsheet."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from preau.core.exports import csv_text, spreadsheet
from preau.core.numbers import french_number
from preau.core.search import by_name
from preau.hours.models import Entry
from preau.training.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus

from .models import HrLink

CODES = {AttendanceStatus.PRESENT: "P", AttendanceStatus.ABSENT: "A", AttendanceStatus.EXCUSED: "E"}


def attendance_rows(link: HrLink) -> tuple[list[str], list[list]]:
    """(header, rows) for one link: four queries whatever the number of participants. The
    last cell of a row, the hours credited, is a Decimal; the others are text."""
    session, hr_session = link.session, link.hr_session
    meetings = list(session.meetings.filter(remote=False).order_by("date", "start_time", "pk"))
    enrolments = list(
        Enrolment.objects.filter(
            session=session,
            status=EnrolmentStatus.ENROLLED,
            user__in=hr_session.trainees.values("user"),
        )
        .select_related("user__school")
        .order_by(*by_name("user__"), "pk")
    )
    marks = {
        (a.enrolment_id, a.meeting_id): a.status
        for a in Attendance.objects.filter(
            meeting__in=meetings, enrolment__in=[e.pk for e in enrolments]
        ).only("enrolment_id", "meeting_id", "status")
    }
    hours = dict(
        Entry.objects.filter(session=session, teacher__in=[e.user_id for e in enrolments])
        .values("teacher")
        .annotate(total=Sum("presence_hours") + Sum("distance_hours"))
        .values_list("teacher", "total")
    )
    header = [
        _("Dispositif"),
        _("Module"),
        _("Session"),
        _("Groupe"),
        _("Nom"),
        _("Prénom"),
        _("Courriel"),
        _("UAI de l’école"),
        *[_("Réunion du %(date)s") % {"date": m.date.strftime("%d/%m/%Y")} for m in meetings],
        _("Terminé"),
        _("Heures attribuées"),
    ]
    rows = []
    for enrolment in enrolments:
        user = enrolment.user
        credited = hours.get(user.pk) or Decimal(0)
        rows.append(
            [
                hr_session.dispositif_code,
                str(hr_session.module_code),
                hr_session.session_code,
                hr_session.group,
                user.last_name,
                user.first_name,
                user.email,
                user.school.uai if user.school else "",
                *[CODES.get(marks.get((enrolment.pk, m.pk)), "") for m in meetings],
                "O" if enrolment.is_attested else "N",
                credited.quantize(Decimal("0.1")),
            ]
        )
    return header, rows


def as_gaia_file(rows: list[list]) -> bytes:
    """GAIA's conventions: no header, |-separated, CRLF, Windows-1252 (a character it cannot
    encode becomes "?", as GAIA's own exports do), hours with a decimal comma; a text that a
    spreadsheet would take for a formula is written after an apostrophe."""

    def field(value) -> str:
        if isinstance(value, Decimal):
            return french_number(value, 1, keep_zeros=True)
        return csv_text(value).replace("|", "/")

    text = "".join("|".join(field(value) for value in row) + "\r\n" for row in rows)
    return text.encode("cp1252", errors="replace")


def as_spreadsheet(header: list[str], rows: list[list]) -> bytes:
    """The same rows as an xlsx sheet: text cells of text type, the hours as numbers."""
    return spreadsheet(_("Présences"), header, rows)


def file_stem(link: HrLink) -> str:
    hr_session = link.hr_session
    return (
        f"presences_{hr_session.dispositif_code}_{hr_session.module_code}_{hr_session.session_code}"
    )
