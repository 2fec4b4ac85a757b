"""Lists of people to enrol, as trainers bring them: e-mails pasted from a message or a
spreadsheet, or a CSV file (e-mail, optional group). Both become numbered lines of
(e-mail, group) for services.preview_enrolment(); nothing here knows about accounts.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LINES = 1000
MAX_FILE_BYTES = 1024 * 1024
# An address and a group fit in a few hundred characters; a longer line is not a list of
# people (and Python's csv module refuses a field over 128 KB with an exception).
MAX_LINE_CHARS = 1000
# A header's first cell names the e-mail column: "email", "E-mail", "Courriel", "Adresse"...
HEADER_WORDS = ("mail", "courriel", "adresse")
# "Camille Martin <camille.martin@ac-normandie.fr>", as mail software copies addresses.
NAMED_ADDRESS = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Line:
    number: int
    email: str
    group: str = ""


def _cap(lines: list[Line]) -> list[Line]:
    if not lines:
        raise ValidationError(_("La liste ne contient aucune adresse."))
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("La liste compte %(n)s lignes : envoyez-en au plus %(max)s à la fois.")
            % {"n": len(lines), "max": MAX_LINES}
        )
    return lines


def _address(chunk: str) -> str:
    named = NAMED_ADDRESS.search(chunk)
    return (named.group(1) if named else chunk).strip().strip("\"'")


def parse_pasted(text: str, group: str = "") -> list[Line]:
    """One or more addresses per line, separated by commas, semicolons or tabs; every address
    gets `group`. An address line numbers the place where it was read."""
    lines, number = [], 0
    for row in text.splitlines():
        for chunk in re.split(r"[,;\t]", row):
            if chunk.strip():
                number += 1
                lines.append(Line(number, _address(chunk), group.strip()))
    return _cap(lines)


def parse_csv(data: bytes) -> list[Line]:
    """A CSV file of UTF-8 text (a byte order mark is fine): the e-mail in the first column,
    an optional group in the second, separated by ";" (French spreadsheets) or ","; a header
    line is skipped. Lines keep their number in the file."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "Le fichier n’est pas encodé en UTF-8. Dans votre tableur, enregistrez-le au "
                "format « CSV UTF-8 (délimité par des virgules) », puis envoyez-le de nouveau."
            )
        ) from None
    if "\x00" in text:
        raise ValidationError(
            _("Le fichier contient des caractères invalides : ce n’est pas un fichier CSV.")
        )
    rows = text.splitlines()
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_LINE_CHARS:
            raise ValidationError(
                _(
                    "La ligne %(n)s compte plus de %(max)s caractères : chaque ligne ne contient "
                    "qu’une adresse e-mail et, si besoin, un groupe."
                )
                % {"n": number, "max": MAX_LINE_CHARS}
            )
    first = next((row for row in rows if row.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    lines = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows_read = list(reader)
    except csv.Error:  # e.g. a quote opened and never closed, swallowing the rest of the file
        raise ValidationError(
            _(
                "Le fichier ne se lit pas comme un tableau à partir de la ligne %(n)s : "
                "vérifiez les guillemets, ou enregistrez-le de nouveau depuis votre tableur."
            )
            % {"n": reader.line_num}
        ) from None
    for number, cells in enumerate(rows_read, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        email, group = cells[0], cells[1] if len(cells) > 1 else ""
        if not lines and _is_header(email):
            continue
        lines.append(Line(number, _address(email), group))
    return _cap(lines)


def _is_header(cell: str) -> bool:
    lowered = cell.lower()
    return "@" not in lowered and any(word in lowered for word in HEADER_WORDS)
