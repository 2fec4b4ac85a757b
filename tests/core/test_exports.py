"""The one writer of spreadsheet exports (preau/core/exports.py): never a formula, numbers as
numbers. Used by the catalogue CSV (tests/parcours/test_catalogue.py), the attendance sent
back to GAIA (tests/hr/test_views.py), the IEN's follow-up CSV and xlsx
(tests/hours/test_piloting.py) and the yearly hours report (tests/hours/test_report.py)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from preau.core.exports import CsvWriter, csv_text, spreadsheet


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_that_a_spreadsheet_would_run_is_written_after_an_apostrophe(start):
    assert csv_text(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["Dupont", "", "1,5", "O'Neil", " =espace"])
def test_other_texts_are_written_as_they_are(value):
    assert csv_text(value) == value


def test_none_is_an_empty_text():
    assert csv_text(None) == ""


def test_the_spreadsheet_keeps_formulas_as_text_and_numbers_as_numbers():
    content = spreadsheet(
        "Feuille", ["Nom", "Heures"], [["=SUM(A1:A9)", Decimal("1.5")], ["+33 6", 2]]
    )

    sheet = load_workbook(io.BytesIO(content)).active
    (name, hours), (phone, count) = sheet.iter_rows(min_row=2)
    assert (name.value, name.data_type) == ("=SUM(A1:A9)", "s")
    assert (phone.value, phone.data_type) == ("+33 6", "s")
    assert (hours.value, hours.data_type, hours.number_format) == (1.5, "n", "0.0")
    assert (count.value, count.data_type) == (2, "n")
    assert sheet.title == "Feuille"
    assert [c.font.bold for c in next(sheet.iter_rows(max_row=1))] == [True, True]


def test_the_csv_writer_neutralises_texts_and_writes_french_numbers():
    line = CsvWriter(places=1).row(["=1+1", "Dupont; Anne", Decimal("1.25"), 2.5, 3, None])

    assert line == '\'=1+1;"Dupont; Anne";1,3;2,5;3;\r\n'
