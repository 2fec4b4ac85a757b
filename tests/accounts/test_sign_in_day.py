"""Of a sign-in, Préau keeps the day (Europe/Paris), never the time (docs/privacy.md)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import User
from preau.accounts.services import record_sign_in_day
from tests import factories

LOGIN = reverse("accounts:login")
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def camille(db):
    return factories.teacher(email="camille.lefevre@ac-normandie.fr", first_name="Camille")


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    client.logout()


def test_a_sign_in_keeps_its_paris_day_and_nothing_finer(client, camille):
    # 23:30 UTC on 31 December is already 1 January in Paris.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)):
        sign_in(client, camille)

    camille.refresh_from_db()
    assert camille.last_login_day == datetime.date(2027, 1, 1)


def test_no_column_of_the_user_table_can_hold_the_time_of_a_sign_in(db):
    timestamps = {
        field.name
        for field in User._meta.concrete_fields
        if isinstance(field, models.DateTimeField)
    }
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), User._meta.db_table
        )
    }

    assert timestamps == {"date_joined"}  # when the account was created, not a sign-in
    assert "last_login" not in columns
    assert isinstance(User._meta.get_field("last_login_day"), models.DateField)


def test_signing_in_again_the_same_day_writes_nothing(client, camille, django_assert_num_queries):
    with time_machine.travel(datetime.datetime(2027, 3, 2, 8, tzinfo=PARIS), tick=False):
        sign_in(client, camille)
        camille.refresh_from_db()
        with django_assert_num_queries(0):
            record_sign_in_day(user=camille)
    assert camille.last_login_day == datetime.date(2027, 3, 2)


def test_a_reset_link_survives_a_sign_in_the_same_day_but_not_one_on_a_later_day(client, camille):
    with time_machine.travel(datetime.datetime(2027, 3, 2, 8, tzinfo=PARIS), tick=False):
        sign_in(client, camille)
        client.post(reverse("accounts:password_reset"), {"email": camille.email})
        [message] = mail.outbox
        link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", message.body)
        sign_in(client, camille)
        assert client.get(link.group(1)).status_code == 302  # to the form: still valid

    with time_machine.travel(datetime.datetime(2027, 3, 3, 8, tzinfo=PARIS), tick=False):
        sign_in(client, camille)
        page = client.get(link.group(1), follow=True).content.decode()

    assert "Lien invalide ou expiré" in page


def test_the_session_row_does_not_date_the_sign_in_either(client, camille):
    with time_machine.travel(datetime.datetime(2027, 3, 2, 8, 17, 23, tzinfo=PARIS), tick=False):
        response = client.post(
            LOGIN,
            {"username": camille.email, "password": factories.PASSWORD, "remember": "on"},
        )
        assert response.status_code == 302
        max_age = int(response.cookies["sessionid"]["max-age"])

    [session] = Session.objects.all()
    # Two weeks after the sign-in, moved to the next midnight in Paris: the day, no finer.
    assert session.expire_date == datetime.datetime(2027, 3, 17, tzinfo=PARIS)
    signed_in = datetime.datetime(2027, 3, 2, 8, 17, 23, tzinfo=PARIS)
    assert signed_in + datetime.timedelta(seconds=max_age) == session.expire_date
    assert str(int(signed_in.timestamp())) not in session.session_data  # not even encoded


def test_a_browser_session_row_does_not_date_the_sign_in_either(client, camille):
    with time_machine.travel(datetime.datetime(2027, 3, 2, 8, 17, 23, tzinfo=PARIS), tick=False):
        response = client.post(LOGIN, {"username": camille.email, "password": factories.PASSWORD})
        assert response.status_code == 302
        assert response.cookies["sessionid"]["max-age"] == ""  # ends with the browser

    [session] = Session.objects.all()
    assert timezone.localtime(session.expire_date).time() == datetime.time(0)


def test_a_session_is_still_found_and_ends_at_its_midnight(client, camille):
    with time_machine.travel(datetime.datetime(2027, 3, 2, 8, tzinfo=PARIS), tick=False):
        client.post(LOGIN, {"username": camille.email, "password": factories.PASSWORD})
    with time_machine.travel(datetime.datetime(2027, 3, 16, 23, 59, tzinfo=PARIS), tick=False):
        assert client.get("/").context["user"] == camille
    with time_machine.travel(datetime.datetime(2027, 3, 17, 0, 1, tzinfo=PARIS), tick=False):
        assert client.get("/").context["user"].is_anonymous
