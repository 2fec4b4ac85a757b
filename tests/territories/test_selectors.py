from preau.accounts.models import Role
from preau.territories.models import Circonscription, Departement, School
from preau.territories.selectors import (
    with_circonscription_counts,
    with_departement_counts,
    with_school_counts,
)
from tests import factories


def departement_counts() -> dict[str, tuple[int, int, int]]:
    return {
        d.code: (d.circonscription_count, d.school_count, d.teacher_count)
        for d in with_departement_counts(Departement.objects.all())
    }


def circonscription_counts() -> dict[str, tuple[int, int]]:
    return {
        c.name: (c.school_count, c.teacher_count)
        for c in with_circonscription_counts(Circonscription.objects.all())
    }


def test_counts_include_teachers_only(cast, territory):
    # A trainer attached to a school is staff, not one of its teachers.
    factories.with_role(
        Role.TRAINER,
        user=factories.UserFactory(school=territory["caen_school"], role=False),
        circonscription=territory["caen"],
    )

    assert departement_counts() == {"014": (2, 2, 1), "050": (1, 1, 0)}
    assert circonscription_counts()["Caen Nord"] == (1, 1)
    school = with_school_counts(School.objects.filter(pk=territory["caen_school"].pk)).get()
    assert school.teacher_count == 1


def test_school_outside_any_circonscription_counts_for_its_departement_only(cast, territory):
    school = factories.SchoolFactory(circonscription=None, departement=territory["calvados"])
    factories.teacher(school=school)

    assert departement_counts()["014"] == (2, 3, 2)
    assert circonscription_counts() == {"Caen Nord": (1, 1), "Bayeux": (1, 0), "Saint-Lô": (1, 0)}


def test_counts_follow_a_territory_ten_times_bigger(cast, territory):
    factories.grow(territory, factor=10)

    counts = departement_counts()
    # Each original school now has ten more teachers; Camille is still at Caen.
    assert counts["014"] == (20, 20, 201)
    assert counts["050"] == (10, 10, 100)
    assert len(counts) == 20
    assert circonscription_counts()["Caen Nord"] == (10, 101)
