"""Sign-in and password-reset limits: per account and per address, in French, revealing nothing."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse

from preau.core.net import client_ip
from tests import factories

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
RESET_DONE = reverse("accounts:password_reset_done")
LOCKED = "Trop de tentatives de connexion ont échoué"

limits_on = override_settings(
    AXES_ENABLED=True, PREAU_SIGNIN_FAILURES_PER_ACCOUNT=5, PREAU_SIGNIN_FAILURES_PER_IP=50
)


@pytest.fixture
def camille(db):
    return factories.teacher(email="camille.lefevre@ac-normandie.fr", first_name="Camille")


def sign_in(client, email, password=factories.PASSWORD, **meta):
    return client.post(LOGIN, {"username": email, "password": password}, **meta)


def fail(client, email, times, **meta):
    for _ in range(times):
        response = sign_in(client, email, "pas-le-bon-mot-de-passe", **meta)
        assert response.status_code in (200, 429)


@limits_on
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_no_longer_signs_in(
    client, camille
):
    fail(client, camille.email, 30)

    response = sign_in(client, camille.email)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert LOCKED in page
    assert "réessayez dans 15 minutes" in page


@limits_on
def test_five_failures_lock_but_four_do_not(client, camille):
    fail(client, camille.email, 4)
    assert sign_in(client, camille.email).status_code == 302

    client.logout()
    fail(client, camille.email, 5)
    assert sign_in(client, camille.email).status_code == 429


@limits_on
def test_a_success_starts_the_count_again(client, camille):
    fail(client, camille.email, 4)
    assert sign_in(client, camille.email).status_code == 302
    client.logout()

    fail(client, camille.email, 4)

    assert sign_in(client, camille.email).status_code == 302


@limits_on
def test_lockout_page_is_the_same_for_an_existing_and_an_unknown_account(client, camille):
    fail(client, camille.email, 5)
    existing = sign_in(client, camille.email, "encore-faux")
    fail(client, "personne@ac-normandie.fr", 5)
    unknown = sign_in(client, "personne@ac-normandie.fr", "encore-faux")

    assert existing.status_code == unknown.status_code == 429
    assert existing.content == unknown.content


@limits_on
def test_changing_the_case_of_the_address_gives_no_fresh_attempts(client, camille):
    fail(client, "Camille.Lefevre@ac-normandie.fr", 3)
    fail(client, "CAMILLE.LEFEVRE@AC-NORMANDIE.FR ", 2)

    assert sign_in(client, camille.email).status_code == 429


@limits_on
def test_an_account_stays_locked_from_another_address(client, camille):
    fail(client, camille.email, 5, REMOTE_ADDR="203.0.113.7")

    other = sign_in(client, camille.email, REMOTE_ADDR="198.51.100.9")

    assert other.status_code == 429


@override_settings(
    AXES_ENABLED=True, PREAU_SIGNIN_FAILURES_PER_ACCOUNT=5, PREAU_SIGNIN_FAILURES_PER_IP=8
)
def test_one_address_trying_many_accounts_is_locked_for_every_account(client, camille):
    for number in range(8):
        fail(client, f"inconnu{number}@ac-normandie.fr", 1)

    assert sign_in(client, camille.email).status_code == 429
    # The school next door, on another address, signs in.
    assert sign_in(client, camille.email, REMOTE_ADDR="198.51.100.9").status_code == 302


@limits_on
def test_a_forged_forwarded_for_header_gives_no_fresh_address(client, camille, settings):
    settings.PREAU_TRUSTED_PROXY = False
    for number in range(5):
        fail(client, camille.email, 1, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    assert sign_in(client, camille.email, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


@limits_on
def test_a_new_password_chosen_through_the_mail_lifts_the_lock(client, camille):
    fail(client, camille.email, 6)
    client.post(RESET, {"email": camille.email})
    link = re.search(r"http://testserver(/compte/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.request["PATH_INFO"],
        {
            "new_password1": "une-phrase-de-passe-neuve",
            "new_password2": "une-phrase-de-passe-neuve",
        },
    )

    assert sign_in(client, camille.email, "une-phrase-de-passe-neuve").status_code == 302


def test_client_address_is_remote_addr_unless_a_proxy_is_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    settings.PREAU_TRUSTED_PROXY = False
    assert client_ip(request) == "192.0.2.1"

    settings.PREAU_TRUSTED_PROXY = True
    # The right-most entry is the one our proxy wrote; the left ones are the client's claims.
    assert client_ip(request) == "203.0.113.5"

    request.META["HTTP_X_FORWARDED_FOR"] = "pas-une-adresse"
    assert client_ip(request) == "192.0.2.1"


def test_twenty_reset_requests_send_three_mails_then_say_when_to_try_again(client, camille):
    responses = [client.post(RESET, {"email": camille.email}) for _ in range(20)]

    assert len(mail.outbox) == 3
    assert [r.status_code for r in responses[:3]] == [302] * 3
    assert {r.status_code for r in responses[3:]} == {429}
    assert "réessayez dans 60 minutes" in responses[3].content.decode()


def test_reset_cap_answers_the_same_for_an_unknown_address(client, camille):
    for _ in range(3):
        client.post(RESET, {"email": camille.email})
        client.post(RESET, {"email": "inconnu@ac-normandie.fr"})

    known = client.post(RESET, {"email": camille.email})
    unknown = client.post(RESET, {"email": "inconnu@ac-normandie.fr"})

    assert known.status_code == unknown.status_code == 429
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_one_address_asking_for_many_accounts_is_capped_at_ten_mails(client, db):
    people = [factories.teacher() for _ in range(15)]

    for person in people:
        client.post(RESET, {"email": person.email})

    assert len(mail.outbox) == 10
    # Another network is not affected.
    client.post(RESET, {"email": people[-1].email}, REMOTE_ADDR="198.51.100.9")
    assert len(mail.outbox) == 11
