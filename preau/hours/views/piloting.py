"""The IEN's follow-up of the 18 hours (« Piloter »): every teacher of a circonscription with
their totals and status, computed by the database; CSV and .xlsx exports; an animation recorded
for a selection in one go; one teacher's ledger with manual corrections and union-meeting decisions.

The IEN sees hours, never anything about what a teacher did inside a session (domain.md §6).
Pilot teams, academic managers and administrators reach the circonscriptions they pilot; any
other circonscription answers 404, as on the territory pages.
"""

import datetime
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from html import escape

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from preau.accounts.models import User
from preau.core.exports import BOM, CsvWriter, write_spreadsheet
from preau.core.numbers import french_number
from preau.core.params import ids_param, year_param
from preau.core.search import SearchField, SearchTerms, by_name
from preau.territories.access import get_circonscription_for_user_or_404, teachers_piloted_by
from preau.territories.models import Circonscription

from .. import services
from ..models import Entry, Kind, Source
from ..rules import (
    Status,
    format_hours,
    school_year_bounds,
    school_year_label,
    school_year_of,
    status_legend,
)
from ..selectors import (
    FollowUpFilter,
    follow_up_rows,
    followed_teachers,
    min_distance_of,
    pending_declarations,
    teacher_year,
    with_status_rank,
)

PAGE_SIZE = 50

# ?tri= → ORDER BY; the status order puts the teachers who need attention first.
# Names in French order (preau/core/search.py).
SORTS = {
    "nom": [*by_name(), "pk"],
    "-nom": [*by_name(descending=True), "-pk"],
    "statut": ["status_rank", *by_name(), "pk"],
    "-statut": ["-status_rank", *by_name(), "pk"],
    "total": ["counted", *by_name(), "pk"],
    "-total": ["-counted", *by_name(), "pk"],
}


# Forms --------------------------------------------------------------------------------------


