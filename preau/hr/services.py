"""Writes of the HR interchange: upload, preview, confirm, apply, and links to sessions.

An import goes QUEUED → PREVIEWING → PREVIEWED → (confirmed) APPLYING → APPLIED, or REFUSED
(a file is unusable), CANCELLED, FAILED. The preview reads the files as streams into staged
rows (batches of BATCH rows: memory does not grow with the files) and checks them in SQL;
nothing of the platform changes before the manager confirms. Applying is one transaction: an
import stopped half-way (process killed, error) leaves the database as it was.
"""

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import User
from preau.core.numbers import french_number
from preau.core.search import by_name
from preau.core.storage import DiskFull
from preau.training.models import (
    Enrolment,
    EnrolmentSource,
    SessionStaff,
    SessionStatus,
    TrainingSession,
)
from preau.training.services import add_staff_from_hr, enrol_from_hr, unenrol

from . import people, progress
from .gaia import (
    EXCERPT_LENGTH,
    FORMATIONS,
    INTERVENANTS,
    MAX_EMAIL_LENGTH,
    STAGIAIRES,
    Consumed,
    FileRefused,
    Problem,
    canonical_email,
    iter_formations,
    iter_trainees,
    iter_trainers,
    parse_file_name,
)
from .models import (
    HeldRemoval,
    HrImport,
    HrLink,
    HrSession,
    HrTrainee,
    HrTrainer,
    ImportKind,
    ImportLock,
    ImportProblem,
    ImportStatus,
    StagedPerson,
    StagedSession,
)
from .sofia import iter_sofia

logger = logging.getLogger(__name__)

BATCH = 2000
SAMPLE = 20
SOFIA = "sofia"
GAIA_FILES = (FORMATIONS, INTERVENANTS, STAGIAIRES)
FILE_LABELS = {
    FORMATIONS: "Formations",
    INTERVENANTS: "Intervenants",
    STAGIAIRES: "Stagiaires",
    SOFIA: "SOFIA",
}


# Upload ------------------------------------------------------------------------------------


def _running(academie) -> bool:
    recover(academie)  # an import whose worker died no longer holds the académie
    return HrImport.objects.filter(
        academie=academie,
        status__in=[ImportStatus.QUEUED, ImportStatus.PREVIEWING, ImportStatus.APPLYING],
    ).exists()


def _store(academie, upload) -> dict:
    name = os.path.basename(upload.name)
    path = default_storage.save(f"hr-imports/{academie.code}/{uuid.uuid4().hex}/{name}", upload)
    return {"name": name, "path": path, "size": upload.size}


def check_gaia_names(academie, names: dict[str, str]):
    """The three file names say the same académie (the importer's) and the same day."""
    errors, days = {}, set()
    for kind in GAIA_FILES:
        name = names.get(kind)
        if not name:
            errors[kind] = _("Le fichier %(file)s manque.") % {"file": FILE_LABELS[kind]}
            continue
        try:
            parsed = parse_file_name(name)
        except FileRefused as refused:
            errors[kind] = refused.reason
            continue
        if parsed.kind != kind:
            errors[kind] = _("%(name)s est un fichier %(other)s : on attend ici %(file)s.") % {
                "name": name,
                "other": FILE_LABELS[parsed.kind],
                "file": FILE_LABELS[kind],
            }
        elif parsed.academie_code != academie.code.upper():
            errors[kind] = _(
                "%(name)s vient de l’académie %(other)s : vous importez pour %(academie)s "
                "(%(code)s)."
            ) % {
                "name": name,
                "other": parsed.academie_code,
                "academie": academie,
                "code": academie.code,
            }
        else:
            days.add(parsed.day)
    if not errors and len(days) > 1:
        errors["__all__"] = _(
            "Les trois fichiers ne sont pas du même jour (%(days)s) : GAIA les produit ensemble."
        ) % {"days": ", ".join(sorted(day.strftime("%d/%m/%Y") for day in days))}
    if errors:
        raise ValidationError(errors)
    return days.pop()


@transaction.atomic
def start_gaia_import(
    *, academie, uploads: dict, by: User | None, forced_reason: str = ""
) -> HrImport:
    """Keeps the three files of a GAIA day and queues their analysis (the preview). A day older
    than the last applied one is refused unless `forced_reason` says why; the same files as an
    applied import are refused as already applied."""
    day = check_gaia_names(
        academie, {kind: getattr(uploads.get(kind), "name", "") for kind in GAIA_FILES}
    )
    files = {kind: uploads[kind] for kind in GAIA_FILES}
    _check_sizes(files)
    checksum = _checksum(files[kind] for kind in GAIA_FILES)
    check_day_order(
        academie=academie, day=day, checksum=checksum, forced_reason=forced_reason.strip()
    )
    return _start(
        academie,
        ImportKind.GAIA,
        day,
        files,
        by,
        checksum=checksum,
        forced_reason=forced_reason.strip(),
    )


@transaction.atomic
def start_sofia_import(*, academie, upload, by: User | None) -> HrImport:
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(
            {SOFIA: _("Le plan SOFIA s’importe au format tableur .xlsx, tel que SOFIA l’exporte.")}
        )
    _check_sizes({SOFIA: upload})
    return _start(academie, ImportKind.SOFIA, timezone.localdate(), {SOFIA: upload}, by)


def _check_sizes(uploads: dict) -> None:
    """Refuses, before storing anything, a file larger than PREAU_HR_MAX_UPLOAD_BYTES."""
    limit = settings.PREAU_HR_MAX_UPLOAD_BYTES
    errors = {
        kind: _(
            "Le fichier %(file)s pèse %(size)s : un fichier RH ne peut dépasser %(limit)s. "
            "Vérifiez qu’il s’agit bien de l’export du jour."
        )
        % {
            "file": FILE_LABELS[kind],
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit),
        }
        for kind, upload in uploads.items()
        if upload.size is not None and upload.size > limit
    }
    if errors:
        raise ValidationError(errors)


def _checksum(uploads) -> str:
    digest = hashlib.sha256()
    for upload in uploads:
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        digest.update(b"\x00")  # a file boundary
        upload.seek(0)
    return digest.hexdigest()


def last_applied_day(academie):
    """The last GAIA import applied for the académie (by its files' day), or None."""
    return (
        HrImport.objects.filter(
            academie=academie, kind=ImportKind.GAIA, status=ImportStatus.APPLIED
        )
        .order_by("-day", "-applied_at")
        .first()
    )


def check_day_order(*, academie, day, checksum: str, forced_reason: str, exclude=None) -> None:
    """GAIA days are applied in order: an older day than the last applied one would bring back
    yesterday's picture (removals undone, trainees GAIA removed enrolled again). The files of
    an applied import, imported again, would change nothing: they are said to be applied."""
    applied = HrImport.objects.filter(
        academie=academie, kind=ImportKind.GAIA, status=ImportStatus.APPLIED
    )
    if exclude is not None:
        applied = applied.exclude(pk=exclude.pk)
    same = (
        applied.filter(day=day, checksum=checksum).order_by("-applied_at").first()
        if checksum
        else None
    )
    if same is not None:
        raise ValidationError(
            _(
                "Ces fichiers du %(day)s ont déjà été appliqués le %(at)s : les importer de "
                "nouveau ne changerait rien."
            )
            % {
                "day": same.day.strftime("%d/%m/%Y"),
                "at": timezone.localtime(same.applied_at).strftime("%d/%m/%Y à %H:%M"),
            },
            code="already_applied",
        )
    last = applied.order_by("-day", "-applied_at").first()
    if last is not None and day < last.day and not forced_reason:
        raise ValidationError(
            _(
                "Le fichier du %(day)s est plus ancien que le dernier import, du %(last)s : "
                "l’appliquer ramènerait l’académie en arrière. Pour l’importer quand même, "
                "indiquez-en le motif."
            )
            % {"day": day.strftime("%d/%m"), "last": last.day.strftime("%d/%m")},
            code="older_day",
        )


def _start(academie, kind, day, uploads, by, *, checksum="", forced_reason="") -> HrImport:
    if _running(academie):
        raise ValidationError(
            _("Un import est déjà en cours pour cette académie : attendez qu’il se termine.")
        )
    files = {}
    try:
        for key, upload in uploads.items():
            files[key] = _store(academie, upload)
    except DiskFull:  # the files already stored go too: no import half-uploaded
        for stored in files.values():
            default_storage.delete(stored["path"])
        raise
    hr_import = HrImport.objects.create(
        academie=academie,
        kind=kind,
        day=day,
        files=files,
        uploaded_by=by,
        checksum=checksum,
        forced_reason=forced_reason,
    )
    from .tasks import preview_import

    transaction.on_commit(lambda: preview_import.enqueue(hr_import.pk))
    return hr_import


