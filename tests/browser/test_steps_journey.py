"""« Étape terminée », through the UI: a participant ticks two steps of their session's content
(htmx swaps the step and the progress bar), sees « 2 étapes sur 3 », undoes nothing by
mistake; the trainer then sees the two steps ticked in the steps table. axe-core checks every
page."""

import pytest
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.training.models import StepDone
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

STEPS = ("Découvrir la fluence", "Mesurer en classe", "Partager ses résultats")


@pytest.fixture
def session(territory):
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=territory["caen"],
        user=factories.UserFactory(first_name="Sophie", last_name="Lemaître"),
    )
    teacher = factories.teacher(
        school=territory["caen_school"], first_name="Camille", last_name="Arnaud"
    )
    session = factories.TrainingSessionFactory(
        open=True,
        title="Fluence en lecture",
        circonscription=territory["caen"],
        trainers=[trainer],
        participants=[teacher],
    )
    session.content.sections.all().delete()
    for position, title in enumerate(STEPS, 1):
        factories.SectionFactory(
            parcours=session.content, title=title, position=position, with_page=True
        )
    return session


def test_a_participant_ticks_two_steps_and_the_trainer_sees_them(page: Page, session):
    teacher = session.enrolments.get().user
    trainer = session.staff.get().user

    sign_in(page, teacher.email, PASSWORD)
    page.goto(f"/sessions/mes-sessions/{session.pk}/")
    progress = page.locator("#progression-etapes")
    expect(progress).to_contain_text("0 étape sur 3")
    check_accessibility(page)

    for title in STEPS[:2]:
        page.get_by_role("button", name=f"J’ai terminé cette étape : {title}").click()
        expect(
            page.get_by_role("button", name=f"Marquer comme non terminée : {title}")
        ).to_be_visible()
    expect(progress).to_contain_text("2 étapes sur 3")
    expect(page.locator("progress")).to_have_attribute("value", "2")
    # htmx swapped the steps in place: the page was not reloaded, and the rows are there.
    assert StepDone.objects.filter(enrolment__user=teacher).count() == 2
    check_accessibility(page)

    page.context.clear_cookies()
    sign_in(page, trainer.email, PASSWORD)
    page.goto(f"/sessions/{session.pk}/gestion/")
    page.get_by_role("link", name="Étapes terminées par les participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Étapes terminées par les participants"
    )
    row = page.get_by_role("row", name="Arnaud Camille")
    expect(row).to_contain_text("2 sur 3")
    expect(row.get_by_text("cochée", exact=True)).to_have_count(2)
    expect(row.get_by_text("non cochée", exact=True)).to_have_count(1)
    check_accessibility(page)
