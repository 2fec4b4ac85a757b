"""Main user paths, clicked through in Chromium; axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

DSFR_BLUE_FRANCE = "rgb(0, 0, 145)"  # --background-action-high-blue-france, light scheme


def test_visitor_reads_landing_accessibility_statement_and_legal_notice(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Se former entre collègues, à son rythme"
    )
    # The DSFR stylesheet is served and applied (an integrity mismatch would leave it out).
    expect(page.get_by_role("main").get_by_role("link", name="Se connecter")).to_have_css(
        "background-color", DSFR_BLUE_FRANCE
    )
    check_accessibility(page)

    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Accessibilité : partiellement conforme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d’accessibilité")
    check_accessibility(page)

    footer.get_by_role("link", name="Mentions légales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions légales")
    check_accessibility(page)


def test_teacher_signs_in_opens_profile_and_signs_out(page: Page, cast):
    teacher = cast["teacher"]
    sign_in(page, teacher.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille")
    expect(page.get_by_role("heading", name="Se former", level=2)).to_be_visible()
    expect(page.get_by_text("École Jules Ferry — Caen")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon profil"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    expect(page.get_by_text(teacher.email)).to_be_visible()
    check_accessibility(page)

    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Se former entre collègues, à son rythme"
    )
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    check_accessibility(page)


def test_ien_follows_their_circonscription_down_to_a_school_and_its_teachers(page: Page, cast):
    sign_in(page, cast["ien"].email, PASSWORD)
    piloting = page.get_by_role("region", name="Piloter")
    expect(piloting.get_by_role("heading", name="Piloter", level=2)).to_be_visible()
    check_accessibility(page)

    piloting.get_by_role("link", name="Caen Nord", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Circonscription de Caen Nord")
    schools = page.get_by_role("table", name="Écoles de la circonscription")
    expect(schools.get_by_role("row")).to_have_count(2)  # header and École Jules Ferry
    check_accessibility(page)

    schools.get_by_role("link", name="École Jules Ferry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("École Jules Ferry")
    teachers = page.get_by_role("table", name="Professeurs des écoles affectés")
    expect(teachers.get_by_role("row", name=cast["teacher"].last_name)).to_contain_text("Camille")
    check_accessibility(page)


def test_wrong_password_shows_french_error_and_keeps_email(page: Page, cast):
    email = cast["teacher"].email
    sign_in(page, email, "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_contain_text(
        "Adresse électronique ou mot de passe incorrect."
    )
    expect(page.get_by_label("Adresse électronique")).to_have_value(email)
    expect(page.get_by_label("Mot de passe")).to_have_value("")
    check_accessibility(page)


def test_teacher_resets_forgotten_password_and_signs_in_with_the_new_one(
    page: Page, cast, mailoutbox
):
    teacher = cast["teacher"]
    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réinitialiser mon mot de passe")
    expect(page).to_have_title("Réinitialiser mon mot de passe — Préau")
    check_accessibility(page)

    page.get_by_label("Adresse électronique").fill(teacher.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    check_accessibility(page)

    # The live server runs in this process: its locmem backend fills django.core.mail.outbox.
    assert [message.to for message in mailoutbox] == [[teacher.email]]
    link = re.search(r"https?://\S+", mailoutbox[0].body).group()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    expect(page).to_have_title("Choisir un nouveau mot de passe — Préau")
    check_accessibility(page)

    new_password = "Un-nouveau-préau-2026"
    # "Nouveau mot de passe" is also inside "Confirmation du nouveau mot de passe".
    page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(new_password)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(new_password)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre mot de passe a été modifié")
    check_accessibility(page)

    sign_in(page, teacher.email, new_password)
    expect(page.get_by_role("heading", name="Se former", level=2)).to_be_visible()
