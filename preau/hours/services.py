"""Writes on the ledger: hours credited by attested sessions, animations recorded for a list
of attendees, manual corrections, and union meetings declared then validated."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import Role, User
from preau.accounts.selectors import has_role

from .models import MAX_ENTRY_HOURS, Animation, Entry, Kind, Source, TeacherYearTotals
from .rules import school_year_bounds, school_year_label, school_year_of
from .selectors import HOURS, TOTALS, ZERO, ledger_year_totals, total_expression


def check_hours(presence: Decimal, distance: Decimal, *, allow_negative: bool = False) -> None:
    for value in (presence, distance):
        if value is None:
            raise ValidationError(_("Indiquez un nombre d’heures."))
        if not allow_negative and value < 0:
            raise ValidationError(_("Un nombre d’heures ne peut pas être négatif."))
        if abs(value) > MAX_ENTRY_HOURS:
            raise ValidationError(
                _("%(hours)s h en une seule ligne, c’est trop : 30 h au plus.") % {"hours": value}
            )
    if presence == 0 and distance == 0:
        raise ValidationError(_("Indiquez au moins une heure, en présence ou à distance."))


def check_date_in_year(day: datetime.date, year: int) -> None:
    start, end = school_year_bounds(year)
    if not start <= day <= end:
        raise ValidationError(
            _("Le %(date)s n’est pas dans l’année scolaire %(year)s (du %(start)s au %(end)s).")
            % {
                "date": day.strftime("%d/%m/%Y"),
                "year": school_year_label(year),
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        )


def _circonscription_of(teacher: User):
    return teacher.school.circonscription if teacher.school_id else None


# Yearly totals ------------------------------------------------------------------------------
# Every write below ends with refresh_year_totals() for the teacher-years it touched, in its
# transaction: TeacherYearTotals is read by the IEN's follow-up and the aggregates, and must
# never lag behind the ledger.


def _pairs_filter(pairs: list[tuple[int, int]]) -> Q:
    condition = Q(pk__in=[])
    for year, rows in groupby(sorted(pairs, key=lambda p: (p[1], p[0])), key=lambda p: p[1]):
        condition |= Q(school_year=year, teacher_id__in=[teacher for teacher, _y in rows])
    return condition


def _ledger_sum(column: str) -> Coalesce:
    """One total of the teacher-year of the row being updated, summed from its entries."""
    kind, _fields = TOTALS[column]
    rows = (
        Entry.objects.counted()
        .filter(kind=kind, teacher=OuterRef("teacher"), school_year=OuterRef("school_year"))
        .order_by()
        .values("teacher")
        .annotate(total=Sum(total_expression(column), output_field=HOURS))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=HOURS), ZERO)


@transaction.atomic(savepoint=False)
def refresh_year_totals(pairs: Iterable[tuple[int, int]]) -> None:
    """Rewrites the TeacherYearTotals row of each (teacher id, school year) from the ledger,
    in three queries whatever their number. Call it after changing the entries, in the same
    transaction. The rows are locked before the ledger is read: of two transactions changing
    one teacher-year, the second to get the lock waits for the first to commit, then reads
    the entries of both (READ COMMITTED takes a new snapshot for each statement)."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    # A row to lock for each pair (a teacher-year without one reads as zeros). On a conflict
    # with a row that another transaction is inserting or updating, PostgreSQL waits for that
    # transaction to end. Sorted, as the locks below, so that two transactions take the rows
    # in the same order and cannot deadlock.
    TeacherYearTotals.objects.bulk_create(
        [TeacherYearTotals(teacher_id=teacher, school_year=year) for teacher, year in pairs],
        ignore_conflicts=True,
    )
    rows = TeacherYearTotals.objects.filter(_pairs_filter(pairs))
    list(rows.select_for_update().order_by("teacher_id", "school_year").values_list("pk"))
    rows.update(**{column: _ledger_sum(column) for column in TOTALS})


