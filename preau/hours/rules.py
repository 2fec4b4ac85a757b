"""The rules of the 18 hours, in one place.

A professeur des écoles owes, each school year (1 September – 31 August), 18 hours of
animations pédagogiques and continuing training, prorated by their working share (quotité):

- continuing training must be at least half of the target;
- part of the training must be done at distance: more than the académie's minimum (0 h by
  default: any distance part at all);
- training beyond half the target also counts towards the total; hours beyond the target are
  shown but never make up for a missing distance part;
- up to 9 hours of animations (prorated like the target) may be swapped for union information
  meetings (declared by the teacher, validated by the IEN).

`assess()` applies them to one teacher's totals; selectors.py computes the same statuses in
SQL for a whole circonscription, and the tests check that both agree.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ANNUAL_TARGET = Decimal(18)
SCHOOL_YEAR_FIRST_MONTH = 9  # September
UNION_SWAP_MAX = Decimal(9)


class Status(models.TextChoices):
    COMPLETE = "complete", gettext_lazy("Complet")
    ON_TRACK = "on_track", gettext_lazy("En bonne voie")
    MISSING_TRAINING = "missing_training", gettext_lazy("Formation manquante")
    MISSING_DISTANCE = "missing_distance", gettext_lazy("Distance manquante")
    MISSING_ANIMATIONS = "missing_animations", gettext_lazy("Animations manquantes")


def school_year_of(day: datetime.date) -> int:
    """The school year a date belongs to, named by its first year: 2026 for 2026-2027."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def school_year_day(year: int, month: int, day: int) -> datetime.date:
    """The day `day`/`month` of school year `year`: 15 April of 2026-2027 is 2027-04-15."""
    return datetime.date(year if month >= SCHOOL_YEAR_FIRST_MONTH else year + 1, month, day)


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def target_hours(quotite: int) -> Decimal:
    return ANNUAL_TARGET * quotite / 100


@dataclass(frozen=True)
class Totals:
    training: Decimal = Decimal(0)  # presence + distance
    training_distance: Decimal = Decimal(0)
    animations: Decimal = Decimal(0)
    union_meetings: Decimal = Decimal(0)  # validated declarations only


@dataclass(frozen=True)
class Assessment:
    target: Decimal
    training_target: Decimal
    totals: Totals
    union_counted: Decimal
    counted: Decimal
    distance_ok: bool
    missing_training: Decimal
    missing_total: Decimal
    status: Status
    min_distance: Decimal

    @property
    def beyond_target(self) -> Decimal:
        return max(self.counted - self.target, Decimal(0))

    @property
    def explanation(self) -> str:
        """What is still missing, in words a teacher understands."""
        return explain(self)


def assess(
    totals: Totals,
    *,
    quotite: int,
    min_distance: Decimal = Decimal(0),
    upcoming_training: bool = False,
) -> Assessment:
    target = target_hours(quotite)
    training_target = target / 2
    union_counted = min(totals.union_meetings, UNION_SWAP_MAX * quotite / 100)
    counted = totals.training + totals.animations + union_counted
    distance_ok = totals.training_distance > min_distance
    missing_training = max(training_target - totals.training, Decimal(0))
    missing_total = max(target - counted, Decimal(0))
    if missing_training == 0 and distance_ok and missing_total == 0:
        status = Status.COMPLETE
    elif upcoming_training:
        status = Status.ON_TRACK
    elif missing_training > 0:
        status = Status.MISSING_TRAINING
    elif not distance_ok:
        status = Status.MISSING_DISTANCE
    else:
        status = Status.MISSING_ANIMATIONS
    return Assessment(
        target=target,
        training_target=training_target,
        totals=totals,
        union_counted=union_counted,
        counted=counted,
        distance_ok=distance_ok,
        missing_training=missing_training,
        missing_total=missing_total,
        status=status,
        min_distance=min_distance,
    )


def format_hours(value) -> str:
    """13.5 → « 13 h 30 », 18 → « 18 h », −1.5 → « −1 h 30 »: how French people write
    durations (the `hours` template filter is this function)."""
    minutes = round(Decimal(str(value)) * 60)
    sign = "−" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes), 60)
    return f"{sign}{whole} h {rest:02d}" if rest else f"{sign}{whole} h"


def explain(a: Assessment) -> str:
    if a.missing_training == 0 and a.distance_ok and a.missing_total == 0:
        if a.beyond_target:
            return _("Vos %(target)s sont faites, et même %(beyond)s de plus : bravo.") % {
                "target": format_hours(a.target),
                "beyond": format_hours(a.beyond_target),
            }
        return _("Vos %(target)s sont faites : bravo.") % {"target": format_hours(a.target)}
    if a.min_distance > 0:
        distance = _("dont plus de %(min)s à distance") % {"min": format_hours(a.min_distance)}
    else:
        distance = _("dont au moins une partie à distance")
    parts = []
    if a.missing_training > 0:
        phrase = _("%(hours)s de formation") % {"hours": format_hours(a.missing_training)}
        if not a.distance_ok:
            phrase = f"{phrase} {distance}"
        parts.append(phrase)
    elif not a.distance_ok:
        parts.append(
            _("une partie de votre formation à distance")
            if a.min_distance == 0
            else _("de la formation à distance (plus de %(min)s)")
            % {"min": format_hours(a.min_distance)}
        )
    other = a.missing_total - a.missing_training
    if other > 0:
        parts.append(
            _("%(hours)s d’animations pédagogiques ou de formation")
            % {"hours": format_hours(other)}
        )
    return _("Il vous manque %(parts)s.") % {"parts": _(" et ").join(parts)}