# Preview -----------------------------------------------------------------------------------


def build_preview(hr_import: HrImport) -> HrImport:
    """Reads the files into staged rows, checks them, and sums up what applying would do."""
    _advisory_lock(hr_import.pk)  # tells mark_interrupted() that the analysis runs
    claimed = HrImport.objects.filter(pk=hr_import.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.PREVIEWING
    )
    if not claimed:  # already analysed by another worker, or cancelled
        _advisory_unlock(hr_import.pk)
        return hr_import
    hr_import.refresh_from_db()
    _beat(hr_import.pk)  # SQLite has no advisory lock: the analysis' heartbeat tells instead
    try:
        with quiet_query_log(), _Heartbeat(hr_import, holder=""):
            _preview(hr_import)
    except FileRefused as refused:
        hr_import.summary = {
            "rows": row_counts(hr_import),
            "rejected": ImportProblem.objects.filter(hr_import=hr_import).count(),
        }
        _keep_first_problems(hr_import)
        _discard(hr_import)
        hr_import.status = ImportStatus.REFUSED
        hr_import.refusal = f"{FILE_LABELS.get(refused.file, refused.file)} : {refused.reason}"
    except Exception:
        logger.exception("HR import %s: preview failed", hr_import.pk)
        _discard(hr_import)
        hr_import.status = ImportStatus.FAILED
        hr_import.refusal = _(
            "Erreur inattendue pendant l’analyse : l’équipe technique est prévenue."
        )
        hr_import.save()
        raise
    finally:
        progress.clear(hr_import.pk)
        _advisory_unlock(hr_import.pk)
        cache.delete(_beat_key(hr_import.pk))
    hr_import.save()
    return hr_import


def _preview(hr_import: HrImport) -> None:
    _stage(hr_import)
    _analyze(StagedSession, StagedPerson)
    progress.report(hr_import.pk, step=1, steps=3, label=_("Contrôles entre les fichiers"))
    with _whole_reads():
        _cross_checks(hr_import)
    check_trust(hr_import)
    progress.report(hr_import.pk, step=2, steps=3, label=_("Rapprochement des personnes"))
    with _whole_reads():
        hr_import.summary = summarise(hr_import)
    hr_import.status = ImportStatus.PREVIEWED
    hr_import.previewed_at = timezone.now()


@contextmanager
def quiet_query_log():
    """No debug query log during an import: under DEBUG, Django keeps the SQL of the last
    9,000 queries of a connection, batches of 2,000 rows included: hundreds of megabytes on a
    large académie. The log is swapped for one that keeps nothing, then given back."""
    kept = connection.queries_log
    connection.queries_log = deque(maxlen=0)
    try:
        yield
    finally:
        connection.queries_log = kept


# Refusals of a whole file ------------------------------------------------------------------

KEPT_PROBLEMS = 200  # rejected lines kept per file of a refused import, to show what is wrong
MIN_LINE_BYTES = 10  # no GAIA line is shorter: bounds how many lines the rest of a file holds


def _share_text(share: float) -> str:
    return french_number(100 * share, 1)


def _too_many_rejected(kind: str, rejected: int, lines: int, *, at_least=False) -> FileRefused:
    values = {
        "rejected": rejected,
        "lines": lines,
        "share": _share_text(rejected / lines),
        "limit": _share_text(settings.PREAU_HR_MAX_REJECTED_SHARE),
    }
    if at_least:
        text = _(
            "%(rejected)s lignes rejetées sur les %(lines)s premières (%(share)s %%) : même si "
            "la suite était valide, le fichier dépasserait les %(limit)s %% de lignes rejetées "
            "admis. La lecture est arrêtée, le fichier est refusé en entier, rien n’est "
            "appliqué. Corrigez l’export et déposez-le de nouveau."
        )
    else:
        text = _(
            "%(rejected)s lignes rejetées sur %(lines)s (%(share)s %%), au-delà des %(limit)s "
            "%% admis : le fichier est refusé en entier, rien n’est appliqué. Corrigez "
            "l’export et déposez-le de nouveau."
        )
    return FileRefused(kind, text % values)


def check_trust(hr_import: HrImport) -> None:
    """Refuses the whole import (FileRefused) when one of its files cannot be trusted as a
    picture of the académie: no valid line, or more than PREAU_HR_MAX_REJECTED_SHARE of its
    lines rejected (exactly the share passes). Cut files are refused while read (gaia.py)."""
    valid = row_counts(hr_import)
    rejected = dict(
        ImportProblem.objects.filter(hr_import=hr_import)
        .values_list("file")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("file", "n")
    )
    limit = settings.PREAU_HR_MAX_REJECTED_SHARE
    for kind, _reader in _readers(hr_import):
        good, bad = valid.get(kind, 0), rejected.get(kind, 0)
        if not good:
            raise FileRefused(
                kind,
                _(
                    "aucune ligne valide (%(bad)s lignes rejetées) : le fichier est refusé en "
                    "entier, rien n’est appliqué."
                )
                % {"bad": bad},
            )
        if bad > limit * (good + bad):
            raise _too_many_rejected(kind, bad, good + bad)


def _keep_first_problems(hr_import: HrImport) -> None:
    """A refused file of garbage would leave a million rejected lines: the first ones say
    what is wrong; the report keeps their total."""
    for kind, _reader in _readers(hr_import):
        problems = ImportProblem.objects.filter(hr_import=hr_import, file=kind)
        cut = list(problems.order_by("pk").values_list("pk", flat=True)[KEPT_PROBLEMS:][:1])
        if cut:
            problems.filter(pk__gte=cut[0]).delete()


# A session-level advisory lock per import on PostgreSQL, held by the analysing worker's
# connection: it goes away with the connection if the worker dies.
LOCK_SPACE = 5_105  # "HR", an arbitrary namespace for pg_advisory_lock(int, int)


def _advisory_lock(import_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, import_id])


def _advisory_unlock(import_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, import_id])


def _analysis_is_alive(import_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, import_id])
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, import_id])
    return False


def _readers(hr_import: HrImport):
    if hr_import.kind == ImportKind.SOFIA:
        return [(SOFIA, iter_sofia)]
    return [
        (FORMATIONS, iter_formations),
        (INTERVENANTS, iter_trainers),
        (STAGIAIRES, iter_trainees),
    ]


def _stage(hr_import: HrImport) -> None:
    total = sum(info["size"] for info in hr_import.files.values()) or 1
    aliases = people.aliases()
    read_before = 0
    for kind, reader in _readers(hr_import):
        info = hr_import.files[kind]
        staged, problems = [], []
        lines = bad = 0
        consumed = Consumed()
        with default_storage.open(info["path"], "rb") as stream:
            items = reader(stream) if kind == SOFIA else reader(stream, consumed)
            for item in items:
                lines += 1
                if not isinstance(item, Problem):
                    row = _staged_row(hr_import, kind, item, aliases)
                    item = _canonical_too_long(kind, item, row[1]) or row
                if isinstance(item, Problem):
                    bad += 1
                    problems.append(_problem_row(hr_import, item))
                else:
                    staged.append(item)
                if len(staged) >= BATCH or len(problems) >= BATCH:
                    _flush(staged, problems)
                    staged, problems = [], []
                    if kind == SOFIA:
                        position = _position(stream)
                    else:
                        # What the reader has handed out, not the stream's position: it read
                        # up to CHUNK_SIZE ahead, lines that are neither counted nor unread.
                        position = consumed.bytes
                        # Even if the rest of the file were valid lines of the shortest
                        # kind, the share of rejected lines would be too high: stop here.
                        at_most = lines + (info["size"] - position) // MIN_LINE_BYTES
                        if bad > settings.PREAU_HR_MAX_REJECTED_SHARE * at_most:
                            raise _too_many_rejected(kind, bad, lines, at_least=True)
                    done = read_before + position
                    progress.report(
                        hr_import.pk,
                        step=0,
                        steps=3,
                        label=_("Lecture des fichiers"),
                        done=done,
                        total=total,
                    )
            _flush(staged, problems)
        read_before += info["size"]


