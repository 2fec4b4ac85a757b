from django.core.management import call_command
from django.urls import reverse

from preau.accounts.models import RoleAssignment, User
from preau.accounts.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD
from preau.territories.models import Academie, Circonscription, Departement, School


def seed_demo() -> None:
    call_command("seed", "--scale", "demo", verbosity=0)


def counts() -> dict[str, int]:
    return {
        "academies": Academie.objects.count(),
        "departements": Departement.objects.count(),
        "circonscriptions": Circonscription.objects.count(),
        "schools": School.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
    }


def test_seeding_the_demo_twice_changes_nothing(db):
    seed_demo()
    first = counts()

    seed_demo()

    assert counts() == first
    assert first["schools"] == 60
    assert first["users"] > 600


def test_every_demo_account_signs_in_with_the_demo_password(client, db):
    seed_demo()

    for email, _first, _last, role, _scope, _label in DEMO_ACCOUNTS:
        response = client.post(
            reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert response["Location"] == "/", email
        assert RoleAssignment.objects.filter(user__email=email, role=role).exists(), email
        client.post(reverse("accounts:logout"))
