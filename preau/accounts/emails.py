"""Academic e-mail addresses, and the domains that became another one.

Académies merge and their domains with them (ac-caen.fr and ac-rouen.fr became
ac-normandie.fr): PREAU_HR_EMAIL_DOMAIN_ALIASES maps each old domain to its successor, so that
the same person under either address is one account. Everything that finds a person by an
address a human typed or a file carried (the HR import, password reset, enrolment lists) goes
through these functions, so the table is applied the same way everywhere.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower

from .models import User, normalize_email


def _split(email: str) -> tuple[str, str | None]:
    email = email.strip().lower()
    local, at, domain = email.rpartition("@")
    return (local, domain) if at else (email, None)


def _lowered(aliases: dict[str, str]) -> dict[str, str]:
    return {alias.strip().lower(): target.strip().lower() for alias, target in aliases.items()}


def domain_aliases() -> dict[str, str]:
    """The configured table, old domain → current domain, lower-cased."""
    return _lowered(settings.PREAU_HR_EMAIL_DOMAIN_ALIASES)


def canonical_email(email: str, aliases: dict[str, str] | None = None) -> str:
    """« Lea.Martin@AC-CAEN.fr » → « lea.martin@ac-normandie.fr » with {"ac-caen.fr": …};
    the configured table when `aliases` is None."""
    local, domain = _split(email)
    if domain is None:
        return local
    table = domain_aliases() if aliases is None else _lowered(aliases)
    return f"{local}@{table.get(domain, domain)}"


def email_variants(email: str, aliases: dict[str, str] | None = None) -> set[str]:
    """Every address under which the same person may already exist (the configured table
    when `aliases` is None)."""
    local, domain = _split(email)
    if domain is None:
        return {local}
    lowered = domain_aliases() if aliases is None else _lowered(aliases)
    canonical = lowered.get(domain, domain)
    variants = {f"{local}@{canonical}", f"{local}@{domain}"}
    variants.update(f"{local}@{alias}" for alias, target in lowered.items() if target == canonical)
    return variants


def email_variants_for(email: str) -> set[str]:
    """Every address under which the owner of `email` may have an account."""
    email = normalize_email(email)
    return email_variants(email) | {email}


def with_email_in(emails) -> QuerySet[User]:
    """Users by e-mail, case-insensitively (the unique index is on lower(email))."""
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower__in=emails)
