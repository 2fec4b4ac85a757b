import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")
NEW_PASSWORD = "une-nouvelle-phrase-de-passe"


@pytest.fixture
def camille(db):
    return factories.teacher(email="camille.lefevre@ac-normandie.fr", first_name="Camille")


def link_in(message) -> str:
    match = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_answers_the_same_for_a_known_and_an_unknown_email(client, camille):
    known = client.post(RESET, {"email": camille.email})
    unknown = client.post(RESET, {"email": "inconnu@ac-normandie.fr"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == RESET_DONE
    assert [m.to for m in mail.outbox] == [[camille.email]]


def test_reset_mail_is_in_french_and_carries_a_link(client, camille):
    client.post(RESET, {"email": "Camille.Lefevre@AC-Normandie.fr"})

    [message] = mail.outbox
    assert message.subject == "Préau : réinitialisation de votre mot de passe"
    assert message.body.startswith("Bonjour,")
    assert link_in(message)


def test_reset_page_and_its_confirmation_are_in_french(client, db):
    assert "Réinitialiser mon mot de passe" in client.get(RESET).content.decode()
    assert "Vérifiez votre messagerie" in client.get(RESET_DONE).content.decode()


def test_reset_sends_nothing_to_a_deactivated_account(client, db):
    former = factories.UserFactory(inactive=True)

    response = client.post(RESET, {"email": former.email})

    assert response["Location"] == RESET_DONE
    assert mail.outbox == []


def test_link_in_the_mail_lets_the_person_choose_a_new_password_and_sign_in(client, camille):
    client.post(RESET, {"email": camille.email})
    link = link_in(mail.outbox[0])

    # Django swaps the token for a session marker, so that it does not leak through Referer.
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "Votre mot de passe a été modifié" in client.get(response["Location"]).content.decode()

    signed_in = client.post(
        reverse("accounts:login"), {"username": camille.email, "password": NEW_PASSWORD}
    )
    assert signed_in["Location"] == "/"
    assert client.session["_auth_user_id"] == str(camille.pk)


def test_link_in_the_mail_works_only_once(client, camille):
    client.post(RESET, {"email": camille.email})
    link = link_in(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "Lien invalide ou expiré" in again.content.decode()


def test_invalid_token_shows_the_lien_invalide_page(client, camille):
    client.post(RESET, {"email": camille.email})
    uid = link_in(mail.outbox[0]).split("/")[-3]

    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, "abc-0123456789abcdef"])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Lien invalide ou expiré</h1>" in content
    assert f'href="{RESET}"' in content
