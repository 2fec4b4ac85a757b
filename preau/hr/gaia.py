"""Reading GAIA's daily export: three pipe-separated, Windows-1252 files without a header.

Pure functions, no database: each file is streamed line by line and turned into typed rows, or
into a `Problem` for a line that cannot be used (the import goes on without it), or into a
`FileRefused` exception when the whole file cannot be trusted (wrong encoding, wrong file in the
wrong slot, empty file). Checks that need several lines or the database (duplicates, unknown
session or module) are done later, on the staged rows.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from preau.accounts.emails import canonical_email, email_variants  # noqa: F401

FORMATIONS, INTERVENANTS, STAGIAIRES = "formations", "intervenants", "stagiaires"

KIND_LABELS = {FORMATIONS: "Formations", INTERVENANTS: "Intervenants", STAGIAIRES: "Stagiaires"}
FIELD_COUNTS = {FORMATIONS: 14, INTERVENANTS: 5, STAGIAIRES: 5}

EXCERPT_LENGTH = 200
CHUNK_SIZE = 64 * 1024
# A line longer than this is not a GAIA line (a binary file, or a file without line breaks):
# refusing it keeps memory bounded whatever is uploaded.
MAX_LINE_BYTES = 1024 * 1024
MAX_DISPOSITIF_LENGTH = 10
MAX_GROUP_LENGTH = 2
MAX_PLACE_TYPE_LENGTH = 1
MAX_SESSION_LENGTH = 20
MAX_MODULE_ID = 2_147_483_647  # fits a database integer column
# The lengths of the database columns the text fields go to: a longer value is refused on its
# line, never cut silently.
MAX_NAME_LENGTH = 150
MAX_EMAIL_LENGTH = 254
MAX_TITLE_LENGTH = 300
MAX_PLACE_LENGTH = 300

DIGITS = re.compile(r"[0-9]+")  # not \d, which also matches other scripts' digits
DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
FILE_NAME = re.compile(
    r"(?P<code>[A-Za-z0-9]+)_(?P<kind>formations|intervenants|stagiaires)_(?P<day>[0-9]{8})\.csv",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """A rejected line, or a whole-file problem when `line` is None."""

    file: str
    line: int | None
    reason: str
    excerpt: str = ""
    # A rejected Formations line's session id, when it can be read: that session is neither
    # created nor taken for gone on the basis of this file.
    session_code: str = ""


class FileRefused(Exception):
    """The whole file is refused (wrong encoding, wrong name, another académie…)."""

    def __init__(self, file: str, reason: str):
        super().__init__(reason)
        self.file = file
        self.reason = reason

    def __reduce__(self):  # picklable, for background jobs
        return (self.__class__, (self.file, self.reason))


@dataclass(frozen=True)
class FileName:
    academie_code: str
    kind: str
    day: dt.date


@dataclass(frozen=True)
class FormationRow:
    line: int
    dispositif_code: str
    dispositif_title: str
    module_code: int
    module_title: str
    session_code: str
    group: str
    starts_on: dt.date
    start_time: dt.time | None
    ends_on: dt.date
    end_time: dt.time | None
    place_type: str
    place: str

    @property
    def is_national(self) -> bool:
        return len(self.dispositif_code) >= 3 and self.dispositif_code[2] == "N"


@dataclass(frozen=True)
class TrainerRow:
    line: int
    module_code: int
    last_name: str
    first_name: str
    email: str


@dataclass(frozen=True)
class TraineeRow:
    line: int
    session_code: str
    last_name: str
    first_name: str
    email: str


class Consumed:
    """The bytes of the lines a reader has handed out so far (line ends and blank lines
    included). A reader reads its stream ahead by chunks of CHUNK_SIZE: the stream's position
    is past lines not yet handed out, this is not."""

    def __init__(self):
        self.bytes = 0


# File names ---------------------------------------------------------------------------------


def parse_file_name(name: str) -> FileName:
    """« A014_Stagiaires_20260915.csv » → FileName("A014", STAGIAIRES, 2026-09-15)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    match = FILE_NAME.fullmatch(base)
    if not match:
        lowered = base.lower()
        kind = next((k for k in KIND_LABELS if k in lowered), "")
        raise FileRefused(
            kind,
            f"Le nom « {base} » n’est pas celui d’un fichier GAIA : il faut "
            "« {code}_Formations_{AAAAMMJJ}.csv » (ou Intervenants, Stagiaires), "
            "par exemple « A014_Formations_20260915.csv ».",
        )
    kind = match["kind"].lower()
    digits = match["day"]
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise FileRefused(
            kind, f"La date « {digits} » du nom « {base} » n’existe pas (format AAAAMMJJ)."
        ) from None
    return FileName(academie_code=match["code"].upper(), kind=kind, day=day)


