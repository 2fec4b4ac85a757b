import pytest
from django.urls import reverse

from tests import factories

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
INVALID_LOGIN = (
    "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ; "
    "en cas d’oubli, vous pouvez réinitialiser votre mot de passe."
)


@pytest.fixture
def camille(db):
    return factories.teacher(email="camille.lefevre@ac-normandie.fr", first_name="Camille")


def sign_in(client, email: str, password: str = factories.PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    "email",
    [
        "camille.lefevre@ac-normandie.fr",
        "Camille.Lefevre@AC-Normandie.fr",
        "  CAMILLE.LEFEVRE@AC-NORMANDIE.FR ",
    ],
)
def test_person_signs_in_with_their_email_in_any_case_and_lands_on_home(client, camille, email):
    response = sign_in(client, email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(camille.pk)
    assert "Bonjour Camille" in client.get("/").content.decode()


def test_wrong_password_and_unknown_email_get_the_same_french_error(client, camille):
    wrong_password = sign_in(client, camille.email, "pas-le-bon-mot-de-passe")
    unknown_email = sign_in(client, "inconnu@ac-normandie.fr")

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert signed_in_user_id(client) is None


def test_deactivated_account_cannot_sign_in_and_is_not_revealed(client, db):
    # Django's backend refuses inactive accounts before the form can tell why: the person gets
    # the same message as for a wrong password, so the page does not reveal that it exists.
    former = factories.UserFactory(inactive=True, email="parti@ac-normandie.fr")

    response = sign_in(client, former.email)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [INVALID_LOGIN]
    assert signed_in_user_id(client) is None


def test_sign_in_leads_to_the_page_that_was_asked_for(client, cast):
    asked = client.get(reverse("territories:overview"))
    assert asked["Location"] == f"{LOGIN}?next=/piloter/"

    response = sign_in(client, cast["ien"].email, next="/piloter/")

    assert response["Location"] == "/piloter/"


def test_sign_in_never_leads_to_another_site(client, camille):
    response = sign_in(client, camille.email, next="https://phishing.example/")

    assert response["Location"] == "/"


def test_signed_in_person_opening_the_sign_in_page_is_sent_home(client, camille):
    client.force_login(camille)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_page_is_in_french(client, db):
    content = client.get(LOGIN).content.decode()

    assert "<h1>Se connecter à Préau</h1>" in content
    assert "Adresse électronique" in content
    assert "Mot de passe oublié ?" in content


def test_sign_out_is_a_post_that_ends_the_session(client, camille):
    client.force_login(camille)

    assert client.get(LOGOUT).status_code == 405
    assert signed_in_user_id(client) == str(camille.pk)

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) is None
    assert "Se connecter" in client.get("/").content.decode()


def test_sign_out_tells_the_browser_to_empty_the_sites_storage(client, camille):
    """The offline copies of the collective preparations (IndexedDB) must not stay on a shared
    school computer for the next person: `Clear-Site-Data: "storage"` on the sign-out."""
    client.force_login(camille)

    response = client.post(LOGOUT)

    assert response["Clear-Site-Data"] == '"storage"'
    # Only there: a page does not carry it.
    client.force_login(camille)
    assert "Clear-Site-Data" not in client.get("/").headers
