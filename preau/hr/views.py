"""Pages of the HR interchange: imports (upload, preview, progress, report, history), the
académie's GAIA sessions, and a platform session's links to GAIA."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from preau.core.params import int_param
from preau.core.search import parse_request
from preau.parcours.access import offre_filter
from preau.parcours.models import Parcours
from preau.territories.models import Departement
from preau.training.selectors import owner_territories

from . import access, exports, progress, selectors, services
from .forms import CreateFromHrForm, GaiaUploadForm, LinkForm, LinkSettingsForm, SofiaUploadForm

PAGE_SIZE = 50


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(
                None if field == "__all__" or field not in form.fields else field, messages_
            )
    else:
        form.add_error(None, error)


def imports(request: HttpRequest) -> HttpResponse:
    access.require_importer(request.user)
    academies = access.academies_for_import(request.user)
    gaia_form = GaiaUploadForm(academies=academies, prefix="gaia")
    sofia_form = SofiaUploadForm(academies=academies, prefix="sofia")
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = (
            GaiaUploadForm(request.POST, request.FILES, academies=academies, prefix="gaia")
            if kind == "gaia"
            else SofiaUploadForm(request.POST, request.FILES, academies=academies, prefix="sofia")
        )
        if form.is_valid():
            try:
                if kind == "gaia":
                    hr_import = services.start_gaia_import(
                        academie=form.cleaned_data["academie"],
                        uploads={k: form.cleaned_data[k] for k in services.GAIA_FILES},
                        by=request.user,
                        forced_reason=form.cleaned_data["forced_reason"],
                    )
                else:
                    hr_import = services.start_sofia_import(
                        academie=form.cleaned_data["academie"],
                        upload=form.cleaned_data["sofia"],
                        by=request.user,
                    )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect("hr:import", hr_import.pk)
        if kind == "gaia":
            gaia_form = form
        else:
            sofia_form = form
    history = Paginator(
        access.imports_visible_to(request.user).select_related("academie", "uploaded_by"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "hr/imports.html",
        {"gaia_form": gaia_form, "sofia_form": sofia_form, "page_obj": history},
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hr_import = access.get_import_or_404(request.user, pk)
    context = {"hr_import": hr_import, "progress": None}
    if hr_import.is_running:
        # A dead worker's last progress may linger in the cache: its heartbeat decides.
        if services.mark_interrupted(hr_import):
            context["hr_import"] = hr_import
        else:
            context["progress"] = progress.read(hr_import.pk) or {"percent": 0, "label": ""}
    if request.htmx and request.GET.get("partial") == "status":
        if not context["progress"]:
            # Done: the whole page shows the preview or the report.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "hr/import.html#status", context)
    problems = Paginator(hr_import.problems.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    held = Paginator(hr_import.held.all(), PAGE_SIZE).get_page(request.GET.get("retraits"))
    context.update(
        _report(hr_import),
        problems=problems,
        held=held,
        retention_days=settings.PREAU_HR_PREVIEW_RETENTION_DAYS,
    )
    return render(request, "hr/import.html", context)


ROW_LABELS = (
    ("sessions_new", _lazy("Sessions %(source)s nouvelles")),
    ("sessions_changed", _lazy("Sessions %(source)s modifiées")),
    ("sessions_gone", _lazy("Sessions %(source)s disparues (gardées pour l’historique)")),
    ("trainers_new", _lazy("Formateurs ajoutés à un module")),
    ("trainers_removed", _lazy("Formateurs retirés d’un module")),
    ("trainees_new", _lazy("Stagiaires ajoutés à une session")),
    ("trainees_removed", _lazy("Stagiaires retirés d’une session")),
    ("sessions_held", _lazy("Sessions omises : retrait en attente de confirmation")),
    ("trainers_held", _lazy("Formateurs omis : retrait en attente de confirmation")),
    ("trainees_held", _lazy("Stagiaires omis : retrait en attente de confirmation")),
    ("people_matched", _lazy("Personnes retrouvées par leur adresse électronique")),
    ("placeholders", _lazy("Comptes en attente à créer (personnes inconnues)")),
    ("enrolled", _lazy("Inscriptions faites dans les sessions liées")),
    ("waiting", _lazy("Mises en liste d’attente (sessions complètes)")),
    ("unenrolled", _lazy("Désinscriptions (liens qui le demandent)")),
    ("staff", _lazy("Formateurs ajoutés à l’équipe d’une session liée")),
    ("rejected", _lazy("Lignes rejetées")),
)


def _report(hr_import) -> dict:
    """The preview's or the report's figures as (label, value) rows, and examples."""
    summary = hr_import.summary
    figures = summary.get("applied", summary) if hr_import.status == "applied" else summary
    figures = {**figures, "rejected": summary.get("rejected", 0)}
    confirmed = summary.get("confirmed_removals")
    if hr_import.status == "applied" and confirmed:
        # The held removals were confirmed since: they are removals now, none is held.
        for what in ("trainees", "trainers"):
            figures[f"{what}_removed"] = (
                figures.get(f"{what}_removed", 0) + confirmed[f"{what}_removed"]
            )
            figures[f"{what}_held"] = 0
        figures["sessions_gone"] = figures.get("sessions_gone", 0) + confirmed["sessions_gone"]
        figures["sessions_held"] = 0
    if hr_import.status == "applied" and "people_matched" in summary:
        figures["people_matched"] = summary["people_matched"]
    # A SOFIA import's sessions are SOFIA's: labels name the source of the import.
    source = {"source": "SOFIA" if hr_import.kind == "sofia" else "GAIA"}
    rows = [(str(label) % source, figures[key]) for key, label in ROW_LABELS if key in figures]

    def session_text(item):
        text = f"{item['dispositif']} / {item['module']} / {item['code']}"
        if item.get("group"):
            text += f" / {item['group']}"
        text += f" — {item['title']} ({item['starts_on']})"
        if item.get("fields"):
            text += " : " + ", ".join(item["fields"])
        return text

    samples = [
        (
            _("Exemples de sessions nouvelles"),
            [session_text(i) for i in summary.get("sessions_new_sample", [])],
        ),
        (
            _("Exemples de sessions modifiées"),
            [session_text(i) for i in summary.get("sessions_changed_sample", [])],
        ),
        (
            _("Exemples de sessions disparues"),
            [session_text(i) for i in summary.get("sessions_gone_sample", [])],
        ),
        (_("Exemples de comptes en attente à créer"), summary.get("placeholders_sample", [])),
    ]
    # Held removals: listed by the page's own table once applied; named as held until then.
    held_trainees = figures.get("trainees_held", 0)
    held_trainers = figures.get("trainers_held", 0)
    applied = hr_import.status == "applied"
    names = [
        (
            _("Stagiaires ajoutés"),
            summary.get("trainees_added_names", []),
            figures.get("trainees_new", 0),
        ),
        (
            _("Stagiaires omis par le fichier : retrait en attente de votre confirmation")
            if held_trainees
            else _("Stagiaires retirés"),
            summary.get("trainees_removed_names", []),
            figures.get("trainees_removed", 0) + held_trainees,
        ),
        (
            _("Formateurs ajoutés"),
            summary.get("trainers_added_names", []),
            figures.get("trainers_new", 0),
        ),
        (
            _("Formateurs omis par le fichier : retrait en attente de votre confirmation")
            if held_trainers
            else _("Formateurs retirés"),
            summary.get("trainers_removed_names", []),
            figures.get("trainers_removed", 0) + held_trainers,
        ),
    ]
    if applied:  # the held ones are in the table of held removals, not twice
        names = [names[0], names[2]] + [
            entry
            for entry, held in ((names[1], held_trainees), (names[3], held_trainers))
            if not held
        ]
    return {
        "rows": rows,
        "names": [(title, items, total, total - len(items)) for title, items, total in names],
        "held_action": _held_action(summary.get("applied", {})),
        "samples": samples,
        "guards": figures.get("guards", summary.get("guards", [])),
        "linked": summary.get("linked", []),
        "files": list(hr_import.files.values()),
    }


def _held_action(applied: dict) -> str:
    """« Retirer ces 212 stagiaires et ces 3 formateurs »: the button says what it does."""
    parts = []
    for key, one, many in (
        ("trainees_held", _("ce stagiaire"), _("ces %(n)s stagiaires")),
        ("trainers_held", _("ce formateur"), _("ces %(n)s formateurs")),
        ("sessions_held", _("cette session"), _("ces %(n)s sessions")),
    ):
        n = applied.get(key, 0)
        if n:
            parts.append(one if n == 1 else many % {"n": n})
    if not parts:
        return ""
    return _("Retirer %(what)s") % {"what": _(" et ").join(parts)}


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    hr_import = access.get_import_or_404(request.user, pk)
    try:
        services.confirm_import(hr_import=hr_import, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("hr:import", pk)


@require_POST
def import_confirm_removals(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager read the held removals' list and confirms them all (their number, as
    shown, comes with the form: a list that changed meanwhile is refused)."""
    hr_import = access.get_import_or_404(request.user, pk)
    count = int_param(request.POST, "count", default=-1, lenient=True)
    try:
        done = services.confirm_held_removals(hr_import=hr_import, count=count, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Retraits appliqués : %(trainees)s stagiaires, %(trainers)s formateurs, "
                "%(sessions)s sessions disparues."
            )
            % {
                "trainees": done["trainees_removed"],
                "trainers": done["trainers_removed"],
                "sessions": done["sessions_gone"],
            },
        )
    return redirect("hr:import", pk)


