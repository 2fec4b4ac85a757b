"""Writes about territories: loading schools from the public school directory."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from preau.core.params import parse_int

from .models import Academie, Departement, School
from .validators import normalize_uai, validate_uai

# Column names of the "Annuaire de l'éducation" export (data.education.gouv.fr).
COL_UAI = "Identifiant_de_l_etablissement"
COL_NAME = "Nom_etablissement"
COL_COMMUNE = "Nom_commune"
COL_DEPARTEMENT = "Code_departement"
COL_DEPARTEMENT_NAME = "Libelle_departement"
COL_ACADEMIE = "Code_academie"
COL_ACADEMIE_NAME = "Libelle_academie"
REQUIRED_COLUMNS = [COL_UAI, COL_NAME, COL_COMMUNE, COL_DEPARTEMENT, COL_ACADEMIE]


class DirectoryFileError(Exception):
    """The file as a whole cannot be read: nothing was imported."""


def utf8_lines(binary: Iterable[bytes]) -> Iterator[str]:
    """The lines of a file opened in binary mode, decoded one by one so that an encoding error
    names its line (a text stream decodes by 8 KB chunks and cannot say where it failed).
    """
    for number, line in enumerate(binary, 1):
        try:
            # utf-8-sig on the first line drops the byte order mark that spreadsheets add.
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise DirectoryFileError(
                _(
                    "Le fichier n’est pas encodé en UTF-8 : la ligne %(line)s contient un "
                    "caractère illisible. Enregistrez-le en UTF-8 et relancez l’import."
                )
                % {"line": number}
            ) from None


@dataclass
class DirectoryImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    uai: str
    name: str
    commune: str
    departement_code: str
    departement_name: str
    academie_code: str
    academie_name: str


def normalize_academie_code(value: str) -> str:
    value = (value or "").strip().upper()
    if value.startswith("A"):
        value = value[1:]
    # Three digits at most: the code column holds "A" and three characters. ASCII digits only
    # (`str.isdigit()` takes « ٣ » for a 3, and « ² » that `int()` refuses).
    return f"A{parse_int(value, hi=999):03d}"


def normalize_departement_code(value: str) -> str:
    value = (value or "").strip().upper()
    if not value or len(value) > 3 or not value.isalnum():
        raise ValueError(value)
    return value.zfill(3)


def _read_rows(stream: Iterable[str], report: DirectoryImportReport) -> list[_Row]:
    reader = csv.DictReader(stream, delimiter=";")
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise DirectoryFileError(
            _(
                "Ce fichier n’a pas les colonnes de l’annuaire de l’éducation : "
                "il manque %(columns)s."
            )
            % {"columns": ", ".join(missing)}
        )
    rows, seen = [], {}
    for record in reader:
        line = reader.line_num
        try:
            row = _parse(record, line)
        except ValidationError as error:
            report.rejected.append((line, " ".join(error.messages)))
            continue
        if row.uai in seen:
            report.rejected.append(
                (
                    line,
                    _("UAI %(uai)s déjà présent ligne %(first)s.")
                    % {"uai": row.uai, "first": seen[row.uai]},
                )
            )
            continue
        seen[row.uai] = line
        rows.append(row)
    return rows


def _parse(record: dict, line: int) -> _Row:
    if None in record or any(value is None for value in record.values()):
        raise ValidationError(_("Nombre de colonnes incorrect."))
    uai = normalize_uai(record[COL_UAI])
    validate_uai(uai)
    name = record[COL_NAME].strip()
    if not name:
        raise ValidationError(_("Le nom de l’école est vide."))
    try:
        departement_code = normalize_departement_code(record[COL_DEPARTEMENT])
    except ValueError:
        raise ValidationError(
            _("Code de département « %(code)s » invalide.") % {"code": record[COL_DEPARTEMENT]}
        ) from None
    try:
        academie_code = normalize_academie_code(record[COL_ACADEMIE])
    except ValueError:
        raise ValidationError(
            _("Code d’académie « %(code)s » invalide.") % {"code": record[COL_ACADEMIE]}
        ) from None
    return _Row(
        line=line,
        uai=uai,
        name=name[:200],
        commune=record[COL_COMMUNE].strip()[:100],
        departement_code=departement_code,
        departement_name=(record.get(COL_DEPARTEMENT_NAME) or "").strip()[:100],
        academie_code=academie_code,
        academie_name=(record.get(COL_ACADEMIE_NAME) or "").strip()[:100],
    )


def import_school_directory(
    stream: Iterable[str], *, dry_run: bool = False
) -> DirectoryImportReport:
    """Creates or updates the schools of a directory file, idempotently.

    `stream` yields the lines of the file: utf8_lines(binary_file), or any text stream.
    Valid lines are written in one transaction; every rejected line is reported with its
    number and the reason. A file that cannot be read at all raises DirectoryFileError.
    """
    report = DirectoryImportReport()
    try:
        rows = _read_rows(stream, report)
    except UnicodeDecodeError:
        # From a text stream, which cannot tell where it failed: utf8_lines() can.
        raise DirectoryFileError(_("Le fichier n’est pas encodé en UTF-8.")) from None
    except csv.Error as error:
        raise DirectoryFileError(
            _("Fichier CSV illisible : %(error)s") % {"error": error}
        ) from None

    with transaction.atomic():
        located = _locate(rows, report)
        uais = [row.uai for row, _departement in located]
        existing = {school.uai: school for school in School.objects.filter(uai__in=uais)}
        to_create, to_update = [], []
        for row, departement in located:
            school = existing.get(row.uai)
            if school is None:
                to_create.append(
                    School(uai=row.uai, name=row.name, commune=row.commune, departement=departement)
                )
            elif (school.name, school.commune, school.departement_id) != (
                row.name,
                row.commune,
                departement.pk,
            ):
                school.name, school.commune, school.departement = row.name, row.commune, departement
                to_update.append(school)
            else:
                report.unchanged += 1
        School.objects.bulk_create(to_create, batch_size=2000)
        School.objects.bulk_update(to_update, ["name", "commune", "departement"], batch_size=2000)
        report.created, report.updated = len(to_create), len(to_update)
        report.rejected.sort()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _locate(rows: list[_Row], report: DirectoryImportReport) -> list[tuple[_Row, Departement]]:
    """Pairs each row with its département, creating the académies and départements that the
    file names with their labels. Rows whose territory is unknown or contradictory are rejected.
    """
    academies = {a.code: a for a in Academie.objects.all()}
    departements = {d.code: d for d in Departement.objects.select_related("academie")}
    located = []
    for row in rows:
        known = departements.get(row.departement_code)
        # Checked before anything is created, so that a rejected line leaves no trace.
        if known is not None and known.academie.code != row.academie_code:
            report.rejected.append(
                (
                    row.line,
                    _("Le département %(dep)s n’appartient pas à l’académie %(aca)s.")
                    % {"dep": row.departement_code, "aca": row.academie_code},
                )
            )
            continue
        if known is None and not row.departement_name:
            report.rejected.append(
                (row.line, _("Département %(code)s inconnu.") % {"code": row.departement_code})
            )
            continue
        academie = academies.get(row.academie_code)
        if academie is None and row.academie_name:
            academie = academies[row.academie_code] = Academie.objects.create(
                code=row.academie_code, name=row.academie_name
            )
        if academie is None:
            report.rejected.append(
                (row.line, _("Académie %(code)s inconnue.") % {"code": row.academie_code})
            )
            continue
        departement = known or Departement.objects.create(
            code=row.departement_code, name=row.departement_name, academie=academie
        )
        departements[row.departement_code] = departement
        located.append((row, departement))
    return located
