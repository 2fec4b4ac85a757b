import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from preau.accounts.models import ROLE_SCOPE_KINDS, Role, RoleAssignment
from preau.accounts.services import assign_role
from tests import factories

KINDS = [None, "academie", "departement", "circonscription"]
# Which member of the `territory` fixture stands for each kind of territory.
FIXTURE_OF_KIND = {"academie": "academie", "departement": "calvados", "circonscription": "caen"}
ALLOWED = [
    (role, kind) for role, kinds in ROLE_SCOPE_KINDS.items() for kind in sorted(kinds, key=str)
]
REFUSED = [
    (role, kind) for role, kinds in ROLE_SCOPE_KINDS.items() for kind in KINDS if kind not in kinds
]


def scope(kind: str | None, territory: dict) -> dict:
    return {} if kind is None else {kind: territory[FIXTURE_OF_KIND[kind]]}


def case_id(case) -> str:
    role, kind = case
    return f"{role}-{kind or 'national'}"


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_database_accepts_a_role_scoped_to_the_kind_of_territory_it_needs(case, territory):
    role, kind = case
    user = factories.UserFactory(school=territory["caen_school"], role=False)

    RoleAssignment.objects.create(user=user, role=role, **scope(kind, territory))


@pytest.mark.parametrize("case", REFUSED, ids=case_id)
def test_database_refuses_a_role_scoped_to_another_kind_of_territory(case, territory):
    role, kind = case
    user = factories.UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, **scope(kind, territory))


def test_ien_without_circonscription_is_refused_by_the_database(db):
    user = factories.UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.IEN)
    assert not RoleAssignment.objects.exists()


def test_role_with_two_territories_is_refused_by_the_database(territory):
    user = factories.UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=user,
            role=Role.TRAINER,
            circonscription=territory["caen"],
            departement=territory["calvados"],
        )


def test_same_role_in_the_same_circonscription_cannot_be_given_twice(territory):
    ien = factories.with_role(Role.IEN, circonscription=territory["caen"])

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=ien, role=Role.IEN, circonscription=territory["caen"])


def test_national_role_cannot_be_given_twice_although_its_territory_columns_are_empty(db):
    # NULL never equals NULL: the constraint coalesces the scope columns to catch this case.
    admin = factories.with_role(Role.ADMIN)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=admin, role=Role.ADMIN)


def test_same_role_in_two_circonscriptions_is_allowed(territory):
    ien = factories.with_role(Role.IEN, circonscription=territory["caen"])
    factories.with_role(Role.IEN, user=ien, circonscription=territory["bayeux"])

    assert ien.roles.count() == 2


def test_assign_role_gives_the_role_in_its_territory(territory):
    user = factories.UserFactory()

    assignment = assign_role(user=user, role=Role.IEN, circonscription=territory["caen"])

    assert (assignment.user, assignment.role, assignment.scope) == (
        user,
        Role.IEN,
        territory["caen"],
    )


def test_assign_role_twice_gives_the_role_once(territory):
    user = factories.UserFactory()

    first = assign_role(user=user, role=Role.PILOT, departement=territory["calvados"])
    second = assign_role(user=user, role=Role.PILOT, departement=territory["calvados"])

    assert first.pk == second.pk
    assert user.roles.count() == 1


def test_assign_national_role_twice_gives_the_role_once(db):
    user = factories.UserFactory()

    assign_role(user=user, role=Role.ADMIN)
    assign_role(user=user, role=Role.ADMIN)

    assert user.roles.count() == 1


def test_assign_role_refuses_a_territory_that_does_not_suit_the_role_in_french(territory):
    user = factories.UserFactory()

    with pytest.raises(ValidationError) as caught:
        assign_role(user=user, role=Role.IEN, departement=territory["calvados"])

    assert caught.value.messages == [
        "Le territoire choisi ne convient pas au rôle « IEN de circonscription »."
    ]
    assert not user.roles.exists()


def test_assign_role_refuses_an_ien_without_circonscription(db):
    user = factories.UserFactory()

    with pytest.raises(ValidationError, match="ne convient pas au rôle"):
        assign_role(user=user, role=Role.IEN)


def test_assign_role_refuses_two_territories_at_once(territory):
    user = factories.UserFactory()

    with pytest.raises(ValidationError, match="ne convient pas au rôle « Formateur »"):
        assign_role(
            user=user,
            role=Role.TRAINER,
            circonscription=territory["caen"],
            departement=territory["calvados"],
        )


def test_assign_role_refuses_to_make_a_teacher_of_a_person_without_school(db):
    user = factories.UserFactory()

    with pytest.raises(ValidationError) as caught:
        assign_role(user=user, role=Role.TEACHER)

    assert caught.value.messages == ["Un professeur des écoles doit avoir une école d’affectation."]
    assert not user.roles.exists()


def test_assign_role_makes_a_teacher_of_a_person_with_a_school(territory):
    user = factories.UserFactory(school=territory["caen_school"], role=False)

    assign_role(user=user, role=Role.TEACHER)

    assert list(user.roles.values_list("role", flat=True)) == [Role.TEACHER]


@pytest.mark.parametrize("case", REFUSED, ids=case_id)
def test_assign_role_refuses_in_french_what_the_database_would_refuse(case, territory):
    role, kind = case
    user = factories.UserFactory(school=territory["caen_school"], role=False)

    with pytest.raises(ValidationError):
        assign_role(user=user, role=role, **scope(kind, territory))