@require_POST
def import_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    hr_import = access.get_import_or_404(request.user, pk)
    try:
        services.refresh_preview(hr_import=hr_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Aperçu recalculé sur l’état actuel de la plateforme."))
    return redirect("hr:import", pk)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    hr_import = access.get_import_or_404(request.user, pk)
    try:
        services.cancel_import(hr_import=hr_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Import abandonné : rien n’a été modifié."))
    return redirect("hr:imports")


# The académie's GAIA sessions ---------------------------------------------------------------


def hr_sessions(request: HttpRequest) -> HttpResponse:
    access.require_importer(request.user)
    unlinked = request.GET.get("toutes") != "1"
    terms = parse_request(request)
    sessions = selectors.hr_sessions(
        access.hr_sessions_visible_to(request.user), query=terms, unlinked_only=unlinked
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hr/hr_sessions.html",
        {"page_obj": page, "query": terms.text, "terms": terms, "unlinked": unlinked},
    )


def create_from_hr(request: HttpRequest, pk: int) -> HttpResponse:
    """One step from a GAIA session to a platform session: pick the parcours, the session is
    created with GAIA's dates and linked, its trainees enrolled."""
    hr_session = access.get_hr_session_for_manager_or_404(request.user, pk)
    _circonscriptions, departements = owner_territories(request.user)
    departement_ids = [d.pk for d in departements if d.academie_id == hr_session.academie_id]
    form = CreateFromHrForm(
        request.POST or None,
        parcours=Parcours.objects.filter(offre_filter(request.user)).order_by("title"),
        departements=Departement.objects.filter(pk__in=departement_ids),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session_from_hr(
                hr_session=hr_session,
                parcours=form.cleaned_data["parcours"],
                departement=form.cleaned_data["departement"],
                by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Session créée et liée à la session GAIA %(code)s.") % {"code": hr_session},
            )
            return redirect("training:manage", session.pk)
    return render(request, "hr/create_from_hr.html", {"hr_session": hr_session, "form": form})


# A platform session's links ----------------------------------------------------------------


def session_links(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_link_or_404(request.user, pk)
    terms = parse_request(request)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        messages.error(request, _("Choisissez la session GAIA à lier dans la liste."))
        return redirect("hr:session_links", pk)
    if request.method == "POST":
        hr_session = (
            selectors.linkable_hr_sessions(session)
            .filter(pk=form.cleaned_data["hr_session"])
            .first()
        )
        try:
            if hr_session is None:
                raise ValidationError(_("Session GAIA introuvable dans votre académie."))
            services.link_session(
                session=session,
                hr_session=hr_session,
                unenrol_missing=form.cleaned_data["unenrol_missing"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Session GAIA %(code)s liée : ses stagiaires sont inscrits.")
                % {"code": hr_session},
            )
        return redirect("hr:session_links", pk)
    context = selectors.session_links_page(session)
    context.update(
        session=session,
        form=form,
        query=terms.text,
        terms=terms,
        candidates=selectors.link_candidates(session, terms) if terms else None,
    )
    return render(request, "hr/session_links.html", context)


def link_settings(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.get_link_to_manage_or_404(request.user, pk)
    form = LinkSettingsForm(request.POST or None, initial={"unenrol_missing": link.unenrol_missing})
    if request.method == "POST" and form.is_valid():
        services.update_link(link=link, unenrol_missing=form.cleaned_data["unenrol_missing"])
        messages.success(request, _("Lien mis à jour."))
        return redirect("hr:session_links", link.session_id)
    return render(request, "hr/link_settings.html", {"link": link, "form": form})


def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.get_link_to_manage_or_404(request.user, pk)
    if request.method == "POST":
        services.unlink_session(link=link)
        messages.success(
            request,
            _("Lien retiré. Les participants déjà inscrits le restent."),
        )
        return redirect("hr:session_links", link.session_id)
    return render(
        request,
        "hr/unlink_confirm.html",
        {"link": link, "back": reverse("hr:session_links", args=[link.session_id])},
    )


def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.get_link_to_manage_or_404(request.user, pk)
    _header, rows = exports.attendance_rows(link)
    response = HttpResponse(
        exports.as_gaia_file(rows), content_type="text/csv; charset=windows-1252"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.file_stem(link)}.csv"'
    return response


def attendance_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    link = access.get_link_to_manage_or_404(request.user, pk)
    header, rows = exports.attendance_rows(link)
    response = HttpResponse(
        exports.as_spreadsheet(header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.file_stem(link)}.xlsx"'
    return response