def _analyze(*models) -> None:
    """Fresh statistics on PostgreSQL for tables an import just filled: without them the
    planner takes them for nearly empty and picks nested loops (docs/performance.md)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@contextmanager
def _whole_reads():
    """A transaction whose server-side cursors are planned to be read to the end. Django
    iterates large querysets through cursors, which PostgreSQL plans for their first 10 %
    (cursor_tuple_fraction): on an import's anti-joins that chose nested loops, 163 s
    instead of 0.2 s for 60,000 trainees."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield


def _position(stream) -> int:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0


def _flush(staged: list, problems: list) -> None:
    for rows in (staged, problems):
        if rows:
            _insert(rows)


def _insert(rows: list) -> None:
    """Inserts staged rows, (model, {field name: value}) pairs: by COPY on PostgreSQL
    (90,000 lines: 12.7 s through model instances and bulk_create, under 2 s this way),
    else bulk_create."""
    model = rows[0][0]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**values) for _model, values in rows])
        return
    names = list(rows[0][1])
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in names)
    sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for _model, values in rows:
            copy.write_row(list(values.values()))


def _problem_row(hr_import: HrImport, problem: Problem) -> tuple:
    return ImportProblem, {
        "hr_import_id": hr_import.pk,
        "file": problem.file,
        "line": problem.line,
        "reason": problem.reason[:300],
        "excerpt": problem.excerpt[:200],
        "session_code": problem.session_code,
    }


def _staged_row(hr_import: HrImport, kind: str, row, aliases: dict) -> tuple:
    if kind in {FORMATIONS, SOFIA}:
        return StagedSession, {
            "hr_import_id": hr_import.pk,
            "line": row.line,
            "dispositif_code": row.dispositif_code,
            "dispositif_title": getattr(row, "dispositif_title", ""),
            "module_code": row.module_code,
            "module_title": getattr(row, "module_title", ""),
            "session_code": row.session_code,
            "group": row.group,
            "starts_on": row.starts_on,
            "start_time": getattr(row, "start_time", None),
            "ends_on": row.ends_on,
            "end_time": getattr(row, "end_time", None),
            "place_type": getattr(row, "place_type", ""),
            "place": row.place,
            "modality": getattr(row, "modality", ""),
            "uai": getattr(row, "uai", ""),
            "capacity": getattr(row, "capacity", None),
        }
    return StagedPerson, {
        "hr_import_id": hr_import.pk,
        "file": kind,
        "line": row.line,
        "module_code": row.module_code if kind == INTERVENANTS else None,
        "session_code": row.session_code if kind == STAGIAIRES else "",
        "last_name": row.last_name,
        "first_name": row.first_name,
        "email": row.email,
        "canonical_email": canonical_email(row.email, aliases),
    }


def _canonical_too_long(kind: str, row, values: dict) -> Problem | None:
    """An address of at most 254 characters may pass them once its former academic domain is
    replaced (ac-caen.fr → ac-normandie.fr): refused on its line, never cut."""
    canonical = values.get("canonical_email", "")
    if len(canonical) <= MAX_EMAIL_LENGTH:
        return None
    code = row.session_code if kind == STAGIAIRES else row.module_code
    domain = row.email.rpartition("@")[2]
    return Problem(
        kind,
        row.line,
        _(
            "adresse électronique trop longue une fois le domaine %(old)s remplacé par "
            "%(new)s : %(n)s caractères (au plus %(max)s)"
        )
        % {
            "old": domain,
            "new": canonical.rpartition("@")[2],
            "n": len(canonical),
            "max": MAX_EMAIL_LENGTH,
        },
        f"{code}|{row.last_name}|{row.first_name}|{row.email}"[:EXCERPT_LENGTH],
    )


def _reject(hr_import: HrImport, queryset, reason) -> None:
    """Turns staged rows into problems (reason(row) in French), then removes them."""
    problems = []
    for row in queryset.iterator(chunk_size=BATCH):
        problems.append(
            ImportProblem(
                hr_import=hr_import,
                file=getattr(
                    row, "file", FORMATIONS if hr_import.kind == ImportKind.GAIA else SOFIA
                ),
                line=row.line,
                reason=reason(row)[:300],
                excerpt=_excerpt(row)[:200],
            )
        )
        if len(problems) >= BATCH:
            ImportProblem.objects.bulk_create(problems)
            problems = []
    ImportProblem.objects.bulk_create(problems)
    queryset.delete()


def _excerpt(row) -> str:
    if isinstance(row, StagedSession):
        return f"{row.dispositif_code}|{row.module_code}|{row.session_code}|{row.group}"
    code = row.session_code or row.module_code
    return f"{code}|{row.last_name}|{row.first_name}|{row.email}"


def _cross_checks(hr_import: HrImport) -> None:
    """The checks that need more than one line: duplicates, unknown sessions and modules."""
    sessions = StagedSession.objects.filter(hr_import=hr_import)
    for dup in (
        sessions.values("session_code")
        .annotate(n=Count("pk"), first=Min("line"))
        .filter(n__gt=1)
        .order_by()
    ):
        _reject(
            hr_import,
            sessions.filter(session_code=dup["session_code"]).exclude(line=dup["first"]),
            lambda row, first=dup["first"]: (
                _("la session %(code)s est déjà décrite ligne %(line)s")
                % {"code": row.session_code, "line": first}
            ),
        )
    if hr_import.kind == ImportKind.SOFIA:
        return
    persons = StagedPerson.objects.filter(hr_import=hr_import)
    rejected_sessions = set(
        ImportProblem.objects.filter(hr_import=hr_import, file=FORMATIONS)
        .exclude(session_code="")
        .values_list("session_code", flat=True)
    )

    def unknown_session(row):
        if row.session_code in rejected_sessions:
            return _("la ligne de la session %(code)s dans Formations a été rejetée") % {
                "code": row.session_code
            }
        return _("session %(code)s absente du fichier Formations") % {"code": row.session_code}

    _reject(
        hr_import,
        persons.filter(file=STAGIAIRES).exclude(
            Exists(sessions.filter(session_code=OuterRef("session_code")))
        ),
        unknown_session,
    )
    _reject(
        hr_import,
        persons.filter(file=INTERVENANTS).exclude(
            Exists(sessions.filter(module_code=OuterRef("module_code")))
        ),
        lambda row: _("module %(code)s absent du fichier Formations") % {"code": row.module_code},
    )
    for kind, code_field in ((STAGIAIRES, "session_code"), (INTERVENANTS, "module_code")):
        for dup in (
            persons.filter(file=kind)
            .values(code_field, "canonical_email")
            .annotate(n=Count("pk"), first=Min("line"))
            .filter(n__gt=1)
            .order_by()
        ):
            _reject(
                hr_import,
                persons.filter(
                    file=kind,
                    canonical_email=dup["canonical_email"],
                    **{code_field: dup[code_field]},
                ).exclude(line=dup["first"]),
                lambda row, first=dup["first"]: (
                    _("même personne que la ligne %(line)s") % {"line": first}
                ),
            )


def _discard(hr_import: HrImport) -> None:
    """Staged rows and the uploaded files go; the problems stay with the report. The files
    go once the transaction commits: a rolled-back apply keeps them for another try."""
    StagedSession.objects.filter(hr_import=hr_import).delete()
    StagedPerson.objects.filter(hr_import=hr_import).delete()
    paths = [info["path"] for info in hr_import.files.values() if info.get("path")]

    def delete_files():
        for path in paths:
            if default_storage.exists(path):
                default_storage.delete(path)

    transaction.on_commit(delete_files)


# What applying would do --------------------------------------------------------------------


# What each source does not say about a session: an import of one keeps the other's values
# (a GAIA day does not blank SOFIA's capacity, nor a SOFIA plan GAIA's titles and times).
NOT_CARRIED = {
    ImportKind.GAIA: {"modality", "uai", "capacity"},
    ImportKind.SOFIA: {"dispositif_title", "module_title", "start_time", "end_time", "place_type"},
}


def row_counts(hr_import: HrImport) -> dict[str, int]:
    """Valid (staged) lines per file of an import."""
    staged = StagedSession.objects.filter(hr_import=hr_import)
    if hr_import.kind == ImportKind.SOFIA:
        return {SOFIA: staged.count()}
    counts = dict(
        StagedPerson.objects.filter(hr_import=hr_import)
        .values_list("file")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("file", "n")
    )
    return {
        FORMATIONS: staged.count(),
        INTERVENANTS: counts.get(INTERVENANTS, 0),
        STAGIAIRES: counts.get(STAGIAIRES, 0),
    }


RECENT_PICTURES = 5