# Lines and encoding -------------------------------------------------------------------------


def _raw_lines(stream, file: str, consumed: Consumed | None = None) -> Iterator[tuple[bytes, bool]]:
    """(line without its end (\\n or \\r\\n), whether it had one) for each line of a binary
    stream, read by chunks. Only the last line can lack its end. `consumed` counts the bytes
    of the lines handed out, each counted before it is."""
    consumed = consumed if consumed is not None else Consumed()
    pending = b""
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError("GAIA files are read from a binary stream (open(path, 'rb')).")
        pending += bytes(chunk)
        lines = pending.split(b"\n")
        pending = lines.pop()
        for line in lines:
            if len(line) > MAX_LINE_BYTES:
                raise _too_long(file)
            consumed.bytes += len(line) + 1
            yield (line[:-1] if line.endswith(b"\r") else line), True
        if len(pending) > MAX_LINE_BYTES:
            raise _too_long(file)
    if pending:
        consumed.bytes += len(pending)
        yield pending, False


def _too_long(file: str) -> FileRefused:
    return FileRefused(
        file,
        "Ce fichier contient une ligne de plus d’un million d’octets : ce n’est pas un "
        "fichier GAIA (fichier binaire, ou sans retours à la ligne).",
    )


def _decode(raw: bytes, number: int, file: str) -> str:
    label = KIND_LABELS.get(file, file)
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raise FileRefused(
            file,
            f"Le fichier {label} est encodé en UTF-8 : GAIA produit du Windows-1252 (il commence "
            "par la marque d’ordre des octets UTF-8). Déposez le fichier tel que GAIA l’a "
            "exporté, sans l’ouvrir ni le réenregistrer dans un tableur.",
        )
    if b"\x00" in raw:
        raise FileRefused(
            file,
            f"Le fichier {label} contient des octets nuls (ligne {number}) : c’est de l’UTF-16 "
            "ou un fichier binaire, pas un export GAIA en Windows-1252.",
        )
    if raw.isascii():
        return raw.decode("ascii")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise FileRefused(
            file,
            f"Le fichier {label} est encodé en UTF-8 : GAIA produit du Windows-1252 (ligne "
            f"{number} : « {raw.decode('utf-8')[:80]} »). Déposez le fichier tel que GAIA l’a "
            "exporté, sans l’ouvrir ni le réenregistrer dans un tableur.",
        )
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        raise FileRefused(
            file,
            f"Le fichier {label} n’est pas encodé en Windows-1252 comme les exports GAIA : "
            f"l’octet 0x{byte:02X} de la ligne {number} n’y correspond à aucun caractère.",
        ) from None


def _text_lines(stream, file: str, consumed: Consumed | None = None) -> Iterator[tuple[int, str]]:
    """(line number, decoded line) for every non-empty line; refuses an empty file."""
    seen = False
    for number, (raw, ended) in enumerate(_raw_lines(stream, file, consumed), start=1):
        text = _decode(raw, number, file)  # a wrong encoding is the first thing to say
        if not text.strip():
            continue
        if not ended:
            # A last line without its end: a file cut while it was copied.
            raise FileRefused(
                file,
                f"La dernière ligne du fichier {KIND_LABELS.get(file, file)} (n° {number}) n’a "
                "pas de fin de ligne : le fichier semble coupé (copie interrompue). Il est "
                "refusé en entier, rien n’est appliqué : déposez le fichier complet.",
            )
        seen = True
        yield number, text
    if not seen:
        raise FileRefused(file, f"Le fichier {KIND_LABELS.get(file, file)} est vide.")


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _check_slot(kind: str, fields: list[str]) -> None:
    """Refuses a file whose first line belongs to another kind of GAIA file."""
    count = len(fields)
    label = KIND_LABELS[kind]
    if kind == FORMATIONS and count == FIELD_COUNTS[STAGIAIRES]:
        raise FileRefused(
            kind,
            f"Le fichier déposé comme fichier Formations a {count} champs par ligne au lieu de "
            "14 : ce fichier ressemble à un fichier Stagiaires ou Intervenants. Vérifiez que "
            "chaque fichier est déposé à sa place.",
        )
    if kind != FORMATIONS and count == FIELD_COUNTS[FORMATIONS]:
        raise FileRefused(
            kind,
            f"Le fichier déposé comme fichier {label} a 14 champs par ligne au lieu de 5 : ce "
            "fichier ressemble à un fichier Formations. Vérifiez que chaque fichier est déposé "
            "à sa place.",
        )
    if kind == FORMATIONS:
        return
    # Intervenants and Stagiaires both have 5 fields: their table name tells them apart.
    table = _plain(fields[0])
    own = {FORMATIONS: "formation", INTERVENANTS: "intervenant", STAGIAIRES: "stagiaire"}
    if own[kind] in table:
        return
    for other, word in own.items():
        if other != kind and word in table:
            raise FileRefused(
                kind,
                f"Le fichier déposé comme fichier {label} commence par la table "
                f"« {fields[0].strip()} » : ce fichier ressemble à un fichier "
                f"{KIND_LABELS[other]}. Vérifiez que chaque fichier est déposé à sa place.",
            )


