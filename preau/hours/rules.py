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

A teacher's status is the first of STATUS_RULES whose conditions all hold (CONDITIONS:
training, distance, total, upcoming). `assess()` applies the table to one teacher's totals;
selectors.status_case writes the same table in SQL for a whole circonscription (the tests
check that both agree); `status_legend()` writes it in French for the follow-up page, so
that the legend the IEN reads is the rule the platform applies.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.core.numbers import format_hours

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


# The facts a status is decided on, each with what it says in French when it holds and when it
# does not (`%(min)s`: the académie's minimum at distance, `%(half)s`, `%(target)s`: a full-time
# teacher's figures).
CONDITIONS = {
    "training": (
        gettext_lazy(
            "au moins la moitié de l’objectif en formation continue (%(half)s à temps plein)"
        ),
        gettext_lazy(
            "moins de la moitié de l’objectif en formation continue (%(half)s à temps plein)"
        ),
    ),
    "distance": (
        gettext_lazy("une partie de la formation à distance"),
        gettext_lazy("aucune formation à distance"),
    ),
    # "distance" where the académie asks for more than a minimum at distance.
    "distance_min": (
        gettext_lazy("plus de %(min)s de formation à distance"),
        gettext_lazy("pas plus de %(min)s de formation à distance"),
    ),
    "total": (
        gettext_lazy(
            "l’objectif atteint (%(target)s à temps plein, animations et réunions syndicales "
            "validées comprises)"
        ),
        gettext_lazy("l’objectif pas encore atteint (%(target)s à temps plein)"),
    ),
    "upcoming": (
        gettext_lazy(
            "une inscription à une session de l’année pas encore attestée, dont les heures "
            "compteront une fois attestée"
        ),
        gettext_lazy("aucune inscription à une session de l’année pas encore attestée"),
    ),
    # Not a fact of its own: the three conditions of COMPLETE together.
    "complete": (gettext_lazy("complet"), gettext_lazy("pas encore complet")),
}


@dataclass(frozen=True)
class StatusRule:
    """A status, the conditions that must hold for it (`requires`), and those that then
    cannot hold (`lacks`: implied by the rules before it; they complete its legend, and the
    tests check that they are implied)."""

    status: Status
    requires: tuple[str, ...]
    lacks: tuple[str, ...]


# In order: the first rule whose `requires` all hold gives the status; the last requires
# nothing. Two teachers with the same hours differ by `upcoming`: « En bonne voie » is the one
# enrolled in a session of the year not yet attested.
STATUS_RULES = (
    StatusRule(Status.COMPLETE, ("training", "distance", "total"), ()),
    StatusRule(Status.ON_TRACK, ("upcoming",), ("complete",)),
    StatusRule(Status.MISSING_ANIMATIONS, ("training", "distance"), ("total", "upcoming")),
    StatusRule(Status.MISSING_DISTANCE, ("training",), ("distance", "upcoming")),
    StatusRule(Status.MISSING_TRAINING, (), ("training", "upcoming")),
)


def status_from(facts: dict[str, bool]) -> Status:
    """The status of a teacher whose CONDITIONS are `facts` (STATUS_RULES, first match)."""
    for rule in STATUS_RULES:
        if all(facts[name] for name in rule.requires):
            return rule.status
    raise AssertionError("the last rule requires nothing")


def status_legend(min_distance: Decimal = Decimal(0)) -> list[tuple[Status, str]]:
    """Each status with what it means, in French, written from STATUS_RULES in their order
    (the order in which they are decided): « Formation manquante : moins de la moitié… »."""
    values = {
        "min": format_hours(min_distance),
        "half": format_hours(ANNUAL_TARGET / 2),
        "target": format_hours(ANNUAL_TARGET),
    }
    phrases = dict(CONDITIONS)
    if min_distance > 0:
        phrases["distance"] = CONDITIONS["distance_min"]
    legend = []
    for rule in STATUS_RULES:
        # What is missing first: it names the status.
        lacks = [str(phrases[name][1]) % values for name in rule.lacks]
        holds = [str(phrases[name][0]) % values for name in rule.requires]
        text = _(" ; ").join(lacks + holds)
        legend.append((rule.status, f"{text[:1].upper()}{text[1:]}."))
    return legend


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
    status = status_from(
        {
            "training": missing_training == 0,
            "distance": distance_ok,
            "total": missing_total == 0,
            "upcoming": upcoming_training,
        }
    )
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
