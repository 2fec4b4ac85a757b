"""The pilot team's view of the 18 hours: a département in aggregate, one line per
circonscription with its teachers in each status and the hours they count. Only counts: no
teacher is named here (the IEN's follow-up, one click away, names them)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from preau.core.params import year_param
from preau.territories.access import departements_piloted_by, get_departement_for_user_or_404

from ..rules import Status, school_year_label, school_year_of
from ..selectors import departement_summary


def _year(request: HttpRequest) -> int:
    current = school_year_of(timezone.localdate())
    return year_param(request.GET, default=current, hi=current + 1)


def departements(request: HttpRequest) -> HttpResponse:
    """Where the menu's « Heures du département » leads: the summary of the one département a
    pilot team member pilots, or the list of those an academic manager (or an administrator)
    pilots, each linked to its summary. Nobody else pilots a département: 403."""
    piloted = departements_piloted_by(request.user).select_related("academie").order_by("code")
    first_two = list(piloted[:2])
    if not first_two:
        raise PermissionDenied
    if len(first_two) == 1:
        return redirect("hours:departement", first_two[0].code)
    page = Paginator(piloted, 50).get_page(request.GET.get("page"))
    return render(request, "hours/aggregate/departements.html", {"page": page})


def departement(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_departement_for_user_or_404(request.user, code)
    year = _year(request)
    summary = departement_summary(departement, year)
    statuses = list(Status)
    lines = [
        {"summary": s, "counts": [s.statuses[status.value] for status in statuses]} for s in summary
    ]
    totals = {
        "teachers": sum(s.teachers for s in summary),
        "hours": sum((s.hours for s in summary), Decimal(0)),
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