def shrink_baseline(hr_import: HrImport) -> tuple[dict[str, int], object]:
    """({file: valid lines}, since) of the shrink guard: per file, the largest of the recent
    imports applied as a full picture (never a guarded nor a refused one), back to the last
    one whose held removals a manager confirmed (the académie did shrink then)."""
    pictures = (
        HrImport.objects.filter(
            academie=hr_import.academie,
            kind=hr_import.kind,
            status=ImportStatus.APPLIED,
            full_picture=True,
        )
        .exclude(pk=hr_import.pk)
        .order_by("-applied_at", "-pk")
        .values_list("summary", "applied_at", "removals_confirmed_at")[:RECENT_PICTURES]
    )
    baseline: dict[str, int] = {}
    since = None
    for summary, applied_at, confirmed_at in pictures:
        for kind, count in summary.get("rows", {}).items():
            baseline[kind] = max(baseline.get(kind, 0), count)
        since = applied_at
        if confirmed_at is not None:
            break
    return baseline, since


@dataclass
class Plan:
    """The differences between the staged rows of an import and the académie's current
    picture, as querysets: the preview counts them, applying acts on them."""

    hr_import: HrImport

    def __post_init__(self):
        imp = self.hr_import
        self.academie = imp.academie
        self.staged = StagedSession.objects.filter(hr_import=imp)
        self.persons = StagedPerson.objects.filter(hr_import=imp)
        self.current = HrSession.objects.filter(academie=self.academie)
        self.uncertain = ImportProblem.objects.filter(hr_import=imp).exclude(session_code="")
        self.guards = self._guards()

    def _guards(self) -> dict[str, str]:
        """Files that shrank too much against the recent full pictures of the académie: their
        removals are held for a manager's confirmation (a truncated Stagiaires file must not
        unenrol half an académie)."""
        baseline, since = shrink_baseline(self.hr_import)
        if not baseline:
            return {}
        ratio = settings.PREAU_HR_SHRINK_GUARD
        rows = self.row_counts()
        guards = {}
        for kind, before in baseline.items():
            now = rows.get(kind, 0)
            if before and now <= ratio * before:
                guards[kind] = _(
                    "%(file)s : %(now)s lignes valides contre %(before)s lors des derniers "
                    "imports complets (depuis le %(date)s). Le fichier semble tronqué : rien "
                    "n’est retiré sur sa base sans votre confirmation explicite ; sans elle, "
                    "les personnes et sessions qu’il omet sont gardées."
                ) % {
                    "file": FILE_LABELS[kind],
                    "now": now,
                    "before": before,
                    "date": timezone.localtime(since).strftime("%d/%m/%Y"),
                }
        return guards

    def row_counts(self) -> dict[str, int]:
        return row_counts(self.hr_import)

    def holds(self, what: str) -> bool:
        """Whether the removals of `what` (sessions, trainees, trainers) wait for a manager."""
        files = {
            "sessions": {self.sessions_file},
            "trainees": {FORMATIONS, STAGIAIRES},
            "trainers": {FORMATIONS, INTERVENANTS},
        }[what]
        return bool(self.guards.keys() & files)

    @property
    def sessions_file(self) -> str:
        return SOFIA if self.hr_import.kind == ImportKind.SOFIA else FORMATIONS

    def new_sessions(self):
        return self.staged.exclude(
            Exists(self.current.filter(session_code=OuterRef("session_code")))
        )

    def gone_sessions(self):
        """Sessions the import no longer lists, to mark gone (none while the guard holds)."""
        return self.current.none() if self.holds("sessions") else self.missing_sessions()

    def held_sessions(self):
        return self.missing_sessions() if self.holds("sessions") else self.current.none()

    def missing_sessions(self):
        return (
            self.current.filter(source=self.hr_import.kind, gone_since__isnull=True)
            .exclude(Exists(self.staged.filter(session_code=OuterRef("session_code"))))
            .exclude(Exists(self.uncertain.filter(session_code=OuterRef("session_code"))))
        )

    def changed_sessions(self):
        """(current session, staged row, changed field names), chunk by chunk."""
        for chunk in _chunks(self.staged.order_by("session_code").iterator(chunk_size=BATCH)):
            existing = {
                session.session_code: session
                for session in self.current.filter(session_code__in=[r.session_code for r in chunk])
            }
            for row in chunk:
                session = existing.get(row.session_code)
                if session is None:
                    continue
                lacks = NOT_CARRIED[self.hr_import.kind]
                fields = [
                    name
                    for name in HrSession.DATA_FIELDS
                    if name not in lacks and getattr(session, name) != getattr(row, name)
                ]
                if fields or session.gone_since:
                    yield session, row, fields

    def new_trainees(self):
        return self.persons.filter(file=STAGIAIRES).exclude(
            Exists(
                HrTrainee.objects.filter(
                    hr_session__academie=self.academie,
                    hr_session__session_code=OuterRef("session_code"),
                    email=OuterRef("canonical_email"),
                )
            )
        )

    def removed_trainees(self):
        """Trainees the import no longer lists, to remove (none while the guard holds)."""
        return HrTrainee.objects.none() if self.holds("trainees") else self.missing_trainees()

    def held_trainees(self):
        return self.missing_trainees() if self.holds("trainees") else HrTrainee.objects.none()

    def missing_trainees(self):
        if self.hr_import.kind == ImportKind.SOFIA:
            return HrTrainee.objects.none()
        return (
            HrTrainee.objects.filter(hr_session__academie=self.academie)
            .exclude(
                Exists(
                    self.persons.filter(
                        file=STAGIAIRES,
                        session_code=OuterRef("hr_session__session_code"),
                        canonical_email=OuterRef("email"),
                    )
                )
            )
            .exclude(
                Exists(self.uncertain.filter(session_code=OuterRef("hr_session__session_code")))
            )
        )

    def new_trainers(self):
        return self.persons.filter(file=INTERVENANTS).exclude(
            Exists(
                HrTrainer.objects.filter(
                    academie=self.academie,
                    module_code=OuterRef("module_code"),
                    email=OuterRef("canonical_email"),
                )
            )
        )

    def removed_trainers(self):
        return HrTrainer.objects.none() if self.holds("trainers") else self.missing_trainers()

    def held_trainers(self):
        return self.missing_trainers() if self.holds("trainers") else HrTrainer.objects.none()

    def missing_trainers(self):
        if self.hr_import.kind == ImportKind.SOFIA:
            return HrTrainer.objects.none()
        return HrTrainer.objects.filter(academie=self.academie).exclude(
            Exists(
                self.persons.filter(
                    file=INTERVENANTS,
                    module_code=OuterRef("module_code"),
                    canonical_email=OuterRef("email"),
                )
            )
        )

    def people(self, persons=None):
        """(canonical e-mail, first name, last name, file) per person, in e-mail order."""
        last = None
        persons = self.persons if persons is None else persons
        rows = persons.order_by("canonical_email", "file", "line").values_list(
            "canonical_email", "first_name", "last_name", "file"
        )
        for row in rows.iterator(chunk_size=BATCH):
            if row[0] != last:
                last = row[0]
                yield row


def _chunks(iterable, size: int = BATCH):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _session_label(row) -> dict:
    return {
        "code": row.session_code,
        "dispositif": row.dispositif_code,
        "module": row.module_code,
        "group": row.group,
        "title": row.module_title or row.dispositif_title,
        "starts_on": row.starts_on.strftime("%d/%m/%Y"),
    }


NAMES = 100  # people listed by name in a preview, per list (the rest counted)


def _trainee_label(first_name, last_name, email, code, title="") -> str:
    session = _("session %(code)s") % {"code": code}
    if title:
        session += f" ({title})"
    return f"{first_name} {last_name} <{email}> — {session}"


def _trainer_label(first_name, last_name, email, module) -> str:
    return f"{first_name} {last_name} <{email}> — " + _("module %(code)s") % {"code": module}


def _session_text(session) -> str:
    text = f"{session.dispositif_code} / {session.module_code} / {session.session_code}"
    if session.group:
        text += f" / {session.group}"
    title = session.module_title or session.dispositif_title
    return text + (f" — {title}" if title else "")


