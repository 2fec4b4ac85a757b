import functools

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _lazy

from preau.accounts.models import Role
from preau.accounts.selectors import PILOTING_ROLES, role_names
from preau.core.site import SITE
from preau.parcours.access import CATALOGUE_ROLES
from preau.training.services import SESSION_ROLES

# (label, view name, roles allowed — None: everybody —, view-name prefixes where it is current)
MENU = [
    (
        _lazy("Offre de formation"),
        "training:offre",
        {Role.TEACHER},
        ("training:offre", "training:enrol", "parcours:formation", "parcours:module"),
    ),
    (
        _lazy("Mes sessions"),
        "training:my_sessions",
        {Role.TEACHER},
        ("training:my_sessions", "training:participant_session", "training:leave"),
    ),
    (
        _lazy("Mes 18 heures"),
        "hours:mine",
        {Role.TEACHER},
        ("hours:mine", "hours:year", "hours:fiche", "hours:declare"),
    ),
    (
        _lazy("Carnet de bord"),
        "logbook:list",
        {Role.TEACHER},
        ("logbook:list", "logbook:entry", "logbook:portfolio"),
    ),
    (_lazy("Offre de parcours"), "parcours:offre", CATALOGUE_ROLES, ()),
    (_lazy("Sessions"), "training:manage_list", SESSION_ROLES, ("training:manage",)),
    (
        _lazy("Concevoir"),
        "parcours:design_dashboard",
        {Role.DESIGNER, Role.ACADEMIC_MANAGER},
        (),
    ),
    (_lazy("Relecture"), "parcours:review_queue", {Role.REVIEWER, Role.UNIVERSITY_REVIEWER}, ()),
    (_lazy("Labels"), "parcours:label_board", {Role.EDITORIAL_COMMITTEE}, ()),
    (_lazy("GAIA et SOFIA"), "hr:imports", {Role.ACADEMIC_MANAGER, Role.ADMIN}, ("hr:",)),
    (
        _lazy("Heures du département"),
        "hours:departements",
        {Role.PILOT, Role.ACADEMIC_MANAGER},
        ("hours:departement",),
    ),
    (
        _lazy("Rapport des heures"),
        "hours:reports",
        {Role.ACADEMIC_MANAGER, Role.ADMIN},
        ("hours:report",),
    ),
    (_lazy("Piloter"), "territories:overview", PILOTING_ROLES, ("territories:",)),
    (_lazy("Mon profil"), "accounts:profile", None, ()),
]


@functools.lru_cache(maxsize=256)
def _menu_for(roles: frozenset[str], language: str) -> tuple[tuple[str, str, tuple], ...]:
    """The entries of a set of roles, with their URLs: the same for everybody holding those
    roles, so built once per process (reverse() and the role tests cost ≈ 1 ms a page)."""
    return tuple(
        (str(label), reverse(view_name), sections or (view_name,))
        for label, view_name, allowed, sections in MENU
        if allowed is None or not roles.isdisjoint(allowed)
    )


def _navigation(request) -> list[dict]:
    """The menu of the signed-in person: its entries depend on their roles only; which one is
    current, on the page."""
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.resolver_match.view_name if request.resolver_match else ""
    menu = _menu_for(frozenset(role_names(user)), get_language() or "")
    return [
        {"label": label, "url": url, "current": current.startswith(sections)}
        for label, url, sections in menu
    ]


def site(request) -> dict:
    """Site-wide values, from settings: no database query for the page frame."""
    return {"SITE": SITE, "NAVIGATION": SimpleLazyObject(lambda: _navigation(request))}
