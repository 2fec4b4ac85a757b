"""Passwords: 12 characters at least (ANSSI), not in the common-password list."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

PASSWORD_CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")


@pytest.fixture
def camille(db):
    # A fixed name: the similarity validator would refuse « cahier-verts » for a random
    # « Christiane » or « Charpentier » (about one draw in 35).
    return factories.teacher(
        email="camille.lefevre@ac-normandie.fr", first_name="Camille", last_name="Lefèvre"
    )


def change_password(client, new):
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_eleven_characters_are_refused_with_a_french_message(client, camille):
    client.force_login(camille)

    response = change_password(client, "cahier-vert")  # 11 characters

    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in errors
    camille.refresh_from_db()
    assert camille.check_password(factories.PASSWORD)


def test_twelve_characters_are_enough(client, camille):
    client.force_login(camille)

    response = change_password(client, "cahier-verts")  # 12 characters

    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.check_password("cahier-verts")


def test_a_common_password_is_refused_even_when_long(client, camille):
    client.force_login(camille)

    response = change_password(client, "qwerty123456")

    assert response.status_code == 200
    assert "Ce mot de passe est trop courant." in response.context["form"].errors["new_password2"]


def test_the_form_tells_the_rule_before_the_person_types(client, camille):
    client.force_login(camille)

    page = client.get(PASSWORD_CHANGE).content.decode()

    assert "Votre mot de passe doit contenir au minimum 12 caractères." in page
    # As sentences in the field's hint: a list cannot sit in a <label> (not valid HTML).
    hint = re.search(
        r'<span class="fr-hint-text" id="id_new_password1_helptext">(.*?)</span>', page, re.S
    )
    assert "12 caractères." in hint.group(1)
    assert "<ul>" not in hint.group(1)


def test_a_short_password_is_refused_through_the_reset_link_too(client, camille):
    client.post(RESET, {"email": camille.email})
    link = re.search(r"http://testserver(/compte/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).request["PATH_INFO"]

    response = client.post(
        form_url, {"new_password1": "court-court", "new_password2": "court-court"}
    )

    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in str(response.context["form"].errors)
