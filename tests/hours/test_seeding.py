"""The hours of `seed`: the demo shows every status to its IEN; the national ledger is big,
realistic and written once."""

import random
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from preau.accounts import seeding as accounts_seeding
from preau.accounts.models import User
from preau.hours import seeding as hours_seeding
from preau.hours.models import Animation, Entry, Kind, Source, TeacherYearTotals
from preau.hours.rules import Status, school_year_of
from preau.hours.selectors import with_hours_status, year_totals_disagreements
from preau.territories import seeding as territories_seeding
from preau.territories.models import Circonscription

FACTOR = 0.005  # 1,650 teachers: about 7,000 entries, a few seconds on either database

# What the seed writes depends on today: the current school year's elapsed share.
pytestmark = pytest.mark.date_sensitive


def ledger_snapshot() -> tuple[int, int, int]:
    return (
        Entry.objects.count(),
        Animation.objects.count(),
        Entry.objects.filter(validated_at__isnull=False).count(),
    )


@pytest.fixture
def demo(db):
    call_command("seed", "--scale", "demo", verbosity=0, i_know_this_is_production=True)


def test_the_demo_ien_sees_every_status_in_caen_nord(demo):
    caen_nord = Circonscription.objects.get(name="Caen Nord")
    teachers = User.objects.teachers().filter(school__circonscription=caen_nord)
    year = school_year_of(timezone.localdate())

    statuses = Counter(row.status for row in with_hours_status(teachers, year))

    assert set(statuses) == set(Status.values)
    # Most teachers attended the animations.
    with_animations = teachers.filter(hour_entries__kind=Kind.ANIMATION).distinct().count()
    assert with_animations > 0.7 * teachers.count()


def test_demo_animations_are_recorded_by_their_ien_in_the_past_of_this_school_year(demo):
    today = timezone.localdate()
    animations = Animation.objects.select_related("circonscription")
    assert animations.count() == 6 * len(hours_seeding.DEMO_ANIMATIONS)
    for animation in animations:
        assert animation.date <= today
        assert school_year_of(animation.date) == school_year_of(today)
        assert animation.recorded_by.roles.filter(
            role="ien", circonscription=animation.circonscription
        ).exists()
    assert Animation.objects.filter(recorded_by__email="ien@demo.preau.fr").count() == 3


def test_demo_corrections_have_reasons_and_union_meetings_wait_for_the_ien(demo):
    corrections = Entry.objects.filter(source=Source.CORRECTION)
    assert 2 <= corrections.count() <= 4
    assert all(reason.strip() for reason in corrections.values_list("reason", flat=True))
    assert corrections.filter(presence_hours__lt=0).exists()  # one removes hours
    declarations = Entry.objects.filter(source=Source.DECLARATION, kind=Kind.UNION_MEETING)
    assert declarations.filter(validated_at__isnull=False).exists()
    assert declarations.filter(validated_at__isnull=True).count() == 1


def test_seeding_the_demo_hours_twice_adds_nothing(demo, django_assert_max_num_queries):
    before = ledger_snapshot()
    messages = []

    # The demo circonscriptions, then whether their animations exist.
    with django_assert_max_num_queries(4):
        hours_seeding.seed_demo(random.Random(1), messages.append)

    assert ledger_snapshot() == before
    assert "déjà en place" in messages[0]


# National -----------------------------------------------------------------------------------


def seed_national(seed: int = 2026) -> list[str]:
    messages: list[str] = []
    territories_seeding.seed_national(random.Random(f"{seed}-t"), messages.append, factor=FACTOR)
    accounts_seeding.seed_national(random.Random(f"{seed}-a"), messages.append, factor=FACTOR)
    hours_seeding.seed_national(random.Random(f"{seed}-h"), messages.append, factor=FACTOR)
    return messages


@pytest.fixture
def national(db):
    seed_national()


