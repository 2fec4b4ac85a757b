"""The one place that reads integers, years and ids out of a request.

Every such value is user input: `str.isdigit()` accepts "²" or "٣" that `int()` refuses, a
twenty-digit number overflows PostgreSQL's integer columns, and PostgreSQL refuses a NUL byte
in any text it is given. Views therefore never call `int()` on request data; they call these
helpers, which accept only ASCII digits within bounds and answer 400 otherwise (or fall back to
a default when the caller asks for leniency: a bad `?annee=` shows the current year).
"""

import re
from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponseBadRequest

# PostgreSQL's `integer` (and Django's IntegerField / AutoField bounds).
DB_INT_MAX = 2_147_483_647
YEAR_MIN, YEAR_MAX = 2000, 2100
# ASCII only: `\d` would accept every Unicode decimal digit.
_DIGITS = re.compile(r"[0-9]{1,10}")
_ANY_DIGITS = re.compile(r"[0-9]+")
MAX_IDS = 1000  # a form never ticks more rows than a page shows


class _QueryDict(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def getlist(self, key: str) -> list[str]: ...


class _Invalid(ValueError):
    pass


def parse_int(value: str | None, *, lo: int = 0, hi: int = DB_INT_MAX) -> int:
    """ASCII digits within [lo, hi] (lo ≥ 0), else ValueError."""
    if value is None or not _DIGITS.fullmatch(value.strip()):
        raise _Invalid(value)
    number = int(value.strip())
    if not lo <= number <= hi:
        raise _Invalid(value)
    return number


def is_digits(value: str) -> bool:
    """Only ASCII digits, at least one: what `str.isdigit()` is mistaken for (it accepts « ² »,
    which `int()` refuses, and « ٣ »). For codes whose leading zeros count (a TOTP code)."""
    return bool(_ANY_DIGITS.fullmatch(value))


def int_param(
    data: _QueryDict,
    name: str,
    *,
    lo: int = 0,
    hi: int = DB_INT_MAX,
    default: int | None = None,
    lenient: bool = False,
) -> int | None:
    """`data[name]` as an int within [lo, hi]. Missing or empty: `default`. Malformed or out of
    bounds: 400 (`BadRequest`), or `default` when `lenient` (a filter that may fall back)."""
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        return parse_int(value, lo=lo, hi=hi)
    except ValueError:
        if lenient:
            return default
        raise BadRequest(f"{name}: not an integer within [{lo}, {hi}]") from None


def year_param(data: _QueryDict, name: str = "annee", *, default: int, hi: int = YEAR_MAX) -> int:
    """A school year (`?annee=2025` for 2025-2026); anything else shows `default`."""
    year = int_param(data, name, lo=YEAR_MIN, hi=hi, default=default, lenient=True)
    assert year is not None
    return year


def id_param(data: _QueryDict, name: str) -> int | None:
    """A primary key, or None when absent or not a valid id (such an id designates nothing)."""
    return int_param(data, name, lo=1, default=None, lenient=True)


def ids_param(data: _QueryDict, name: str) -> set[int]:
    """The valid primary keys among `data.getlist(name)`; anything else designates nothing."""
    return parse_ids(data.getlist(name)[:MAX_IDS])


def parse_ids(values: Iterable[str]) -> set[int]:
    ids = set()
    for value in values:
        try:
            ids.add(parse_int(value, lo=1))
        except ValueError:
            continue
    return ids


class IdConverter:
    """`<id:pk>` in URLs: a primary key, 1 to PostgreSQL's integer maximum. Django's `<int:>`
    passes any length of digits, and a twenty-digit id overflows the database (a 500 on
    SQLite, and on PostgreSQL for lookups through a relation)."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        return parse_int(value, lo=1)  # ValueError: no match, a 404

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter(IdConverter):
    """`<year:year>`: a school year (2025 for 2025-2026); another number is a 404."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return parse_int(value, lo=YEAR_MIN, hi=YEAR_MAX)


def has_nul(request: HttpRequest) -> bool:
    """A NUL byte (raw or percent-encoded) anywhere in the path or the query string."""
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    )


class RejectNulBytesMiddleware:
    """400 for a NUL byte in the path, the query string or a posted field: no view, database
    or template ever sees one (PostgreSQL refuses NUL in text, which would be a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if has_nul(request) or _posted_nul(request):
            return HttpResponseBadRequest("Requête invalide.")
        return self.get_response(request)


def _posted_nul(request: HttpRequest) -> bool:
    if request.method != "POST" or not request.content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return False
    try:
        items = request.POST.lists()
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in items)
    except RequestDataTooBig:
        # Swallowed, it would leave the view an empty form (the body is read once): the 400
        # page says the form was too big and that nothing was saved (core/errors.py).
        raise
    except Exception:  # a malformed body is Django's to refuse later, with its own 400
        return False


def command_date(value: str):
    """The `type` of a management command's date option (`--date 2026-12-01`): a date, or the
    command's French error. One parser for every command that takes a day."""
    import datetime

    from django.core.management.base import CommandError

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide « {value} » : attendu AAAA-MM-JJ.") from None
