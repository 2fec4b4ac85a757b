"""Reading SOFIA's « plan et sessions » spreadsheet (xlsx), streamed with openpyxl's read-only mode.

Pure functions, no database. The header row is found by its column titles, wherever it is in the
first rows of a sheet; other columns (pre-registrations…) are ignored. Rows become `SofiaRow`s or
`Problem`s with the same checks as GAIA's Formations file; a file that is not an xlsx, or that
lacks a required column, raises `FileRefused`.
"""

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from preau.territories.validators import normalize_uai, validate_uai

from .gaia import (
    DIGITS,
    EXCERPT_LENGTH,
    MAX_DISPOSITIF_LENGTH,
    MAX_GROUP_LENGTH,
    MAX_MODULE_ID,
    MAX_PLACE_LENGTH,
    MAX_SESSION_LENGTH,
    FileRefused,
    Problem,
    check_period,
    parse_date,
)

SOFIA = "sofia"
MAX_MODALITY_LENGTH = 100
HEADER_SEARCH_ROWS = 30
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T].*)?")

# Column → (title shown in messages, accepted normalised titles). Normalised: no accents, lower
# case, letters and digits only (« Dispositif : code » → « dispositifcode »).
COLUMNS = {
    "dispositif": ("Dispositif : code", {"dispositifcode", "codedispositif", "codedudispositif"}),
    "module": ("Module : code", {"modulecode", "codemodule", "codedumodule"}),
    "group": ("Groupe : identifiant", {"groupeidentifiant", "identifiantgroupe", "groupe"}),
    "session": ("Session", {"session", "sessioncode", "sessionidentifiant", "codesession"}),
    "starts_on": ("Début", {"debut", "datededebut", "datedebut", "debutsession"}),
    "ends_on": ("Fin", {"fin", "datedefin", "datefin", "finsession"}),
    "modality": ("Modalité", {"modalite", "modalites"}),
    "uai": ("UAI", {"uai", "codeuai", "uaidulieu"}),
    "place": ("Lieu", {"lieu"}),
}
CAPACITY_PREFIXES = ("capacite", "places")


@dataclass(frozen=True)
class SofiaRow:
    line: int
    dispositif_code: str
    module_code: int
    group: str
    session_code: str
    starts_on: dt.date
    ends_on: dt.date
    modality: str
    uai: str
    place: str
    capacity: int | None


def _normalise(value) -> str:
    if value is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return "".join(ch for ch in plain if ch.isalnum())


def _header_positions(cells) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        title = _normalise(cell)
        if not title:
            continue
        for key, (_label, accepted) in COLUMNS.items():
            if key not in positions and title in accepted:
                positions[key] = index
        if "capacity" not in positions and title.startswith(CAPACITY_PREFIXES):
            positions["capacity"] = index
    return positions