def refresh_teacher_totals(teacher: User) -> None:
    """Rewrites every year of one teacher's totals from the ledger (after a merge of accounts,
    whose entries and rows moved)."""
    years = set(Entry.objects.filter(teacher=teacher).values_list("school_year", flat=True))
    years |= set(
        TeacherYearTotals.objects.filter(teacher=teacher).values_list("school_year", flat=True)
    )
    refresh_year_totals((teacher.pk, year) for year in years)


@transaction.atomic
def rebuild_year_totals() -> int:
    """Rewrites every TeacherYearTotals row from the ledger in one INSERT … SELECT … GROUP BY
    (after a bulk load such as the national seeder's COPY, or to repair what `manage.py
    hours_totals --check` found). Returns the number of rows written."""
    table = connection.ops.quote_name(TeacherYearTotals._meta.db_table)
    columns = ", ".join(["teacher_id", "school_year", *TOTALS])
    sql, params = ledger_year_totals().query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait until this commits (their row locks need the table), then rewrite
            # their own teacher-years from a ledger that includes what this did not see.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        written = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")  # the planner's estimates for the new rows
    return written


# Sessions ---------------------------------------------------------------------------------


@transaction.atomic
def credit_attested(enrolments) -> int:
    """Credits each attested enrolment with its session's announced hours, flat-rate, in the
    school year the session ends. Called by training.services.attest in its transaction."""
    entries = []
    for enrolment in enrolments:
        session = enrolment.session
        entries.append(
            Entry(
                teacher=enrolment.user,
                school_year=school_year_of(session.end_date),
                date=session.end_date,
                kind=Kind.TRAINING,
                source=Source.SESSION,
                title=session.title[:200],
                presence_hours=session.presence_hours,
                distance_hours=session.distance_hours,
                circonscription=_circonscription_of(enrolment.user),
                session=session,
                recorded_by=enrolment.attested_by,
            )
        )
    # ignore_conflicts: a session credits a teacher once, even if attested again.
    Entry.objects.bulk_create(entries, ignore_conflicts=True)
    refresh_year_totals((e.teacher_id, e.school_year) for e in entries)
    return len(entries)


@transaction.atomic
def withdraw_credit(enrolment) -> None:
    credit = Entry.objects.filter(
        teacher=enrolment.user, session=enrolment.session, source=Source.SESSION
    )
    years = set(credit.values_list("school_year", flat=True))
    credit.delete()
    refresh_year_totals((enrolment.user_id, year) for year in years)


# Animations -------------------------------------------------------------------------------


@transaction.atomic
def record_animation(
    *,
    by: User,
    circonscription,
    title: str,
    date: datetime.date,
    presence_hours: Decimal,
    distance_hours: Decimal = Decimal(0),
    attendees: list[User],
) -> Animation:
    """One animation pédagogique for a list of attendees, in one go."""
    if not title.strip():
        raise ValidationError(_("Donnez un intitulé à l’animation."))
    if not attendees:
        raise ValidationError(_("Choisissez au moins un participant."))
    check_hours(presence_hours, distance_hours)
    if date > timezone.localdate():
        raise ValidationError(_("Une animation s’enregistre une fois qu’elle a eu lieu."))
    animation = Animation.objects.create(
        title=title.strip(),
        date=date,
        presence_hours=presence_hours,
        distance_hours=distance_hours,
        circonscription=circonscription,
        recorded_by=by,
    )
    year = school_year_of(date)
    Entry.objects.bulk_create(
        Entry(
            teacher=teacher,
            school_year=year,
            date=date,
            kind=Kind.ANIMATION,
            source=Source.ANIMATION,
            title=animation.title[:200],
            presence_hours=presence_hours,
            distance_hours=distance_hours,
            circonscription=circonscription,
            animation=animation,
            recorded_by=by,
        )
        for teacher in attendees
    )
    refresh_year_totals((teacher.pk, year) for teacher in attendees)
    return animation


@transaction.atomic
def record_animation_for_list(*, follow_up_filter, circonscription, by: User, **fields):
    """One animation for every teacher of the IEN's follow-up list as filtered
    (selectors.FollowUpFilter: year, status, search, pending declarations), on every page: the
    filter is resolved here, not a list of ids from the page the IEN saw. Only the teachers
    whose school is in the circonscription and whom the person pilots are recorded."""
    from .selectors import teachers_matching

    attendees = list(teachers_matching(circonscription, follow_up_filter, by))
    return record_animation(by=by, circonscription=circonscription, attendees=attendees, **fields)


