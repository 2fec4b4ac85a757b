"""The carnet de bord through the UI: a teacher writes an entry with an attachment, tied to a
step of her session, and shares it; the session's trainer reads it on the session's page; the
teacher exports her logbook as a PDF and deletes an entry. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.logbook.models import Attachment, Entry
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


@pytest.fixture
def room(territory):
    caen = territory["caen"]
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=caen,
        user=factories.UserFactory(first_name="Julien", last_name="Marchand"),
    )
    camille = factories.teacher(
        school=territory["caen_school"], first_name="Camille", last_name="Arnaud"
    )
    session = factories.TrainingSessionFactory(
        open=True,
        title="Lire au CP",
        circonscription=caen,
        trainers=[trainer],
        participants=[camille],
    )
    section = session.content.sections.first() or factories.SectionFactory(parcours=session.content)
    return {"session": session, "section": section, "trainer": trainer, "camille": camille}


def test_a_teacher_writes_shares_exports_and_deletes_and_the_trainer_reads(
    page: Page, room, browser
):
    session, section = room["session"], room["section"]
    sign_in(page, room["camille"].email, PASSWORD)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Carnet de bord"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon carnet de bord")
    expect(page.get_by_text("Votre carnet est vide")).to_be_visible()
    check_accessibility(page)

    # Writes an entry tied to a step of her session, with an attachment.
    page.get_by_role("link", name="Écrire une entrée").click()
    check_accessibility(page)
    page.get_by_role("textbox", name=label("Titre")).fill("Les ateliers tournants")
    page.get_by_role("textbox", name=label("Texte")).fill("Quatre ateliers de dix minutes.")
    page.locator("#id_tie").select_option(f"s{session.pk}-e{section.pk}")
    page.locator("#id_files").set_input_files(
        files=[{"name": "fiche.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 fiche"}]
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L’entrée est enregistrée dans votre carnet de bord.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les ateliers tournants")
    expect(page.get_by_role("link", name="fiche.pdf")).to_be_visible()
    check_accessibility(page)
    entry = Entry.objects.get()
    assert entry.section == section and not entry.shared

    # Shares it with the session's trainers.
    page.get_by_role("button", name="Valoriser auprès des formateurs").click()
    expect(page.get_by_text("L’entrée est valorisée")).to_be_visible()
    expect(page.get_by_role("button", name="Ne plus valoriser")).to_be_visible()
    check_accessibility(page)

    # The trainer, in his own browser, finds it from the session's page.
    other = browser.new_context(base_url=page.url.split("/carnet")[0], locale="fr-FR")
    trainer = other.new_page()
    sign_in(trainer, room["trainer"].email, PASSWORD)
    trainer.goto(f"/sessions/{session.pk}/gestion/")
    trainer.get_by_role("link", name="Entrées valorisées par les participants").click()
    expect(trainer.get_by_role("heading", name="Les ateliers tournants")).to_be_visible()
    expect(trainer.get_by_text("Quatre ateliers de dix minutes.")).to_be_visible()
    expect(trainer.get_by_text("Camille Arnaud")).to_be_visible()
    check_accessibility(trainer)
    other.close()

    # Another entry, just for her; then the PDF portfolio of both.
    page.goto("/carnet/nouvelle-entree/")
    page.get_by_role("textbox", name=label("Titre")).fill("Une idée pour plus tard")
    page.get_by_role("textbox", name=label("Texte")).fill("Un cahier de sons avec les familles.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Une idée pour plus tard")
    page.get_by_role("link", name="Mon carnet de bord").click()
    page.get_by_role("link", name="Exporter en portfolio PDF").click()
    check_accessibility(page)
    expect(page.get_by_role("checkbox")).to_have_count(2)
    pdf = page.request.get(
        page.get_by_role("link", name="Tout le carnet en PDF").get_attribute("href")
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert "no-store" in pdf.headers["cache-control"]
    assert pdf.body().startswith(b"%PDF")

    # Deletes the first entry, after confirming: it is gone, its file too.
    page.goto(f"/carnet/entrees/{entry.pk}/")
    page.get_by_role("main").get_by_role("link", name="Supprimer").click()
    expect(page.get_by_text("sera supprimée définitivement")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("L’entrée et ses pièces jointes sont supprimées.")).to_be_visible()
    expect(page.get_by_role("link", name="Les ateliers tournants")).to_have_count(0)
    expect(page.get_by_role("link", name="Une idée pour plus tard")).to_be_visible()
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not Attachment.objects.exists()
