"""The yearly report of the 18 hours (« Rapport annuel des heures »), issue #7.

For a school year, one row per circonscription of the country or of one académie: how many
teachers, how many in each status (hours.rules.Status, as selectors.with_hours_status computes
it, with the académie's HoursPolicy), the hours they count, their training hours (of which at
distance) and their animation hours.

- Who counts where: each teacher once, in the circonscription of their school today, with all
  their hours of the year wherever earned (as on the département aggregate page), so that the
  rows add up to the country. Teachers whose school has no circonscription yet get a row of
  their own in their département; teachers without a school are in no département, so in no row.
- How: one aggregated query per département (101 for the country) over its teachers annotated
  by with_hours_status, never a loop over teachers in Python; the job reports its progress
  after each one. On PostgreSQL the queries read one snapshot of the database (a REPEATABLE
  READ, READ ONLY transaction), so that a teacher moving during the run is counted once.
- Writes: request_report() records the request and queues the task (tasks.py);
  build_report() computes the rows and writes a CSV (semicolons, UTF-8 with a byte order mark:
  Excel opens it with its accents, in French) and an .xlsx through Django's storage API.
  `manage.py hours_report` runs the same build synchronously.
"""

import datetime
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import User
from preau.core import progress as job_progress
from preau.core.exports import BOM, CsvWriter, spreadsheet
from preau.core.storage import is_disk_full
from preau.territories.models import Academie, Circonscription, Departement

from .models import HoursPolicy, HoursReport, ReportStatus
from .report_access import may_request
from .rules import Status, school_year_label, school_year_of
from .selectors import with_hours_status

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000  # as the other pages of the hours accept
CENT = Decimal("0.01")

# Progress: live in the cache while the report runs (see build_report), refreshed after each
# département; the entry disappears after this long without news.
PROGRESS_TIMEOUT = 15 * 60
# Beside the progress, a heartbeat thread says every few seconds that the worker is alive: a
# running report without a heartbeat for PREAU_HOURS_REPORT_STALE_SECONDS lost its worker
# (killed, machine restarted) and is marked failed (mark_interrupted).


def stale_after() -> int:
    return settings.PREAU_HOURS_REPORT_STALE_SECONDS


def beat_every() -> float:
    return max(0.5, stale_after() / 6)


# Input ---------------------------------------------------------------------------------------


def check_year(year: int) -> None:
    """A report is for a school year that has begun: 2000-2001 up to the current one."""
    current = school_year_of(timezone.localdate())
    if not FIRST_YEAR <= year <= current:
        raise ValidationError(
            _("Choisissez une année scolaire entre %(first)s et %(last)s.")
            % {"first": school_year_label(FIRST_YEAR), "last": school_year_label(current)},
            code="year",
        )


# The figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    academie: Academie
    departement: Departement
    circonscription: Circonscription | None  # None: schools without a circonscription yet
    teachers: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})
    counted: Decimal = Decimal(0)  # training + animations + union meetings (capped)
    training: Decimal = Decimal(0)  # presence and distance
    training_distance: Decimal = Decimal(0)
    animations: Decimal = Decimal(0)

    @property
    def union_meetings(self) -> Decimal:
        """The union meetings counted (validated, capped at 9 h × quotité per teacher)."""
        return self.counted - self.training - self.animations


def scope_departements(academie: Academie | None) -> list[Departement]:
    departements = Departement.objects.select_related("academie").order_by("code")
    if academie is not None:
        departements = departements.filter(academie=academie)
    return list(departements)


def _circonscriptions_by_departement(departements) -> dict[int, list[Circonscription]]:
    by_departement: dict[int, list[Circonscription]] = {d.pk: [] for d in departements}
    for circonscription in Circonscription.objects.filter(departement__in=departements).order_by(
        "departement", "name", "code"
    ):
        by_departement[circonscription.departement_id].append(circonscription)
    return by_departement


def _min_distances() -> dict[int, Decimal]:
    """Each académie's minimum of training at distance (none: 0, any distance part)."""
    return dict(HoursPolicy.objects.values_list("academie_id", "min_distance_hours"))


def _hours(value) -> Decimal:
    # The sums mix numeric and double precision (the union cap is prorated in float arithmetic,
    # see with_hours_status): back to hundredths of an hour.
    return Decimal(str(value or 0)).quantize(CENT)