def current_year_share() -> float:
    """How much of the current school year the seed covers: 0 on 1 September, 1 in July."""
    today = timezone.localdate()
    last = hours_seeding.national_years(today).get(school_year_of(today), today)
    return 0.0 if last == today else hours_seeding.elapsed_share(school_year_of(today), last)


def test_the_national_ledger_has_about_three_entries_per_teacher_and_full_year(national):
    teachers = User.objects.teachers().count()
    entries = Entry.objects.count()
    years = 1 + current_year_share()  # the previous year, and the elapsed part of this one

    # Without the national sessions (seeded here alone), training entries are drawn: ≈3.4 per
    # teacher and full year (≈4.2 in November). At factor 1, with the sessions' attested
    # participants credited instead: ≈330,000 teachers, ≈1.5 million entries in November.
    assert 3.0 * years * teachers < entries < 3.8 * years * teachers
    kinds = Counter(Entry.objects.values_list("kind", "source"))
    assert kinds[(Kind.TRAINING, Source.SESSION)] > 0.2 * entries
    assert kinds[(Kind.ANIMATION, Source.ANIMATION)] > 0.5 * entries
    assert 0 < kinds[(Kind.TRAINING, Source.CORRECTION)] < 0.01 * entries
    assert 0 < kinds[(Kind.UNION_MEETING, Source.DECLARATION)] < 0.05 * entries
    assert not Entry.objects.filter(source=Source.CORRECTION, reason="").exists()
    assert Entry.objects.filter(source=Source.DECLARATION, validated_at__isnull=True).exists()


def test_the_national_teachers_yearly_totals_are_those_of_their_ledger(national):
    # Written by COPY, around the services: the seeder rebuilds the totals the pages read.
    teacher_years = Entry.objects.counted().values_list("teacher", "school_year").distinct().count()
    assert (
        TeacherYearTotals.objects.count() == teacher_years > 0.9 * User.objects.teachers().count()
    )
    assert year_totals_disagreements() == []


def test_national_entries_lie_in_their_school_year_in_the_past(national):
    today = timezone.localdate()
    years = Counter(Entry.objects.values_list("school_year", flat=True))
    # The current year as soon as a school day of it has passed (not on 1 September).
    assert set(years) == set(hours_seeding.national_years(today))
    for year, day in Entry.objects.values_list("school_year", "date").iterator():
        assert school_year_of(day) == year
        assert day < today
    # Animations entries are those of an animation of the teacher's own circonscription.
    assert not (
        Entry.objects.filter(source=Source.ANIMATION)
        .exclude(animation__circonscription=F("teacher__school__circonscription"))
        .exists()
    )


def test_most_national_teachers_do_between_6_and_21_hours_a_year_and_some_none(national):
    previous = school_year_of(timezone.localdate()) - 1
    totals = dict(
        Entry.objects.counted()
        .filter(school_year=previous)
        .values("teacher")
        .annotate(hours=Sum(F("presence_hours") + F("distance_hours")))
        .values_list("teacher", "hours")
    )
    teachers = list(User.objects.teachers().values_list("pk", flat=True))
    hours = [totals.get(pk, Decimal(0)) for pk in teachers]

    within = sum(Decimal(6) <= h <= Decimal(21) for h in hours)
    assert within > 0.7 * len(hours)
    assert 0.02 * len(hours) < sum(h == 0 for h in hours) < 0.1 * len(hours)
    assert Decimal(9) <= statistics.median(hours) <= Decimal(18)
    statuses = Counter(row.status for row in with_hours_status(User.objects.teachers(), previous))
    assert {Status.COMPLETE, Status.MISSING_TRAINING, Status.MISSING_DISTANCE} <= set(statuses)


def test_second_national_run_adds_no_hours(national, django_assert_max_num_queries):
    before = ledger_snapshot()

    with django_assert_max_num_queries(12):
        messages = seed_national()

    assert ledger_snapshot() == before
    assert "déjà en place" in messages[-1]