def _text(value) -> str:
    """A cell as text: numbers typed in Excel lose their « .0 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):  # also a datetime
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _date(value, label: str, reasons: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell without a date format: Excel's serial number.
        if 1 <= value < 2958466:
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else converted
        reasons.append(f"{label} invalide : {_text(value)}")
        return None
    text = _text(value)
    match = ISO_DATE.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            reasons.append(f"{label} invalide : {text}")
            return None
    return parse_date(text, label, reasons)


def _module(value, reasons: list[str]) -> int | None:
    text = _text(value)
    if not text:
        reasons.append("code de module vide")
    elif not DIGITS.fullmatch(text):
        reasons.append(f"code de module non numérique : {text}")
    elif int(text) > MAX_MODULE_ID:
        reasons.append(f"code de module trop grand : {text}")
    else:
        return int(text)
    return None


def _session(value, reasons: list[str]) -> str | None:
    text = _text(value)
    if not text:
        reasons.append("identifiant de session vide")
    elif not DIGITS.fullmatch(text):
        reasons.append(f"identifiant de session non numérique : {text}")
    elif len(text) > MAX_SESSION_LENGTH:
        reasons.append(f"identifiant de session de {len(text)} chiffres")
    else:
        return text
    return None


def _group(value, reasons: list[str]) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # Excel turns « 01 » typed in a cell into the number 1: GAIA's groups have 2 digits.
        return f"{int(value):02d}"
    text = _text(value)
    if len(text) > MAX_GROUP_LENGTH:
        reasons.append(f"identifiant de groupe trop long : « {text} » (au plus 2 caractères)")
    return text


def _capacity(value, reasons: list[str]) -> int | None:
    text = _text(value)
    if not text:
        return None
    if DIGITS.fullmatch(text) and int(text) > 0:
        return int(text)
    reasons.append(f"capacité invalide : {text} (un nombre de places positif)")
    return None


def _uai(value, reasons: list[str]) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        validate_uai(text)
    except ValidationError as error:
        reasons.append(" ".join(error.messages))
    return normalize_uai(text)


def _row(number: int, cells, positions: dict[str, int]) -> SofiaRow | Problem | None:
    def cell(key):
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    if all(_text(cell(key)) == "" for key in positions):
        return None  # an empty row, or one with only other columns filled (a total…)
    reasons: list[str] = []
    dispositif = _text(cell("dispositif"))
    if not dispositif:
        reasons.append("code de dispositif vide")
    elif len(dispositif) > MAX_DISPOSITIF_LENGTH:
        reasons.append(
            f"code de dispositif trop long : « {dispositif} » ({len(dispositif)} caractères, "
            f"au plus {MAX_DISPOSITIF_LENGTH})"
        )
    module_code = _module(cell("module"), reasons)
    group = _group(cell("group"), reasons)
    session_code = _session(cell("session"), reasons)
    starts_on = _date(cell("starts_on"), "date de début", reasons)
    ends_on = _date(cell("ends_on"), "date de fin", reasons)
    check_period(starts_on, None, ends_on, None, reasons)
    uai = _uai(cell("uai"), reasons)
    capacity = _capacity(cell("capacity"), reasons)
    modality, place = _text(cell("modality")), _text(cell("place"))
    for value, limit, label in (
        (modality, MAX_MODALITY_LENGTH, "modalité"),
        (place, MAX_PLACE_LENGTH, "lieu"),
    ):
        if len(value) > limit:
            reasons.append(f"{label} trop long ({len(value)} caractères, au plus {limit})")
    if reasons:
        excerpt = " | ".join(_text(value) for value in cells)[:EXCERPT_LENGTH]
        return Problem(SOFIA, number, " ; ".join(reasons), excerpt, session_code or "")
    return SofiaRow(
        line=number,
        dispositif_code=dispositif,
        module_code=module_code,
        group=group,
        session_code=session_code,
        starts_on=starts_on,
        ends_on=ends_on,
        modality=modality,
        uai=uai,
        place=place,
        capacity=capacity,
    )


def _open(stream):
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRefused(
            SOFIA,
            "Ce fichier n’est pas un classeur Excel au format .xlsx : exportez « plan et "
            "sessions » depuis SOFIA au format .xlsx (les anciens fichiers .xls et les .csv ne "
            "sont pas acceptés).",
        ) from None


def iter_sofia(stream) -> Iterator[SofiaRow | Problem]:
    """The session rows of a SOFIA « plan et sessions » spreadsheet (binary stream), streamed."""
    workbook = _open(stream)
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some exports declare wrong dimensions: read every row
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            positions: dict[str, int] = {}
            for number, cells in rows:
                if number > HEADER_SEARCH_ROWS:
                    break
                found = _header_positions(cells)
                if "dispositif" in found and "module" in found:
                    positions = found
                    break
            if not positions:
                continue
            missing = [label for key, (label, _) in COLUMNS.items() if key not in positions]
            if missing:
                names = ", ".join(f"« {label} »" for label in missing)
                raise FileRefused(
                    SOFIA,
                    f"Il manque {'la colonne' if len(missing) == 1 else 'les colonnes'} {names} "
                    f"dans la feuille « {sheet.title} » : exportez « plan et sessions » depuis "
                    "SOFIA sans retirer de colonne.",
                )
            for number, cells in rows:
                row = _row(number, cells, positions)
                if row is not None:
                    yield row
            return
        raise FileRefused(
            SOFIA,
            "Aucune feuille de ce classeur n’a de ligne d’en-tête avec les colonnes "
            "« Dispositif : code » et « Module : code » : ce n’est pas l’export « plan et "
            "sessions » de SOFIA.",
        )
    finally:
        workbook.close()
