"""The session journey, through the UI only: a trainer deploys a published parcours in a
session, adds a presence meeting, enrols five teachers by pasting their e-mails, opens the
session, calls the roll, attests the four who came and closes the session; a teacher who was
attested downloads their certificate, and its verification page, signed out, confirms it.
axe-core checks every distinct page on the way."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from preau.accounts.models import Role
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

PARCOURS = "Résoudre des problèmes au cycle 2"
SESSION = "Résoudre des problèmes — Caen Nord 2026"
MEETING = "Lancement en présence"
PLACE = "École Jules Ferry"
ADDRESS = "1 rue de l’École, 14000 Caen"
TEACHERS = [  # first name, last name, e-mail
    ("Camille", "Arnaud", "camille.arnaud@ac-normandie.fr"),
    ("Louis", "Bernard", "louis.bernard@ac-normandie.fr"),
    ("Inès", "Chevalier", "ines.chevalier@ac-normandie.fr"),
    ("Hugo", "Dubois", "hugo.dubois@ac-normandie.fr"),
    ("Léa", "Écuyer", "lea.ecuyer@ac-normandie.fr"),
]
ABSENT = "Louis"
# Printed in four groups of four: ABCD-EFGH-JKMN-PQRS.
CODE = re.compile(r"Code de vérification : ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})")


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu principal")


def message(page: Page, text: str):
    """A flash message, above the main content: a DSFR alert with the status role."""
    return page.get_by_role("status").filter(has_text=text)


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def status_badge(page: Page, status: str):
    """The session's status, a DSFR badge: a styled span, with no role to find it by."""
    return page.get_by_role("main").locator(".fr-badge", has_text=re.compile(rf"^{status}$"))


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def people(territory):
    academie, school = territory["academie"], territory["caen_school"]
    # One presence hour (one meeting's worth) and two at distance, one section with one page.
    factories.ParcoursFactory(published=True, title=PARCOURS, academie=academie)
    factories.ParcoursFactory(
        published=True,
        title="Calcul mental au cycle 3",
        academie=academie,
        objectives="Automatiser les calculs.",
        keywords="calcul, mathématiques",
    )
    return {
        "trainer": factories.with_role(
            Role.TRAINER,
            user=factories.UserFactory(first_name="Sophie", last_name="Lemaître"),
            circonscription=territory["caen"],
        ),
        "teachers": [
            factories.teacher(school=school, first_name=first, last_name=last, email=email)
            for first, last, email in TEACHERS
        ],
    }