def added_people(plan: Plan, limit: int | None = NAMES):
    """(trainees, trainers) the import adds, as labels, in name order."""
    trainees = plan.new_trainees().order_by(*by_name(), "session_code", "pk")
    trainers = plan.new_trainers().order_by(*by_name(), "module_code", "pk")
    if limit is not None:
        trainees, trainers = trainees[:limit], trainers[:limit]
    rows = list(trainees.values_list("first_name", "last_name", "canonical_email", "session_code"))
    sessions = StagedSession.objects.filter(hr_import=plan.hr_import)
    if limit is not None:
        sessions = sessions.filter(session_code__in={row[3] for row in rows})
    titles = dict(sessions.values_list("session_code", "module_title"))
    return (
        [_trainee_label(*row, titles.get(row[3], "")) for row in rows],
        [
            _trainer_label(*row)
            for row in trainers.values_list(
                "first_name", "last_name", "canonical_email", "module_code"
            )
        ],
    )


def removed_people(trainees, trainers, limit: int | None = NAMES):
    """(trainees, trainers) of the current picture the import would remove, as labels."""
    trainees = trainees.order_by(*by_name(), "hr_session__session_code", "pk")
    trainers = trainers.order_by(*by_name(), "module_code", "pk")
    if limit is not None:
        trainees, trainers = trainees[:limit], trainers[:limit]
    return (
        [
            _trainee_label(*row)
            for row in trainees.values_list(
                "first_name",
                "last_name",
                "email",
                "hr_session__session_code",
                "hr_session__module_title",
            )
        ],
        [
            _trainer_label(*row)
            for row in trainers.values_list("first_name", "last_name", "email", "module_code")
        ],
    )


def summarise(hr_import: HrImport) -> dict:
    """What confirming would do, counted; with a few examples of each change, and the people
    added and removed by name (the first NAMES of each list)."""
    plan = Plan(hr_import)
    changed_count, changed_sample = 0, []
    for _session, row, fields in plan.changed_sessions():
        changed_count += 1
        if len(changed_sample) < SAMPLE:
            changed_sample.append({**_session_label(row), "fields": fields})
    matched = to_create = 0
    placeholder_sample = []
    for chunk in _chunks(plan.people()):
        found = people.match_users(row[0] for row in chunk)
        for email, first_name, last_name, _file in chunk:
            if email in found:
                matched += 1
            else:
                to_create += 1
                if len(placeholder_sample) < SAMPLE:
                    placeholder_sample.append(f"{first_name} {last_name} <{email}>")
    new_sessions = plan.new_sessions()
    gone = plan.gone_sessions()
    trainees_added, trainers_added = added_people(plan)
    trainees_removed, trainers_removed = removed_people(
        plan.missing_trainees(), plan.missing_trainers()
    )
    return {
        "rows": plan.row_counts(),
        "rejected": ImportProblem.objects.filter(hr_import=hr_import).count(),
        "sessions_new": new_sessions.count(),
        "sessions_new_sample": [_session_label(r) for r in new_sessions.order_by("line")[:SAMPLE]],
        "sessions_changed": changed_count,
        "sessions_changed_sample": changed_sample,
        "sessions_gone": gone.count(),
        "sessions_gone_sample": [_session_label(s) for s in gone[:SAMPLE]],
        "sessions_held": plan.held_sessions().count(),
        "trainers_new": plan.new_trainers().count(),
        "trainers_removed": plan.removed_trainers().count(),
        "trainers_held": plan.held_trainers().count(),
        "trainees_new": plan.new_trainees().count(),
        "trainees_removed": plan.removed_trainees().count(),
        "trainees_held": plan.held_trainees().count(),
        "trainees_added_names": trainees_added,
        "trainers_added_names": trainers_added,
        "trainees_removed_names": trainees_removed,
        "trainers_removed_names": trainers_removed,
        "people_matched": matched,
        "placeholders": to_create,
        "placeholders_sample": placeholder_sample,
        "linked": _linked_changes(plan),
        "guards": list(plan.guards.values()),
    }


def _linked_changes(plan: Plan) -> list[dict]:
    """Per platform session linked to an HR session of the académie: the trainees GAIA adds
    and removes (enrolled, or unenrolled / flagged as the link says). A closed or archived
    session is not followed any more (sync_links): nothing to announce for it."""
    links = list(
        HrLink.objects.filter(
            hr_session__academie=plan.academie, session__status__in=OPEN_STATES
        ).values_list(
            "session_id",
            "session__title",
            "hr_session__session_code",
            "hr_session_id",
            "unenrol_missing",
        )
    )
    if not links:
        return []
    added = dict(
        plan.new_trainees()
        .filter(session_code__in=[link[2] for link in links])
        .values("session_code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("session_code", "n")
    )
    removed = dict(
        plan.removed_trainees()
        .filter(hr_session_id__in=[link[3] for link in links])
        .values("hr_session_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("hr_session_id", "n")
    )
    per_session: dict[int, dict] = {}
    for session_id, title, code, hr_session_id, unenrol_missing in links:
        entry = per_session.setdefault(
            session_id, {"id": session_id, "title": title, "enrol": 0, "unenrol": 0, "flag": 0}
        )
        entry["enrol"] += added.get(code, 0)
        entry["unenrol" if unenrol_missing else "flag"] += removed.get(hr_session_id, 0)
    return [e for e in per_session.values() if e["enrol"] or e["unenrol"] or e["flag"]]


# Confirm and apply -------------------------------------------------------------------------


@transaction.atomic
def confirm_import(*, hr_import: HrImport, by: User) -> HrImport:
    recover(hr_import.academie)
    hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
    if hr_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Cet import n’est pas en attente de confirmation."))
    newer = HrImport.objects.filter(
        academie=hr_import.academie,
        status__in=[ImportStatus.APPLIED, ImportStatus.APPLYING],
        applied_at__gt=hr_import.previewed_at,
    )
    if newer.exists() or _applying(hr_import.academie):
        raise ValidationError(
            _(
                "Un autre import a été appliqué depuis cet aperçu, qui n’est plus à jour : "
                "relancez l’analyse avant de confirmer."
            ),
            code="stale",
        )
    if hr_import.kind == ImportKind.GAIA:
        check_day_order(
            academie=hr_import.academie,
            day=hr_import.day,
            checksum=hr_import.checksum,
            forced_reason=hr_import.forced_reason,
            exclude=hr_import,
        )
    lock = _locked_row(hr_import.academie)
    if lock is None or (
        lock.hr_import_id not in {None, hr_import.pk}
        and HrImport.objects.filter(pk=lock.hr_import_id, status=ImportStatus.APPLYING).exists()
        and _is_alive(lock)
    ):
        raise ValidationError(
            _("Un autre import est en cours d’application pour cette académie : attendez-le.")
        )
    lock.hr_import, lock.holder, lock.heartbeat_at = hr_import, "", timezone.now()
    lock.save(update_fields=["hr_import", "holder", "heartbeat_at"])
    hr_import.status = ImportStatus.APPLYING
    hr_import.applied_by = by
    hr_import.save(update_fields=["status", "applied_by"])
    transaction.on_commit(lambda: _enqueue_apply(hr_import.pk))
    return hr_import


def _enqueue_apply(import_id: int) -> None:
    from .tasks import apply_import as apply_task

    result = apply_task.enqueue(import_id)
    HrImport.objects.filter(pk=import_id).update(task_id=result.id)


def _applying(academie) -> bool:
    return HrImport.objects.filter(academie=academie, status=ImportStatus.APPLYING).exists()


@transaction.atomic
def refresh_preview(*, hr_import: HrImport) -> HrImport:
    """Counts the preview again against the current state (after another import)."""
    hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
    if hr_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Cet import n’est pas en attente de confirmation."))
    with _whole_reads():
        hr_import.summary = summarise(hr_import)
    hr_import.previewed_at = timezone.now()
    hr_import.save(update_fields=["summary", "previewed_at"])
    return hr_import


@transaction.atomic
def cancel_import(*, hr_import: HrImport) -> HrImport:
    """Abandons a preview: nothing is applied, and nothing of the people it named is kept
    (files, staged rows, rejected lines, the names of its summary); its counts stay."""
    hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
    if hr_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Seul un import en attente de confirmation s’abandonne."))
    _discard(hr_import)
    _forget_names(hr_import)
    hr_import.status = ImportStatus.CANCELLED
    hr_import.save(update_fields=["status", "summary"])
    return hr_import


# Names are not kept: pending previews and old reports are purged ---------------------------

# The keys of a summary that name people: gone with a purged preview or report.
NAMED_KEYS = (
    "placeholders_sample",
    "trainees_added_names",
    "trainers_added_names",
    "trainees_removed_names",
    "trainers_removed_names",
)
NAMES_PURGED = HrImport.NAMES_PURGED
FINISHED = (
    ImportStatus.APPLIED,
    ImportStatus.REFUSED,
    ImportStatus.FAILED,
    ImportStatus.CANCELLED,
)


def _forget_names(hr_import: HrImport) -> None:
    """The rejected lines (their reasons and excerpts hold names and e-mails) and the lists
    of names of the summary go; the counts stay. The caller saves `summary`."""
    ImportProblem.objects.filter(hr_import=hr_import).delete()
    hr_import.summary = {
        **{k: v for k, v in hr_import.summary.items() if k not in NAMED_KEYS},
        NAMES_PURGED: True,
    }


def _retention_limit(now=None):
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.PREAU_HR_PREVIEW_RETENTION_DAYS)


def stale_previews(*, now=None):
    """Previews left unconfirmed for PREAU_HR_PREVIEW_RETENTION_DAYS days (or imports stuck
    queued that long)."""
    limit = _retention_limit(now)
    return HrImport.objects.filter(
        Q(status=ImportStatus.PREVIEWED, previewed_at__lt=limit)
        | Q(status=ImportStatus.QUEUED, created_at__lt=limit)
    ).order_by("pk")


def stale_reports(*, now=None):
    """Finished imports (applied since, or uploaded before, PREAU_HR_PREVIEW_RETENTION_DAYS
    days) whose report still names people: their names and rejected lines are purged."""
    limit = _retention_limit(now)
    return (
        HrImport.objects.filter(
            Q(status=ImportStatus.APPLIED, applied_at__lt=limit)
            | Q(
                status__in=[ImportStatus.REFUSED, ImportStatus.FAILED, ImportStatus.CANCELLED],
                created_at__lt=limit,
            )
        )
        .exclude(summary__has_key=NAMES_PURGED)
        .order_by("pk")
    )


def purge_report(*, hr_import: HrImport) -> bool:
    """An old report keeps its counts, and no longer the names it listed nor its rejected
    lines. Held removals are not touched: each goes with its person's row (the current
    picture), or when a manager confirms it."""
    with transaction.atomic():
        hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
        if hr_import.status not in FINISHED or NAMES_PURGED in hr_import.summary:
            return False
        _forget_names(hr_import)
        hr_import.save(update_fields=["summary"])
    return True


def purge_preview(*, hr_import: HrImport) -> bool:
    """A preview nobody confirmed: its files, staged rows, rejected lines (they hold names
    and e-mails) and the names of its summary go; its counts stay in the history."""
    with transaction.atomic():
        hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
        if hr_import.status not in {ImportStatus.PREVIEWED, ImportStatus.QUEUED}:
            return False
        _discard(hr_import)
        _forget_names(hr_import)
        hr_import.status = ImportStatus.CANCELLED
        hr_import.refusal = _(
            "Aperçu non confirmé en %(days)s jours : supprimé, avec les fichiers, les noms et "
            "les adresses qu’il contenait. Rien n’a été modifié."
        ) % {"days": settings.PREAU_HR_PREVIEW_RETENTION_DAYS}
        hr_import.save(update_fields=["summary", "status", "refusal"])
    return True


APPLY_STEPS = 4


# The académie's lock ----------------------------------------------------------------------
#
# One ImportLock row per académie names the import confirmed or applying there, and carries a
# heartbeat. Confirming takes it (heartbeat: the confirmation); the worker that starts the
# apply claims it (holder: host:pid) and a thread beats every few seconds while it works. A
# heartbeat older than PREAU_HR_HEARTBEAT_STALE_SECONDS means the worker died; a confirmation
# no worker claimed within PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS expired (a busy queue may
# delay a start, not keep the académie forever): the import is marked interrupted (its
# transaction was rolled back: nothing changed) and the académie is free. A worker that
# comes later finds its import no longer confirmed and does nothing. The row is read with
# SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (SQLite has one writer at a time and ignores
# it).
#
# SQLite admits one writer: while the apply's transaction runs, the heartbeat cannot be
# written to the row; it goes to the cache too (a file cache shared by the processes of the
# one machine an embedded database runs on), and either being fresh means alive.


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.PREAU_HR_HEARTBEAT_STALE_SECONDS)


