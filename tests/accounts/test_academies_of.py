"""academies_of: the académies a person works in, through their school or any role."""

import pytest

from preau.accounts.models import Role
from preau.accounts.selectors import academies_of
from preau.territories.models import Academie
from tests.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    DepartementFactory,
    SchoolFactory,
    UserFactory,
    teacher,
    with_role,
)

pytestmark = pytest.mark.django_db


def academies(user) -> set[str]:
    return set(Academie.objects.filter(pk__in=academies_of(user)).values_list("code", flat=True))


def test_a_teacher_works_in_the_academie_of_their_school_only():
    school = SchoolFactory()
    SchoolFactory()  # another académie's school

    assert academies(teacher(school)) == {school.departement.academie.code}


def test_roles_bring_the_academie_of_their_territory_whatever_its_level():
    circonscription, departement, academie = (
        CirconscriptionFactory(),
        DepartementFactory(),
        AcademieFactory(),
    )
    person = with_role(Role.TRAINER, circonscription=circonscription)
    with_role(Role.PILOT, user=person, departement=departement)
    with_role(Role.DESIGNER, user=person, academie=academie)

    assert academies(person) == {
        circonscription.departement.academie.code,
        departement.academie.code,
        academie.code,
    }


def test_a_person_without_school_or_territorial_role_works_in_no_academie():
    person = with_role(Role.EDITORIAL_COMMITTEE)
    AcademieFactory()

    assert academies(person) == set()
    assert academies(UserFactory()) == set()


def test_academies_of_is_one_subquery_whatever_the_roles(django_assert_num_queries):
    person = with_role(Role.TRAINER, circonscription=CirconscriptionFactory())
    with_role(Role.PILOT, user=person, departement=DepartementFactory())

    # One query: the académies, with the four lookups as a subquery.
    with django_assert_num_queries(1):
        list(Academie.objects.filter(pk__in=academies_of(person)))
