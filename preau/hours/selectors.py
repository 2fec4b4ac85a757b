"""Reads on the ledger: one teacher's year, and the statuses of a whole territory computed by
the database in one aggregated query (the same rules as rules.assess, written in SQL)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual

from preau.accounts.models import User
from preau.territories.models import Circonscription, Departement
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus

from .models import Entry, HoursPolicy, Kind, TeacherYearTotals
from .rules import (
    ANNUAL_TARGET,
    STATUS_RULES,
    UNION_SWAP_MAX,
    Assessment,
    Status,
    Totals,
    assess,
    school_year_bounds,
)

HOURS = DecimalField(max_digits=6, decimal_places=2)
ZERO = Value(Decimal(0), output_field=HOURS)


def min_distance_for(teacher: User) -> Decimal:
    policy = (
        HoursPolicy.objects.filter(academie__departements__schools__staff=teacher)
        .values_list("min_distance_hours", flat=True)
        .first()
    )
    return policy if policy is not None else Decimal(0)


def ledger(teacher: User, year: int) -> list[Entry]:
    return list(
        Entry.objects.filter(teacher=teacher, school_year=year)
        .select_related("recorded_by", "circonscription")
        .order_by("date", "pk")
    )


def totals_of(entries: list[Entry]) -> Totals:
    counted = [e for e in entries if not (e.source == "declaration" and e.validated_at is None)]

    def total(kind, field=None):
        rows = [e for e in counted if e.kind == kind]
        if field:
            return sum((getattr(e, field) for e in rows), Decimal(0))
        return sum((e.total_hours for e in rows), Decimal(0))

    return Totals(
        training=total(Kind.TRAINING),
        training_distance=total(Kind.TRAINING, "distance_hours"),
        animations=total(Kind.ANIMATION),
        union_meetings=total(Kind.UNION_MEETING),
    )


def upcoming_training(teacher: User, year: int):
    """Enrolments in sessions not yet attested that end within the school year: they would
    count if completed."""
    start, end = school_year_bounds(year)
    return (
        Enrolment.objects.filter(
            user=teacher,
            status=EnrolmentStatus.ENROLLED,
            completed_at__isnull=True,
            session__status__in=[SessionStatus.PREPARATION, SessionStatus.OPEN],
            session__end_date__range=(start, end),
        )
        .select_related("session")
        .order_by("session__start_date")
    )


def teacher_year(teacher: User, year: int) -> dict:
    """Everything « Mes 18 heures » shows for one year, in four queries."""
    entries = ledger(teacher, year)
    upcoming = list(upcoming_training(teacher, year))
    assessment = assess(
        totals_of(entries),
        quotite=teacher.quotite,
        min_distance=min_distance_for(teacher),
        upcoming_training=bool(upcoming),
    )
    return {"entries": entries, "assessment": assessment, "upcoming": upcoming}


# Yearly totals ------------------------------------------------------------------------------

# What each column of TeacherYearTotals sums over a teacher-year's counted entries.
TOTALS = {
    "training": (Kind.TRAINING, ("presence_hours", "distance_hours")),
    "training_distance": (Kind.TRAINING, ("distance_hours",)),
    "animations": (Kind.ANIMATION, ("presence_hours", "distance_hours")),
    "union_meetings": (Kind.UNION_MEETING, ("presence_hours", "distance_hours")),
}


def total_expression(column: str):
    """The entry's hours that count towards `column` (see TOTALS), as an expression."""
    _kind, fields = TOTALS[column]
    expression = F(fields[0])
    for field in fields[1:]:
        expression = expression + F(field)
    return expression


def ledger_year_totals() -> QuerySet:
    """(teacher id, school year, training, training_distance, animations, union_meetings) of
    each teacher-year that has counted entries, summed from the ledger in one GROUP BY: what
    the TeacherYearTotals rows must hold (services.rebuild_year_totals writes them from it)."""
    sums = {
        column: Coalesce(
            Sum(total_expression(column), filter=Q(kind=kind), output_field=HOURS), ZERO
        )
        for column, (kind, _fields) in TOTALS.items()
    }
    return (
        Entry.objects.counted()
        .order_by()
        .values("teacher", "school_year")
        .annotate(**sums)
        .values_list("teacher", "school_year", *TOTALS)
    )