class ListFilterForm(DsfrBaseForm):
    a_valider = forms.BooleanField(
        label=gettext_lazy("Seulement les enseignants ayant une déclaration à valider"),
        required=False,
    )
    q = SearchField(
        label=gettext_lazy("Rechercher un enseignant"),
        help_text=gettext_lazy("Nom, prénom ou adresse électronique"),
    )
    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous les statuts")), *Status.choices],
    )
    tri = forms.ChoiceField(
        label=gettext_lazy("Trier par"),
        required=False,
        choices=[
            ("nom", gettext_lazy("Nom (A → Z)")),
            ("-nom", gettext_lazy("Nom (Z → A)")),
            ("statut", gettext_lazy("Statut (à suivre d’abord)")),
            ("-statut", gettext_lazy("Statut (complets d’abord)")),
            ("-total", gettext_lazy("Total (le plus d’heures d’abord)")),
            ("total", gettext_lazy("Total (le moins d’heures d’abord)")),
        ],
    )

    def values(self) -> tuple[str, str, SearchTerms]:
        """(status, sort, search terms): unknown values fall back to all statuses, sorted by
        name."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("statut", ""), data.get("tri") or "nom", self.search_terms()

    def follow_up_filter(self, year: int) -> FollowUpFilter:
        status, _sort, terms = self.values()
        pending_only = self.cleaned_data.get("a_valider", False) if self.is_valid() else False
        return FollowUpFilter(year=year, status=status, terms=terms, pending_only=pending_only)

    def search_terms(self) -> SearchTerms:
        self.is_valid()  # a wrong status or sort does not drop the search
        return self.cleaned_data.get("q") or SearchTerms()


def _hours_field(label, *, min_value=None):
    return forms.DecimalField(
        label=label,
        max_digits=4,
        decimal_places=1,
        min_value=min_value,
        initial=Decimal(0),
        widget=forms.NumberInput(attrs={"step": "0.5"}),
        error_messages={
            "invalid": _("Indiquez un nombre d’heures, par exemple 1,5."),
            "max_digits": _("30 h au plus en une seule ligne."),
            "max_decimal_places": _("Une décimale au plus, par exemple 1,5."),
        },
    )


class AnimationForm(DsfrBaseForm):
    title = forms.CharField(label=gettext_lazy("Intitulé de l’animation"), max_length=200)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    presence_hours = _hours_field(gettext_lazy("Heures en présence"))
    distance_hours = _hours_field(gettext_lazy("Heures à distance"))


class CorrectionForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Nature des heures"),
        choices=[(Kind.TRAINING, Kind.TRAINING.label), (Kind.ANIMATION, Kind.ANIMATION.label)],
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    presence_hours = _hours_field(
        gettext_lazy("Heures en présence (négatif pour retirer)"),
    )
    distance_hours = _hours_field(
        gettext_lazy("Heures à distance (négatif pour retirer)"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif (visible par l’enseignant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # services.correct says why a missing reason is refused
    )


# Reads --------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    """?annee=2025 for 2025-2026; the current school year otherwise."""
    return year_param(request.GET, default=school_year_of(timezone.localdate()))


def _filtered(request: HttpRequest, circonscription: Circonscription, year: int, min_distance=None):
    form = ListFilterForm(request.GET)
    status, sort, _terms = form.values()
    if min_distance is None:
        min_distance = min_distance_of(circonscription)
    rows = follow_up_rows(circonscription, form.follow_up_filter(year), min_distance)
    if sort in ("statut", "-statut"):
        rows = with_status_rank(rows)
    return form, status, sort, rows.order_by(*SORTS[sort])


# What a row of the page shows, read as plain dicts (no model instance to build for each);
# the exports read whole teachers with their school.
ROW_VALUES = [
    "pk",
    "first_name",
    "last_name",
    "quotite",
    "training",
    "training_distance",
    "animations",
    "union_meetings",
    "counted",
    "target",
    "status",
    "here_hours",
    "is_current",
    "earned_elsewhere",
]
BADGES = {Status.COMPLETE: "success", Status.ON_TRACK: "info"}  # the others: warning


def _hours(value) -> str:
    """Hours as the page writes them: one decimal, none when whole, French comma (« 4,5 »)."""
    return french_number(value, 1)


# The rows of the table are written here rather than in the template: as template
# variables, fifty rows of fourteen values each cost a third of the page's Python time (a
# template variable or a format_html argument costs about ten function calls, html.escape
# one). The table itself, its caption and headers stay in the template. Every value that
# does not come from this module goes through escape().


def _row_html(row: dict, *, url: str, checked: bool, labels: dict[str, str]) -> SafeString:
    pk = row["pk"]
    checkbox = ""
    if row["is_current"]:  # only teachers whose school is here can be ticked for an animation
        full_name = escape(f"{row['first_name']} {row['last_name']}".strip())
        checkbox = (
            '<div class="fr-checkbox-group fr-checkbox-group--sm">'
            f'<input type="checkbox" name="teachers" value="{pk}" id="teacher-{pk}"'
            f'{" checked" if checked else ""}><label class="fr-label" for="teacher-{pk}">'
            f'<span class="fr-sr-only">{full_name}</span></label></div>'
        )
    notes = "".join(f'<br><span class="fr-text--xs">{escape(note)}</span>' for note in _notes(row))
    return mark_safe(  # built above from escaped values and this module's text
        f"<tr><td>{checkbox}</td>"
        f'<td><a href="{escape(url)}">{escape(row["last_name"])} {escape(row["first_name"])}</a>'
        f"{notes}</td>"
        f'<td><p class="fr-badge fr-badge--sm fr-badge--no-icon '
        f'fr-badge--{BADGES.get(row["status"], "warning")}">'
        f"{labels[row['status']]}</p></td>"
        f'<td class="fr-cell--right">{_hours(row["training"])} h</td>'
        f'<td class="fr-cell--right">{_hours(row["training_distance"])} h</td>'
        f'<td class="fr-cell--right">{_hours(row["animations"])} h</td>'
        f'<td class="fr-cell--right">{_hours(row["union_meetings"])} h</td>'
        f'<td class="fr-cell--right">{_hours(row["counted"])} h / {_hours(row["target"])} h</td>'
        "</tr>\n"
    )


def _notes(row: dict) -> list[str]:
    """Under the name: a working share other than 100 %, and the hours earned here by a
    teacher who moved in or out during the year."""
    notes = []
    if row["quotite"] != 100:
        notes.append(_("Quotité %(q)s %%") % {"q": row["quotite"]})
    here = {"here": _hours(row["here_hours"])}
    if not row["is_current"]:
        notes.append(
            _("A quitté la circonscription en cours d’année : %(here)s h faites ici.") % here
        )
    elif row["earned_elsewhere"]:
        notes.append(_("Arrivé(e) en cours d’année : %(here)s h faites ici.") % here)
    return notes


def _options_html(form: ListFilterForm, name: str, current: str) -> SafeString:
    """The <option>s of one of the filter form's selects, the current value selected."""
    return mark_safe(  # the form's own choices, escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == current else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in form.fields[name].choices
        )
    )


