import re

import pytest
from django.urls import reverse

from preau.accounts.models import User
from tests import factories

PROFILE = reverse("accounts:profile")
PASSWORD_CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "une-nouvelle-phrase-de-passe"


@pytest.fixture
def camille(territory):
    return factories.teacher(
        school=territory["caen_school"],
        email="camille.lefevre@ac-normandie.fr",
        first_name="Camille",
        last_name="Lefèvre",
        quotite=75,
    )


def test_profile_needs_to_be_signed_in(client, db):
    response = client.get(PROFILE)

    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_profile_shows_school_quotite_and_roles(client, camille, territory):
    client.force_login(camille)

    content = client.get(PROFILE).content.decode()

    school = territory["caen_school"]
    assert f"{school.name} ({school.uai}), {school.commune}" in content
    assert "75 %" in content
    assert "camille.lefevre@ac-normandie.fr" in content
    assert "<li>Professeur des écoles</li>" in content


def test_profile_of_a_person_without_school_says_so(client, cast):
    client.force_login(cast["nobody"])

    content = client.get(PROFILE).content.decode()

    assert re.search(r"École d’affectation</dt>\s*<dd>\s*Non renseignée\s*</dd>", content)
    assert re.search(r"Rôles</dt>\s*<dd>\s*Aucun\s*</dd>", content)


def test_editing_names_on_the_profile_saves_them(client, camille):
    client.force_login(camille)

    response = client.post(PROFILE, {"first_name": "  Camille-Anne ", "last_name": "Lefèvre"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    camille.refresh_from_db()
    assert (camille.first_name, camille.last_name) == ("Camille-Anne", "Lefèvre")
    assert "Votre profil a été enregistré." in client.get(PROFILE).content.decode()


@pytest.mark.parametrize("empty", ["", "   "])
def test_empty_name_on_the_profile_gives_an_error_and_changes_nothing(client, camille, empty):
    client.force_login(camille)

    response = client.post(PROFILE, {"first_name": empty, "last_name": "Martin"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"first_name": ["Ce champ est obligatoire."]}
    assert User.objects.values_list("first_name", "last_name").get(pk=camille.pk) == (
        "Camille",
        "Lefèvre",
    )
    # Nor does the page pretend otherwise: the header still names the person as saved.
    header_name = r'account-circle-line"\s+href="/compte/profil/">Camille Lefèvre</a>'
    assert re.search(header_name, response.content.decode())


def test_password_change_keeps_the_person_signed_in_with_the_new_password(client, camille):
    client.force_login(camille)

    response = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response["Location"] == PROFILE
    assert "Votre mot de passe a été modifié." in client.get(PROFILE).content.decode()
    camille.refresh_from_db()
    assert camille.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_old_password_changes_nothing(client, camille):
    client.force_login(camille)

    response = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": "pas-le-bon",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    camille.refresh_from_db()
    assert camille.check_password(factories.PASSWORD)


def test_password_change_page_is_in_french(client, camille):
    client.force_login(camille)

    assert "<h1>Changer mon mot de passe</h1>" in client.get(PASSWORD_CHANGE).content.decode()
