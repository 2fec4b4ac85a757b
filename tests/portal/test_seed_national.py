"""The national data set of `seed --scale national`, generated at a small factor."""

import random
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F

from preau.accounts import seeding as accounts_seeding
from preau.accounts.models import Role, RoleAssignment, User
from preau.territories import seeding as territories_seeding
from preau.territories.models import Academie, Circonscription, Departement, School
from preau.territories.seeding import ACADEMIES, DEPARTEMENTS, national_plan, uai_prefix
from preau.territories.validators import validate_uai

FACTOR = 0.005  # ≈6 circonscriptions' worth of schools, 1,650 teachers: well under a second
QUOTITES = {100, 80, 75, 50}
ADDRESS = re.compile(r"^[a-z]+\.[a-z]+(?:[2-9]|[1-9]\d+)?@(?P<domain>[a-z.-]+)$")


def seed_national(seed: int = 2026) -> list[str]:
    messages: list[str] = []
    territories_seeding.seed_national(random.Random(f"{seed}-t"), messages.append, factor=FACTOR)
    accounts_seeding.seed_national(random.Random(f"{seed}-a"), messages.append, factor=FACTOR)
    return messages


def national_circonscriptions():
    plan = national_plan(FACTOR)
    return Circonscription.objects.filter(
        code__in=territories_seeding.national_circonscription_codes(plan)
    )


def snapshot() -> dict[str, int]:
    return {
        "académies": Academie.objects.count(),
        "départements": Departement.objects.count(),
        "circonscriptions": Circonscription.objects.count(),
        "écoles": School.objects.count(),
        "comptes": User.objects.count(),
        "rôles": RoleAssignment.objects.count(),
    }


@pytest.fixture
def national(db):
    seed_national()
    return national_plan(FACTOR)


def test_full_size_plan_has_the_national_figures():
    plan = national_plan(1.0)
    assert len({code for code, _name, _slug in ACADEMIES}) == 30
    assert ("A001", "Paris", "paris") in ACADEMIES
    assert ("A070", "Normandie", "normandie") in ACADEMIES
    assert len(plan) == len({d.code for d in plan}) == 101
    assert {d.academie_code for d in plan} == {code for code, _name, _slug in ACADEMIES}
    by_code = {d.code: d for d in plan}
    assert by_code["02A"].academie_code == by_code["02B"].academie_code == "A027"
    assert [uai_prefix(code) for code in ("02A", "02B", "976", "075")] == [
        "620",
        "720",
        "976",
        "075",
    ]
    assert sum(d.circonscriptions for d in plan) == pytest.approx(1_300, rel=0.01)
    assert sum(d.schools for d in plan) == pytest.approx(45_000, rel=0.01)
    assert sum(d.teachers for d in plan) == pytest.approx(330_000, rel=0.01)
    # Spread by size: the Nord outweighs the Lozère on every count.
    nord, lozere = by_code["059"], by_code["048"]
    assert nord.circonscriptions > 10 * lozere.circonscriptions
    assert nord.schools > 10 * lozere.schools
    assert nord.teachers > 30 * lozere.teachers


def test_small_national_seed_is_proportional_to_the_national_figures(national):
    plan = national
    departements = len(DEPARTEMENTS)
    circonscriptions = sum(d.circonscriptions for d in plan)
    schools = sum(d.schools for d in plan)
    teachers = sum(d.teachers for d in plan)
    # Each département keeps one circonscription, each circonscription one school, each school
    # one teacher: a small factor rounds up by at most one per département or per school.
    assert circonscriptions == departements
    assert 45_000 * FACTOR <= schools <= 45_000 * FACTOR + departements
    assert 330_000 * FACTOR <= teachers <= 330_000 * FACTOR + schools

    assert Academie.objects.count() == 30
    assert Departement.objects.count() == departements
    assert national_circonscriptions().count() == Circonscription.objects.count()
    assert Circonscription.objects.count() == circonscriptions
    assert School.objects.count() == schools
    counts = dict(RoleAssignment.objects.values_list("role").annotate(n=Count("pk")))
    assert counts.pop(Role.TEACHER) == teachers
    assert counts.pop(Role.IEN) == counts.pop(Role.TUTOR) == circonscriptions
    assert 2 * circonscriptions <= counts.pop(Role.TRAINER) <= 3 * circonscriptions
    assert counts.pop(Role.PILOT) == 3 * departements
    assert counts.pop(Role.ACADEMIC_MANAGER) == 2 * 30
    assert counts.pop(Role.DESIGNER) == 3 * 30
    assert counts.pop(Role.REVIEWER) == 2 * 30
    assert counts.pop(Role.EDITORIAL_COMMITTEE) == 5
    assert counts == {}
    # One role per person.
    assert User.objects.count() == RoleAssignment.objects.count()


