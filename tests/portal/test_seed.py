from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from preau.accounts.models import RoleAssignment, User
from preau.accounts.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD
from preau.territories.models import Academie, Circonscription, Departement, School


def seed_demo() -> None:
    call_command("seed", "--scale", "demo", verbosity=0, i_know_this_is_production=True)


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


def test_seed_refuses_to_run_when_debug_is_off(db, settings):
    # DEBUG off is how production runs: the demo would add an administrator whose password is
    # printed in the README.
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("seed", "--scale", "demo", verbosity=0)

    assert not User.objects.exists()
    assert not Academie.objects.exists()


def test_seed_runs_with_debug_off_when_told_it_is_production_on_purpose(db, settings):
    settings.DEBUG = False

    call_command("seed", "--scale", "demo", "--i-know-this-is-production", verbosity=0)

    assert User.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists()


def test_seed_runs_without_the_flag_when_debug_is_on(db, settings):
    settings.DEBUG = True

    call_command("seed", "--scale", "demo", verbosity=0)

    assert User.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists()


def test_listing_the_demo_accounts_creates_nothing_and_needs_no_flag(db, settings, capsys):
    # bin/run prints the accounts on start-up, whatever DEBUG says.
    settings.DEBUG = False

    call_command("seed", "--accounts-only")

    assert DEMO_ACCOUNTS[0][0] in capsys.readouterr().out
    assert not User.objects.exists()


def test_make_run_and_make_seed_pass_the_flag_so_they_keep_working_with_debug_off():
    # make run serves the demo: it must go on seeding once DEBUG is off for it too.
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    seed_lines = [line for line in makefile.splitlines() if "manage.py seed --scale" in line]

    assert len(seed_lines) == 2
    assert all("--i-know-this-is-production" in line for line in seed_lines)
