"""Reading SOFIA's « plan et sessions » spreadsheet (pure: no database)."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from preau.hr import sofia
from preau.hr.gaia import FileRefused, Problem
from preau.hr.sofia import SofiaRow, iter_sofia
from preau.territories.validators import uai_check_letter

UAI = "0140001" + uai_check_letter("0140001")
WRONG_UAI = "0140001" + ("A" if uai_check_letter("0140001") != "A" else "B")

HEADER = [
    "Dispositif : code",
    "Dispositif : libellé",
    "Module : code",
    "Groupe : identifiant",
    "Session",
    "Début",
    "Fin",
    "Modalité",
    "UAI",
    "Lieu",
    "Capacité d'accueil",
    "Préinscriptions",
]


def line(
    dispositif="26A0140001",
    module=12345,
    group="01",
    session="000123",
    starts=dt.datetime(2026, 9, 15),
    ends=dt.datetime(2026, 9, 15),
    modality="Présentiel",
    uai=UAI,
    place="École élémentaire Jules Ferry, Caen",
    capacity=25,
):
    title = "Découvrir les œuvres"
    return [dispositif, title, module, group, session, starts, ends, modality, uai, place] + [
        capacity,
        12,
    ]


def xlsx(*sheets) -> io.BytesIO:
    """A workbook in memory; each sheet is (title, list of rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def plan(*rows, header=HEADER, before=(["Plan académique de formation 2026-2027"], [])):
    return xlsx(("Plan et sessions", [*before, header, *rows]))


def test_rows_with_the_header_below_a_title():
    items = list(
        iter_sofia(
            plan(
                line(),
                line(
                    module=12346.0,  # a number typed in Excel comes as a float
                    group=2,  # « 02 » typed in a cell becomes 2
                    session=125,
                    starts="01/10/2026",
                    ends="02/10/2026",
                    modality="Hybride",
                    uai="",
                    place="Pont-l’Évêque",
                    capacity=None,
                ),
                [],  # an empty row is skipped, and so is a row without any of the columns read
                [None, "Total", None, None, None, None, None, None, None, None, None, 48],
                line(
                    dispositif="26N0140002",
                    starts=dt.date(2026, 11, 3),
                    ends="2026-11-03",
                    modality="À distance",
                    uai=UAI.lower(),
                    capacity="30",
                ),
            )
        )
    )
    assert items == [
        SofiaRow(
            line=4,
            dispositif_code="26A0140001",
            module_code=12345,
            group="01",
            session_code="000123",
            starts_on=dt.date(2026, 9, 15),
            ends_on=dt.date(2026, 9, 15),
            modality="Présentiel",
            uai=UAI,
            place="École élémentaire Jules Ferry, Caen",
            capacity=25,
        ),
        SofiaRow(
            line=5,
            dispositif_code="26A0140001",
            module_code=12346,
            group="02",
            session_code="125",
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 10, 2),
            modality="Hybride",
            uai="",
            place="Pont-l’Évêque",
            capacity=None,
        ),
        SofiaRow(
            line=8,
            dispositif_code="26N0140002",
            module_code=12345,
            group="01",
            session_code="000123",
            starts_on=dt.date(2026, 11, 3),
            ends_on=dt.date(2026, 11, 3),
            modality="À distance",
            uai=UAI,
            place="École élémentaire Jules Ferry, Caen",
            capacity=30,
        ),
    ]


def test_header_titles_are_recognised_whatever_their_case_accents_spaces_and_order():
    header = [
        "  LIEU ",
        "Places",
        "uai",
        "MODALITE",
        "fin",
        "Debut",
        "session",
        "GROUPE: IDENTIFIANT",
        "module :code",
        "Dispositif :\ncode",
    ]
    row = [
        "Salle des fêtes, Bayeux",
        15,
        "",
        "Présentiel",
        dt.datetime(2026, 9, 16),
        dt.datetime(2026, 9, 15),
        "126",
        "03",
        "12347",
        "26A0140003",
    ]
    (item,) = iter_sofia(plan(row, header=header, before=()))
    assert item == SofiaRow(
        line=2,
        dispositif_code="26A0140003",
        module_code=12347,
        group="03",
        session_code="126",
        starts_on=dt.date(2026, 9, 15),
        ends_on=dt.date(2026, 9, 16),
        modality="Présentiel",
        uai="",
        place="Salle des fêtes, Bayeux",
        capacity=15,
    )


def test_capacity_column_is_optional():
    header = [title for title in HEADER if not title.startswith("Capacité")]
    row = line()
    del row[10]
    (item,) = iter_sofia(plan(row, header=header))
    assert item.capacity is None