def year_totals_disagreements() -> list[tuple]:
    """The teacher-years whose TeacherYearTotals row is not what their ledger sums to, as
    (teacher id, school year, the row's four totals, the ledger's four totals), a missing row
    or a year without entries reading as zeros: empty when every row is exact. One query over
    the whole ledger (a few seconds at national scale), for `manage.py hours_totals --check`."""
    ledger_sql, params = ledger_year_totals().query.sql_with_params()
    table = connection.ops.quote_name(TeacherYearTotals._meta.db_table)
    columns = list(TOTALS)
    # Both sides are decimals with one digit after the point on PostgreSQL; SQLite sums them
    # as floats, hence a tolerance rather than equality (half of the smallest step, 0.01 h).
    differs = " OR ".join(f"ABS(COALESCE(t.{c}, 0) - COALESCE(l.{c}, 0)) > 0.005" for c in columns)
    sql = (
        f"WITH l (teacher_id, school_year, {', '.join(columns)}) AS ({ledger_sql}) "
        "SELECT COALESCE(t.teacher_id, l.teacher_id), COALESCE(t.school_year, l.school_year), "
        f"{', '.join(f't.{c}' for c in columns)}, {', '.join(f'l.{c}' for c in columns)} "
        f"FROM l FULL OUTER JOIN {table} t "
        "ON t.teacher_id = l.teacher_id AND t.school_year = l.school_year "
        f"WHERE {differs} ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (teacher, year, tuple(rest[:4]), tuple(rest[4:]))
            for teacher, year, *rest in cursor.fetchall()
        ]


# A whole territory, in SQL ----------------------------------------------------------------


def hours_sum(year: int, condition: Q, expression) -> Coalesce:
    rows = (
        Entry.objects.counted()
        .filter(condition, teacher=OuterRef("pk"), school_year=year)
        .order_by()
        .values("teacher")
        .annotate(total=Sum(expression, output_field=HOURS))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=HOURS), ZERO)


def with_hours_status(teachers: QuerySet[User], year: int, min_distance: Decimal = Decimal(0)):
    """Annotates each teacher with their totals for the year and their status, computed by the
    database: one query for any number of teachers. The totals are read from the teacher's
    TeacherYearTotals row of the year (one LEFT JOIN on its unique index; no row: zeros),
    which the hours services keep equal to the ledger."""
    start, end = school_year_bounds(year)
    upcoming = Enrolment.objects.filter(
        user=OuterRef("pk"),
        status=EnrolmentStatus.ENROLLED,
        completed_at__isnull=True,
        session__status__in=[SessionStatus.PREPARATION, SessionStatus.OPEN],
        session__end_date__range=(start, end),
    )
    queryset = (
        teachers.annotate(
            hours_year_totals=FilteredRelation(
                "hours_totals", condition=Q(hours_totals__school_year=year)
            ),
        )
        .annotate(
            **{
                column: Coalesce(F(f"hours_year_totals__{column}"), ZERO, output_field=HOURS)
                for column in TOTALS
            },
            # A scalar subquery, not EXISTS: PostgreSQL may turn an EXISTS into a hashed subplan
            # that reads every upcoming enrolment of the country (≈400,000 rows) to answer for a
            # page of 50, once for each time `status` is inlined; LIMIT 1 keeps it an index probe
            # of each teacher's own enrolments (docs/performance.md, issue 7).
            has_upcoming=Coalesce(
                Subquery(
                    upcoming.order_by().values(found=Value(True))[:1], output_field=BooleanField()
                ),
                Value(False),
            ),
            # Float arithmetic on purpose: SQLite divides integers as integers (75 % of 18 h would
            # be 13 h), and these shares are exact in binary or compare equal on both sides.
            target=ExpressionWrapper(
                F("quotite") * Value(float(ANNUAL_TARGET)) / Value(100.0), output_field=HOURS
            ),
        )
        .annotate(
            counted=ExpressionWrapper(
                F("training")
                + F("animations")
                + Least(
                    F("union_meetings"),
                    F("quotite") * Value(float(UNION_SWAP_MAX)) / Value(100.0),
                    output_field=HOURS,
                ),
                output_field=HOURS,
            ),
            distance_ok=GreaterThan(F("training_distance"), min_distance),
        )
    )
    return queryset.annotate(
        missing=Greatest(F("target") - F("counted"), ZERO, output_field=HOURS),
        status=status_case({s: Value(s.value) for s in Status}, output_field=CharField()),
    )


