"""People named by the HR files: matched by e-mail, created as placeholders, reconciled.

GAIA names people by e-mail, never by NUMEN. Academic domains merge (ac-caen.fr and
ac-rouen.fr became ac-normandie.fr): PREAU_HR_EMAIL_DOMAIN_ALIASES maps the old domains to
the new one, so that the same person under two addresses is one account.
"""

from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey

from preau.accounts.emails import (
    canonical_email,
    domain_aliases,
    email_variants,
    email_variants_for,
    with_email_in,
)
from preau.accounts.models import Role, RoleAssignment, User
from preau.hours import services as hours_services

BATCH = 2000


# The alias table and the look-ups by address live in preau/accounts/emails.py (also used by
# password reset and enrolment lists); these names stay for the HR code that uses them.
aliases = domain_aliases


def canonical(email: str) -> str:
    return canonical_email(email)


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