# Corrections and declarations ---------------------------------------------------------------


@transaction.atomic
def correct(
    *,
    by: User,
    teacher: User,
    school_year: int,
    date: datetime.date,
    kind: str,
    presence_hours: Decimal,
    distance_hours: Decimal,
    reason: str,
) -> Entry:
    """A manual correction (add or remove hours), always with a reason the teacher sees."""
    if not reason.strip():
        raise ValidationError(_("Une correction doit toujours être motivée."))
    if kind not in {Kind.TRAINING, Kind.ANIMATION}:
        raise ValidationError(_("Nature d’heures inconnue."))
    check_hours(presence_hours, distance_hours, allow_negative=True)
    check_date_in_year(date, school_year)
    entry = Entry.objects.create(
        teacher=teacher,
        school_year=school_year,
        date=date,
        kind=kind,
        source=Source.CORRECTION,
        title=_("Correction"),
        presence_hours=presence_hours,
        distance_hours=distance_hours,
        circonscription=_circonscription_of(teacher),
        reason=reason.strip(),
        recorded_by=by,
    )
    refresh_year_totals([(teacher.pk, school_year)])
    return entry


@transaction.atomic
def declare_union_meeting(
    *, teacher: User, date: datetime.date, hours: Decimal, title: str = ""
) -> Entry:
    """A teacher declares a union information meeting; it counts once the IEN validates it."""
    if not has_role(teacher, Role.TEACHER):
        raise PermissionDenied
    check_hours(hours, Decimal(0))
    if date > timezone.localdate():
        raise ValidationError(_("Déclarez une réunion une fois qu’elle a eu lieu."))
    entry = Entry.objects.create(
        teacher=teacher,
        school_year=school_year_of(date),
        date=date,
        kind=Kind.UNION_MEETING,
        source=Source.DECLARATION,
        title=(title.strip() or _("Réunion d’information syndicale"))[:200],
        presence_hours=hours,
        circonscription=_circonscription_of(teacher),
        recorded_by=teacher,
    )
    # It does not count until validated; refreshed all the same, as every write is.
    refresh_year_totals([(teacher.pk, entry.school_year)])
    return entry


REFUSAL_MAX_LENGTH = 1000


def _lock_pending(entry: Entry) -> Entry:
    """The declaration's row, locked and read afresh: of two IENs (or two tabs) deciding at
    once, the second finds it decided."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.source != Source.DECLARATION:
        raise ValidationError(_("Seule une déclaration de l’enseignant se valide ou se refuse."))
    if locked.validated_at is not None:
        raise ValidationError(_("Cette déclaration est déjà validée."))
    if locked.refused_at is not None:
        raise ValidationError(_("Cette déclaration est déjà refusée."))
    return locked


@transaction.atomic
def validate_declaration(*, entry: Entry, by: User) -> Entry:
    """The IEN validates a union meeting a teacher declared: it counts from now on."""
    entry = _lock_pending(entry)
    entry.validated_at = timezone.now()
    entry.save(update_fields=["validated_at"])
    refresh_year_totals([(entry.teacher_id, entry.school_year)])
    return entry


@transaction.atomic
def refuse_declaration(*, entry: Entry, by: User, reason: str) -> Entry:
    """The IEN refuses a declaration, always saying why: it stays in the teacher's ledger,
    uncounted, with the reason, which the teacher reads in « Mes 18 heures »."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Indiquez le motif du refus : l’enseignant le lira dans « Mes 18 heures »."),
            code="reason_required",
        )
    entry = _lock_pending(entry)
    entry.refused_at = timezone.now()
    entry.reason = reason[:REFUSAL_MAX_LENGTH]
    entry.save(update_fields=["refused_at", "reason"])
    # It did not count and still does not; refreshed all the same, as every write is.
    refresh_year_totals([(entry.teacher_id, entry.school_year)])
    return entry
