"""A trainer picks participants among the teachers of the session's circonscription, in the UI
only: a search that forgives accents (htmx: only the results change), ticks kept on another
page, the preview, the confirmation. Then a maternelle teacher is warned before enrolling in a
cycle 3 session opened to the département. axe-core checks every distinct page on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from preau.training.views.manage import PICK_PAGE_SIZE
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_trainer_picks_teachers_across_pages_and_enrols_them(page: Page, cast, territory):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]], title="Calcul mental"
    )
    elodie = factories.teacher(
        school=territory["caen_school"], first_name="Élodie", last_name="Gérard"
    )
    others = factories.teachers_at(territory["caen_school"], PICK_PAGE_SIZE + 5)
    factories.teacher(school=territory["bayeux_school"], last_name="Bayeusain")

    sign_in(page, cast["trainer"].email, PASSWORD)
    page.goto(f"/sessions/{session.pk}/gestion/inscrire/")
    page.get_by_role("link", name="Choisir parmi les enseignants du territoire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir des participants")
    status = page.locator("#pick-results [role=status]")
    expect(status).to_contain_text(f"{PICK_PAGE_SIZE + 7} enseignants trouvés")  # + cast, Élodie
    expect(page.get_by_role("main")).not_to_contain_text("Bayeusain")
    check_accessibility(page)

    # A search without accents finds Élodie Gérard; only the results change (htmx).
    page.get_by_role("searchbox", name=re.compile("^Rechercher")).fill("elodie gerard")
    expect(status).to_contain_text("1 enseignant trouvé")
    page.get_by_text("Gérard Élodie").click()  # the name is the box's label

    # Back to everyone, the next page: one more tick there; Élodie's tick travels along.
    page.get_by_role("searchbox", name=re.compile("^Rechercher")).fill("")
    expect(status).to_contain_text("1 coché")
    page.get_by_role("button", name="Page suivante").click()
    expect(page.get_by_text("Page 2 sur 2")).to_be_visible()
    page.locator("#pick-results tbody label").last.click()
    expect(page.get_by_text("Page 2 sur 2")).to_be_visible()

    page.get_by_label("Groupe (facultatif)").fill("Groupe A")
    page.get_by_role("button", name="Vérifier la sélection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier la liste avant d’inscrire")
    expect(page.get_by_text("2 personnes seront inscrites")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer l’inscription de 2 personnes").click()
    expect(page.get_by_text("2 personnes inscrites")).to_be_visible()

    enrolled = set(session.enrolments.values_list("user", "group"))
    assert (elodie.pk, "Groupe A") in enrolled and len(enrolled) == 2
    assert {pk for pk, _group in enrolled} - {elodie.pk} <= {u.pk for u in others}


def test_a_maternelle_teacher_is_warned_before_enrolling_in_a_cycle_3_session(
    page: Page, territory
):
    source = factories.ParcoursFactory(published=True, audiences=["cycle3"])
    factories.TrainingSessionFactory(
        open=True,
        source=source,
        title="Écrire au cycle 3 — Bayeux",
        circonscription=territory["bayeux"],
        self_enrolment=True,
        self_enrolment_scope="departement",
    )
    school = factories.SchoolFactory(
        circonscription=territory["caen"], name="École maternelle Les Coquelicots"
    )
    teacher = factories.teacher(school=school)

    sign_in(page, teacher.email, PASSWORD)
    page.goto("/sessions/offre/")
    page.get_by_role(
        "button", name="S’inscrire à la session « Écrire au cycle 3 — Bayeux »"
    ).click()
    expect(page.get_by_text("est une école maternelle")).to_be_visible()
    expect(page.get_by_text("Cochez « Je m’inscris tout de même »")).to_be_visible()
    check_accessibility(page)

    page.get_by_text("Je m’inscris tout de même", exact=True).click()
    page.get_by_role(
        "button", name="S’inscrire à la session « Écrire au cycle 3 — Bayeux »"
    ).click()
    expect(page.get_by_text("Vous êtes inscrit à la session « Écrire au cycle 3")).to_be_visible()
