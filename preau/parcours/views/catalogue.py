"""The two catalogues: the offre de parcours (trainers, designers, piloting roles choose a parcours
to deploy), with its CSV export and printable page; and the offre de formation (teachers), for
now the open-access modules, which a teacher joins and leaves on their own.

The search pages serve both the full page and, for htmx, the results fragment only
(django-template-partials), so that a filter change refreshes the results without a reload and
the same form still works as a plain GET without JavaScript.
"""

from collections.abc import Iterator
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from dsfr.forms import DsfrBaseForm

from preau.accounts.selectors import has_role
from preau.core.exports import BOM, CsvWriter, csv_text
from preau.core.numbers import french_number
from preau.core.search import SearchField, SearchTerms

from .. import services
from ..access import CATALOGUE_ROLES, get_open_access_module_or_404
from ..models import Audience, Collection, Domain, Origin, Parcours
from ..selectors import (
    DURATION_BANDS,
    CatalogueFilters,
    search_offre,
    search_open_access,
)

PAGE_SIZE = 20
# The printable catalogue shows the whole search, up to this many parcours: beyond it the page
# would run to hundreds of sheets, and the reader is told to narrow the search.
PRINT_LIMIT = 1000


def _blank(choices) -> list[tuple[str, str]]:
    return [("", gettext_lazy("Tous")), *choices]


class CatalogueSearchForm(DsfrBaseForm):
    """The filters of both catalogues, read from the query string; invalid values are ignored."""

    q = SearchField(
        label=gettext_lazy("Rechercher"),
        help_text=gettext_lazy(
            "Mots du titre, des mots-clés, des objectifs ou de la description, ou matricule"
        ),
    )
    duration = forms.ChoiceField(
        label=gettext_lazy("Durée"),
        required=False,
        choices=_blank([(code, label) for code, (label, _q) in DURATION_BANDS.items()]),
    )
    origin = forms.ChoiceField(
        label=gettext_lazy("Origine"), required=False, choices=_blank(Origin.choices)
    )
    collection = forms.ChoiceField(
        label=gettext_lazy("Collection"), required=False, choices=_blank(Collection.choices)
    )
    domain = forms.ChoiceField(
        label=gettext_lazy("Domaine"), required=False, choices=_blank(Domain.choices)
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Public"), required=False, choices=_blank(Audience.choices)
    )
    label = forms.BooleanField(
        label=gettext_lazy("Seulement les parcours labellisés au niveau national"), required=False
    )

    # Shorter names than the form labels, for the line that says what a printout holds.
    SUMMARY_LABELS = {"q": gettext_lazy("Mots cherchés"), "label": gettext_lazy("Label national")}

    def filters(self) -> CatalogueFilters:
        self.is_valid()
        data = self.cleaned_data
        return CatalogueFilters(
            q=self.search_terms().text,
            duration=data.get("duration", ""),
            origin=data.get("origin", ""),
            label=data.get("label", False),
            collection=data.get("collection", ""),
            domain=data.get("domain", ""),
            audience=data.get("audience", ""),
        )

    def search_terms(self) -> SearchTerms:
        self.is_valid()
        return self.cleaned_data.get("q") or SearchTerms()

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, in French, to say what a printout contains."""
        self.is_valid()
        active = []
        for name, value in self.cleaned_data.items():
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices)[value]
            elif isinstance(field, forms.BooleanField):
                value = _("oui")
            elif isinstance(value, SearchTerms):
                value = value.text
            active.append((self.SUMMARY_LABELS.get(name, field.label), value))
        return active


class JoinForm(DsfrBaseForm):
    key = forms.CharField(
        label=gettext_lazy("Clé d’inscription"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Communiquée par la personne qui vous a proposé ce module"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, parcours: Parcours, **kwargs):
        # One form per module on the list page: ids must not repeat.
        kwargs.setdefault("auto_id", f"module-{parcours.pk}-%s")
        super().__init__(*args, **kwargs)
        if parcours.enrolment_key:
            self.fields["key"].required = True
            self.fields["key"].error_messages["required"] = _(
                "Saisissez la clé d’inscription de ce module."
            )


def _search(request: HttpRequest) -> tuple[CatalogueSearchForm, CatalogueFilters, bool]:
    form = CatalogueSearchForm(request.GET)
    filters = form.filters()
    return form, filters, filters != CatalogueFilters()


def _render_search(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or only its results for an htmx request (but not for htmx restoring a
    page from history, which needs the whole page)."""
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    context["fragment"] = fragment
    return render(request, f"{template}#results" if fragment else template, context)


# Offre de parcours -----------------------------------------------------------------------


def _require_catalogue_role(request: HttpRequest) -> None:
    if not has_role(request.user, *CATALOGUE_ROLES):
        raise PermissionDenied