def test_trainer_runs_a_session_and_a_teacher_gets_a_verified_certificate(page: Page, people):
    trainer, teachers = people["trainer"], people["teachers"]
    main = page.get_by_role("main")

    # 1. The trainer deploys the parcours in a session, plans a meeting today, enrols, opens.
    page.goto("/compte/connexion/")
    check_accessibility(page)
    sign_in(page, trainer.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie")
    expect(page.get_by_text("Vous n’animez aucune session pour le moment.")).to_be_visible()
    check_accessibility(page)

    menu(page).get_by_role("link", name="Offre de parcours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de parcours")
    results_count = main.get_by_role("status")
    expect(results_count).to_have_text("2 parcours trouvés")
    page.get_by_role("searchbox", name=label("Rechercher")).fill("problèmes")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(results_count).to_have_text("1 parcours trouvé")
    check_accessibility(page)

    page.get_by_role("article", name=PARCOURS).get_by_role("link", name=PARCOURS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PARCOURS)
    check_accessibility(page)

    page.get_by_role("link", name="Déployer en session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déployer en session")
    expect(main.get_by_role("textbox", name=label("Titre de la session"))).to_have_value(PARCOURS)
    check_accessibility(page)

    main.get_by_role("textbox", name=label("Titre de la session")).fill(SESSION)
    # The trainer's only territory is already chosen.
    expect(main.get_by_role("combobox", name=label("Territoire organisateur"))).to_have_value(
        re.compile(r"^c\d+$")
    )
    main.get_by_role("textbox", name="Début", exact=True).fill(day(-7).isoformat())
    main.get_by_role("textbox", name="Fin", exact=True).fill(day(21).isoformat())
    main.get_by_role("spinbutton", name=label("Nombre de places")).fill("20")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    expect(message(page, "Session créée, en préparation.")).to_be_visible()
    to_do = page.get_by_role("region", name="À faire")
    expect(to_do).to_contain_text("Inscrivez au moins un participant")
    expect(to_do).to_contain_text("Ajoutez au calendrier au moins une réunion")
    expect(status_badge(page, "En préparation")).to_be_visible()
    expect(page.get_by_role("region", name="Équipe")).to_contain_text("Sophie Lemaître")
    check_accessibility(page)

    calendar = page.get_by_role("region", name="Calendrier")
    calendar.get_by_role("link", name="Ajouter une réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une réunion")
    check_accessibility(page)

    form = page.get_by_role("main")
    form.get_by_role("textbox", name=label("Intitulé")).fill(MEETING)
    form.get_by_role("textbox", name="Date", exact=True).fill(day(0).isoformat())
    form.get_by_role("textbox", name="Début", exact=True).fill("09:00")
    form.get_by_role("textbox", name="Fin", exact=True).fill("12:00")
    form.get_by_role("textbox", name=label("Lieu")).fill(PLACE)
    form.get_by_role("textbox", name=label("Adresse")).fill(ADDRESS)
    page.get_by_role("button", name="Enregistrer").click()
    expect(message(page, "Réunion enregistrée.")).to_be_visible()
    meetings = calendar.get_by_role("table", name="Réunions en présence, dans l’ordre")
    expect(meetings.get_by_role("row")).to_have_count(2)  # header and the meeting
    expect(meetings).to_contain_text(MEETING)
    expect(meetings).to_contain_text(ADDRESS)
    expect(to_do).not_to_contain_text("Ajoutez au calendrier")
    check_accessibility(page)

    page.get_by_role("region", name="Participants").get_by_role(
        "link", name="Inscrire des participants"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire des participants")
    check_accessibility(page)

    # Pasted as from a message's recipients: separated by semicolons, across lines.
    emails = [teacher.email for teacher in teachers]
    pasted = "; ".join(emails[:3]) + "\n" + "\n".join(emails[3:])
    main.get_by_role("textbox", name=label("Adresses électroniques")).fill(pasted)
    page.get_by_role("button", name="Vérifier la liste").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier la liste avant d’inscrire")
    expect(main).to_contain_text("5 personnes seront inscrites.")
    fates = page.get_by_role("table", name="Le sort de chaque ligne")
    expect(fates.get_by_role("row")).to_have_count(6)
    expect(fates.get_by_role("row").filter(has_text="Sera inscrite")).to_have_count(5)
    expect(fates.get_by_role("row", name=emails[4])).to_contain_text("Léa Écuyer")
    check_accessibility(page)

    page.get_by_role("button", name="Confirmer l’inscription de 5 personnes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    expect(message(page, "5 personnes inscrites")).to_be_visible()
    enrolled = page.get_by_role("table", name="Inscrits")
    expect(enrolled.get_by_role("row")).to_have_count(6)
    expect(to_do).to_contain_text("La session est prête")
    check_accessibility(page)

    to_do.get_by_role("button", name="Ouvrir la session").click()
    expect(message(page, "Session ouverte : les participants y ont accès.")).to_be_visible()
    expect(status_badge(page, "Ouverte")).to_be_visible()
    check_accessibility(page)

    # 2. The roll call: everyone present, then one absent; attestation of the four; closing.
    to_do.get_by_role("link", name=re.compile(r"^Faire l’appel de la réunion du")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Présences — {MEETING}")
    summary = page.locator("#attendance-summary")
    expect(summary).to_contain_text("5 à noter")
    check_accessibility(page)

    page.get_by_role("button", name="Tous présents").click()
    expect(message(page, "5 participants marqués présents.")).to_be_visible()
    expect(summary).to_contain_text("5 présents")
    absent = page.get_by_role("group", name=re.compile(f"^Bernard {ABSENT}"))
    absent.locator("label", has_text="Absent").click()  # what a thumb taps; htmx saves it
    expect(summary).to_contain_text("4 présents")
    expect(summary).to_contain_text("1 absent")
    expect(absent.get_by_role("radio", name=re.compile("^Absent"))).to_be_checked()
    check_accessibility(page)

    page.get_by_role("link", name="Attestation des participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attester les participants")
    participants = page.get_by_role("table", name="Participants de la session et leur attestation")
    expect(participants.get_by_role("row").filter(has_text="Non remplie")).to_have_count(1)
    expect(participants.get_by_role("row", name=re.compile(f"Bernard {ABSENT}"))).to_contain_text(
        "Non remplie"
    )
    check_accessibility(page)

    for first, last, _email in TEACHERS:
        if first != ABSENT:
            # The DSFR draws the box with the label (its text is for screen readers only): the
            # label takes the click, and Playwright would wait for the input to get it.
            choice = f"Sélectionner {first} {last}"
            participants.get_by_role("checkbox", name=choice).check(force=True)
            expect(participants.get_by_role("checkbox", name=choice)).to_be_checked()
    page.get_by_role("button", name="Attester la sélection").click()
    expect(message(page, "4 participants attestés")).to_be_visible()
    expect(main).to_contain_text("4 attestés sur 5 participants.")
    expect(participants.get_by_role("link", name=re.compile(r"^Attestation de "))).to_have_count(4)
    check_accessibility(page)

    page.get_by_role("navigation", name="vous êtes ici :").get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    page.get_by_role("link", name="Clore la session…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Clore « {SESSION} »")
    warning = main.get_by_text("Une fois close, plus rien de la session ne change")
    expect(warning).to_contain_text(
        "1 participant n’est pas encore attesté : il ne pourra plus l’être ni obtenir son "
        "attestation de formation."
    )
    check_accessibility(page)

    # The session ends in three weeks: the page warns with its end date (docs/attendance.md).
    expect(main.locator("#avertissement")).to_contain_text(
        f"La session se termine le {date_format(day(21), 'l j F Y')}"
    )
    page.get_by_role("button", name="Clore la session avant sa date de fin").click()
    expect(message(page, "Session close.")).to_be_visible()
    expect(status_badge(page, "Close")).to_be_visible()
    expect(enrolled.get_by_role("row").filter(has_text="Terminé")).to_have_count(4)
    check_accessibility(page)
    sign_out(page)

    # 3. An attested teacher finds the session, downloads the certificate, and it is verified.
    camille = teachers[0]
    sign_in(page, camille.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille")
    training = page.get_by_role("region", name="Se former")
    expect(training.get_by_role("heading", name="Terminées")).to_be_visible()
    expect(training.get_by_role("link", name=SESSION)).to_be_visible()
    check_accessibility(page)

    menu(page).get_by_role("link", name="Mes sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes sessions de formation")
    check_accessibility(page)

    main.get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    expect(page.get_by_role("heading", name="Vous avez terminé cette session")).to_be_visible()
    my_meetings = main.get_by_role("list", name="Réunions de la session et votre présence")
    expect(my_meetings.get_by_role("listitem")).to_contain_text(MEETING)
    expect(my_meetings.get_by_role("listitem")).to_contain_text("Votre présence : Présent")
    check_accessibility(page)

    with page.expect_download() as download_info:
        main.get_by_role("link", name="Télécharger mon attestation de formation (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Camille Arnaud" in text and PARCOURS in text
    code = CODE.search(text).group(1)  # the page does not show it: the certificate does
    assert f"/sessions/verifier/{code.replace('-', '')}/" in text

    # Anyone, signed out, verifies the code from the footer's link.
    sign_out(page)
    check_accessibility(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Vérifier une attestation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vérifier une attestation de formation"
    )
    check_accessibility(page)
    page.get_by_role("textbox", name=label("Code de vérification")).fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Cette attestation est authentique")).to_be_visible()
    certificate = main.locator("dl")
    expect(certificate).to_contain_text("Camille Arnaud")
    expect(certificate).to_contain_text(PARCOURS)
    expect(certificate).to_contain_text(SESSION)
    check_accessibility(page)
