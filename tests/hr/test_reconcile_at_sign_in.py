"""A placeholder account created by an HR import finds its owner at the first sign-in, through
the sign-in itself (the user_logged_in receiver), not only when the function is called."""

from django.urls import reverse

from preau.accounts.models import User
from tests import factories


def test_signing_in_turns_a_placeholder_into_its_owners_account(client, db):
    person = factories.teacher(email="lina.dumas@ac-normandie.fr")
    User.objects.filter(pk=person.pk).update(is_placeholder=True)

    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_placeholder is False