def departement_figures(
    departement: Departement, year: int, min_distance: Decimal
) -> dict[int | None, tuple]:
    """{circonscription id (None: no circonscription): (teachers, counted, training,
    training at distance, animations, *one count per Status)} for the teachers whose school is
    in the département, in one query: a GROUP BY over the teachers annotated by
    with_hours_status, materialized first so that each teacher's subqueries run once (as in
    selectors.departement_summary)."""
    teachers = (
        with_hours_status(
            User.objects.teachers().filter(school__departement=departement), year, min_distance
        )
        .values(
            "status",
            "counted",
            "training",
            "training_distance",
            "animations",
            place=F("school__circonscription"),
        )
        .order_by()
    )
    inner, params = teachers.query.sql_with_params()
    counts = ", ".join("SUM(CASE WHEN t.status = %s THEN 1 ELSE 0 END)" for _s in Status)
    sql = (
        f"WITH t AS MATERIALIZED ({inner}) "
        "SELECT t.place, COUNT(*), SUM(t.counted), SUM(t.training), SUM(t.training_distance), "
        f"SUM(t.animations), {counts} FROM t GROUP BY t.place"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(s.value for s in Status)])
        return {place: tuple(rest) for place, *rest in cursor.fetchall()}


Progress = Callable[[int, int, str], None]  # (départements done, of how many, label)


def report_rows(
    academie: Academie | None, year: int, *, progress: Progress | None = None
) -> list[ReportRow]:
    """The rows of the report, by département code then circonscription name: every
    circonscription of the scope (with zeros when it has no teacher), plus a row for the
    schools of a département that have no circonscription, when they have teachers.

    Queries: the départements, their circonscriptions, the académies' policies, then one per
    département."""
    departements = scope_departements(academie)
    circonscriptions = _circonscriptions_by_departement(departements)
    min_distances = _min_distances()
    rows: list[ReportRow] = []
    for done, departement in enumerate(departements):
        if progress:
            progress(done, len(departements), str(departement))
        figures = departement_figures(
            departement, year, min_distances.get(departement.academie_id, Decimal(0))
        )
        places: list[Circonscription | None] = list(circonscriptions[departement.pk])
        known = {c.pk for c in places}
        # A school whose circonscription lies in another département (inconsistent data): its
        # teachers are counted here, with their school, never twice and never lost.
        strays = [pk for pk in figures if pk is not None and pk not in known]
        places += list(Circonscription.objects.filter(pk__in=strays).order_by("name", "code"))
        if None in figures:
            places.append(None)
        for place in places:
            values = figures.get(place.pk if place else None)
            if values is None:
                rows.append(ReportRow(departement.academie, departement, place))
                continue
            teachers, counted, training, distance, animations, *by_status = values
            rows.append(
                ReportRow(
                    academie=departement.academie,
                    departement=departement,
                    circonscription=place,
                    teachers=teachers,
                    statuses={s.value: n for s, n in zip(Status, by_status, strict=True)},
                    counted=_hours(counted),
                    training=_hours(training),
                    training_distance=_hours(distance),
                    animations=_hours(animations),
                )
            )
    if progress:
        progress(len(departements), len(departements), "")
    return rows


# Files ---------------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        _("Code académie"),
        _("Académie"),
        _("Code département"),
        _("Département"),
        _("Code circonscription"),
        _("Circonscription"),
        _("Enseignants"),
        *(str(status.label) for status in Status),
        _("Heures comptées (h)"),
        _("Formation (h)"),
        _("dont à distance (h)"),
        _("Animations pédagogiques (h)"),
        _("Réunions syndicales comptées (h)"),
    ]


def _values(row: ReportRow) -> list:
    place = row.circonscription
    return [
        row.academie.code,
        row.academie.name,
        row.departement.code,
        row.departement.name,
        place.code if place else "",
        place.name if place else _("Écoles sans circonscription"),
        row.teachers,
        *(row.statuses[status.value] for status in Status),
        row.counted,
        row.training,
        row.training_distance,
        row.animations,
        row.union_meetings,
    ]


def csv_content(rows: list[ReportRow]) -> bytes:
    """Semicolons and decimal commas, UTF-8 with a byte order mark, CRLF: what Excel opens in
    French without an import dialog."""
    writer = CsvWriter()
    lines = [BOM, writer.row(header()), *(writer.row(_values(row)) for row in rows)]
    return "".join(lines).encode("utf-8")


def xlsx_content(rows: list[ReportRow], year: int) -> bytes:
    """The same columns, hours as numbers, the header in bold (a write-only workbook)."""
    return spreadsheet(
        school_year_label(year), header(), (_values(row) for row in rows), number_format="0.00"
    )


def file_stem(report: HoursReport) -> str:
    scope = report.academie.code if report.academie_id else "national"
    return f"rapport-heures-{school_year_label(report.school_year)}-{scope}"


# Progress, through the cache ------------------------------------------------------------------


PROGRESS = "hours-report"  # its entries in preau/core/progress.py


def set_progress(report_id: int, *, percent: int, label: str) -> None:
    job_progress.report(PROGRESS, report_id, percent=percent, label=label, timeout=PROGRESS_TIMEOUT)


def progress_of(reports: list[HoursReport]) -> dict[int, dict]:
    """{report id: {"percent", "label"}} of the reports whose worker reported, in one read."""
    return job_progress.read_many(PROGRESS, [r.pk for r in reports])


def clear_progress(report_id: int) -> None:
    job_progress.clear(PROGRESS, report_id)


