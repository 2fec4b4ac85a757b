"""Search that forgives, in the browser: a trainer types words without accents (and a
matricule) in the offre de parcours, a teacher in the offre de formation, an IEN looks for a
teacher of the follow-up, listed in French order, and an academic manager for a GAIA session.
A pasted page of text is cut to its first words, and the page says so. axe-core checks every
page on the way."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.hr.models import HrSession
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def card_titles(page: Page):
    return page.locator("#catalogue-results article h3")


@pytest.fixture
def catalogue(territory):
    academie = territory["academie"]
    numerique = factories.ParcoursFactory(
        published=True, title="Le numérique à l’école", short_title="NUMECOLE", academie=academie
    )
    evaluation = factories.ParcoursFactory(
        published=True, title="L’évaluation positive", short_title="EVALPOS", academie=academie
    )
    factories.ParcoursFactory(
        published=True,
        title="Lire au cycle 2",
        short_title="NUMLECT",
        matricule="26_A070_NUMLECT_1.0",
        academie=academie,
    )
    for source, title in [(numerique, "Session numérique"), (evaluation, "Session évaluation")]:
        factories.TrainingSessionFactory(
            open=True,
            source=source,
            title=title,
            circonscription=territory["caen"],
            start_date=timezone.localdate() + datetime.timedelta(days=14),
            self_enrolment=True,
        )


def test_search_forgives_accents_and_case_in_every_box(page: Page, cast, territory, catalogue):
    trainer = factories.with_role(
        Role.TRAINER,
        user=factories.UserFactory(first_name="Fabien"),
        circonscription=territory["caen"],
    )

    # 1. A trainer types without accents: the results follow as they type (htmx).
    sign_in(page, trainer.email, PASSWORD)
    page.goto(reverse("parcours:offre"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de parcours")
    search = page.get_by_role("searchbox", name=label("Rechercher"))
    search.fill("NUMERIQUE ecole")
    expect(card_titles(page)).to_have_text(["Le numérique à l’école"])
    expect(page).to_have_url(re.compile(r"q=NUMERIQUE(\+|%20)ecole"))
    check_accessibility(page)

    # A matricule, whole or in part.
    search.fill("26_A070_NUMLECT_1.0")
    expect(card_titles(page)).to_have_text(["Lire au cycle 2"])
    search.fill("numlect")
    expect(card_titles(page)).to_have_text(["Lire au cycle 2"])

    # A pasted page of text is cut to its first ten words, and the page says so.
    search.fill("evaluation " + "positive " * 300)
    expect(page.get_by_text("Seuls les 10 premiers mots")).to_be_visible()
    expect(card_titles(page)).to_have_text(["L’évaluation positive"])
    check_accessibility(page)
    sign_out(page)

    # 2. A teacher in the offre de formation, without JavaScript's help: the button submits.
    sign_in(page, cast["teacher"].email, PASSWORD)
    page.goto(reverse("training:offre"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de formation")
    page.get_by_role("searchbox", name=label("Rechercher")).fill("EVALUATION")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(card_titles(page)).to_have_text(["Session évaluation"])
    check_accessibility(page)
    sign_out(page)


def test_people_and_gaia_sessions_are_found_without_accents_and_listed_in_french_order(
    page: Page, cast, territory
):
    school = territory["caen_school"]
    for last, first in [("Guyot", "Ada"), ("Gérard", "Léa"), ("Étienne", "Noël"), ("Zoé", "Al")]:
        factories.teacher(school=school, last_name=last, first_name=first)
    HrSession.objects.create(
        academie=territory["academie"],
        session_code="700001",
        dispositif_code="26A0700001",
        dispositif_title="Évaluer au cycle 2",
        module_code=45210,
        module_title="Évaluation des élèves",
        place="École Jules Ferry, Évreux",
        starts_on="2026-10-01",
        ends_on="2026-10-01",
        source="gaia",
    )

    # 3. The IEN's follow-up: names in French order, a teacher found without accents.
    sign_in(page, cast["ien"].email, PASSWORD)
    page.goto(reverse("hours:circonscription", args=[territory["caen"].code]))
    names = page.locator("table tbody tr td:nth-child(2) a")
    listed = [name.split(" ")[0] for name in names.all_inner_texts()]
    french = [n for n in listed if n in {"Étienne", "Gérard", "Guyot", "Zoé"}]
    assert french == ["Étienne", "Gérard", "Guyot", "Zoé"]
    page.get_by_role("searchbox", name=label("Rechercher un enseignant")).fill("etienne noel")
    page.get_by_role("button", name="Appliquer").click()
    expect(names).to_have_text(["Étienne Noël"])
    check_accessibility(page)
    sign_out(page)

    # 4. An academic manager finds a GAIA session by a word of its place, typed flat.
    sign_in(page, cast["manager"].email, PASSWORD)
    page.goto(reverse("hr:hr_sessions"))
    page.get_by_role("searchbox", name=label("Rechercher")).fill("EVREUX eleves")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("main").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("main").locator("tbody")).to_contain_text("700001")
    check_accessibility(page)
