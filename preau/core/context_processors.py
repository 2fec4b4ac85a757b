from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from preau.accounts.selectors import PILOTING_ROLES, has_role

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
    if has_role(user, *PILOTING_ROLES):
        items.append(
            {
                "label": _("Piloter"),
                "url": reverse("territories:overview"),
                "current": current.startswith("territories:"),
            }
        )
    items.append(
        {
            "label": _("Mon profil"),
            "url": reverse("accounts:profile"),
            "current": current == "accounts:profile",
        }
    )
    return items


def site(request) -> dict:
    """Site-wide values, from settings: no database query for the page frame."""
    return {"SITE": SITE, "NAVIGATION": SimpleLazyObject(lambda: _navigation(request))}
