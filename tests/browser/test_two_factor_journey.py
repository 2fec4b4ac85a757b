"""A manager whose role must use a second factor enrols, then signs in with a recovery code."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_a_forced_manager_enrols_keeps_the_codes_and_signs_in_with_one(page: Page, cast, settings):
    settings.PREAU_REQUIRE_2FA_FOR = [Role.ACADEMIC_MANAGER]
    manager = cast["manager"]

    sign_in(page, manager.email, PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    expect(page.get_by_text("la double authentification est obligatoire")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Mettre en place la double authentification").click()
    expect(page.locator("[data-qr-code] svg")).to_be_visible()
    check_accessibility(page)
    key = base64.b32decode(page.locator("[data-totp-secret]").inner_text())
    page.get_by_label("Code de vérification").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    check_accessibility(page)
    page.get_by_role("link", name="J’ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {manager.first_name}")

    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    sign_in(page, manager.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    check_accessibility(page)
    page.get_by_label("Code de vérification").fill(codes[0])
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {manager.first_name}")
    expect(page.get_by_text("Il vous en reste 9.")).to_be_visible()
