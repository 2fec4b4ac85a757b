"""French numbers: the one formatter every page, export and message uses.

12.50 → « 12,5 », 6.75 → « 6,75 », 18.00 → « 18 », −1.5 → « -1,5 ». A comma before the
decimals, no thousands separator (the figures are hours: a spreadsheet reads « 1234,5 » as a
number, not « 1 234,5 »), a plain hyphen-minus for negatives (so that a spreadsheet reads them
too). Durations in words (« 13 h 30 »): `format_hours`. A count in a sentence (« 20 000
caractères au plus »): `french_count`, with a narrow no-break space between thousands, as
French typography wants (never in an export).
"""

from decimal import ROUND_HALF_UP, Decimal


def french_number(value, places: int = 2, *, keep_zeros: bool = False) -> str:
    """`value` (Decimal, int, float or a numeric string) rounded half up to `places` decimals,
    with a decimal comma; trailing zeros dropped unless `keep_zeros` (« 3,0 » for a file format
    that wants one decimal always)."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never « -0 »
    text = f"{number:f}"
    if not keep_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_hours(value) -> str:
    """13.5 → « 13 h 30 », 18 → « 18 h », −1.5 → « −1 h 30 »: how French people write
    durations (the `hours` template filter is this function)."""
    minutes = round(Decimal(str(value)) * 60)
    sign = "−" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes), 60)
    return f"{sign}{whole} h {rest:02d}" if rest else f"{sign}{whole} h"


def french_count(value: int) -> str:
    """20000 → « 20 000 » (a narrow no-break space, U+202F, between thousands), for a count
    in a sentence; exports write plain digits (`french_number`)."""
    return f"{value:,}".replace(",", "\u202f")
