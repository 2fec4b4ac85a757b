"""Second factor (TOTP + recovery codes) for staff roles, end to end through HTTP."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from preau.accounts.models import Role
from tests import factories

LOGIN = reverse("accounts:login")
CODE_PAGE = reverse("accounts:second_factor")
SETTINGS_PAGE = reverse("accounts:two_factor")
PROFILE = reverse("accounts:profile")
OVERVIEW = reverse("territories:overview")
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client, user, **data):
    return client.post(LOGIN, {"username": user.email, "password": factories.PASSWORD, **data})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def enrol(client, user, clock) -> tuple[TOTPDevice, list[str]]:
    """Through the pages, as the person would: start, scan, type the code."""
    client.post(SETTINGS_PAGE, {"action": "start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETTINGS_PAGE, {"action": "confirm", "code": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    clock.shift(datetime.timedelta(seconds=31))  # a TOTP code works once: next step
    return device, codes


@pytest.fixture
def manager(cast):
    return cast["manager"]


@pytest.fixture
def enrolled(client, manager, clock):
    client.force_login(manager)
    device, codes = enrol(client, manager, clock)
    client.logout()
    return device, codes


def test_enrolment_shows_a_qr_code_and_the_uri_then_ten_codes_once(client, manager, clock):
    client.force_login(manager)
    assert "Mettre en place la double authentification" in client.get(PROFILE).content.decode()

    client.post(SETTINGS_PAGE, {"action": "start"})
    page = client.get(SETTINGS_PAGE).content.decode()
    device = TOTPDevice.objects.get(user=manager)

    assert not device.confirmed
    assert "<svg" in page
    assert "otpauth://totp/" in page
    wrong = client.post(SETTINGS_PAGE, {"action": "confirm", "code": "000000"})
    assert "Ce code ne correspond pas" in wrong.content.decode()
    response = client.post(SETTINGS_PAGE, {"action": "confirm", "code": current_code(device)})

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    # Shown once: the page afterwards says how many are left, never which.
    later = client.get(SETTINGS_PAGE).content.decode()
    assert "Il vous reste 10 codes de secours" in later
    assert not any(code in later for code in codes)


def test_sign_in_asks_the_code_after_the_password(client, manager, enrolled):
    device, _codes = enrolled

    response = sign_in(client, manager, next=OVERVIEW)

    assert response["Location"] == CODE_PAGE
    assert signed_in_as(client) is None
    assert client.get(OVERVIEW)["Location"].startswith(LOGIN)

    response = client.post(CODE_PAGE, {"code": current_code(device)})

    assert response["Location"] == OVERVIEW
    assert signed_in_as(client) == str(manager.pk)
    assert client.get(OVERVIEW).status_code == 200


def test_a_wrong_code_is_refused_and_then_slowed_down(client, manager, enrolled):
    sign_in(client, manager)

    first = client.post(CODE_PAGE, {"code": "123456"})
    second = client.post(CODE_PAGE, {"code": "123456"})

    assert "Ce code n’est pas valable" in first.content.decode()
    assert "Trop de codes erronés. Réessayez dans" in second.content.decode()
    assert signed_in_as(client) is None


def test_a_recovery_code_signs_in_once(client, manager, enrolled):
    _device, codes = enrolled

    sign_in(client, manager)
    response = client.post(CODE_PAGE, {"code": codes[0].upper()}, follow=True)

    assert signed_in_as(client) == str(manager.pk)
    assert "Il vous en reste 9." in response.content.decode()
    assert StaticToken.objects.filter(device__user=manager).count() == 9

    client.logout()
    sign_in(client, manager)
    reused = client.post(CODE_PAGE, {"code": codes[0]})

    assert reused.status_code == 200
    assert "Ce code n’est pas valable" in reused.content.decode()
    assert signed_in_as(client) is None


def test_the_code_page_forgets_a_password_given_more_than_five_minutes_ago(
    client, manager, enrolled, clock
):
    device, _codes = enrolled
    sign_in(client, manager)

    clock.shift(datetime.timedelta(minutes=6))
    response = client.post(CODE_PAGE, {"code": current_code(device)})

    assert response["Location"] == LOGIN
    assert signed_in_as(client) is None


def test_the_code_page_alone_signs_nobody_in(client, db):
    assert client.get(CODE_PAGE)["Location"] == LOGIN


def test_a_person_without_a_device_signs_in_with_the_password_only(client, manager):
    assert sign_in(client, manager)["Location"] == "/"
    assert signed_in_as(client) == str(manager.pk)


def test_teachers_and_trainers_are_not_offered_a_second_factor(client, cast):
    for person in (cast["teacher"], cast["trainer"]):
        client.force_login(person)
        assert "double authentification" not in client.get(PROFILE).content.decode().lower()
        assert client.get(SETTINGS_PAGE).status_code == 403


def test_a_forced_role_without_a_device_is_sent_to_enrol_before_anything_else(
    client, manager, settings, clock
):
    settings.PREAU_REQUIRE_2FA_FOR = [Role.ACADEMIC_MANAGER]

    sign_in(client, manager)
    response = client.get(OVERVIEW)

    assert response["Location"] == f"{SETTINGS_PAGE}?next=%2Fpiloter%2F"
    assert client.get(PROFILE)["Location"].startswith(SETTINGS_PAGE)
    page = client.get(SETTINGS_PAGE).content.decode()
    assert "la double authentification est obligatoire" in page
    assert "Désactiver" not in page

    enrol(client, manager, clock)

    assert client.get(OVERVIEW).status_code == 200


def test_a_forced_role_cannot_turn_it_off(client, manager, settings, enrolled):
    device, codes = enrolled
    settings.PREAU_REQUIRE_2FA_FOR = [Role.ACADEMIC_MANAGER]
    sign_in(client, manager)
    client.post(CODE_PAGE, {"code": current_code(device)})

    response = client.post(SETTINGS_PAGE, {"action": "disable", "code": codes[1]})

    assert "ne peut pas être désactivée" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager, confirmed=True).exists()


def test_a_volunteer_turns_it_off_with_a_code(client, manager, enrolled, clock):
    device, codes = enrolled
    sign_in(client, manager)
    client.post(CODE_PAGE, {"code": current_code(device)})

    refused = client.post(SETTINGS_PAGE, {"action": "disable", "code": "000000"})
    clock.shift(datetime.timedelta(seconds=5))  # past the slow-down after a wrong code
    assert TOTPDevice.objects.filter(user=manager).exists()
    assert "Ce code n’est pas valable" in refused.content.decode()

    client.post(SETTINGS_PAGE, {"action": "disable", "code": codes[2]})

    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticToken.objects.filter(device__user=manager).exists()
    client.logout()
    assert sign_in(client, manager)["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(client, manager, enrolled, clock):
    device, old_codes = enrolled
    sign_in(client, manager)
    client.post(CODE_PAGE, {"code": current_code(device)})
    clock.shift(datetime.timedelta(seconds=31))

    response = client.post(SETTINGS_PAGE, {"action": "codes", "code": current_code(device)})

    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new_codes) == 10
    stored = set(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)


def test_the_technical_admin_asks_the_code_too(client, db, clock, settings):
    settings.PREAU_REQUIRE_2FA_FOR = [Role.ADMIN]
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith(SETTINGS_PAGE)
    device, _codes = enrol(client, admin, clock)
    client.logout()

    # Its own sign-in page checks the password only: the code is asked right after.
    client.post("/admin/login/", {"username": admin.email, "password": factories.PASSWORD})
    response = client.get("/admin/")

    assert response["Location"] == f"{CODE_PAGE}?next=%2Fadmin%2F"
    client.post(f"{CODE_PAGE}?next=/admin/", {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_day_of_use_only_is_kept(client, manager, enrolled):
    device, _codes = enrolled
    sign_in(client, manager)

    client.post(CODE_PAGE, {"code": current_code(device)})

    device.refresh_from_db()
    used = device.last_used_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (used.hour, used.minute, used.second) == (0, 0, 0)


def test_a_role_that_cannot_enrol_cannot_be_required_to(settings):
    from django.core.checks import run_checks

    settings.PREAU_REQUIRE_2FA_FOR = ["teacher", Role.PILOT]

    errors = [e for e in run_checks() if e.id == "preau.E001"]

    assert len(errors) == 1
    assert "teacher" in errors[0].msg


def test_a_forced_teacher_is_never_sent_in_a_loop(client, cast, settings):
    settings.PREAU_REQUIRE_2FA_FOR = ["teacher"]
    client.force_login(cast["teacher"])

    assert client.get(PROFILE).status_code == 200


def test_a_session_that_owes_its_code_does_not_see_the_home_page_either(client, manager, settings):
    settings.PREAU_REQUIRE_2FA_FOR = [Role.ACADEMIC_MANAGER]
    sign_in(client, manager)

    assert client.get("/")["Location"] == f"{SETTINGS_PAGE}?next=%2F"
    assert client.get(reverse("core:healthz")).status_code == 200
