"""Questionnaires through the UI: a teacher positions herself at the start and at the end of a
session (a draft first), sees her before/after chart with its table, and answers the closing
questionnaire; a trainer finds no individual answer. axe-core checks every page (and the HTML
checker runs on each page visited)."""

import pytest
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.parcours.models import Activity
from preau.questionnaires import services
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


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
    source = factories.ParcoursFactory(
        published=True,
        objectives="Identifier les obstacles à la compréhension\nConstruire une séquence explicite",
    )
    start = factories.SectionFactory(parcours=source, title="Pour commencer", position=0)
    end = factories.SectionFactory(parcours=source, title="Pour finir", position=9)
    Activity.objects.create(section=start, kind="positioning", title="Où en suis-je au départ ?")
    Activity.objects.create(section=end, kind="positioning", title="Où en suis-je à la fin ?")
    session = factories.TrainingSessionFactory(
        open=True,
        source=source,
        title="Comprendre en lisant",
        circonscription=caen,
        trainers=[trainer],
        participants=[camille],
    )
    by_title = {
        a.title: services.questionnaire_for_activity(a)
        for a in Activity.objects.filter(section__parcours=session.content, kind="positioning")
    }
    return {
        "session": session,
        "trainer": trainer,
        "camille": camille,
        "before": by_title["Où en suis-je au départ ?"],
        "after": by_title["Où en suis-je à la fin ?"],
    }


def _choose(group, label: str) -> None:
    """A DSFR radio is drawn by its label, which takes the click (as a person does)."""
    group.locator("label", has_text=label).filter(has_text=label).get_by_text(
        label, exact=True
    ).click()
    expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()


def _position(page: Page, questionnaire, level: str, *, draft_first: bool = False) -> None:
    page.goto(f"/questionnaires/{questionnaire.pk}/repondre/")
    expect(page.get_by_role("heading", level=1)).to_have_text(questionnaire.title)
    check_accessibility(page)
    for group in page.get_by_role("group").all():
        _choose(group, level)
        if draft_first:
            break
    if draft_first:
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
        for group in page.get_by_role("group").all():
            _choose(group, level)
    page.get_by_role("button", name="Envoyer mes réponses").click()


def test_a_teacher_positions_herself_before_and_after_and_answers_the_closing_questionnaire(
    page: Page, room
):
    sign_in(page, room["camille"].email, PASSWORD)
    _position(page, room["before"], "Je ne maîtrise pas", draft_first=True)
    expect(page.get_by_text("Votre positionnement est enregistré.")).to_be_visible()
    _position(page, room["after"], "Je maîtrise")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon auto-positionnement")
    expect(
        page.get_by_role("img", name="Mon auto-positionnement, objectif par objectif")
    ).to_be_visible()
    table = page.get_by_role("table", name="Mon niveau, objectif par objectif")
    expect(table).to_contain_text("1 — Je ne maîtrise pas")
    expect(table).to_contain_text("3 — Je maîtrise")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableau (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")

    page.goto(f"/sessions/mes-sessions/{room['session'].pk}/")
    page.get_by_role("link", name="Questionnaire de fin de session (anonyme, facultatif)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire de fin de parcours")
    check_accessibility(page)
    _choose(
        page.get_by_role("group", name="Le parcours a-t-il répondu à vos attentes ?"), "Tout à fait"
    )
    page.get_by_role("textbox", name="Ce qui vous a le plus aidé").fill("Les vidéos de classe")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci ! Vos réponses anonymes sont envoyées.")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_have_count(0)

    page.context.clear_cookies()  # signed out
    sign_in(page, room["trainer"].email, PASSWORD)
    page.goto(f"/questionnaires/sessions/{room['session'].pk}/resultats/")
    expect(
        page.get_by_text("Les résultats s’affichent à partir de 5 réponses").first
    ).to_be_visible()
    expect(page.get_by_text("Les vidéos de classe")).to_have_count(0)
    check_accessibility(page)
