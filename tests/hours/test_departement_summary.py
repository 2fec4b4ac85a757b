"""The département aggregate: counted by the database, in agreement with the IEN's statuses."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal as D

import pytest

from preau.accounts.models import User
from preau.hours import services
from preau.hours.models import HoursPolicy, Kind
from preau.hours.rules import Status
from preau.hours.selectors import departement_summary, with_hours_status
from tests import factories

YEAR = 2025
DAY = datetime.date(2025, 11, 5)


@pytest.fixture
def ledgers(cast, territory):
    """Teachers of Caen Nord and Bayeux (Calvados) and of Saint-Lô (Manche) in every status."""
    ien = cast["ien"]
    t = territory
    people = {
        "caen": [cast["teacher"], *factories.teachers_at(t["caen_school"], 5)],
        "bayeux": factories.teachers_at(t["bayeux_school"], 4),
        "saint_lo": factories.teachers_at(t["saint_lo_school"], 2),
    }
    caen, bayeux = people["caen"], people["bayeux"]
    User.objects.filter(pk=caen[3].pk).update(quotite=50)

    def training(teacher, presence, distance):
        services.correct(
            by=ien,
            teacher=teacher,
            school_year=YEAR,
            date=DAY,
            kind=Kind.TRAINING,
            presence_hours=D(presence),
            distance_hours=D(distance),
            reason="Stage hors plateforme",
        )

    services.record_animation(
        by=ien,
        circonscription=t["caen"],
        title="Conférence",
        date=DAY,
        presence_hours=D(9),
        attendees=[*caen[:4], *bayeux[:2], people["saint_lo"][0]],
    )
    training(caen[0], 6, 3)  # complete
    training(caen[1], 9, 0)  # missing distance
    training(caen[2], 3, 1)  # missing training
    training(caen[3], 3, 2)  # 50 %: 4.5 h of training, 9 h counted → complete
    training(caen[4], 6, 3)  # missing animations
    training(bayeux[0], 9, 2)  # complete
    union = services.declare_union_meeting(teacher=bayeux[2], date=DAY, hours=D(12))
    services.validate_declaration(entry=union, by=ien)
    training(bayeux[2], 9, 1)  # 9 + 9 (union, capped) = 18: complete
    services.declare_union_meeting(teacher=bayeux[3], date=DAY, hours=D(3))  # pending
    factories.EnrolmentFactory(
        user=caen[5],
        session=factories.TrainingSessionFactory(
            open=True, start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 30)
        ),
    )  # on track
    return people


def expected(territory, min_distance=D(0)):
    teachers = User.objects.teachers().filter(
        school__circonscription__departement=territory["calvados"]
    )
    counts, hours = defaultdict(Counter), defaultdict(D)
    for row in with_hours_status(teachers.select_related("school"), YEAR, min_distance):
        counts[row.school.circonscription_id][row.status] += 1
        hours[row.school.circonscription_id] += row.counted
    return counts, hours


def test_the_departement_summary_agrees_with_the_statuses_of_each_teacher(ledgers, territory):
    counts, hours = expected(territory)

    summary = departement_summary(territory["calvados"], YEAR)

    assert [s.circonscription.name for s in summary] == ["Bayeux", "Caen Nord"]
    for line in summary:
        place = line.circonscription.pk
        assert line.statuses == {s.value: counts[place][s] for s in Status}
        assert line.teachers == sum(counts[place].values())
        assert line.hours == hours[place]
    caen = summary[1].statuses
    assert caen == {
        Status.COMPLETE: 2,
        Status.ON_TRACK: 1,
        Status.MISSING_TRAINING: 1,
        Status.MISSING_DISTANCE: 1,
        Status.MISSING_ANIMATIONS: 1,
    }
    assert summary[0].statuses[Status.COMPLETE] == 2


def test_the_summary_applies_the_academie_minimum_distance(ledgers, territory):
    HoursPolicy.objects.create(academie=territory["academie"], min_distance_hours=D(2))
    counts, _hours = expected(territory, D(2))

    summary = departement_summary(territory["calvados"], YEAR)

    for line in summary:
        assert line.statuses == {s.value: counts[line.circonscription.pk][s] for s in Status}
    # More than 2 h at distance: only Caen's full-time teacher with 3 h stays complete.
    assert [s.statuses[Status.COMPLETE] for s in summary] == [0, 1]


def test_the_summary_lists_a_circonscription_without_teachers_and_ignores_other_years(
    ledgers, territory
):
    empty = factories.CirconscriptionFactory(name="Vire", departement=territory["calvados"])

    summary = {s.circonscription: s for s in departement_summary(territory["calvados"], YEAR + 1)}

    assert summary[empty].teachers == 0
    assert summary[empty].hours == 0
    caen = summary[territory["caen"]]
    assert caen.teachers == 6
    assert caen.hours == 0
    assert caen.statuses[Status.COMPLETE] == 0


def test_the_summary_costs_two_queries_whatever_the_size(ledgers, territory, count_queries):
    with count_queries() as small:
        departement_summary(territory["calvados"], YEAR)
    factories.grow(territory, factor=10)
    with count_queries() as big:
        summary = departement_summary(territory["calvados"], YEAR)

    # The circonscriptions of the département; one GROUP BY over the annotated teachers.
    assert len(small) == len(big) == 2, big.sql()
    assert len(summary) == 20