def test_every_school_has_a_valid_uai_opening_with_its_departement(national):
    for uai, departement_code in School.objects.values_list("uai", "departement__code"):
        validate_uai(uai)
        assert uai[:3] == uai_prefix(departement_code)


def test_every_school_has_a_circonscription_of_its_own_departement(national):
    assert not School.objects.filter(circonscription__isnull=True).exists()
    assert not School.objects.exclude(circonscription__departement=F("departement")).exists()
    assert not Circonscription.objects.filter(schools__isnull=True).exists()


def test_every_teacher_has_a_teacher_role_and_an_address_of_their_academie(national):
    slugs = {code: slug for code, _name, slug in ACADEMIES}
    teachers = User.objects.filter(school__isnull=False).values_list(
        "email", "quotite", "school__departement__academie__code"
    )
    assert teachers
    for email, share, academie_code in teachers:
        assert ADDRESS.match(email)["domain"] == f"ac-{slugs[academie_code]}.fr", email
        assert share in QUOTITES
    assert not User.objects.filter(school__isnull=False).exclude(roles__role=Role.TEACHER).exists()
    iens = User.objects.filter(roles__role=Role.IEN).values_list("email", flat=True)
    assert all(ADDRESS.match(email) for email in iens)


def test_second_national_run_adds_nothing(national, django_assert_max_num_queries):
    before = snapshot()
    # Territories: 2 counts; people: an existence check and a count; a savepoint around each.
    with django_assert_max_num_queries(8):
        messages = seed_national()
    assert snapshot() == before
    assert all("déjà en place" in message for message in messages)


def test_same_seed_draws_the_same_people(db):
    def draw():
        with transaction.atomic():
            seed_national(seed=7)
            people = list(
                User.objects.order_by("email").values_list(
                    "email", "first_name", "school__uai", "quotite", "roles__role"
                )
            )
            transaction.set_rollback(True)
        return people

    assert draw() == draw()


def test_national_seed_beside_the_demo_leaves_the_demo_alone(db):
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    demo_people = set(
        User.objects.values_list("email", "password", "school_id", "roles__role", "roles__pk")
    )
    demo_schools = set(School.objects.values_list("uai", "name", "circonscription_id"))

    seed_national()

    assert demo_people <= set(
        User.objects.values_list("email", "password", "school_id", "roles__role", "roles__pk")
    )
    assert demo_schools <= set(School.objects.values_list("uai", "name", "circonscription_id"))
    # Every national teacher is there, in national schools only, though Normandie's addresses
    # were partly taken by the demo's teachers.
    plan = national_plan(FACTOR)
    national = User.objects.filter(school__circonscription__in=national_circonscriptions())
    assert national.count() == sum(d.teachers for d in plan)
    assert not national.filter(email__in=[email for email, *_rest in demo_people]).exists()


def test_demo_refuses_a_database_holding_the_national_set(national):
    before = snapshot()
    with pytest.raises(CommandError, match="jeu de données national"):
        call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert snapshot() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal concerns SQLite only")
def test_national_scale_is_refused_on_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed", scale="national", verbosity=0, i_know_this_is_production=True)
    assert not Academie.objects.exists()
