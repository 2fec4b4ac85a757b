"""« Mes 18 heures »: a teacher's own ledger for one school year, what is still missing in
words, the sessions that would count, the declaration of a union information meeting, and the
printable « fiche individuelle de suivi » (HTML for the browser's print dialog, or PDF).

No URL carries a teacher's id: every view reads request.user's ledger, so another teacher's
ledger cannot be reached. People without the teacher role get a 403.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from preau.accounts.models import Role, User
from preau.accounts.selectors import has_role
from preau.training.pdf import pdf_response, render_pdf

from .. import selectors, services
from ..models import Kind, Source
from ..rules import (
    UNION_SWAP_MAX,
    Assessment,
    Status,
    school_year_bounds,
    school_year_label,
    school_year_of,
)

# Préau keeps no ledger before the 2016 circular that made part of the 18 h distance training.
FIRST_YEAR = 2016

STATUS_BADGES = {
    Status.COMPLETE: "fr-badge--success",
    Status.ON_TRACK: "fr-badge--info",
    Status.MISSING_TRAINING: "fr-badge--warning",
    Status.MISSING_DISTANCE: "fr-badge--warning",
    Status.MISSING_ANIMATIONS: "fr-badge--warning",
}


class UnionMeetingForm(DsfrBaseForm):
    date = forms.DateField(
        label=gettext_lazy("Date de la réunion"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Indiquez la date de la réunion."),
            "invalid": gettext_lazy("Indiquez une date valide, par exemple 14/01/2027."),
        },
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Durée en heures"),
        help_text=gettext_lazy("Par exemple 3 ou 1,5"),
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Indiquez la durée de la réunion, en heures."),
            "invalid": gettext_lazy("Indiquez un nombre d’heures, par exemple 3 ou 1,5."),
            "max_decimal_places": gettext_lazy(
                "Indiquez la durée au dixième d’heure près, par exemple 1,5."
            ),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Intitulé (facultatif)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Par exemple le syndicat qui l’organisait"),
    )

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        services.check_hours(hours, Decimal(0))
        return hours


def _teacher(request: HttpRequest) -> User:
    if not has_role(request.user, Role.TEACHER):
        raise PermissionDenied
    return request.user


def _current_year() -> int:
    return school_year_of(timezone.localdate())


def _checked_year(year: int | None) -> int:
    current = _current_year()
    if year is None:
        return current
    if not FIRST_YEAR <= year <= current:
        raise Http404
    return year


def _percent(done: Decimal, target: Decimal) -> int:
    if target <= 0:
        return 100
    return int(max(Decimal(0), min(done / target, Decimal(1))) * 100)


def _parts(a: Assessment) -> list[dict]:
    """The three parts of the target, each with its own small target, for the progress bars."""
    animations_target = a.target - a.training_target
    return [
        {
            "key": "training",
            "label": _("Formation continue"),
            "done": a.totals.training,
            "target": a.training_target,
            "percent": _percent(a.totals.training, a.training_target),
        },
        {
            "key": "animations",
            "label": _("Animations pédagogiques et réunions syndicales"),
            "done": a.totals.animations + a.union_counted,
            "target": animations_target,
            "percent": _percent(a.totals.animations + a.union_counted, animations_target),
        },
    ]


def _year_context(teacher: User, year: int) -> dict:
    data = selectors.teacher_year(teacher, year)
    a = data["assessment"]
    start, end = school_year_bounds(year)
    current = _current_year()
    return {
        **data,
        "teacher": teacher,
        "year": year,
        "year_label": school_year_label(year),
        "year_start": start,
        "year_end": end,
        "is_current_year": year == current,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "previous_label": school_year_label(year - 1),
        "next_year": year + 1 if year < current else None,
        "next_label": school_year_label(year + 1),
        "current_year": current,
        "status_badge": STATUS_BADGES[a.status],
        "status_label": Status(a.status).label,
        "parts": _parts(a),
        "overall_percent": _percent(a.counted, a.target),
        "union_max": UNION_SWAP_MAX,
        "union_capped": a.totals.union_meetings > a.union_counted,
        "pending_count": sum(1 for e in data["entries"] if _is_pending(e)),
        "kinds": Kind,
        "sources": Source,
    }


def _is_pending(entry) -> bool:
    return (
        entry.source == Source.DECLARATION
        and entry.validated_at is None
        and entry.refused_at is None
    )


def _page(request: HttpRequest, teacher: User, year: int, form: UnionMeetingForm) -> HttpResponse:
    context = _year_context(teacher, year)
    context["form"] = form
    return render(request, "hours/teacher/mine.html", context)


def mine(request: HttpRequest, year: int | None = None) -> HttpResponse:
    teacher = _teacher(request)
    year = _checked_year(year)
    form = UnionMeetingForm(initial={"date": timezone.localdate()})
    return _page(request, teacher, year, form)


@require_POST
def declare(request: HttpRequest) -> HttpResponse:
    """A union information meeting, declared by the teacher; it counts once the IEN validates
    it. On bad input the page comes back with the form as typed and the errors in French."""
    teacher = _teacher(request)
    form = UnionMeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.declare_union_meeting(
                teacher=teacher, date=data["date"], hours=data["hours"], title=data["title"]
            )
        except ValidationError as error:
            # The hours were checked by the form: what the service still refuses is the date.
            form.add_error("date", error)
    if form.errors:
        return _page(request, teacher, _current_year(), form)
    messages.success(
        request,
        _(
            "Votre réunion d’information syndicale du %(date)s est déclarée : elle comptera "
            "dans vos heures une fois validée par votre IEN."
        )
        % {"date": entry.date.strftime("%d/%m/%Y")},
    )
    return redirect("hours:year", year=entry.school_year)


def _fiche_context(request: HttpRequest, year: int | None) -> dict:
    teacher = _teacher(request)
    context = _year_context(teacher, _checked_year(year))
    context["school"] = (
        User.objects.select_related("school__circonscription")
        .get(pk=teacher.pk)
        .school  # the school and its circonscription, in one query
    )
    context["printed_at"] = timezone.localtime()
    return context


def fiche(request: HttpRequest, year: int) -> HttpResponse:
    """The « fiche individuelle de suivi », print-friendly (print or save as PDF)."""
    return render(request, "hours/teacher/fiche.html", _fiche_context(request, year))


def fiche_pdf(request: HttpRequest, year: int) -> HttpResponse:
    context = _fiche_context(request, year)
    pdf = render_pdf("hours/teacher/fiche_pdf.html", context)
    name = slugify(context["teacher"].get_full_name())[:60]
    return pdf_response(pdf, f"fiche-18-heures-{context['year_label']}-{name}.pdf")
