"""The UAI (unité administrative immatriculée): 7 digits and a check letter."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 23 letters: I, O and Q are left out so that they cannot be read as digits.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# [0-9], not \d: Python's \d also matches full-width or Arabic-Indic digits.
UAI_PATTERN = re.compile(r"^([0-9]{7})([A-Z])$")


def uai_check_letter(digits: str) -> str:
    """The check letter of the seven digits of a UAI."""
    return UAI_LETTERS[int(digits) % 23]


def normalize_uai(value: str) -> str:
    return (value or "").strip().upper()


def validate_uai(value: str) -> None:
    uai = normalize_uai(value)
    match = UAI_PATTERN.match(uai)
    if not match:
        raise ValidationError(
            _(
                "« %(value)s » n’est pas un code UAI : il faut 7 chiffres suivis d’une lettre "
                "(par exemple 0140001A)."
            ),
            code="uai_format",
            params={"value": value},
        )
    digits, letter = match.groups()
    expected = uai_check_letter(digits)
    if letter != expected:
        raise ValidationError(
            _(
                "Le code UAI « %(value)s » est erroné : sa lettre de contrôle devrait être "
                "« %(expected)s ». Vérifiez-le dans l’annuaire de l’éducation."
            ),
            code="uai_check_letter",
            params={"value": value, "expected": expected},
        )