def _rows(
    stream,
    kind: str,
    build: Callable[[int, list[str], list[str]], object],
    consumed: Consumed | None = None,
) -> Iterator[object]:
    expected = FIELD_COUNTS[kind]
    first = True
    last: tuple[int, int] = (0, expected)  # (line number, field count) of the last line
    for number, text in _text_lines(stream, kind, consumed):
        fields = [field.strip() for field in text.split("|")]
        last = (number, len(fields))
        if first:
            _check_slot(kind, fields)
            first = False
        excerpt = text[:EXCERPT_LENGTH]
        session = fields[5] if kind == FORMATIONS and len(fields) > 5 else ""
        session = session if DIGITS.fullmatch(session) else ""
        if len(fields) != expected:
            reason = f"{len(fields)} champs au lieu de {expected}"
            yield Problem(kind, number, reason, excerpt, session)
            continue
        reasons: list[str] = []
        row = build(number, fields, reasons)
        if reasons:
            yield Problem(kind, number, " ; ".join(reasons), excerpt, session)
        else:
            yield row
    if last[1] != expected:
        raise FileRefused(
            kind,
            f"La dernière ligne du fichier {KIND_LABELS[kind]} (n° {last[0]}) a {last[1]} "
            f"champs au lieu de {expected} : le fichier semble coupé. Il est refusé en entier, "
            "rien n’est appliqué : déposez le fichier complet.",
        )


# Field checks: each appends its French reason to `reasons` and returns None when it fails. ----


def _required(value: str, label: str, reasons: list[str]) -> str:
    if not value:
        reasons.append(f"{label} vide")
    return value


def _module_id(value: str, reasons: list[str]) -> int | None:
    if not value:
        reasons.append("identifiant de module vide")
    elif not DIGITS.fullmatch(value):
        reasons.append(f"identifiant de module non numérique : {value}")
    elif int(value) > MAX_MODULE_ID:
        reasons.append(f"identifiant de module trop grand : {value}")
    else:
        return int(value)
    return None


def _session_id(value: str, reasons: list[str]) -> str | None:
    if not value:
        reasons.append("identifiant de session vide")
    elif not DIGITS.fullmatch(value):
        reasons.append(f"identifiant de session non numérique : {value}")
    elif len(value) > MAX_SESSION_LENGTH:
        reasons.append(
            f"identifiant de session de {len(value)} chiffres (au plus {MAX_SESSION_LENGTH})"
        )
    else:
        return value
    return None


