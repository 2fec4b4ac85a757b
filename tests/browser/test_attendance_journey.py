"""The attendance journey, through the UI: a trainer calls the roll of a meeting on a phone (one
tap for everyone, one tap per exception), attests those who satisfy the rule; a teacher
downloads their certificate and anyone verifies its code. axe-core checks every page."""

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from preau.accounts.models import Role
from preau.training.models import Attendance, Enrolment
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def session(territory):
    school = territory["caen_school"]
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=territory["caen"],
        user=factories.UserFactory(first_name="Sophie", last_name="Lemaître"),
    )
    teachers = [
        factories.teacher(school=school, first_name=first, last_name=last)
        for first, last in (
            ("Camille", "Arnaud"),
            ("Louis", "Bernard"),
            ("Inès", "Chevalier"),
            ("Hugo", "Dubois"),
            ("Léa", "Écuyer"),
        )
    ]
    session = factories.TrainingSessionFactory(
        open=True,
        title="Fluence en lecture",
        circonscription=territory["caen"],
        trainers=[trainer],
        participants=teachers,
    )
    factories.MeetingFactory(session=session, title="Lancement")
    return session


def test_trainer_calls_the_roll_on_a_phone_attests_and_a_teacher_gets_a_verified_certificate(
    page: Page, session
):
    trainer = session.staff.get().user
    meeting = session.meetings.get()
    page.set_viewport_size(PHONE)
    sign_in(page, trainer.email, PASSWORD)

    # The roll call: everyone present in one tap, then Louis absent in one more.
    page.goto(f"/sessions/reunions/{meeting.pk}/presences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Présences — Lancement")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(page)
    page.get_by_role("button", name="Tous présents").click()
    expect(page.get_by_text("5 participants marqués présents.")).to_be_visible()
    louis = page.get_by_role("group", name=re.compile("Bernard Louis"))
    louis.locator("label", has_text="Absent").click()  # what a thumb taps
    summary = page.locator("#attendance-summary")
    expect(summary).to_contain_text("4 présents")
    expect(summary).to_contain_text("1 absent")
    recorded = dict(Attendance.objects.values_list("enrolment__user__first_name", "status"))
    assert recorded == {
        "Camille": "present",
        "Louis": "absent",
        "Inès": "present",
        "Hugo": "present",
        "Léa": "present",
    }
    page.reload()
    expect(louis.get_by_role("radio", name=re.compile("^Absent"))).to_be_checked()

    # Attestation: the four who satisfy the rule, in one click.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Attestation des participants").click()
    check_accessibility(page)
    page.get_by_role("button", name="Attester tous ceux qui remplissent la règle").click()
    expect(page.get_by_text("4 participants attestés")).to_be_visible()
    camille = Enrolment.objects.get(session=session, user__first_name="Camille")
    assert camille.is_attested and not Enrolment.objects.get(user__first_name="Louis").is_attested

    # The teacher downloads their certificate.
    page.context.clear_cookies()
    sign_in(page, camille.user.email, PASSWORD)
    response = page.request.get(f"/sessions/inscriptions/{camille.pk}/attestation.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "Camille Arnaud" in text and camille.certificate_code_display in text

    # Anyone verifies the code, typed as it comes (lower case, in its printed groups).
    page.context.clear_cookies()
    page.goto("/sessions/verifier/")
    page.get_by_role("textbox", name=re.compile("^Code de vérification")).fill(
        camille.certificate_code_display.lower()
    )
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Cette attestation est authentique")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Camille Arnaud")
    check_accessibility(page)
