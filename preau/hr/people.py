"""People named by the HR files: matched by e-mail, created as placeholders, reconciled.

GAIA names people by e-mail, never by NUMEN. Academic domains merge (ac-caen.fr and
ac-rouen.fr became ac-normandie.fr): PREAU_HR_EMAIL_DOMAIN_ALIASES maps the old domains to
the new one, so that the same person under two addresses is one account.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey
from django.db.models.functions import Lower

from preau.accounts.models import Role, RoleAssignment, User, normalize_email
from preau.hours import services as hours_services

from .gaia import canonical_email, email_variants

BATCH = 2000


def aliases() -> dict[str, str]:
    return {
        old.strip().lower(): new.strip().lower()
        for old, new in settings.PREAU_HR_EMAIL_DOMAIN_ALIASES.items()
    }


def canonical(email: str) -> str:
    return canonical_email(email, aliases())


def email_variants_for(email: str) -> set[str]:
    """Every address under which the owner of `email` may have an account."""
    email = normalize_email(email)
    return email_variants(email, aliases()) | {email}


def with_email_in(emails):
    """Users by e-mail, case-insensitively (the unique index is on lower(email))."""
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower__in=emails)


def match_users(canonical_emails: Iterable[str]) -> dict[str, int]:
    """canonical e-mail → id of the account of that person, for those who have one.

    When one person has accounts under two addresses, the signed-in one (not a placeholder)
    wins, then the one under the canonical address."""
    table = aliases()
    found: dict[str, tuple] = {}
    pending = list(dict.fromkeys(canonical_emails))
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        variants = set()
        for email in chunk:
            variants |= email_variants(email, table)
        rows = with_email_in(variants).values_list("pk", "email", "is_placeholder")
        for pk, email, is_placeholder in rows:
            key = canonical_email(email, table)
            rank = (is_placeholder, email != key, pk)
            if key not in found or rank < found[key]:
                found[key] = rank
    return {key: rank[2] for key, rank in found.items()}


def create_placeholders(people: Iterable[tuple[str, str, str]], *, teacher: bool) -> int:
    """Accounts without password for (canonical e-mail, first name, last name); trainees get
    the teacher role (the platform serves professeurs des écoles). Returns how many."""
    created = 0
    batch = []
    for email, first_name, last_name in people:
        batch.append(
            User(
                email=email,
                first_name=first_name[:150],
                last_name=last_name[:150],
                # An unusable password ("!" + random): cheap, and no one can sign in with it.
                password=make_password(None),
                is_placeholder=True,
            )
        )
        if len(batch) >= BATCH:
            created += _save_placeholders(batch, teacher=teacher)
            batch = []
    if batch:
        created += _save_placeholders(batch, teacher=teacher)
    return created


def _save_placeholders(batch: list[User], *, teacher: bool) -> int:
    users = User.objects.bulk_create(batch)
    if teacher:
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=user.pk, role=Role.TEACHER) for user in users]
        )
    return len(users)


@transaction.atomic
def reconcile_at_sign_in(user: User) -> int:
    """The owner of an account signed in: it is no longer a placeholder, and placeholders
    created for the same person under another academic address merge into it. Returns the
    number of accounts merged."""
    if user.is_placeholder:
        user.is_placeholder = False
        user.save(update_fields=["is_placeholder"])
    others = (
        with_email_in(email_variants_for(user.email))
        .filter(is_placeholder=True)
        .exclude(pk=user.pk)
    )
    merged = 0
    for other in others:
        merge_into(source=other, target=user)
        merged += 1
    return merged


def merge_into(*, source: User, target: User) -> None:
    """Moves everything that points to `source` to `target`, then deletes `source`. A row
    that `target` already has an equivalent of (same session, same role…) is dropped."""
    # include_hidden: foreign keys declared with related_name="+" point to users too.
    for relation in User._meta.get_fields(include_hidden=True):
        if relation.concrete or not isinstance(getattr(relation, "field", None), ForeignKey):
            continue
        if relation.related_model is User:
            continue
        model, field = relation.related_model, relation.field.name
        rows = model._base_manager.filter(**{field: source})
        try:
            with transaction.atomic():
                rows.update(**{field: target})
        except IntegrityError:
            for row in rows:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{field: target})
                except IntegrityError:
                    row.delete()
    source.delete()
    # The ledger entries moved (and a session credited to both accounts was dropped): the
    # target's yearly totals are rewritten from its ledger; the source's went with it.
    hours_services.refresh_teacher_totals(target)