# Writes --------------------------------------------------------------------------------------


@transaction.atomic
def request_report(
    *, by: User | None, academie: Academie | None, school_year: int, background: bool = True
) -> HoursReport:
    """Records a report to build; `background`: queues it (tasks.build_hours_report) once the
    transaction commits, else the caller builds it (the management command). `by` None: the
    system (cron). One report at a time per scope and year."""
    check_year(school_year)
    if by is not None and not may_request(by, academie):
        raise PermissionDenied
    busy = _(
        "Un rapport de cette année pour ce périmètre est déjà en préparation : attendez qu’il "
        "soit prêt."
    )
    running = HoursReport.objects.filter(
        academie=academie,
        school_year=school_year,
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
    )
    if running.exists():
        raise ValidationError(busy, code="busy")
    try:
        with transaction.atomic():
            report = HoursReport.objects.create(
                academie=academie, school_year=school_year, requested_by=by
            )
    except IntegrityError as error:  # asked twice at the same moment
        raise ValidationError(busy, code="busy") from error
    if background:
        from .tasks import build_hours_report

        transaction.on_commit(lambda: build_hours_report.enqueue(report.pk))
    return report


@contextmanager
def _snapshot():
    """PostgreSQL: the département queries read one snapshot (REPEATABLE READ, READ ONLY),
    so that the rows add up even if teachers move or hours are credited during the run. Not
    inside an outer transaction (it must come first), nor on SQLite, where a transaction takes
    the write lock (IMMEDIATE mode) and the demo's report lasts under a second."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def build_report(report: HoursReport, *, progress: Progress | None = None) -> HoursReport:
    """Computes a queued report and writes its files; returns it done or failed (and raises
    on failure, so that the task's result records the error). A report already taken by
    another worker is left to it."""
    claimed = HoursReport.objects.filter(pk=report.pk, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    report.refresh_from_db()
    if not claimed:
        return report
    reached = 0

    def step(done: int, total: int, label: str) -> None:
        nonlocal reached
        # The files are the last 1 %.
        reached = min(99, 100 * done // total) if total else 99
        set_progress(report.pk, percent=reached, label=label)
        if progress:
            progress(done, total, label)

    set_progress(report.pk, percent=0, label="")
    try:
        with job_progress.Heartbeat(PROGRESS, report.pk, every=beat_every()), _snapshot():
            rows = report_rows(report.academie, report.school_year, progress=step)
        stem = file_stem(report)
        report.csv_file.save(f"{stem}.csv", ContentFile(csv_content(rows)), save=False)
        report.xlsx_file.save(
            f"{stem}.xlsx", ContentFile(xlsx_content(rows, report.school_year)), save=False
        )
        report.status = ReportStatus.DONE
        report.progress = 100
        report.row_count = len(rows)
        report.teacher_count = sum(row.teachers for row in rows)
        report.finished_at = timezone.now()
        report.save(
            update_fields=[
                "status",
                "progress",
                "csv_file",
                "xlsx_file",
                "row_count",
                "teacher_count",
                "finished_at",
            ]
        )
    except Exception as error:
        logger.exception("Hours report %s failed", report.pk)
        for file in (report.csv_file, report.xlsx_file):
            if file:
                file.storage.delete(file.name)
        HoursReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED,
            progress=reached,
            csv_file="",
            xlsx_file="",
            error=_(
                "Le serveur n’a plus assez d’espace disque pour écrire les fichiers du rapport : "
                "l’équipe technique est prévenue ; demandez-le de nouveau plus tard."
            )
            if is_disk_full(error)
            else _("Erreur inattendue pendant le calcul : l’équipe technique est prévenue."),
            finished_at=timezone.now(),
        )
        report.refresh_from_db()
        raise
    finally:
        clear_progress(report.pk)
    return report


def mark_interrupted(report: HoursReport) -> bool:
    """A report left running by a worker that died: no heartbeat for stale_after() seconds,
    started longer ago than that. Marked failed with a message saying what to do, which frees
    its scope and year for a new request. Nothing of it was written: the files and the
    figures are saved together at the end (build_report)."""
    if report.status != ReportStatus.RUNNING or not report.started_at:
        return False
    deadline = timezone.now() - datetime.timedelta(seconds=stale_after())
    if report.started_at > deadline or job_progress.is_alive(
        PROGRESS, report.pk, stale_after=stale_after()
    ):
        return False
    changed = HoursReport.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).update(
        status=ReportStatus.FAILED,
        error=_(
            "Le calcul a été interrompu (arrêt du serveur ou du processus de calcul) : aucun "
            "fichier n’a été produit. Demandez de nouveau le rapport."
        ),
        finished_at=timezone.now(),
    )
    if changed:
        clear_progress(report.pk)
        report.refresh_from_db()
        logger.warning("Hours report %s: its worker died, marked failed", report.pk)
    return bool(changed)