def status_case(values: dict, output_field) -> Case:
    """`values[status]` for each row of a queryset annotated by with_hours_status: the status
    as rules.assess decides it, from the same table (rules.STATUS_RULES, first match). Lookups
    rather than Q objects, and no NOT: the ORM compiles them in a fraction of the time, and
    each status reads the row's columns, not another CASE (a CASE over `status` would repeat
    all of it)."""
    conditions = {
        "training": GreaterThanOrEqual(F("training"), F("target") / Value(Decimal(2))),
        "distance": Exact(F("distance_ok"), True),
        "total": GreaterThanOrEqual(F("counted"), F("target")),
        "upcoming": Exact(F("has_upcoming"), True),
    }
    *rules, last = STATUS_RULES
    return Case(
        *(
            When(Q(*(conditions[name] for name in rule.requires)), then=values[rule.status])
            for rule in rules
        ),
        default=values[last.status],
        output_field=output_field,
    )


def assessment_of_row(row: User, min_distance: Decimal = Decimal(0)) -> Assessment:
    """The Python assessment of an annotated row (for explanations, and to test both agree)."""
    return assess(
        Totals(row.training, row.training_distance, row.animations, row.union_meetings),
        quotite=row.quotite,
        min_distance=min_distance,
        upcoming_training=row.has_upcoming,
    )


# A département in aggregate ---------------------------------------------------------------


@dataclass(frozen=True)
class CirconscriptionSummary:
    circonscription: Circonscription
    teachers: int
    hours: Decimal  # hours counted (union meetings capped), summed over its teachers
    statuses: dict[str, int]  # Status → number of teachers, every status present


def departement_summary(departement: Departement, year: int) -> list[CirconscriptionSummary]:
    """Per circonscription of the département (by name): how many teachers in each status and
    the hours they count, in two queries: the circonscriptions, then one GROUP BY over the
    teachers annotated by with_hours_status (each subquery runs once per teacher, not once per
    aggregate, hence the materialized CTE)."""
    policy = HoursPolicy.objects.filter(academie=departement.academie_id).values(
        "min_distance_hours"
    )[:1]
    teachers = (
        with_hours_status(
            User.objects.teachers().filter(school__circonscription__departement=departement),
            year,
            min_distance=Coalesce(Subquery(policy, output_field=HOURS), ZERO),
        )
        .values("status", "counted", place=F("school__circonscription"))
        .order_by()
    )
    inner, params = teachers.query.sql_with_params()
    counts = ", ".join("SUM(CASE WHEN t.status = %s THEN 1 ELSE 0 END)" for _s in Status)
    # MATERIALIZED: evaluated once, else the planner inlines the teachers' subqueries into
    # each SUM below (measured: 62 → 106 ms for 3,575 teachers, docs/performance.md).
    sql = (
        f"WITH t AS MATERIALIZED ({inner}) "
        f"SELECT t.place, COUNT(*), COALESCE(SUM(t.counted), 0), {counts} FROM t GROUP BY t.place"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(s.value for s in Status)])
        rows = {place: rest for place, *rest in cursor.fetchall()}
    summaries = []
    for circonscription in departement.circonscriptions.order_by("name", "code"):
        total, hours, *by_status = rows.get(circonscription.pk, [0, 0, *(0 for _s in Status)])
        summaries.append(
            CirconscriptionSummary(
                circonscription=circonscription,
                teachers=total,
                hours=Decimal(str(hours)).quantize(Decimal("0.1")),
                statuses={s.value: n for s, n in zip(Status, by_status, strict=True)},
            )
        )
    return summaries


# The IEN follow-up of a circonscription -----------------------------------------------------

STATUS_RANK = [
    Status.MISSING_TRAINING,
    Status.MISSING_DISTANCE,
    Status.MISSING_ANIMATIONS,
    Status.ON_TRACK,
    Status.COMPLETE,
]


def min_distance_of(circonscription: Circonscription) -> Decimal:
    policy = (
        HoursPolicy.objects.filter(academie_id=circonscription.departement.academie_id)
        .values_list("min_distance_hours", flat=True)
        .first()
    )
    return policy if policy is not None else Decimal(0)