@vary_on_headers("HX-Request")
def offre(request: HttpRequest) -> HttpResponse:
    _require_catalogue_role(request)
    form, filters, filtered = _search(request)
    page = Paginator(search_offre(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render_search(
        request,
        "parcours/catalogue/offre.html",
        {"form": form, "page": page, "filtered": filtered, "action": reverse("parcours:offre")},
    )


CSV_HEADER = [
    "matricule",
    "titre",
    "objectifs",
    "durée",
    "présence",
    "distance",
    "rythme",
    "origine",
    "académie",
    "collection",
    "domaine",
    "publics",
    "auteurs",
    "validé par",
    "label national",
    "version",
    "sessions",
]


def _hours(value: Decimal | None) -> str:
    return "" if value is None else french_number(value)


def _csv_rows(parcours_list) -> Iterator[list[str]]:
    yes, no = _("oui"), _("non")
    for p in parcours_list:
        yield [
            p.matricule or "",
            csv_text(p.title),
            csv_text(p.objectives),
            _hours(p.duration_hours),
            _hours(p.presence_hours),
            _hours(p.distance_hours),
            csv_text(p.rhythm),
            p.get_origin_display(),
            p.academie.name if p.academie else "",
            p.get_collection_display(),
            p.get_domain_display(),
            ", ".join(str(label) for label in p.get_audiences_display()),
            csv_text(p.authors),
            csv_text(p.validated_by),
            yes if p.national_label else no,
            p.version,
            # Sessions made from any version of the parcours (search_offre's session_count).
            str(p.session_count),
        ]


def offre_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The current search as CSV for Excel: semicolons, UTF-8 with a byte order mark (without
    it Excel reads the accents as Windows-1252). Rows are streamed in chunks, never all held."""
    _require_catalogue_role(request)
    _form, filters, _filtered = _search(request)
    # iterator() with a chunk size keeps the prefetch of audiences, one query per chunk.
    rows = search_offre(request.user, filters).iterator(chunk_size=500)
    writer = CsvWriter()

    def stream() -> Iterator[str]:
        yield BOM + writer.row(CSV_HEADER)
        for row in _csv_rows(rows):
            yield writer.row(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    filename = f"offre-de-parcours-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def offre_print(request: HttpRequest) -> HttpResponse:
    """The current search, every result on one page, laid out for the browser's print dialog
    (and its « Enregistrer au format PDF »): see docs/architecture.md, Catalogue exports."""
    _require_catalogue_role(request)
    form, filters, filtered = _search(request)
    results = list(search_offre(request.user, filters)[: PRINT_LIMIT + 1])
    return render(
        request,
        "parcours/catalogue/offre_print.html",
        {
            "form": form,
            "filtered": filtered,
            "parcours_list": results[:PRINT_LIMIT],
            "truncated": len(results) > PRINT_LIMIT,
            "print_limit": PRINT_LIMIT,
            "printed_at": timezone.localtime(),
        },
    )


# Offre de formation: open-access modules ------------------------------------------------


@vary_on_headers("HX-Request")
def formation(request: HttpRequest) -> HttpResponse:
    form, filters, filtered = _search(request)
    page = Paginator(search_open_access(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for item in page.object_list:
        item.join_form = JoinForm(parcours=item)
    return _render_search(
        request,
        "parcours/catalogue/formation.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "action": reverse("parcours:formation"),
        },
    )


def _module_page(request: HttpRequest, parcours: Parcours, join_form: JoinForm | None = None):
    # The content is read by members only, and never with the trainer notes.
    sections = parcours.sections.prefetch_related("activities") if parcours.joined else None
    return render(
        request,
        "parcours/catalogue/module.html",
        {
            "parcours": parcours,
            "sections": sections,
            "show_trainer_notes": False,
            "join_form": join_form or JoinForm(parcours=parcours),
        },
    )


def module(request: HttpRequest, pk: int) -> HttpResponse:
    """A member reads the content (never the trainer notes); anyone else sees the presentation
    and the join button."""
    return _module_page(request, get_open_access_module_or_404(request.user, pk))


@require_POST
def module_join(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = get_open_access_module_or_404(request.user, pk)
    if parcours.joined:  # joining twice (a double click, a second tab) changes nothing
        return redirect("parcours:module", pk=parcours.pk)
    form = JoinForm(request.POST, parcours=parcours)
    if form.is_valid():
        try:
            services.join_open_access(
                parcours=parcours, user=request.user, key=form.cleaned_data["key"]
            )
        except ValidationError as error:
            form.add_error("key" if parcours.enrolment_key else None, error)
    if form.errors:
        return _module_page(request, parcours, join_form=form)
    messages.success(
        request, _("Vous avez rejoint le module « %(title)s ».") % {"title": parcours.title}
    )
    return redirect("parcours:module", pk=parcours.pk)


@require_http_methods(["GET", "POST"])
def module_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST leaves (and does nothing if the user was no member)."""
    parcours = get_open_access_module_or_404(request.user, pk)
    if request.method == "GET":
        if not parcours.joined:
            return redirect("parcours:module", pk=parcours.pk)
        return render(request, "parcours/catalogue/module_leave.html", {"parcours": parcours})
    services.leave_open_access(parcours=parcours, user=request.user)
    messages.success(
        request, _("Vous avez quitté le module « %(title)s ».") % {"title": parcours.title}
    )
    return redirect("parcours:formation")


@require_POST
def module_done(request: HttpRequest, pk: int) -> HttpResponse:
    """A member marks the module « terminé » for themself (done=1) or undoes it (done=0): no
    hours, seen by nobody else. htmx swaps the box; without JavaScript the page comes back."""
    parcours = get_open_access_module_or_404(request.user, pk)
    done = {"1": True, "0": False}.get(request.POST.get("done", ""))
    if done is None:
        return HttpResponseBadRequest()
    error = ""
    try:
        services.mark_open_access_done(parcours=parcours, user=request.user, done=done)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        parcours.done = done
    if request.htmx:
        return render(
            request, "parcours/catalogue/_done.html", {"module": parcours, "error": error}
        )
    if error:
        messages.error(request, error)
    return redirect("parcours:module", pk=parcours.pk)
