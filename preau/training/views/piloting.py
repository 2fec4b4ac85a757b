"""Piloting: the sessions of the territories a person pilots (IEN: their circonscription, pilot
team: their département, academic manager: their académie), with who is enrolled, waiting and
completed, and nothing about activity inside the sessions (domain.md §6)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from preau.accounts.selectors import PILOTING_ROLES, has_role
from preau.territories import access as territories_access

from ..access import sessions_piloted_by
from ..models import SessionStatus
from ..selectors import piloting_sessions

PAGE_SIZE = 50


class StatusFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label=gettext_lazy("État"),
        required=False,
        choices=[("", gettext_lazy("Tous les états")), *SessionStatus.choices],
    )

    def status_value(self) -> str:
        """The status asked for, or "" (all) for a missing or unknown value."""
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


def _render(request: HttpRequest, sessions: QuerySet, context: dict) -> HttpResponse:
    form = StatusFilterForm(request.GET)
    status = form.status_value()
    if status:
        sessions = sessions.filter(status=status)
    page = Paginator(piloting_sessions(sessions), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/piloting/sessions.html",
        {**context, "form": form, "page": page, "filtered": bool(status)},
    )


def sessions(request: HttpRequest) -> HttpResponse:
    """Every session of every territory the person pilots."""
    if not has_role(request.user, *PILOTING_ROLES):
        raise PermissionDenied
    return _render(
        request,
        sessions_piloted_by(request.user),
        {"title": _("Sessions de vos territoires"), "show_territory": True},
    )


def circonscription_sessions(request: HttpRequest, code: str) -> HttpResponse:
    """404 for a circonscription the person does not pilot, as on the territory pages."""
    circonscription = territories_access.get_circonscription_for_user_or_404(request.user, code)
    return _render(
        request,
        sessions_piloted_by(request.user).filter(circonscription=circonscription),
        {
            "title": _("Sessions de la circonscription de %(name)s")
            % {"name": circonscription.name},
            "circonscription": circonscription,
            "show_territory": False,
        },
    )


def departement_sessions(request: HttpRequest, code: str) -> HttpResponse:
    """The sessions of the département itself and of its circonscriptions."""
    departement = territories_access.get_departement_for_user_or_404(request.user, code)
    return _render(
        request,
        sessions_piloted_by(request.user).filter(departement=departement),
        {
            "title": _("Sessions de formation : %(name)s") % {"name": departement},
            "departement": departement,
            "show_territory": True,
        },
    )