def _beat_interval() -> float:
    return max(0.5, settings.PREAU_HR_HEARTBEAT_STALE_SECONDS / 6)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _beat_key(import_id: int) -> str:
    return f"hr-import-heartbeat:{import_id}"


def _locked_row(academie):
    """The académie's lock row, locked for this transaction; None when another transaction
    holds it right now (PostgreSQL's SKIP LOCKED)."""
    ImportLock.objects.get_or_create(academie=academie)
    return ImportLock.objects.select_for_update(skip_locked=True).filter(academie=academie).first()


def _is_alive(lock: ImportLock) -> bool:
    """A claimed apply beats; a confirmed one waits for a worker (a busy queue) longer."""
    if lock.holder:
        limit = timezone.now() - _stale_after()
    else:
        limit = timezone.now() - dt.timedelta(seconds=settings.PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS)
    if lock.heartbeat_at and lock.heartbeat_at > limit:
        return True
    beat = cache.get(_beat_key(lock.hr_import_id)) if lock.hr_import_id else None
    return beat is not None and beat > limit.timestamp()


def _analysis_alive(import_id: int) -> bool:
    """PostgreSQL: the advisory lock the analysing worker's connection holds; SQLite (one
    machine): the analysis' heartbeat in the shared cache."""
    if connection.vendor == "postgresql":
        return _analysis_is_alive(import_id)
    return _beat_is_fresh(import_id)


def _beat(import_id: int) -> None:
    cache.set(_beat_key(import_id), timezone.now().timestamp(), timeout=3600)


def _beat_is_fresh(import_id: int) -> bool:
    beat = cache.get(_beat_key(import_id))
    return beat is not None and beat > (timezone.now() - _stale_after()).timestamp()


class _Heartbeat:
    """A thread writing the heartbeat of an analysis or an apply while the work runs: to the
    cache, and for a claimed apply (holder) to the académie's lock row on PostgreSQL."""

    def __init__(self, hr_import: HrImport, holder: str):
        self.import_id, self.holder = hr_import.pk, holder
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="hr-heartbeat", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def run(self):
        from django.db import connection as own

        try:
            while not self.stop.wait(_beat_interval()):
                now = timezone.now()
                _beat(self.import_id)
                if self.holder and own.vendor == "postgresql":
                    ImportLock.objects.filter(
                        hr_import_id=self.import_id, holder=self.holder
                    ).update(heartbeat_at=now)
        except Exception:  # a beat missed is a beat missed: the apply goes on
            logger.exception("HR import %s: heartbeat failed", self.import_id)
        finally:
            own.close()


def _claim(hr_import: HrImport, holder: str) -> bool:
    """The worker takes the confirmed import's lock; False when it must not run it: no
    longer confirmed, another worker on it, or its confirmation stale (then marked)."""
    with transaction.atomic():
        lock = _locked_row(hr_import.academie)
        if lock is None or lock.hr_import_id != hr_import.pk:
            return False
        if not _is_alive(lock):
            stale = True
        elif lock.holder:
            return False  # another worker applies it
        else:
            lock.holder, lock.heartbeat_at = holder, timezone.now()
            lock.save(update_fields=["holder", "heartbeat_at"])
            return True
    if stale:
        mark_interrupted(hr_import)
    return False


def _still_ours(hr_import: HrImport, holder: str) -> None:
    """Inside the apply's transaction, just before it commits: the lock must still be ours (a
    worker frozen past its heartbeat was taken for dead: its work must not land)."""
    lock = ImportLock.objects.select_for_update().get(academie=hr_import.academie)
    if lock.hr_import_id != hr_import.pk or lock.holder != holder:
        raise RuntimeError("the académie's lock was taken from this apply")


def _release(hr_import: HrImport, holder: str = "") -> None:
    locks = ImportLock.objects.filter(academie=hr_import.academie, hr_import=hr_import)
    if holder:
        locks = locks.filter(holder=holder)
    locks.update(hr_import=None, holder="", heartbeat_at=None)
    cache.delete(_beat_key(hr_import.pk))