def parse_date(value: str, label: str, reasons: list[str]) -> dt.date | None:
    """« 15/09/2026 » → date; « date de début invalide : 31/02/2026 » otherwise."""
    if not value:
        reasons.append(f"{label} vide")
        return None
    match = DATE.fullmatch(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    reasons.append(f"{label} invalide : {value}")
    return None


def _time(value: str, label: str, reasons: list[str]) -> dt.time | None:
    if not value:
        return None
    match = TIME.fullmatch(value)
    if match:
        hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            return dt.time(hour, minute, second)
        except ValueError:
            pass
    reasons.append(f"{label} invalide : {value}")
    return None


def _max_length(value: str, limit: int, label: str, reasons: list[str]) -> None:
    if len(value) > limit:
        reasons.append(
            f"{label} trop long : « {value} » ({len(value)} caractères, au plus {limit})"
        )


def check_period(
    starts_on: dt.date | None,
    start_time: dt.time | None,
    ends_on: dt.date | None,
    end_time: dt.time | None,
    reasons: list[str],
) -> None:
    """An end before its start: dates compared first, then times on the same day."""
    if starts_on is None or ends_on is None:
        return
    if ends_on < starts_on or (
        ends_on == starts_on and start_time and end_time and end_time < start_time
    ):
        start = starts_on.strftime("%d/%m/%Y") + (f" {start_time:%H:%M}" if start_time else "")
        end = ends_on.strftime("%d/%m/%Y") + (f" {end_time:%H:%M}" if end_time else "")
        reasons.append(f"fin avant le début : du {start} au {end}")


def _names(last_name: str, first_name: str, reasons: list[str]) -> None:
    _required(last_name, "nom", reasons)
    _max_length(last_name, MAX_NAME_LENGTH, "nom", reasons)
    _max_length(first_name, MAX_NAME_LENGTH, "prénom", reasons)


def _email(value: str, reasons: list[str]) -> str:
    email = value.strip().lower()
    if not email:
        reasons.append("adresse électronique vide")
        return email
    if len(email) > MAX_EMAIL_LENGTH:
        reasons.append(
            f"adresse électronique trop longue ({len(email)} caractères, au plus "
            f"{MAX_EMAIL_LENGTH})"
        )
        return email
    try:
        validate_email(email)
    except ValidationError:
        reasons.append(f"adresse électronique invalide : {value.strip()}")
    return email


# Row builders -------------------------------------------------------------------------------


def _formation(number: int, fields: list[str], reasons: list[str]) -> FormationRow | None:
    (_table, dispositif, dispositif_title, module, module_title, session, group) = fields[:7]
    (start_date, start_time, end_date, end_time, place_type, place, _unused) = fields[7:]
    _required(dispositif, "identifiant de dispositif", reasons)
    _max_length(dispositif, MAX_DISPOSITIF_LENGTH, "identifiant de dispositif", reasons)
    _max_length(dispositif_title, MAX_TITLE_LENGTH, "intitulé du dispositif", reasons)
    _max_length(module_title, MAX_TITLE_LENGTH, "intitulé du module", reasons)
    _max_length(place, MAX_PLACE_LENGTH, "lieu", reasons)
    module_code = _module_id(module, reasons)
    session_code = _session_id(session, reasons)
    _max_length(group, MAX_GROUP_LENGTH, "numéro de groupe", reasons)
    starts_on = parse_date(start_date, "date de début", reasons)
    start = _time(start_time, "heure de début", reasons)
    ends_on = parse_date(end_date, "date de fin", reasons)
    end = _time(end_time, "heure de fin", reasons)
    check_period(starts_on, start, ends_on, end, reasons)
    _max_length(place_type, MAX_PLACE_TYPE_LENGTH, "type de lieu", reasons)
    if reasons:
        return None
    return FormationRow(
        line=number,
        dispositif_code=dispositif,
        dispositif_title=dispositif_title,
        module_code=module_code,
        module_title=module_title,
        session_code=session_code,
        group=group,
        starts_on=starts_on,
        start_time=start,
        ends_on=ends_on,
        end_time=end,
        place_type=place_type,
        place=place,
    )


def _trainer(number: int, fields: list[str], reasons: list[str]) -> TrainerRow | None:
    _table, module, last_name, first_name, email = fields
    module_code = _module_id(module, reasons)
    _names(last_name, first_name, reasons)
    address = _email(email, reasons)
    if reasons:
        return None
    return TrainerRow(number, module_code, last_name, first_name, address)


def _trainee(number: int, fields: list[str], reasons: list[str]) -> TraineeRow | None:
    _table, session, last_name, first_name, email = fields
    session_code = _session_id(session, reasons)
    _names(last_name, first_name, reasons)
    address = _email(email, reasons)
    if reasons:
        return None
    return TraineeRow(number, session_code, last_name, first_name, address)


def iter_formations(stream, consumed: Consumed | None = None) -> Iterator[FormationRow | Problem]:
    """The lines of a Formations file (binary stream), streamed."""
    return _rows(stream, FORMATIONS, _formation, consumed)


def iter_trainers(stream, consumed: Consumed | None = None) -> Iterator[TrainerRow | Problem]:
    """The lines of an Intervenants file (binary stream), streamed."""
    return _rows(stream, INTERVENANTS, _trainer, consumed)


def iter_trainees(stream, consumed: Consumed | None = None) -> Iterator[TraineeRow | Problem]:
    """The lines of a Stagiaires file (binary stream), streamed."""
    return _rows(stream, STAGIAIRES, _trainee, consumed)


# E-mail domains -----------------------------------------------------------------------------
# One implementation for the whole platform (preau/accounts/emails.py); named here too because
# the staged rows of an import store the canonical address.
