"""Sessions end after an idle time that depends on the role (preau/accounts/session_policy.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests import factories

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
MONDAY_9AM = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
COOKIE = settings.SESSION_COOKIE_NAME


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def sign_in(client, user, remember=False):
    data = {"username": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302
    return response


def signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def test_staff_session_ends_after_two_idle_hours(client, cast, clock):
    sign_in(client, cast["ien"])

    clock.shift(datetime.timedelta(hours=1, minutes=59))
    assert signed_in(client)
    clock.shift(datetime.timedelta(hours=2, minutes=1))

    assert not signed_in(client)


def test_staff_session_lasts_while_the_person_keeps_working(client, cast, clock):
    sign_in(client, cast["pilot"])

    for _ in range(6):  # 5 hours, a request every 50 minutes
        clock.shift(datetime.timedelta(minutes=50))
        assert signed_in(client)


def test_staff_cannot_stay_signed_in_for_days_even_when_ticking_the_box(client, cast, clock):
    sign_in(client, cast["manager"], remember=True)

    clock.shift(datetime.timedelta(hours=2, minutes=1))

    assert not signed_in(client)


def test_a_trainer_who_is_also_a_teacher_gets_the_staff_idle_time(client, cast, clock):
    trainer = cast["trainer"]
    sign_in(client, trainer, remember=True)

    clock.shift(datetime.timedelta(hours=3))

    assert not signed_in(client)


def test_teacher_who_stays_signed_in_is_kept_fourteen_days_idle(client, cast, clock):
    response = sign_in(client, cast["teacher"], remember=True)
    # Fourteen days, moved on to the next midnight in Paris (the row keeps no finer time).
    max_age = int(response.cookies[COOKIE]["max-age"])
    assert 14 * 24 * 60 * 60 <= max_age < 15 * 24 * 60 * 60

    clock.shift(datetime.timedelta(days=13))
    assert signed_in(client)
    # Fourteen idle days, up to the midnight after them.
    clock.shift(datetime.timedelta(days=14, hours=14))
    assert signed_in(client)
    clock.shift(datetime.timedelta(days=15))

    assert not signed_in(client)


def test_teacher_without_the_box_gets_a_session_that_ends_with_the_browser(client, cast, clock):
    response = sign_in(client, cast["teacher"])

    assert response.cookies[COOKIE]["max-age"] == ""
    assert response.cookies[COOKIE]["expires"] == ""
    assert client.session.get_expire_at_browser_close()


def test_idle_time_is_a_setting(client, cast, clock, settings):
    settings.PREAU_SESSION_STAFF_IDLE_MINUTES = 30
    sign_in(client, cast["ien"])

    clock.shift(datetime.timedelta(minutes=31))

    assert not signed_in(client)


def test_the_session_is_written_again_only_after_half_the_idle_time(client, cast, clock):
    sign_in(client, cast["ien"])

    clock.shift(datetime.timedelta(minutes=59))
    early = client.get(PROFILE)
    clock.shift(datetime.timedelta(minutes=2))
    late = client.get(PROFILE)

    assert COOKIE not in early.cookies  # nothing written: no cost on most requests
    assert int(late.cookies[COOKIE]["max-age"]) == 2 * 60 * 60


def test_the_sign_in_page_says_what_rester_connecte_does(client, db):
    page = client.get(LOGIN).content.decode()

    assert "Rester connecté" in page
    assert "Pendant 14 jours sur cet appareil, pour les professeurs des écoles." in page
    assert "déconnectés après 2 h sans activité" in page
