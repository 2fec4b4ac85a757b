"""Pages of the carnet de bord: the teacher's own logbook (list, write, change, delete, share,
portfolio), and a session's shared entries for its trainers. Each view reaches its object
through access.py and writes through one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from preau.core.params import id_param, ids_param, int_param
from preau.core.search import parse_request
from preau.training.pdf import pdf_response, render_pdf

from . import access, selectors, services
from .forms import EntryForm


def _page(request) -> int:
    return int_param(request.GET, "page", lo=1, default=1, lenient=True)


def _refused(request, error, url) -> HttpResponse:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    return redirect(url)


def logbook(request: HttpRequest) -> HttpResponse:
    terms = parse_request(request)
    page = selectors.page_of(selectors.own_entries(request.user, terms), _page(request))
    return render(request, "logbook/logbook.html", {"page": page, "terms": terms})


def entry(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_own_entry_or_404(request.user, pk)
    return render(request, "logbook/entry.html", {"entry": item})


def _form_data(form) -> dict:
    session, section = form.cleaned_data["tie"]
    return {
        "title": form.cleaned_data["title"],
        "body": form.cleaned_data["body"],
        "written_on": form.cleaned_data["written_on"],
        "session": session,
        "section": section,
        "files": form.cleaned_data["files"],
    }


def _apply(form, write) -> bool:
    """Runs the service; its refusals become errors of the form."""
    try:
        write()
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, " ".join(getattr(error, "messages", None) or [str(error)]))
        return False
    return True


@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    initial = {"written_on": timezone.localdate()}
    # From a session's page: tied to it beforehand (the form offers only the person's sessions).
    session_id = id_param(request.GET, "session")
    if session_id:
        initial["tie"] = f"s{session_id}"
    form = EntryForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    created = []
    if form.is_valid() and _apply(
        form,
        lambda: created.append(services.write_entry(by=request.user, **_form_data(form))),
    ):
        messages.success(request, _("L’entrée est enregistrée dans votre carnet de bord."))
        return redirect("logbook:entry", created[0].pk)
    return render(request, "logbook/entry_form.html", {"form": form, "entry": None})


@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_own_entry_or_404(request.user, pk)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        entry=item,
        initial={"title": item.title, "body": item.body, "written_on": item.written_on},
    )
    if form.is_valid() and _apply(
        form,
        lambda: services.update_entry(
            entry=item,
            by=request.user,
            remove=form.cleaned_data.get("remove") or [],
            **_form_data(form),
        ),
    ):
        messages.success(request, _("L’entrée est modifiée."))
        return redirect("logbook:entry", item.pk)
    return render(request, "logbook/entry_form.html", {"form": form, "entry": item})


@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_own_entry_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_entry(entry=item, by=request.user)
        messages.success(request, _("L’entrée et ses pièces jointes sont supprimées."))
        return redirect("logbook:list")
    return render(request, "logbook/entry_delete.html", {"entry": item})


@require_POST
def entry_share(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_own_entry_or_404(request.user, pk)
    url = reverse("logbook:entry", args=[item.pk])
    try:
        services.share(entry=item, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, url)
    messages.success(
        request, _("L’entrée est valorisée : les formateurs de la session peuvent la lire.")
    )
    return redirect(url)


@require_POST
def entry_unshare(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_own_entry_or_404(request.user, pk)
    services.unshare(entry=item, by=request.user)
    messages.success(request, _("L’entrée n’est plus valorisée : vous seul ou seule la lisez."))
    return redirect("logbook:entry", item.pk)


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = access.get_attachment_or_404(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=item.filename)


def portfolio(request: HttpRequest) -> HttpResponse:
    """Chooses the entries of the portfolio (all of them by default)."""
    entries = selectors.own_entries(request.user)
    return render(request, "logbook/portfolio.html", {"entries": entries})


def portfolio_pdf(request: HttpRequest) -> HttpResponse:
    """The whole logbook, or the entries ticked (`entree`) in the portfolio page's form
    (`choix`), as a PDF. That form with nothing ticked asks to tick one (a browser sends no
    `entree` then: it read as « the whole logbook »)."""
    chosen = "choix" in request.GET or "entree" in request.GET
    ids = ids_param(request.GET, "entree") if chosen else None
    if ids is not None and not ids:
        messages.error(request, _("Cochez au moins une entrée pour créer le PDF."))
        return redirect("logbook:portfolio")
    entries = list(selectors.portfolio(request.user, ids))
    pdf = render_pdf(
        "logbook/portfolio_pdf.html",
        {"entries": entries, "person": request.user, "today": timezone.localdate()},
    )
    return pdf_response(pdf, _("carnet-de-bord.pdf"))


def session_shared(request: HttpRequest, pk: int) -> HttpResponse:
    """The entries the participants of a session shared with its trainers."""
    session = access.get_session_of_trainer_or_404(request.user, pk)
    page = selectors.page_of(selectors.shared_with_session(session), _page(request))
    return render(request, "logbook/session_shared.html", {"session": session, "page": page})
