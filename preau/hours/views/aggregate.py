"""The pilot team's view of the 18 hours: a département in aggregate, one line per
circonscription with its teachers in each status and the hours they count. Only counts: no
teacher is named here (the IEN's follow-up, one click away, names them)."""

from decimal import Decimal
from html import escape

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from preau.territories.access import get_departement_for_user_or_404

from ..rules import Status, school_year_label, school_year_of
from ..selectors import CirconscriptionSummary, departement_summary


def _year(request: HttpRequest) -> int:
    current = school_year_of(timezone.localdate())
    value = request.GET.get("annee", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= current + 1 else current


def _decimal(value: Decimal) -> str:
    """A figure as the template would localize it (« 12,5 »; no thousands separator)."""
    return str(value).replace(".", ",")


def _line_html(summary: CirconscriptionSummary, *, url: str) -> SafeString:
    """One circonscription's row, written here rather than in the template: a template
    variable costs about ten function calls, and a line has nine values (the same reasoning
    as the IEN's follow-up, views/piloting.py). The circonscription's name is escaped; the
    rest are numbers."""
    counts = "".join(f"<td>{summary.statuses[status.value]}</td>" for status in Status)
    return mark_safe(  # built from an escaped name and numbers
        f'<tr><th scope="row"><a href="{escape(url)}">{escape(summary.circonscription.name)}</a>'
        f"</th><td>{summary.teachers}</td>{counts}<td>{_decimal(summary.hours)}</td></tr>\n"
    )


def departement(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_departement_for_user_or_404(request.user, code)
    year = _year(request)
    summary = departement_summary(departement, year)
    statuses = list(Status)
    follow_up = reverse("hours:circonscription", args=["0"]).removesuffix("0/")
    lines = [
        _line_html(s, url=f"{follow_up}{s.circonscription.code}/?annee={year}") for s in summary
    ]
    totals = {
        "teachers": sum(s.teachers for s in summary),
        "hours": _decimal(sum((s.hours for s in summary), Decimal(0))),
        "counts": [sum(s.statuses[status.value] for s in summary) for status in statuses],
    }
    return render(
        request,
        "hours/aggregate/departement.html",
        {
            "departement": departement,
            "year": year,
            "year_label": school_year_label(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "statuses": statuses,
            "lines": lines,
            "totals": totals,
        },
    )
