"""Writing exports that people open in a spreadsheet (CSV and xlsx), one way for every app.

A cell whose text starts with « = », « + », « - », « @ », a tab or a carriage return is read
by Excel or LibreOffice as a formula (CSV injection: a GAIA name or a parcours title
`=HYPERLINK(…)` would run in the reader's spreadsheet). In CSV such a text is written after an
apostrophe, which spreadsheets show as text; in xlsx every text is a cell of text type (never a
formula), and numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from preau.core.numbers import french_number

FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def csv_text(value) -> str:
    """Text as a spreadsheet shows it, never as a formula."""
    value = "" if value is None else str(value)
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


# A byte order mark first: Excel then reads the accents of a UTF-8 file.
BOM = "\ufeff"


class _Echo:
    """A file-like object whose write() hands the line back (for streamed responses)."""

    def write(self, value: str) -> str:
        return value


class CsvWriter:
    """The French spreadsheet conventions (semicolons, CRLF, decimal commas) with every text
    neutralised: `row(values)` returns the line, to stream or to join."""

    def __init__(self, *, places: int = 2):
        self.places = places
        self._writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def row(self, values: Iterable) -> str:
        return self._writer.writerow([self._value(v) for v in values])

    def _value(self, value):
        if isinstance(value, Decimal | float):
            return french_number(value, self.places)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return csv_text(value)


def _cell(sheet, value, number_format: str):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl takes a string starting with « = » for a formula: force the text type.
        cell.data_type = "s"
    elif isinstance(value, float | Decimal):
        cell.number_format = number_format
    return cell


def spreadsheet(
    title: str, header: list[str], rows: Iterable[list], *, number_format: str = "0.0"
) -> bytes:
    """An xlsx workbook of one sheet: a bold header, then the rows (streamed: write-only)."""
    buffer = io.BytesIO()
    write_spreadsheet(buffer, title, header, rows, number_format=number_format)
    return buffer.getvalue()


def write_spreadsheet(
    output, title: str, header: list[str], rows: Iterable[list], *, number_format: str = "0.0"
) -> None:
    """The same workbook, saved into `output` (a temporary file keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    bold = []
    for text in header:
        cell = _cell(sheet, str(text), number_format)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append([_cell(sheet, value, number_format) for value in row])
    workbook.save(output)
