"""The GAIA journey, through the UI: an academic manager uploads the three files of the day,
watches the analysis' progress bar, reads the preview (with a rejected line), confirms, watches
the apply, reads the report; then links a GAIA session to a platform session of Caen, whose
participants list now holds GAIA's trainees. axe-core checks every distinct page.

Tasks are queued, not run (DummyBackend), so that the page shows its progress bar; the test
plays the worker's part and reports progress as the worker would."""

import re

import pytest
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.hr import progress, services
from preau.hr.models import HrImport
from tests import factories
from tests.factories import PASSWORD
from tests.hr.gaia_files import FORMATIONS, TRAINEES, TRAINERS, encode

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

SESSION = "Fluence en lecture — Caen Nord"


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_manager_imports_a_gaia_day_and_links_a_session(
    page: Page, territory, tmp_path, queued_tasks, settings
):
    # One rejected line of five: admitted here (the whole file is refused above 5 % otherwise).
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.2
    manager = factories.with_role(
        Role.ACADEMIC_MANAGER,
        academie=territory["academie"],
        user=factories.UserFactory(first_name="Mathilde", last_name="Roussel"),
    )
    factories.TrainingSessionFactory(title=SESSION, circonscription=territory["caen"])
    files = {
        "Formations": FORMATIONS,
        "Intervenants": TRAINERS,
        "Stagiaires": [*TRAINEES, "STAGIAIRE|900001|Sans|Adresse|"],  # line 5: no e-mail
    }
    for kind, lines in files.items():
        (tmp_path / f"A070_{kind}_20260915.csv").write_bytes(encode(lines))

    sign_in(page, manager.email, PASSWORD)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="GAIA et SOFIA"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports GAIA et SOFIA")
    check_accessibility(page)
    for kind in files:
        page.get_by_label(f"Fichier {kind}").set_input_files(tmp_path / f"A070_{kind}_20260915.csv")
    page.get_by_role("button", name="Analyser les trois fichiers").click()

    # The analysis waits for a worker: the page says so with a progress bar, and follows it.
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")
    hr_import = HrImport.objects.get()
    progress.report(hr_import.pk, step=0, steps=3, label="Lecture des fichiers", done=1, total=2)
    expect(bar).to_have_attribute("value", "16")
    expect(page.get_by_text("Lecture des fichiers")).to_be_visible()
    check_accessibility(page)
    services.build_preview(hr_import)

    # The whole page comes back with the preview.
    expect(page.get_by_role("heading", name="Ce que l’import changerait")).to_be_visible()
    rows = page.get_by_role("table", name="Changements")
    expect(rows.get_by_role("row", name=re.compile("Sessions GAIA nouvelles 2"))).to_be_visible()
    expect(
        rows.get_by_role("row", name=re.compile("Stagiaires ajoutés à une session 4"))
    ).to_be_visible()
    rejected = page.get_by_role("table", name="Lignes rejetées")
    expect(rejected.get_by_role("row").nth(1)).to_contain_text("Stagiaires")
    expect(rejected.get_by_role("row").nth(1)).to_contain_text("5")
    expect(
        page.get_by_text("Aïssatou N'Diaye <aissatou.ndiaye@ac-normandie.fr>", exact=True)
    ).to_be_visible()  # a placeholder account to create
    added = page.get_by_role("list").filter(has_text="— session 900001")
    expect(added).to_contain_text("Aïssatou N'Diaye <aissatou.ndiaye@ac-normandie.fr> — session")
    check_accessibility(page)

    page.get_by_role("button", name="Confirmer et appliquer l’import").click()
    expect(page.get_by_text("Application en cours (0 %)")).to_be_visible()
    progress.report(hr_import.pk, step=2, steps=4, label="Formateurs et stagiaires")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "50")
    hr_import.refresh_from_db()
    services.apply_import(hr_import)
    expect(
        page.get_by_role("heading", name=re.compile("Compte rendu : appliqué le"))
    ).to_be_visible()
    check_accessibility(page)

    # The GAIA sessions not yet on the platform, with their one-step path.
    page.goto("/rh/sessions-gaia/")
    expect(page.get_by_role("link", name=re.compile("Créer la session"))).to_have_count(2)
    check_accessibility(page)

    # Link the Caen session to GAIA's session 900001: its two trainees are enrolled.
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Sessions"
    ).click()
    page.get_by_role("link", name=SESSION).click()
    page.get_by_role("link", name="Liens avec GAIA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liens avec GAIA")
    check_accessibility(page)
    page.get_by_label("Rechercher la session GAIA").fill("900001")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("button", name=re.compile("Lier cette session")).click()
    expect(page.get_by_role("status").filter(has_text="liée")).to_be_visible()
    expect(page.get_by_role("table", name="Sessions GAIA liées")).to_contain_text("900001")
    check_accessibility(page)

    page.get_by_role("link", name="Retour à la session").click()
    participants = page.get_by_role("table", name="Inscrits")
    expect(participants).to_contain_text("N'Diaye")
    expect(participants).to_contain_text("Cœurdevey")