def apply_import(hr_import: HrImport) -> HrImport:
    """Applies a confirmed import in one transaction, then writes its report."""
    hr_import.refresh_from_db()
    if hr_import.status != ImportStatus.APPLYING:
        return hr_import
    holder = _holder()
    if not _claim(hr_import, holder):
        hr_import.refresh_from_db()
        return hr_import
    try:
        with quiet_query_log(), _Heartbeat(hr_import, holder), _whole_reads():
            # Held until the end: mark_interrupted() cannot mark a running apply failed.
            locked = HrImport.objects.select_for_update().get(pk=hr_import.pk)
            if locked.status != ImportStatus.APPLYING:  # marked interrupted meanwhile
                return locked
            done = _apply(hr_import)
            hr_import.summary = {**hr_import.summary, "applied": done}
            hr_import.status = ImportStatus.APPLIED
            hr_import.applied_at = timezone.now()
            hr_import.full_picture = not done["guards"]
            hr_import.save(update_fields=["summary", "status", "applied_at", "full_picture"])
            _discard(hr_import)
            _still_ours(hr_import, holder)
        _release(hr_import, holder)
        with quiet_query_log():
            _analyze(HrSession, HrTrainee, HrTrainer)
    except Exception:
        logger.exception("HR import %s: apply failed, rolled back", hr_import.pk)
        HrImport.objects.filter(pk=hr_import.pk, status=ImportStatus.APPLYING).update(
            status=ImportStatus.FAILED,
            refusal=_("Erreur inattendue pendant l’application : rien n’a été modifié."),
        )
        _release(hr_import, holder)
        with transaction.atomic():  # the rolled-back work is gone; its rows and files too
            _discard(hr_import)
        raise
    finally:
        progress.clear(hr_import.pk)
    return hr_import


def recover(academie) -> None:
    """Marks interrupted the imports of the académie whose worker is gone (see above)."""
    for hr_import in HrImport.objects.filter(
        academie=academie,
        status__in=[ImportStatus.QUEUED, ImportStatus.PREVIEWING, ImportStatus.APPLYING],
    ):
        mark_interrupted(hr_import)


def mark_interrupted(hr_import: HrImport) -> bool:
    """An import left "analysing" or "applying" by a worker that died (killed, machine
    restarted), or confirmed but never started: the apply's transaction was rolled back by the
    database, so nothing changed; say so, and free the académie for the next import. An apply
    is judged by the heartbeat of the académie's lock (both databases); an analysis by the
    advisory lock its worker holds (PostgreSQL) or its heartbeat in the cache (SQLite)."""
    from django.db import DatabaseError

    if hr_import.status == ImportStatus.QUEUED:
        waited = timezone.now() - hr_import.created_at
        if waited.total_seconds() <= settings.PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS:
            return False
        reason = _(
            "L’analyse n’a pas démarré à temps (aucun traitement en arrière-plan disponible) : "
            "rien n’a été modifié. Déposez de nouveau les fichiers."
        )
    elif hr_import.status == ImportStatus.PREVIEWING:
        if _analysis_alive(hr_import.pk):
            return False
        reason = _(
            "L’analyse a été interrompue (arrêt du serveur). Déposez de nouveau les fichiers."
        )
    elif hr_import.status == ImportStatus.APPLYING:
        lock = ImportLock.objects.filter(academie=hr_import.academie).first()
        if lock is not None and lock.hr_import_id == hr_import.pk and _is_alive(lock):
            return False
        if lock is not None and lock.hr_import_id == hr_import.pk and not lock.holder:
            reason = _(
                "L’application n’a pas démarré à temps (aucun traitement en arrière-plan "
                "disponible) : rien n’a été modifié. Déposez de nouveau les fichiers."
            )
        else:
            reason = _(
                "L’application a été interrompue (arrêt du serveur) : rien n’a été modifié. "
                "Déposez de nouveau les fichiers."
            )
    else:
        return False
    try:
        with transaction.atomic():
            if hr_import.status == ImportStatus.APPLYING:
                lock = _locked_row(hr_import.academie)
                if lock is None:  # being claimed or checked right now
                    return False
                if lock.hr_import_id == hr_import.pk and _is_alive(lock):
                    return False
            nowait = connection.features.has_select_for_update_nowait
            rows = HrImport.objects.select_for_update(nowait=nowait)
            row = rows.get(pk=hr_import.pk)
            if row.status != hr_import.status:
                return False
            row.status = ImportStatus.FAILED
            row.refusal = reason
            row.save(update_fields=["status", "refusal"])
            _release(hr_import)
    except DatabaseError:  # locked: the apply is running
        return False
    _discard(hr_import)
    hr_import.refresh_from_db()
    return True


def _step(hr_import, step, label, done=0, total=0):
    progress.report(hr_import.pk, step=step, steps=APPLY_STEPS, label=label, done=done, total=total)


def _apply(hr_import: HrImport) -> dict:
    plan = Plan(hr_import)
    done = {"guards": list(plan.guards.values())}
    _step(hr_import, 0, _("Sessions"))
    done.update(_apply_sessions(plan))
    if hr_import.kind == ImportKind.GAIA:
        _step(hr_import, 1, _("Personnes"))
        emails = _apply_people(plan)
        done["placeholders"] = emails
        _step(hr_import, 2, _("Formateurs et stagiaires"))
        done.update(_apply_persons(plan))
    done.update(_hold_removals(plan))
    _step(hr_import, 3, _("Inscriptions dans les sessions liées"))
    done.update(sync_links(academie=hr_import.academie))
    return done


def _hold_removals(plan: Plan) -> dict:
    """The removals the shrink guard held back, kept by name until a manager confirms them."""
    held = {"sessions_held": 0, "trainees_held": 0, "trainers_held": 0}
    kinds = (
        ("sessions_held", HeldRemoval.Kind.SESSION, "hr_session", plan.held_sessions()),
        (
            "trainees_held",
            HeldRemoval.Kind.TRAINEE,
            "trainee",
            plan.held_trainees().select_related("hr_session"),
        ),
        ("trainers_held", HeldRemoval.Kind.TRAINER, "trainer", plan.held_trainers()),
    )
    for key, kind, field, queryset in kinds:
        for chunk in _chunks(queryset.order_by("pk").iterator(chunk_size=BATCH)):
            HeldRemoval.objects.bulk_create(
                [
                    HeldRemoval(
                        hr_import=plan.hr_import,
                        kind=kind,
                        label=_held_label(kind, item)[:600],
                        **{field: item},
                    )
                    for item in chunk
                ]
            )
            held[key] += len(chunk)
    return held


def _held_label(kind, item) -> str:
    if kind == HeldRemoval.Kind.SESSION:
        return _session_text(item)
    if kind == HeldRemoval.Kind.TRAINEE:
        session = item.hr_session
        return _trainee_label(
            item.first_name,
            item.last_name,
            item.email,
            session.session_code,
            session.module_title or session.dispositif_title,
        )
    return _trainer_label(item.first_name, item.last_name, item.email, item.module_code)


@transaction.atomic
def confirm_held_removals(*, hr_import: HrImport, count: int, by: User) -> dict:
    """Applies the removals the shrink guard held for `hr_import`, after a manager read their
    list: `count` is the number shown to them (a list that changed meanwhile is refused)."""
    hr_import = HrImport.objects.select_for_update().get(pk=hr_import.pk)
    held = HeldRemoval.objects.filter(hr_import=hr_import)
    if hr_import.status != ImportStatus.APPLIED or hr_import.removals_confirmed_at:
        raise ValidationError(_("Aucun retrait n’attend de confirmation pour cet import."))
    latest = (
        HrImport.objects.filter(
            academie=hr_import.academie, kind=hr_import.kind, status=ImportStatus.APPLIED
        )
        .order_by("-applied_at", "-pk")
        .first()
    )
    if latest != hr_import or _running(hr_import.academie):
        raise ValidationError(
            _(
                "Un import plus récent a été appliqué ou est en cours : ces retraits ne "
                "décrivent plus l’académie. Confirmez ceux de l’import le plus récent."
            )
        )
    total = held.count()
    if total == 0:
        raise ValidationError(_("Aucun retrait n’attend de confirmation pour cet import."))
    if total != count:
        raise ValidationError(
            _("La liste des retraits a changé (%(n)s au lieu de %(shown)s) : relisez-la.")
            % {"n": total, "shown": count}
        )
    done = {
        "sessions_gone": HrSession.objects.filter(
            pk__in=held.filter(kind=HeldRemoval.Kind.SESSION).values("hr_session_id"),
            gone_since__isnull=True,
        ).update(gone_since=timezone.now()),
        "trainees_removed": _delete(
            HrTrainee.objects.filter(
                pk__in=held.filter(kind=HeldRemoval.Kind.TRAINEE).values("trainee_id")
            )
        ),
        "trainers_removed": _delete(
            HrTrainer.objects.filter(
                pk__in=held.filter(kind=HeldRemoval.Kind.TRAINER).values("trainer_id")
            )
        ),
    }
    held.delete()
    done.update(sync_links(academie=hr_import.academie))
    hr_import.removals_confirmed_at = timezone.now()
    hr_import.removals_confirmed_by = by
    hr_import.full_picture = True
    hr_import.summary = {**hr_import.summary, "confirmed_removals": done}
    hr_import.save(
        update_fields=["removals_confirmed_at", "removals_confirmed_by", "full_picture", "summary"]
    )
    return done


