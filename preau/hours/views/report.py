"""The yearly hours report (« Rapport annuel des heures »): administrators ask for the
national report or an académie's, academic managers for their académie's; the page lists the
reports, shows the progress of those in preparation (htmx polling), and offers the files once
ready, through a download view that checks access (report_access.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from preau.accounts.selectors import is_administrator
from preau.territories.models import Academie

from .. import report as reports
from .. import report_access as access
from ..models import HoursReport, ReportStatus
from ..rules import school_year_label, school_year_of

PAGE_SIZE = 20
YEARS_OFFERED = 6  # the current school year and the five before
NATIONAL = "national"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportRequestForm(DsfrBaseForm):
    annee = forms.TypedChoiceField(label=gettext_lazy("Année scolaire"), coerce=int)
    perimetre = forms.ChoiceField(label=gettext_lazy("Périmètre"))

    def __init__(self, *args, academies: list[Academie], national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        current = school_year_of(timezone.localdate())
        self.fields["annee"].choices = [
            (year, school_year_label(year)) for year in range(current, current - YEARS_OFFERED, -1)
        ]
        self.academies = {academie.code: academie for academie in academies}
        scopes = [(NATIONAL, _("France entière"))] if national else []
        self.fields["perimetre"].choices = scopes + [
            (academie.code, str(academie)) for academie in academies
        ]

    @property
    def academie(self) -> Academie | None:
        return self.academies.get(self.cleaned_data["perimetre"])


def _running(request: HttpRequest) -> list[HoursReport]:
    """The reports in preparation, with their progress from the cache; one found abandoned by
    its worker is marked failed on the way (it then shows in the list below)."""
    running = list(
        access.reports_visible_to(request.user)
        .filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])
        .select_related("academie")
        .order_by("created_at", "pk")
    )
    progress = reports.progress_of(running)
    shown = []
    for report in running:
        if reports.mark_interrupted(report):
            continue
        report.live = progress.get(report.pk, {"percent": report.progress, "label": ""})
        shown.append(report)
    return shown


def report_list(request: HttpRequest) -> HttpResponse:
    """GET: the form and the reports. POST: asks for a report, built in the background."""
    access.require_reporter(request.user)
    if request.htmx and request.GET.get("partial") == "progress":
        running = _running(request)
        if not running:
            # All done: the whole page shows the new files.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "hours/report/reports.html#progress", {"running": running})
    academies = list(access.academies_for_reports(request.user).order_by("name"))
    form = ReportRequestForm(
        request.POST or None, academies=academies, national=is_administrator(request.user)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = reports.request_report(
                    by=request.user,
                    academie=form.academie,
                    school_year=form.cleaned_data["annee"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Rapport %(year)s (%(scope)s) demandé : il se prépare ci-dessous.")
                    % {"year": school_year_label(report.school_year), "scope": report.scope_label},
                )
                return redirect("hours:reports")
        status = 422
    history = Paginator(
        access.reports_visible_to(request.user).select_related("academie", "requested_by"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "hours/report/reports.html",
        {"form": form, "running": _running(request), "page_obj": history},
        status=status,
    )


def report_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The report's file (CSV or .xlsx), for those who may read it; 404 while it is not ready."""
    report = access.get_report_for_user_or_404(request.user, pk)
    file = {"csv": report.csv_file, "xlsx": report.xlsx_file}.get(kind)
    if report.status != ReportStatus.DONE or not file:
        raise Http404
    return FileResponse(
        file.storage.open(file.name, "rb"),
        as_attachment=True,
        filename=f"{reports.file_stem(report)}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )
