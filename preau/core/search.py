"""Search terms, the same way in every search box, and people in French order.

- `parse()` reads what a person typed: control characters (NUL included: PostgreSQL refuses it
  in text) become spaces, blanks collapse, and the terms are capped at `MAX_WORDS` words and
  `MAX_CHARS` characters. A query of 1,900 words once kept two web workers busy for a minute:
  every word is one more condition for the database.
- `SearchField` is the form field of a search box: it parses, never fails on a long query.
- Accents and case never matter. On PostgreSQL, the `unaccent` extension through the immutable
  wrapper `preau_unaccent(text)` (core migration 0001), also used by the generated full-text
  column of the parcours; on SQLite, `fold()` in Python, registered on every connection as the
  SQL function `preau_fold`. The lookup `folded` (a bilateral transform on text fields) applies
  the one of the database on both sides: `Q(title__folded__contains="ecole")` finds « École ».
- `words_filter()` builds the usual condition of a search box: every word somewhere in the
  fields.
- `by_name()` sorts people the French way (« Étienne », « Gérard » before « Guyot »): the
  collation `preau_fr` is ICU's French on PostgreSQL (core migration 0001) and a Python
  comparison on `fold()` on SQLite, so that ORDER BY (and pagination) work on both.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.db.backends.signals import connection_created
from django.db.models import CharField, Q, TextField, Transform
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

MAX_WORDS = 10
MAX_CHARS = 200
COLLATION = "preau_fr"
# PostgreSQL: the French full-text query matching the generated column
# parcours_parcours.search_vector (parcours migration 0004), accents removed the same way.
TSQUERY = "websearch_to_tsquery('french'::regconfig, preau_unaccent(%s))"

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Letters that Unicode does not decompose but that `unaccent` spells out.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})
# Apostrophes and dashes as a word processor or a phone types them.
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-", "–": "-"})


@dataclass(frozen=True)
class SearchTerms:
    """What a person searched for, once parsed: `text` (the capped query, words separated by
    one space), its `words`, and whether the query was `cut` to fit the caps."""

    text: str = ""
    cut: bool = False
    max_words = MAX_WORDS
    max_chars = MAX_CHARS

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def __bool__(self) -> bool:
        return bool(self.text)


def parse(raw: str | None) -> SearchTerms:
    """The search terms of a query as typed (None and "" give no terms)."""
    text = " ".join(_CONTROL.sub(" ", raw or "").split())
    words = text.split()
    cut = len(words) > MAX_WORDS
    text = " ".join(words[:MAX_WORDS])
    if len(text) > MAX_CHARS:
        cut = True
        # Cut after the last whole word that fits, or in the word when it is the only one.
        head = text[: MAX_CHARS + 1]
        text = head.rsplit(" ", 1)[0] if " " in head else text[:MAX_CHARS]
    return SearchTerms(text=text, cut=cut)


def parse_request(request, name: str = "q") -> SearchTerms:
    return parse(request.GET.get(name, ""))


def fold(text: str | None) -> str | None:
    """Lower case, without accents or ligatures: « Élève Œuvre » → « eleve oeuvre »."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_PUNCTUATION).casefold()


@functools.lru_cache(maxsize=8192)  # SQLite's collation calls it twice per comparison
def french_key(text: str | None) -> tuple[str, str, str]:
    """A sort key for names in French order: letters first, then accents and case
    (« etienne », « Étienne », « Eve », « Gérard », « Guyot »)."""
    text = text or ""
    return (fold(text), text.casefold(), text)


# The database side --------------------------------------------------------------------------


class Folded(Transform):
    """`field__folded`: the text without accents, in lower case, on both sides of the lookup
    (bilateral): `name__folded__contains="eleve"` is « name contains élève, whatever the
    accents and case »."""

    lookup_name = "folded"
    bilateral = True
    output_field = TextField()

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"lower(preau_unaccent({lhs}))", params

    def as_sqlite(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"preau_fold({lhs})", params


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)


def words_filter(terms: SearchTerms | str, *fields: str) -> Q:
    """Every word somewhere in one of the fields, accents and case aside (an empty Q for no
    terms)."""
    if isinstance(terms, str):
        terms = parse(terms)
    condition = Q()
    for word in terms.words:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__folded__contains": word})
        condition &= anywhere
    return condition


def by_name(prefix: str = "", *, descending: bool = False) -> list[OrderBy]:
    """ORDER BY last name then first name, the French way; `prefix` reaches the person through
    a relation (`by_name("user__")`)."""
    return [
        OrderBy(Collate(f"{prefix}{field}", COLLATION), descending=descending)
        for field in ("last_name", "first_name")
    ]


def sorted_by_name(people, key=lambda person: person):
    """A list of people (or of rows holding one: `key`) in French order, in Python."""
    return sorted(
        people, key=lambda row: (french_key(key(row).last_name), french_key(key(row).first_name))
    )


# SQLite: the functions above, registered on every connection --------------------------------


def _compare(left: str, right: str) -> int:
    a, b = french_key(left), french_key(right)
    return (a > b) - (a < b)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("preau_fold", 1, fold, deterministic=True)
    connection.connection.create_collation(COLLATION, _compare)


connection_created.connect(register_sqlite_functions, dispatch_uid="preau_search_sqlite")


class SearchField(forms.CharField):
    """The text of a search box: parsed (`parse`), so a long query is cut, never refused, and
    control characters never reach the database; the box shows the terms searched.
    `cleaned_data` holds a `SearchTerms`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(max_length=MAX_CHARS, **kwargs)
        # No MaxLengthValidator (a long query is cut) nor Django's refusal of NUL (replaced).
        self.validators = []

    def to_python(self, value) -> SearchTerms:
        return parse(value if isinstance(value, str) else "")

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        if isinstance(value, SearchTerms):
            return value.text
        return parse(value).text if isinstance(value, str) else value