def _apply_sessions(plan: Plan) -> dict:
    kind = plan.hr_import.kind
    created = 0
    for chunk in _chunks(plan.new_sessions().order_by("pk").iterator(chunk_size=BATCH)):
        HrSession.objects.bulk_create(
            [
                HrSession(
                    academie=plan.academie,
                    session_code=row.session_code,
                    source=kind,
                    **{name: getattr(row, name) for name in HrSession.DATA_FIELDS},
                )
                for row in chunk
            ]
        )
        created += len(chunk)
    changed = 0
    for chunk in _chunks(plan.changed_sessions()):
        sessions = []
        for session, row, fields in chunk:
            for name in fields:
                setattr(session, name, getattr(row, name))
            session.gone_since = None
            sessions.append(session)
        HrSession.objects.bulk_update(sessions, [*HrSession.DATA_FIELDS, "gone_since"])
        changed += len(sessions)
    gone = plan.gone_sessions().update(gone_since=timezone.now())
    return {"sessions_new": created, "sessions_changed": changed, "sessions_gone": gone}


def _delete(queryset) -> int:
    """Deletes, and counts the rows of the queryset's model only (not what cascades)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _apply_people(plan: Plan) -> int:
    """Creates the placeholder accounts of the people nobody has an account for."""
    created = 0
    # Only the people new to a module or a session may lack an account: the others got one
    # (matched or created) when they first appeared.
    for chunk in _chunks(plan.people(plan.new_trainers() | plan.new_trainees())):
        found = people.match_users(row[0] for row in chunk)
        for teacher in (True, False):
            missing = [
                (email, first, last)
                for email, first, last, file in chunk
                if email not in found and (file == STAGIAIRES) == teacher
            ]
            created += people.create_placeholders(missing, teacher=teacher)
    return created


def _apply_persons(plan: Plan) -> dict:
    removed_trainers = _delete(plan.removed_trainers())
    removed_trainees = _delete(plan.removed_trainees())
    new_trainers = new_trainees = 0
    for chunk in _chunks(plan.new_trainers().order_by("pk").iterator(chunk_size=BATCH)):
        users = people.match_users(row.canonical_email for row in chunk)
        HrTrainer.objects.bulk_create(
            [
                HrTrainer(
                    academie=plan.academie,
                    module_code=row.module_code,
                    email=row.canonical_email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    user_id=users[row.canonical_email],
                )
                for row in chunk
            ]
        )
        new_trainers += len(chunk)
    for chunk in _chunks(plan.new_trainees().order_by("pk").iterator(chunk_size=BATCH)):
        users = people.match_users(row.canonical_email for row in chunk)
        sessions = dict(
            plan.current.filter(session_code__in={row.session_code for row in chunk}).values_list(
                "session_code", "pk"
            )
        )
        HrTrainee.objects.bulk_create(
            [
                HrTrainee(
                    hr_session_id=sessions[row.session_code],
                    email=row.canonical_email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    user_id=users[row.canonical_email],
                )
                for row in chunk
            ]
        )
        new_trainees += len(chunk)
    return {
        "trainers_new": new_trainers,
        "trainers_removed": removed_trainers,
        "trainees_new": new_trainees,
        "trainees_removed": removed_trainees,
    }


# Links ---------------------------------------------------------------------------------------

OPEN_STATES = [SessionStatus.PREPARATION, SessionStatus.OPEN]


def sync_links(*, academie=None, session: TrainingSession | None = None) -> dict:
    """Makes the linked platform sessions follow GAIA: its trainees enrolled, the trainers of
    its modules on the staff, and the trainees it removed unenrolled where the link says so
    (else they stay, flagged for the trainer: selectors.missing_from_hr). Two reads per
    linked session when nothing changed."""
    links = HrLink.objects.filter(session__status__in=OPEN_STATES)
    if academie is not None:
        links = links.filter(hr_session__academie=academie)
    if session is not None:
        links = links.filter(session=session)
    done = {"enrolled": 0, "waiting": 0, "unenrolled": 0, "staff": 0}
    session_ids = links.values_list("session_id", flat=True).distinct().order_by("session_id")
    for session_id in session_ids.iterator(chunk_size=BATCH):
        session_links = links.filter(session_id=session_id)
        user_ids = list(
            HrTrainee.objects.filter(hr_session__in=session_links.values("hr_session_id"))
            .exclude(user_id__in=Enrolment.objects.filter(session_id=session_id).values("user_id"))
            .order_by(*by_name(), "user_id")
            .values_list("user_id", flat=True)
        )
        if user_ids:
            enrolled, waiting = enrol_from_hr(
                session=TrainingSession(pk=session_id), user_ids=user_ids
            )
            done["enrolled"] += enrolled
            done["waiting"] += waiting
        done["staff"] += _sync_staff(session_id, session_links)
    for enrolment in missing_enrolments(links.filter(unenrol_missing=True)):
        if not enrolment.is_attested:
            try:
                unenrol(enrolment=enrolment)
            except ValidationError:
                # Closed since the links were read: a closed session changes no more.
                continue
            done["unenrolled"] += 1
    return done


def missing_enrolments(links):
    """Enrolments made from GAIA in the sessions of `links` whose person GAIA no longer lists
    in any HR session linked to that platform session."""
    return Enrolment.objects.filter(
        session_id__in=links.values("session_id"), source=EnrolmentSource.HR
    ).exclude(
        Exists(
            HrTrainee.objects.filter(
                hr_session__links__session_id=OuterRef("session_id"), user_id=OuterRef("user_id")
            )
        )
    )


def _sync_staff(session_id: int, session_links) -> int:
    """Trainers of the linked GAIA modules join the session's staff as trainers, with the
    trainer role in the session's département when they had none (training services: the
    session is locked, and one closed since its links were read gains nobody)."""
    user_ids = list(
        HrTrainer.objects.filter(
            Exists(
                session_links.filter(
                    hr_session__academie_id=OuterRef("academie_id"),
                    hr_session__module_code=OuterRef("module_code"),
                )
            )
        )
        .exclude(user_id__in=SessionStaff.objects.filter(session_id=session_id).values("user_id"))
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not user_ids:
        return 0
    return add_staff_from_hr(session=TrainingSession(pk=session_id), user_ids=user_ids)


@transaction.atomic
def link_session(
    *, session: TrainingSession, hr_session: HrSession, unenrol_missing: bool, by: User
) -> HrLink:
    if session.status not in OPEN_STATES:
        raise ValidationError(_("Cette session est close : on ne la lie plus à GAIA."))
    if session.departement.academie_id != hr_session.academie_id:
        raise ValidationError(_("Cette session GAIA est celle d’une autre académie."))
    link, created = HrLink.objects.get_or_create(
        session=session,
        hr_session=hr_session,
        defaults={"unenrol_missing": unenrol_missing, "created_by": by},
    )
    if not created:
        raise ValidationError(_("Cette session GAIA est déjà liée à cette session."))
    sync_links(session=session)
    return link


@transaction.atomic
def create_session_from_hr(*, hr_session: HrSession, parcours, departement, by: User):
    """A platform session of `parcours` with the GAIA session's dates and title, linked to it
    (its trainees enrolled, its module's trainers on the staff)."""
    from preau.training.services import create_session

    session = create_session(
        source=parcours,
        by=by,
        departement=departement,
        start_date=hr_session.starts_on,
        end_date=hr_session.ends_on,
        title=hr_session.module_title or hr_session.dispositif_title or parcours.title,
        capacity=hr_session.capacity,
    )
    link_session(session=session, hr_session=hr_session, unenrol_missing=False, by=by)
    return session


@transaction.atomic
def update_link(*, link: HrLink, unenrol_missing: bool) -> HrLink:
    link.unenrol_missing = unenrol_missing
    link.save(update_fields=["unenrol_missing"])
    sync_links(session=link.session)
    return link


@transaction.atomic
def unlink_session(*, link: HrLink) -> None:
    """The enrolments already made stay: unlinking stops the following, it does not undo."""
    link.delete()
