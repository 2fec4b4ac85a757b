"""Reads on the ledger: one teacher's year, and the statuses of a whole territory computed by
the database in one aggregated query (the same rules as rules.assess, written in SQL)."""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from preau.accounts.models import User
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus

from .models import Entry, HoursPolicy, Kind
from .rules import (
    ANNUAL_TARGET,
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


# A whole territory, in SQL ----------------------------------------------------------------


def _sum(year: int, condition: Q, expression) -> Coalesce:
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
    database: one query for any number of teachers."""
    start, end = school_year_bounds(year)
    both = F("presence_hours") + F("distance_hours")
    upcoming = Enrolment.objects.filter(
        user=OuterRef("pk"),
        status=EnrolmentStatus.ENROLLED,
        completed_at__isnull=True,
        session__status__in=[SessionStatus.PREPARATION, SessionStatus.OPEN],
        session__end_date__range=(start, end),
    )
    queryset = teachers.annotate(
        training=_sum(year, Q(kind=Kind.TRAINING), both),
        training_distance=_sum(year, Q(kind=Kind.TRAINING), F("distance_hours")),
        animations=_sum(year, Q(kind=Kind.ANIMATION), both),
        union_meetings=_sum(year, Q(kind=Kind.UNION_MEETING), both),
        has_upcoming=Exists(upcoming),
        target=ExpressionWrapper(
            Value(ANNUAL_TARGET) * F("quotite") / Value(Decimal(100)), output_field=HOURS
        ),
    ).annotate(
        counted=ExpressionWrapper(
            F("training") + F("animations") + Least(F("union_meetings"), Value(UNION_SWAP_MAX)),
            output_field=HOURS,
        ),
        distance_ok=ExpressionWrapper(
            Q(training_distance__gt=min_distance), output_field=BooleanField()
        ),
    )
    training_ok = Q(training__gte=F("target") / Value(Decimal(2)))
    return queryset.annotate(
        missing=Greatest(F("target") - F("counted"), ZERO, output_field=HOURS),
        status=Case(
            When(
                training_ok & Q(distance_ok=True) & Q(counted__gte=F("target")),
                then=Value(Status.COMPLETE),
            ),
            When(has_upcoming=True, then=Value(Status.ON_TRACK)),
            When(~training_ok, then=Value(Status.MISSING_TRAINING)),
            When(distance_ok=False, then=Value(Status.MISSING_DISTANCE)),
            default=Value(Status.MISSING_ANIMATIONS),
            output_field=CharField(),
        ),
    )


def assessment_of_row(row: User, min_distance: Decimal = Decimal(0)) -> Assessment:
    """The Python assessment of an annotated row (for explanations, and to test both agree)."""
    return assess(
        Totals(row.training, row.training_distance, row.animations, row.union_meetings),
        quotite=row.quotite,
        min_distance=min_distance,
        upcoming_training=row.has_upcoming,
    )