def _display_rows(rows, circ: Circonscription, year: int, selected: set[int]) -> list[dict]:
    """The rows of the page (dicts of ROW_VALUES), each with its table row as `html`: the
    link to the ledger, the figures, the status label and badge (the status itself comes
    from the database)."""
    rows = list(rows)
    ledger = reverse("hours:teacher_ledger", args=[circ.code, 0]).removesuffix("0/")
    labels = {status.value: escape(str(status.label)) for status in Status}
    for row in rows:
        row["html"] = _row_html(
            row,
            url=f"{ledger}{row['pk']}/?annee={year}",
            checked=row["pk"] in selected,
            labels=labels,
        )
    return rows


def _list_page(
    request: HttpRequest,
    circonscription: Circonscription,
    *,
    form: AnimationForm | None = None,
    selected: set[int] | None = None,
    scope: str = "",
    status_code: int = 200,
) -> HttpResponse:
    year = _year(request)
    min_distance = min_distance_of(circonscription)
    filter_form, status, sort, rows = _filtered(request, circonscription, year, min_distance)
    selected = selected or set()
    page = Paginator(rows.values(*ROW_VALUES), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _display_rows(page.object_list, circonscription, year, selected)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hours/piloting/circonscription.html",
        {
            "circonscription": circonscription,
            "year": year,
            "year_label": school_year_label(year),
            "previous_year": year - 1,
            "next_year": year + 1,
            "filter_form": filter_form,
            "status_options": _options_html(filter_form, "statut", status),
            "sort_options": _options_html(filter_form, "tri", sort),
            "filtered": bool(
                status or filter_form.search_terms() or filter_form.data.get("a_valider")
            ),
            "pending_only": filter_form.follow_up_filter(year).pending_only,
            "pending_count": pending_declarations(circonscription).count(),
            "legend": status_legend(min_distance),
            "scope": scope or "coches",
            "sort": sort,
            "page": page,
            "query": query.urlencode(),
            "animation_form": form or AnimationForm(),
        },
        status=status_code,
    )


# Views --------------------------------------------------------------------------------------


def circonscription(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the follow-up list. POST: an animation for the teachers ticked on the list."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    if request.method != "POST":
        return _list_page(request, circ)
    # « coches »: the teachers ticked on this page; « tous »: every teacher of the list as
    # filtered (the filter travels in the query string), on every page, resolved by the
    # service.
    scope = "tous" if request.POST.get("portee") == "tous" else "coches"
    selected = ids_param(request.POST, "teachers") if scope == "coches" else set()
    form = AnimationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            "by": request.user,
            "circonscription": circ,
            "title": data["title"],
            "date": data["date"],
            "presence_hours": data["presence_hours"],
            "distance_hours": data["distance_hours"],
        }
        try:
            if scope == "tous":
                filter_ = ListFilterForm(request.GET).follow_up_filter(_year(request))
                animation = services.record_animation_for_list(follow_up_filter=filter_, **fields)
            else:
                # Only teachers whose school is here and whom the person pilots may be selected.
                attendees = list(
                    teachers_piloted_by(request.user).filter(
                        school__circonscription=circ, pk__in=selected
                    )
                )
                if len(attendees) != len(selected):
                    raise ValidationError(
                        _("Certains enseignants choisis ne sont pas de cette circonscription.")
                    )
                animation = services.record_animation(attendees=attendees, **fields)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            n = animation.entries.count()
            messages.success(
                request,
                ngettext(
                    "Animation « %(title)s » enregistrée pour %(n)s enseignant.",
                    "Animation « %(title)s » enregistrée pour %(n)s enseignants.",
                    n,
                )
                % {"title": animation.title, "n": n},
            )
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    return _list_page(request, circ, form=form, selected=selected, scope=scope, status_code=422)


