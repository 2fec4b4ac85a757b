"""Design pages: the designers' dashboard, the parcours page, its indexation and its content.

Every change is a POST that calls one service and redirects (the content editor's htmx requests
follow that redirect and get the editor fragment only). Access goes through access.py: a
parcours one may not see is a 404, one that one sees but may not edit a 403.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from preau.accounts.selectors import has_role
from preau.training.services import ORGANISER_ROLES

from .. import access, content_editor, selectors, services
from ..forms import CommentForm, CreateParcoursForm, IndexationForm
from ..models import Parcours, Status

PAGE_SIZE = 20


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _refused(request: HttpRequest, error: ValidationError, to: str) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(to)


def _detail_url(parcours: Parcours, anchor: str = "") -> str:
    return reverse("parcours:detail", args=[parcours.pk]) + (f"#{anchor}" if anchor else "")


def _require_editable(request: HttpRequest, parcours: Parcours) -> HttpResponse | None:
    """A frozen parcours sends its editors back to its page, with the reason."""
    try:
        services.check_editable(parcours)
    except ValidationError as error:
        return _refused(request, error, _detail_url(parcours))
    return None


# Dashboard and parcours page --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def design_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_design(user):
        raise PermissionDenied
    templates = selectors.available_templates(user)
    form = CreateParcoursForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        try:
            parcours = services.create_parcours(
                by=user,
                title=form.cleaned_data["title"],
                academie=access.designer_academie(user),
                template=form.cleaned_data["template"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Parcours créé. Complétez maintenant son indexation."))
            return redirect("parcours:indexation", parcours.pk)
    context = {
        "page": _page(request, selectors.design_dashboard(user)),
        "templates": templates,
        "form": form,
    }
    return render(request, "parcours/design/dashboard.html", context)


def _prep_proposals(user, parcours) -> list | None:
    """The collective preparations proposed for the parcours' line, for a designer of this
    version (the designers are prefetched: no query for anyone else)."""
    if not any(d.pk == user.pk for d in parcours.designers.all()):
        return None
    from preau.preparations.access import proposals_visible_to

    return list(proposals_visible_to(user).filter(lineage=parcours.lineage_id))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_with_rights_or_404(user, pk)
    rights = access.rights_on(user, parcours)
    prefetch_related_objects([parcours], "target_audiences", "designers")
    events = list(selectors.parcours_history(parcours)) if rights.see_history else None
    context = {
        "parcours": parcours,
        "rights": rights,
        # An organiser deploys a published parcours to a group of teachers (training app).
        "can_deploy": parcours.status == Status.PUBLISHED and has_role(user, *ORGANISER_ROLES),
        "sections": selectors.sections_with_activities(
            parcours, trainer_notes=rights.see_trainer_notes
        ),
        "show_trainer_notes": rights.see_trainer_notes,
        "events": events,
        # The reviewer's comment, at the top of the page until the parcours is submitted again.
        "send_back": selectors.pending_send_back(parcours, events) if events else None,
        "missing": services.missing_for_review(parcours) if rights.submit else [],
        "warnings": services.duration_warnings(parcours) if rights.edit else [],
        "versions": selectors.other_versions(parcours, user) if rights.see_history else None,
        # To its designers: the plans sessions' trainers proposed for the line (preparations).
        "prep_proposals": _prep_proposals(user, parcours),
        "review_form": CommentForm(
            required=True,
            label=_("Ce qu’il faut reprendre"),
            help_text=_("Obligatoire pour renvoyer en construction ; visible des concepteurs."),
        )
        if rights.review
        else None,
        "approval_form": CommentForm(label=_("Commentaire (facultatif)"), prefix="approval")
        if rights.review or rights.university_approve
        else None,
        "label_form": CommentForm(label=_("Commentaire (facultatif)"), prefix="label")
        if rights.label
        else None,
    }
    return render(request, "parcours/design/detail.html", context)


# Lifecycle actions -------------------------------------------------------------------------


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_to_edit_or_404(request.user, pk)
    try:
        services.submit_for_review(parcours=parcours, by=request.user)
    except ValidationError as error:
        messages.error(request, _("Le parcours n’a pas été soumis :"))
        return _refused(request, error, _detail_url(parcours, "a-completer"))
    if access.reviewers_of(parcours).exists():
        messages.success(
            request, _("Parcours soumis à la relecture. Les relecteurs sont prévenus.")
        )
    else:
        messages.warning(
            request,
            _(
                "Parcours soumis à la relecture, mais aucun relecteur n’est désigné pour "
                "lui : signalez-le à votre gestionnaire académique."
            ),
        )
    return redirect(_detail_url(parcours))


@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_with_rights_or_404(user, pk)
    if not access.can_design(user):
        raise PermissionDenied
    copy_ = services.duplicate_parcours(
        parcours=parcours, by=user, academie=access.designer_academie(user)
    )
    messages.success(request, _("Copie créée : vous pouvez la modifier."))
    return redirect(_detail_url(copy_))


@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_to_edit_or_404(request.user, pk)
    try:
        draft = services.create_new_version(parcours=parcours, by=request.user)
    except ValidationError as error:
        return _refused(request, error, _detail_url(parcours))
    messages.success(
        request,
        _(
            "Version %(v)s créée. La version %(old)s reste publiée jusqu’à la publication de "
            "la nouvelle."
        )
        % {"v": draft.version, "old": parcours.version},
    )
    return redirect(_detail_url(draft))


@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_to_edit_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.archive(parcours=parcours, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _detail_url(parcours))
        messages.success(request, _("Parcours archivé : il a quitté l’offre de parcours."))
        return redirect(_detail_url(parcours))
    return render(
        request,
        "parcours/design/confirm.html",
        {
            "parcours": parcours,
            "page_title": _("Archiver « %(title)s »") % {"title": parcours.title},
            "explanation": _(
                "Le parcours quittera l’offre de parcours : plus aucune session ne pourra en "
                "être créée. Les sessions existantes le gardent, et il reste consultable."
            ),
            "confirm_label": _("Archiver le parcours"),
            "cancel_url": _detail_url(parcours),
        },
    )


# Indexation ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indexation(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_to_edit_or_404(user, pk)
    if refused := _require_editable(request, parcours):
        return refused
    prefetch_related_objects([parcours], "target_audiences")
    # The form works on a copy: a refused input never shows as saved elsewhere on the page.
    form = IndexationForm(
        request.POST or None, request.FILES or None, instance=copy.copy(parcours), user=user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indexation(
                parcours=parcours,
                by=user,
                data=form.indexation_data(),
                audiences=form.cleaned_data["audiences"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Indexation enregistrée."))
            for warning in _drafting_warnings(parcours):
                messages.warning(request, warning)
            return redirect(_detail_url(parcours))
    context = {
        "parcours": parcours,
        "form": form,
        "warnings": [] if form.is_bound else _drafting_warnings(parcours),
    }
    return render(request, "parcours/design/indexation.html", context)


def _drafting_warnings(parcours: Parcours) -> list[str]:
    """While drafting, duration rules warn; they block only the submission for review."""
    if parcours.duration_hours is None:
        return []
    return services.duration_warnings(parcours) + services.duration_problems(parcours)


# Content -------------------------------------------------------------------------------------
# The editor's views live in content_editor.py, shared with a session's copy of the content.

# The URL patterns point at editor.content, editor.section_add…
editor = content_editor.editor_views(
    content_editor.Owner(
        name="parcours",
        url_prefix="parcours:",
        template_dir="parcours/design",
        get_owner=access.get_parcours_to_edit_or_404,
        get_section=access.get_section_to_edit_or_404,
        get_activity=access.get_activity_to_edit_or_404,
        owner_of=lambda parcours: parcours,
        content_of=lambda parcours: parcours,
        check=services.check_editable,
        refused_url=_detail_url,
        delete_section_text=_lazy(
            "La section et ses %(n)s activité(s) seront supprimées, fichiers compris. "
            "Cette action est définitive."
        ),
        delete_activity_text=_lazy(
            "L’activité et ses fichiers seront supprimés. Cette action est définitive."
        ),
    )
)