def followed_teachers(circonscription: Circonscription, year: int) -> QuerySet[User]:
    """The teachers of the circonscription this year: those whose school is here, and those
    who earned hours here before moving elsewhere (they appear in both circonscriptions)."""
    earned_here = Entry.objects.filter(circonscription=circonscription, school_year=year)
    # One IN over a UNION rather than two INs joined by OR: PostgreSQL estimates the OR at
    # three quarters of all accounts and scans the whole user table (docs/performance.md).
    teachers = User.objects.teachers().filter(school__circonscription=circonscription)
    return User.objects.filter(
        pk__in=teachers.values("pk").order_by().union(earned_here.values("teacher").order_by())
    )


def with_status_rank(rows: QuerySet) -> QuerySet:
    """Rows of with_hours_status with `status_rank` to sort on, the teachers who need
    attention first (STATUS_RANK). Only when sorting by status: it is the status CASE again."""
    return rows.annotate(
        status_rank=status_case(
            {s: Value(i) for i, s in enumerate(STATUS_RANK)}, output_field=IntegerField()
        )
    )


def follow_up(circonscription: Circonscription, year: int, min_distance: Decimal) -> QuerySet:
    """Totals and status of each teacher (with_hours_status), plus where the hours
    were earned: all of it in one query, whatever the number of teachers. The page reads a
    few columns of each teacher, the exports add their school (views/piloting.py)."""
    elsewhere = Entry.objects.filter(
        teacher=OuterRef("pk"), school_year=year, circonscription__isnull=False
    ).exclude(circonscription=circonscription)
    return with_hours_status(followed_teachers(circonscription, year), year, min_distance).annotate(
        here_hours=hours_sum(
            year, Q(circonscription=circonscription), F("presence_hours") + F("distance_hours")
        ),
        is_current=Case(
            When(school__circonscription=circonscription, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        earned_elsewhere=Exists(elsewhere),
    )


@dataclass(frozen=True)
class FollowUpFilter:
    """What the IEN's follow-up list is filtered on: the school year, a status (empty: all),
    search words, and only the teachers with a declaration waiting for the IEN. The list and
    « tous les enseignants de la liste » of an animation resolve the same filter here."""

    year: int
    status: str = ""
    terms: object = None  # preau.core.search.SearchTerms, or None
    pending_only: bool = False


def follow_up_rows(
    circonscription: Circonscription, filter_: FollowUpFilter, min_distance: Decimal
) -> QuerySet:
    """follow_up() narrowed by the filter, in SQL (unordered)."""
    from preau.core.search import words_filter

    rows = follow_up(circonscription, filter_.year, min_distance)
    if filter_.terms:
        rows = rows.filter(words_filter(filter_.terms, "last_name", "first_name", "email"))
    if filter_.status:
        rows = rows.filter(status=filter_.status)
    if filter_.pending_only:
        rows = rows.filter(pk__in=pending_declarations(circonscription).values("teacher"))
    return rows


def teachers_matching(circonscription: Circonscription, filter_: FollowUpFilter, by: User):
    """The teachers an animation may be recorded for when the IEN chose « all the teachers of
    the list »: those of the filtered list whose school is in the circonscription (the list
    also shows teachers who left during the year) and whom the person pilots."""
    from preau.territories.access import teachers_piloted_by

    rows = follow_up_rows(circonscription, filter_, min_distance_of(circonscription))
    return teachers_piloted_by(by).filter(
        school__circonscription=circonscription, pk__in=rows.values("pk")
    )


# Union-meeting declarations waiting for the IEN ----------------------------------------------


def pending_declarations(circonscription: Circonscription) -> QuerySet[Entry]:
    """The union meetings declared in the circonscription (the teacher's school was there when
    they declared) that its IEN has neither validated nor refused, the oldest first."""
    return Entry.objects.pending().filter(circonscription=circonscription).order_by("date", "pk")


def pending_declaration_counts(circonscription_ids) -> dict[int, int]:
    """How many declarations wait in each circonscription, in one GROUP BY."""
    from django.db.models import Count

    rows = (
        Entry.objects.pending()
        .filter(circonscription__in=circonscription_ids)
        .order_by()
        .values("circonscription")
        .annotate(n=Count("pk"))
        .values_list("circonscription", "n")
    )
    return dict(rows)