CSV_HEADER = [
    "Nom",
    "Prénom",
    "École",
    "UAI",
    "Quotité (%)",
    "Objectif (h)",
    "Formation (h)",
    "dont à distance (h)",
    "Animations (h)",
    "Réunions syndicales validées (h)",
    "Total compté (h)",
    "Manque (h)",
    "Statut",
    "Heures faites dans la circonscription (h)",
    "Remarque",
]


def _remark(row) -> str:
    if not row.is_current:
        return _("A quitté la circonscription en cours d’année")
    if row.earned_elsewhere:
        return _("Arrivé(e) en cours d’année d’une autre circonscription")
    return ""


def _export_rows(request: HttpRequest, circ: Circonscription, year: int) -> Iterator[list]:
    """The rows of the list, filtered and sorted alike, hours as Decimal, streamed in chunks."""
    _form, _status, _sort, rows = _filtered(request, circ, year)
    for row in rows.select_related("school").iterator(chunk_size=500):
        yield [
            row.last_name,
            row.first_name,
            row.school.name if row.is_current else "",
            row.school.uai if row.is_current else "",
            row.quotite,
            *(
                Decimal(str(value)).quantize(Decimal("0.1"))
                for value in (
                    row.target,
                    row.training,
                    row.training_distance,
                    row.animations,
                    row.union_meetings,
                    row.counted,
                    row.missing,
                )
            ),
            str(Status(row.status).label),
            Decimal(str(row.here_hours)).quantize(Decimal("0.1")),
            _remark(row),
        ]


def _export_filename(circ: Circonscription, year: int, extension: str) -> str:
    return f'attachment; filename="18-heures-{circ.code}-{school_year_label(year)}.{extension}"'


