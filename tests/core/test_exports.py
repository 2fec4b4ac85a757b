"""The one writer of spreadsheet exports (preau/core/exports.py): never a formula, numbers as
numbers. Used by the catalogue CSV (tests/parcours/test_catalogue.py), the attendance sent
back to GAIA (tests/hr/test_views.py), the IEN's follow-up CSV and xlsx
(tests/hours/test_piloting.py), the yearly hours report (tests/hours/test_report.py) and the
questionnaires' exports (tests/questionnaires/test_views.py); the guards below keep every other
module from writing a CSV or a workbook its own way."""

import ast
import io
from decimal import Decimal
from pathlib import Path

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


# Guards: no export is written another way ----------------------------------------------------

WRITERS = {"csv.writer", "csv.DictWriter", "openpyxl.Workbook", "openpyxl.cell.WriteOnlyCell"}
EXPORT_TYPES = ("text/csv", "spreadsheetml")
# Modules that name an export's type without writing one.
NAMES_A_TYPE_ONLY = {
    "preau.core.middleware": "the types sent with Cache-Control: no-store",
    "preau.training.forms": "the accept attribute of the enrolment list upload",
}


def _modules() -> dict[str, tuple[ast.Module, bool]]:
    import preau

    root = Path(preau.__path__[0])
    modules = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("preau", *path.relative_to(root).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = (ast.parse(path.read_text(encoding="utf-8")), path.name == "__init__.py")
    return modules


def _imports(name: str, tree, is_package: bool) -> dict[str, str]:
    """{local name: the dotted name it stands for} of a module's imports, relative ones
    resolved (`from .. import report` in preau.hours.views.report is preau.hours.report)."""
    package = name if is_package else name.rpartition(".")[0]
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found[alias.asname or alias.name] = f"{base}.{alias.name}"
    return found


def _dotted(node, imports: dict[str, str]) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([imports.get(node.id, node.id), *reversed(parts)])


def test_no_module_writes_a_csv_or_a_workbook_but_the_exports_helper():
    """csv.writer, openpyxl's Workbook or cells anywhere else would skip the neutralisation of
    formulas (reading files, with csv.reader or load_workbook, is not writing)."""
    found = []
    for name, (tree, is_package) in _modules().items():
        if name == "preau.core.exports":
            continue
        imports = _imports(name, tree, is_package)
        used = {
            _dotted(node, imports) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
        }
        used |= {imports.get(node.id, "") for node in ast.walk(tree) if isinstance(node, ast.Name)}
        used |= set(imports.values())
        found += [f"{name}: {writer}" for writer in WRITERS & used]
        found += [f"{name}: {m}" for m in used if m.startswith("xlsxwriter")]
    assert not found, "Write exports with preau.core.exports: " + ", ".join(sorted(found))


def test_every_module_that_sends_a_csv_or_a_workbook_goes_through_the_exports_helper():
    """A module that names a CSV or xlsx content type (a view sending one, a report writing
    one) imports preau.core.exports, itself or through a module of its own app."""
    modules = _modules()
    graph = {
        name: {
            target for target in _imports(name, tree, pkg).values() if target.startswith("preau")
        }
        for name, (tree, pkg) in modules.items()
    }

    def reaches_exports(name: str, seen: set) -> bool:
        for target in graph.get(name, ()):
            # `from preau.core.exports import CsvWriter` names preau.core.exports.CsvWriter.
            if target == "preau.core.exports" or target.startswith("preau.core.exports."):
                return True
            module = target if target in graph else target.rpartition(".")[0]
            if module not in seen and module in graph:
                seen.add(module)
                if reaches_exports(module, seen):
                    return True
        return False

    senders, missing = [], []
    for name, (tree, _pkg) in modules.items():
        names_a_type = any(
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and any(kind in node.value for kind in EXPORT_TYPES)
            for node in ast.walk(tree)
        )
        if not names_a_type or name == "preau.core.exports" or name in NAMES_A_TYPE_ONLY:
            continue
        senders.append(name)
        if not reaches_exports(name, {name}):
            missing.append(name)
    assert {"preau.questionnaires.views", "preau.hr.views", "preau.hours.views.piloting"} <= set(
        senders
    )
    assert not missing, "These send a CSV or xlsx without preau.core.exports: " + ", ".join(missing)