def test_header_on_a_later_sheet():
    workbook = xlsx(
        ("Notice", [["Mode d’emploi"], ["Ne pas modifier les colonnes"]]),
        (
            "Sessions",
            [HEADER, line()],
        ),
    )
    (item,) = iter_sofia(workbook)
    assert (item.line, item.session_code) == (2, "000123")


def test_rejected_rows():
    items = list(
        iter_sofia(
            plan(
                line(starts=dt.datetime(2026, 9, 16), ends=dt.datetime(2026, 9, 15)),
                line(starts="31/02/2026"),
                line(module="12A"),
                line(session="S1"),
                line(uai=WRONG_UAI),
                line(uai="123"),
                line(capacity=0),
                line(capacity="beaucoup"),
                line(dispositif=""),
                line(dispositif="26A01400012"),
                line(group="123"),
                line(session=None, ends=None),
                line(),
            )
        )
    )
    reasons = {item.line: item.reason for item in items if isinstance(item, Problem)}
    assert reasons == {
        4: "fin avant le début : du 16/09/2026 au 15/09/2026",
        5: "date de début invalide : 31/02/2026",
        6: "code de module non numérique : 12A",
        7: "identifiant de session non numérique : S1",
        8: (
            f"Le code UAI « {WRONG_UAI} » est erroné : sa lettre de contrôle devrait être "
            f"« {UAI[-1]} ». Vérifiez-le dans l’annuaire de l’éducation."
        ),
        9: (
            "« 123 » n’est pas un code UAI : il faut 7 chiffres suivis d’une lettre "
            "(par exemple 0140001A)."
        ),
        10: "capacité invalide : 0 (un nombre de places positif)",
        11: "capacité invalide : beaucoup (un nombre de places positif)",
        12: "code de dispositif vide",
        13: "code de dispositif trop long : « 26A01400012 » (11 caractères, au plus 10)",
        14: "identifiant de groupe trop long : « 123 » (au plus 2 caractères)",
        15: "identifiant de session vide ; date de fin vide",
    }
    assert [item.line for item in items if isinstance(item, SofiaRow)] == [16]
    problem = items[0]
    assert problem.file == "sofia"
    assert problem.excerpt == (
        f"26A0140001 | Découvrir les œuvres | 12345 | 01 | 000123 | 16/09/2026 | 15/09/2026 | "
        f"Présentiel | {UAI} | École élémentaire Jules Ferry, Caen | 25 | 12"
    )


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        (["Lieu"], "Il manque la colonne « Lieu »"),
        (["Session", "Modalité"], "Il manque les colonnes « Session », « Modalité »"),
    ],
)
def test_missing_column_refuses_the_file(missing, words):
    header = [title for title in HEADER if title not in missing]
    with pytest.raises(FileRefused) as refused:
        list(iter_sofia(plan(header=header)))
    assert refused.value.file == "sofia"
    assert refused.value.reason.startswith(words)
    assert "« Plan et sessions »" in refused.value.reason


def test_a_sheet_without_the_header_refuses_the_file():
    with pytest.raises(FileRefused, match="Aucune feuille de ce classeur"):
        list(iter_sofia(xlsx(("Feuil1", [["Nom", "Prénom"], ["Martin", "Léa"]]))))


def not_xlsx_zip() -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lisez-moi.txt", "pas un classeur")
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    "stream",
    [
        io.BytesIO("FORMATIONS|26A0140001|Découvrir|1|…".encode("cp1252")),
        io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500),  # an old .xls
        io.BytesIO(b""),
        not_xlsx_zip(),
    ],
    ids=["csv", "xls", "empty", "zip"],
)
def test_not_an_xlsx_refuses_the_file(stream):
    with pytest.raises(FileRefused) as refused:
        list(iter_sofia(stream))
    assert refused.value.file == "sofia"
    assert "n’est pas un classeur Excel au format .xlsx" in refused.value.reason


def test_rows_are_read_lazily(monkeypatch):
    """The first row comes before the rest of the sheet is read."""
    read_rows = []
    original = sofia._row

    def recording_row(number, cells, positions):
        read_rows.append(number)
        return original(number, cells, positions)

    monkeypatch.setattr(sofia, "_row", recording_row)
    stream = plan(*[line(session=str(1000 + index)) for index in range(3000)])
    items = iter_sofia(stream)
    assert next(items).session_code == "1000"
    assert read_rows == [4]
    assert sum(1 for _ in items) == 2999
    assert len(read_rows) == 3000
