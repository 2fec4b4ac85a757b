from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from preau.accounts.models import Role
from preau.accounts.selectors import PILOTING_ROLES, has_role
from preau.parcours.access import CATALOGUE_ROLES
from preau.training.services import ORGANISER_ROLES

SITE = SimpleNamespace(
    title=settings.PREAU_SITE_TITLE,
    tagline=settings.PREAU_SITE_TAGLINE,
    operator=settings.PREAU_OPERATOR_NAME,
    contact_email=settings.PREAU_CONTACT_EMAIL,
    state_branding=settings.PREAU_STATE_BRANDING,
)


def _navigation(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []

    def add(label, view_name, roles=None, section=()):
        """A menu entry for the people holding one of `roles` (everybody when None), current
        on its own page and on the pages whose view name starts with one of `section`."""
        if roles is None or has_role(user, *roles):
            here = current == view_name or current.startswith(tuple(section) or (view_name,))
            items.append({"label": label, "url": reverse(view_name), "current": here})

    add(
        _("Offre de formation"),
        "training:offre",
        {Role.TEACHER},
        section=("training:offre", "training:enrol", "parcours:formation", "parcours:module"),
    )
    add(
        _("Mes sessions"),
        "training:my_sessions",
        {Role.TEACHER},
        section=("training:my_sessions", "training:participant_session", "training:leave"),
    )
    add(
        _("Mes 18 heures"),
        "hours:mine",
        {Role.TEACHER},
        section=("hours:mine", "hours:year", "hours:fiche", "hours:declare"),
    )
    add(_("Offre de parcours"), "parcours:offre", CATALOGUE_ROLES)
    add(_("Sessions"), "training:manage_list", ORGANISER_ROLES, section=("training:manage",))
    add(_("Concevoir"), "parcours:design_dashboard", {Role.DESIGNER, Role.ACADEMIC_MANAGER})
    add(_("Relecture"), "parcours:review_queue", {Role.REVIEWER, Role.UNIVERSITY_REVIEWER})
    add(_("Labels"), "parcours:label_board", {Role.EDITORIAL_COMMITTEE})
    add(_("GAIA et SOFIA"), "hr:imports", {Role.ACADEMIC_MANAGER, Role.ADMIN}, section=("hr:",))
    add(_("Piloter"), "territories:overview", PILOTING_ROLES, section=("territories:",))
    add(_("Mon profil"), "accounts:profile")
    return items


def site(request) -> dict:
    """Site-wide values, from settings: no database query for the page frame."""
    return {"SITE": SITE, "NAVIGATION": SimpleLazyObject(lambda: _navigation(request))}
