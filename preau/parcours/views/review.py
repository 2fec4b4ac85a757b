"""Review pages: the reviewers' queue, their decisions (approve, send back with a comment), and
the editorial committee's national label (grant, withdraw)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from preau.accounts.models import Role
from preau.accounts.selectors import has_role

from .. import access, selectors, services
from ..forms import CommentForm
from ..models import Status

PAGE_SIZE = 20
REVIEW_ROLES = (Role.REVIEWER, Role.UNIVERSITY_REVIEWER)
LABEL_FILTERS = {"": None, "oui": True, "non": False}


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _detail_url(parcours) -> str:
    return reverse("parcours:detail", args=[parcours.pk])


def _back(request: HttpRequest, default: str) -> str:
    """Where to go after a label decision: the page the form came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next", "")
    # A path of this site only: a bare word ("0") would be taken by redirect() as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def review_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, *REVIEW_ROLES):
        if has_role(user, Role.EDITORIAL_COMMITTEE):
            return redirect("parcours:label_board")
        raise PermissionDenied
    page = _page(request, selectors.review_queue(user))
    return render(
        request,
        "parcours/review/queue.html",
        {"page": page, "university": not has_role(user, Role.REVIEWER)},
    )


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_to_review_or_404(user, pk)
    form = CommentForm(request.POST, prefix="approval")
    comment = form.cleaned_data["comment"].strip() if form.is_valid() else ""
    try:
        parcours = services.approve(parcours=parcours, by=user, comment=comment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_detail_url(parcours))
    if parcours.status == Status.PUBLISHED and has_role(user, Role.REVIEWER):
        messages.success(
            request,
            _("Parcours approuvé et publié sous le matricule %(m)s.") % {"m": parcours.matricule},
        )
    else:
        messages.success(request, _("Votre approbation universitaire est enregistrée."))
    return redirect("parcours:review_queue")


@require_http_methods(["GET", "POST"])
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_to_review_or_404(user, pk)
    if not has_role(user, Role.REVIEWER):
        raise PermissionDenied
    form = CommentForm(
        request.POST or None,
        required=True,
        label=_("Ce qu’il faut reprendre"),
        help_text=_("Obligatoire pour renvoyer en construction ; visible des concepteurs."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_changes(
                parcours=parcours, by=user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Parcours renvoyé en construction avec votre commentaire."))
            return redirect("parcours:review_queue")
    return render(
        request, "parcours/review/request_changes.html", {"parcours": parcours, "form": form}
    )


def label_board(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.EDITORIAL_COMMITTEE):
        raise PermissionDenied
    label_filter = request.GET.get("label", "")
    labelled = LABEL_FILTERS.get(label_filter)
    page = _page(request, selectors.label_board(labelled=labelled))
    return render(
        request,
        "parcours/review/label_board.html",
        {"page": page, "label_filter": label_filter if label_filter in LABEL_FILTERS else ""},
    )


@require_POST
def label_grant(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_to_label_or_404(request.user, pk)
    form = CommentForm(request.POST, prefix="label")
    comment = form.cleaned_data["comment"].strip() if form.is_valid() else ""
    services.set_national_label(parcours=parcours, by=request.user, granted=True, comment=comment)
    messages.success(
        request,
        _("Label national accordé à « %(t)s » : il paraît dans l’offre de toutes les académies.")
        % {"t": parcours.title},
    )
    return redirect(_back(request, _detail_url(parcours)))


@require_http_methods(["GET", "POST"])
def label_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_to_label_or_404(request.user, pk)
    form = CommentForm(request.POST or None, prefix="label", label=_("Motif (facultatif)"))
    if request.method == "POST" and form.is_valid():
        services.set_national_label(
            parcours=parcours,
            by=request.user,
            granted=False,
            comment=form.cleaned_data["comment"].strip(),
        )
        messages.success(request, _("Label national retiré à « %(t)s ».") % {"t": parcours.title})
        return redirect(_back(request, _detail_url(parcours)))
    return render(
        request,
        "parcours/design/confirm.html",
        {
            "parcours": parcours,
            "page_title": _("Retirer le label national de « %(t)s »") % {"t": parcours.title},
            "explanation": _(
                "Le parcours ne paraîtra plus dans l’offre des autres académies ; il reste "
                "publié dans la sienne."
            ),
            "form": form,
            "confirm_label": _("Retirer le label"),
            "cancel_url": _back(request, _detail_url(parcours)),
            "next": _back(request, ""),
        },
    )
