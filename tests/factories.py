"""factory_boy factories shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory

from preau.accounts.models import Role, RoleAssignment, User
from preau.territories.models import Academie, Circonscription, Departement, School
from preau.territories.validators import uai_check_letter

PASSWORD = "mot-de-passe-de-test"


class AcademieFactory(DjangoModelFactory):
    class Meta:
        model = Academie
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"A{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Académie {n}")


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement

    code = factory.Sequence(lambda n: f"{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    academie = factory.SubFactory(AcademieFactory)


class CirconscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Circonscription

    code = factory.Sequence(lambda n: f"CIRC{n:05d}")
    name = factory.Sequence(lambda n: f"Circonscription {n}")
    departement = factory.SubFactory(DepartementFactory)


def _uai(n: int) -> str:
    digits = f"{n % 10_000_000:07d}"
    return digits + uai_check_letter(digits)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    uai = factory.Sequence(lambda n: _uai(1_400_000 + n))
    name = factory.Sequence(lambda n: f"École élémentaire n° {n}")
    commune = "Caen"
    circonscription = factory.SubFactory(CirconscriptionFactory)
    departement = factory.SelfAttribute("circonscription.departement")


class UserFactory(DjangoModelFactory):
    """A person with no role; traits and the role helpers below give them one."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@ac-test.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    class Params:
        teacher = factory.Trait(school=factory.SubFactory(SchoolFactory))

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if self.school_id and create and extracted is None:
            RoleAssignment.objects.get_or_create(user=self, role=Role.TEACHER)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER


def teacher(school=None, **kwargs) -> User:
    return UserFactory(school=school or SchoolFactory(), **kwargs)


def with_role(role: str, *, user: User | None = None, **scope) -> User:
    user = user or UserFactory()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user
