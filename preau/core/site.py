"""The site's names and operator, from settings: the page frame and the standalone error pages
print them without a database query."""

from types import SimpleNamespace

from django.conf import settings

SITE = SimpleNamespace(
    title=settings.PREAU_SITE_TITLE,
    tagline=settings.PREAU_SITE_TAGLINE,
    operator=settings.PREAU_OPERATOR_NAME,
    contact_email=settings.PREAU_CONTACT_EMAIL,
    state_branding=settings.PREAU_STATE_BRANDING,
)
