"""The content editor's views (sections and activities), for its two owners: a parcours being
designed (parcours/views/design.py) and a training session's private copy of its parcours
(training/views/manage.py). Each owner gives its access functions, its editability check, its
URL names and templates; the editing itself is the same and lives here once.

Every change is a POST that calls one service and redirects to the editor at the item changed;
htmx requests get the editor fragment only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from . import selectors, services
from .activities import all_kinds, get_kind
from .forms import SectionForm
from .models import Activity, Parcours, Section

DIRECTIONS = {"up": -1, "down": 1}
ACTIONS = (
    "section_add",
    "section_rename",
    "section_move",
    "section_delete",
    "activity_add",
    "activity_edit",
    "activity_move",
    "activity_delete",
)


@dataclass(frozen=True)
class Owner:
    """What the editor needs to know of whoever owns the content it edits."""

    name: str  # the owner's template variable: "parcours" or "session"
    url_prefix: str  # URL names: f"{url_prefix}content", f"{url_prefix}section_add"…
    template_dir: str  # content.html, section_form.html, activity_form.html, confirm.html
    get_owner: Callable  # (user, pk) → owner, or 404
    get_section: Callable  # (user, pk) → section of an owner the user may edit, or 404
    get_activity: Callable  # (user, pk) → activity, likewise
    owner_of: Callable[[Parcours], object]  # a content's owner
    content_of: Callable[[object], Parcours]  # an owner's content
    check: Callable[[object], None]  # raises ValidationError when it may not be edited
    refused_url: Callable[[object], str]  # where a refusal sends back
    delete_section_text: str  # with %(n)s, the number of activities
    delete_activity_text: str
    confirm_context: dict = field(default_factory=dict)


def editor_views(owner: Owner) -> SimpleNamespace:
    """The editor's views for one owner, named as its URL patterns expect them."""
    routes = {name: f"{owner.url_prefix}{name}" for name in ACTIONS}

    def content_url(owner_pk: int, anchor: str = "") -> str:
        url = reverse(f"{owner.url_prefix}content", args=[owner_pk])
        return url + (f"#{anchor}" if anchor else "")

    def refused(request, error: ValidationError, target) -> HttpResponse:
        for message in error.messages:
            messages.error(request, message)
        return redirect(owner.refused_url(target))

    def not_editable(request, target) -> HttpResponse | None:
        try:
            owner.check(target)
        except ValidationError as error:
            return refused(request, error, target)
        return None

    def editor(request, target, section_form: SectionForm | None = None) -> HttpResponse:
        template = f"{owner.template_dir}/content.html"
        if request.htmx:
            template += "#editor"
        context = {
            owner.name: target,
            "sections": selectors.sections_with_activities(
                owner.content_of(target), trainer_notes=True
            ),
            "kinds": all_kinds(),
            "section_form": section_form or SectionForm(),
            "routes": routes,
            "owner_pk": target.pk,
        }
        return render(request, template, context)

    def confirm(request, target, **context) -> HttpResponse:
        template = f"{owner.template_dir}/confirm.html"
        return render(request, template, {owner.name: target, **owner.confirm_context, **context})

    @vary_on_headers("HX-Request")
    def content(request: HttpRequest, pk: int) -> HttpResponse:
        target = owner.get_owner(request.user, pk)
        return not_editable(request, target) or editor(request, target)

    @require_POST
    def section_add(request: HttpRequest, pk: int) -> HttpResponse:
        target = owner.get_owner(request.user, pk)
        if response := not_editable(request, target):
            return response
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section = services.add_section(
                    parcours=owner.content_of(target), title=form.cleaned_data["title"]
                )
            except ValidationError as error:
                form.add_error("title", error)
            else:
                messages.success(request, _("Section « %(t)s » ajoutée.") % {"t": section.title})
                return redirect(content_url(target.pk, f"section-{section.pk}"))
        return editor(request, target, form)

    @require_http_methods(["GET", "POST"])
    def section_rename(request: HttpRequest, pk: int) -> HttpResponse:
        section = owner.get_section(request.user, pk)
        target = owner.owner_of(section.parcours)
        if response := not_editable(request, target):
            return response
        form = SectionForm(request.POST or None, initial={"title": section.title})
        if request.method == "POST" and form.is_valid():
            try:
                services.rename_section(section=section, title=form.cleaned_data["title"])
            except ValidationError as error:
                form.add_error("title", error)
            else:
                messages.success(request, _("Section renommée."))
                return redirect(content_url(target.pk, f"section-{section.pk}"))
        return render(
            request,
            f"{owner.template_dir}/section_form.html",
            {owner.name: target, "section": section, "form": form},
        )

    @require_POST
    def section_move(request: HttpRequest, pk: int) -> HttpResponse:
        section = owner.get_section(request.user, pk)
        return move(request, section, section.parcours, f"section-{section.pk}")

    @require_POST
    def activity_move(request: HttpRequest, pk: int) -> HttpResponse:
        activity = owner.get_activity(request.user, pk)
        return move(request, activity, activity.section.parcours, f"activity-{activity.pk}")

    def move(request, item, parcours: Parcours, anchor: str) -> HttpResponse:
        direction = DIRECTIONS.get(request.POST.get("direction", ""))
        if direction is None:
            return HttpResponseBadRequest(_("Direction inconnue."))
        target = owner.owner_of(parcours)
        if response := not_editable(request, target):
            return response
        try:
            services.move(item=item, direction=direction)
        except ValidationError as error:
            return refused(request, error, target)
        text = (
            _("« %(t)s » monte d’un cran.") if direction < 0 else _("« %(t)s » descend d’un cran.")
        )
        messages.success(request, text % {"t": item.title})
        return redirect(content_url(target.pk, anchor))

    @require_http_methods(["GET", "POST"])
    def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
        section: Section = owner.get_section(request.user, pk)
        target = owner.owner_of(section.parcours)
        if response := not_editable(request, target):
            return response
        if request.method == "POST":
            try:
                services.delete_section(section=section)
            except ValidationError as error:
                return refused(request, error, target)
            messages.success(request, _("Section « %(t)s » supprimée.") % {"t": section.title})
            return redirect(content_url(target.pk))
        return confirm(
            request,
            target,
            page_title=_("Supprimer la section « %(t)s »") % {"t": section.title},
            explanation=owner.delete_section_text % {"n": section.activities.count()},
            confirm_label=_("Supprimer la section"),
            cancel_url=content_url(target.pk, f"section-{section.pk}"),
        )

    @require_http_methods(["GET", "POST"])
    def activity_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        section = owner.get_section(request.user, pk)
        try:
            spec = get_kind(kind)
        except KeyError:
            return HttpResponseBadRequest(_("Type d’activité inconnu."))
        return activity_form(request, Activity(section=section, kind=spec.code), spec, section)

    @require_http_methods(["GET", "POST"])
    def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
        activity = owner.get_activity(request.user, pk)
        return activity_form(request, activity, activity.kind_spec, None)

    def activity_form(request, activity: Activity, spec, section) -> HttpResponse:
        target = owner.owner_of(activity.section.parcours)
        if response := not_editable(request, target):
            return response
        form = spec.form_class(request.POST or None, request.FILES or None, instance=activity)
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_activity(form=form, section=section, kind=spec.code)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Activité « %(t)s » enregistrée.") % {"t": saved.title})
                return redirect(content_url(target.pk, f"activity-{saved.pk}"))
        return render(
            request,
            f"{owner.template_dir}/activity_form.html",
            {
                owner.name: target,
                "section": activity.section,
                "activity": activity,
                "kind": spec,
                "form": form,
            },
        )

    @require_http_methods(["GET", "POST"])
    def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
        activity = owner.get_activity(request.user, pk)
        target = owner.owner_of(activity.section.parcours)
        if response := not_editable(request, target):
            return response
        if request.method == "POST":
            try:
                services.delete_activity(activity=activity)
            except ValidationError as error:
                return refused(request, error, target)
            messages.success(request, _("Activité « %(t)s » supprimée.") % {"t": activity.title})
            return redirect(content_url(target.pk, f"section-{activity.section_id}"))
        return confirm(
            request,
            target,
            page_title=_("Supprimer l’activité « %(t)s »") % {"t": activity.title},
            explanation=owner.delete_activity_text,
            confirm_label=_("Supprimer l’activité"),
            cancel_url=content_url(target.pk, f"activity-{activity.pk}"),
        )

    return SimpleNamespace(
        content=content,
        section_add=section_add,
        section_rename=section_rename,
        section_move=section_move,
        section_delete=section_delete,
        activity_add=activity_add,
        activity_edit=activity_edit,
        activity_move=activity_move,
        activity_delete=activity_delete,
    )