def circonscription_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The same list, filtered and sorted alike, for a spreadsheet: UTF-8 with a byte order mark
    (Excel reads the accents), semicolons, streamed in chunks."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    year = _year(request)
    writer = CsvWriter(places=1)

    def stream() -> Iterator[str]:
        yield BOM + writer.row(CSV_HEADER)
        for values in _export_rows(request, circ, year):
            yield writer.row(values)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _export_filename(circ, year, "csv")
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def circonscription_xlsx(request: HttpRequest, code: str) -> FileResponse:
    """The same rows and columns as the CSV, as an .xlsx file: hours as numbers, the header in
    bold. A write-only workbook keeps memory flat: rows go to a temporary file as they come."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    year = _year(request)
    # FileResponse closes the file (and so deletes it) once the response is sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    rows = _export_rows(request, circ, year)
    write_spreadsheet(output, school_year_label(year), CSV_HEADER, rows)
    output.seek(0)
    response = FileResponse(output, content_type=XLSX_TYPE)
    response["Content-Disposition"] = _export_filename(circ, year, "xlsx")
    return response


def _teacher_or_404(circ: Circonscription, pk: int, year: int) -> User:
    """A teacher followed in this circonscription this year (school here, or hours earned here)."""
    return get_object_or_404(followed_teachers(circ, year).select_related("school"), pk=pk)


def teacher_ledger(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One teacher's entries for the year and their status, hours only; POST: a correction."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    year = _year(request)
    teacher = _teacher_or_404(circ, pk, year)
    status_code = 200
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correct(
                    by=request.user,
                    teacher=teacher,
                    school_year=year,
                    date=data["date"],
                    kind=data["kind"],
                    presence_hours=data["presence_hours"],
                    distance_hours=data["distance_hours"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Correction enregistrée."))
                return redirect(f"{request.path}?annee={year}")
        status_code = 422
    else:
        form = CorrectionForm(initial={"date": _default_date(year)})
    year_data = teacher_year(teacher, year)
    entries = year_data["entries"]
    for entry in entries:
        entry.is_pending = (
            entry.source == Source.DECLARATION
            and entry.validated_at is None
            and entry.refused_at is None
        )
    return render(
        request,
        "hours/piloting/teacher_ledger.html",
        {
            "circonscription": circ,
            "teacher": teacher,
            "is_current": teacher.school_id is not None
            and teacher.school.circonscription_id == circ.pk,
            "year": year,
            "year_label": school_year_label(year),
            "entries": entries,
            "assessment": year_data["assessment"],
            "status_label": Status(year_data["assessment"].status).label,
            "missing_training": format_hours(year_data["assessment"].missing_training),
            "missing_total": format_hours(year_data["assessment"].missing_total),
            "form": form,
        },
        status=status_code,
    )


def _default_date(year: int) -> datetime.date:
    today = timezone.localdate()
    return today if school_year_of(today) == year else school_year_bounds(year)[1]


@require_POST
def declaration(request: HttpRequest, code: str, pk: int, entry_pk: int) -> HttpResponse:
    """Validates or refuses a union meeting the teacher declared."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    year = _year(request)
    teacher = _teacher_or_404(circ, pk, year)
    entry = get_object_or_404(
        Entry.objects.filter(teacher=teacher, source=Source.DECLARATION, school_year=year),
        pk=entry_pk,
    )
    decision = request.POST.get("decision")
    try:
        if decision == "validate":
            services.validate_declaration(entry=entry, by=request.user)
            messages.success(request, _("Réunion d’information syndicale validée."))
        elif decision == "refuse":
            services.refuse_declaration(
                entry=entry, by=request.user, reason=request.POST.get("motif", "")
            )
            messages.success(request, _("Déclaration refusée : elle ne compte pas."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    url = reverse("hours:teacher_ledger", args=[circ.code, teacher.pk])
    return redirect(f"{url}?annee={year}")


# The IEN's worklist of union-meeting declarations ---------------------------------------------


def declarations(request: HttpRequest, code: str) -> HttpResponse:
    """The declarations waiting for the IEN in one place, each validated or refused with a
    reason right in its row (htmx replaces the row; without JavaScript the page reloads)."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    pending = list(pending_declarations(circ).select_related("teacher__school"))
    context = {
        "circonscription": circ,
        "declarations": pending,
        # What a row shows after a decision (decide() renders the row alone).
        "done": "",
        "error": "",
        "motif": "",
    }
    return render(request, "hours/piloting/declarations.html", context)


def _pending_or_decided_or_404(circ: Circonscription, pk: int) -> Entry:
    return get_object_or_404(
        Entry.objects.filter(source=Source.DECLARATION, circonscription=circ).select_related(
            "teacher__school"
        ),
        pk=pk,
    )


@require_POST
def decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Validates (`decision=valider`) or refuses (`decision=refuser`, with `motif`) one
    declaration of the worklist."""
    circ = get_circonscription_for_user_or_404(request.user, code)
    entry = _pending_or_decided_or_404(circ, pk)
    decision = request.POST.get("decision")
    if decision not in {"valider", "refuser"}:
        raise Http404
    error, done = "", ""
    try:
        if decision == "valider":
            entry = services.validate_declaration(entry=entry, by=request.user)
            done = _("Validée : elle compte dans les heures de %(name)s.")
        else:
            entry = services.refuse_declaration(
                entry=entry, by=request.user, reason=request.POST.get("motif", "")
            )
            done = _("Refusée : %(name)s lira le motif dans « Mes 18 heures ».")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    name = entry.teacher.get_full_name()
    if request.htmx:
        context = {
            "circonscription": circ,
            "entry": entry,
            "error": error,
            "done": done % {"name": name} if done else "",
            "motif": request.POST.get("motif", ""),
        }
        return render(request, "hours/piloting/declarations.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done % {"name": name})
    return redirect("hours:declarations", circ.code)
