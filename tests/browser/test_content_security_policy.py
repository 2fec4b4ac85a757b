"""The Content-Security-Policy holds on the main pages of every role: no inline script or
style, no eval (htmx swaps, the DSFR's scripts, Trix, the admin), and nothing is blocked.

Every journey's page fixture already fails on a violation (conftest.CSP_REPORTER); this test
visits, in one browser session, the pages each role opens most, and proves the detector works.
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from tests import factories
from tests.factories import PASSWORD

from .conftest import csp_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(cast, territory):
    trainer, teacher, designer = cast["trainer"], cast["teacher"], cast["designer"]
    session = factories.TrainingSessionFactory(
        open=True,
        title="Fluence en lecture",
        circonscription=territory["caen"],
        trainers=[trainer],
        participants=[teacher, factories.teacher(school=territory["caen_school"])],
    )
    meeting = factories.MeetingFactory(session=session, title="Lancement")
    parcours = factories.ParcoursFactory(complete=True, title="Les fractions", designers=[designer])
    factories.SectionFactory(parcours=parcours, title="Découvrir", with_page=True)
    admin = factories.with_role(Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return {"session": session, "meeting": meeting, "parcours": parcours, "admin": admin}


def visit(page: Page, console_errors: list[str], url: str) -> None:
    response = page.goto(url)
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
    assert "script-src 'self'" in policy, policy
    assert "camera=()" in response.headers["permissions-policy"]
    page.wait_for_load_state("load")
    assert not csp_violations(console_errors), console_errors


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_the_main_pages_of_every_role_break_no_content_security_policy(
    page: Page, cast, scene, console_errors
):
    # The detector works: an inline script is refused, and reported.
    visit(page, console_errors, "/")
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.preauInline = true;")
    assert page.evaluate("window.preauInline === undefined")
    assert csp_violations(console_errors), "an inline script ran or went unreported"
    console_errors.clear()

    # A teacher: home, the offre de formation filtered in place (htmx), their session page.
    sign_in(page, cast["teacher"].email, PASSWORD)
    visit(page, console_errors, "/")
    visit(page, console_errors, "/sessions/offre/")
    with page.expect_response(re.compile(r"/sessions/offre/\?")):
        page.locator("#id_q").fill("fluence")
    expect(page).to_have_url(re.compile(r"q=fluence"))  # hx-push-url after the swap
    visit(page, console_errors, f"/sessions/mes-sessions/{scene['session'].pk}/")
    visit(page, console_errors, "/sessions/agenda/")
    sign_out(page)

    # A trainer: the roll call (htmx), the session page, its content editor (htmx moves) and
    # a page activity in the rich-text editor (Trix inserts a style element: the nonce).
    sign_in(page, cast["trainer"].email, PASSWORD)
    visit(page, console_errors, f"/sessions/reunions/{scene['meeting'].pk}/presences/")
    page.get_by_role("button", name="Tous présents").click()
    expect(page.get_by_text("2 participants marqués présents.")).to_be_visible()
    visit(page, console_errors, f"/sessions/{scene['session'].pk}/gestion/")
    visit(page, console_errors, f"/sessions/{scene['session'].pk}/gestion/contenu/")
    page.get_by_role("link", name=re.compile("^Modifier l’activité")).first.click()
    expect(page.locator("trix-editor")).to_be_visible()
    page.locator("trix-editor").click()
    page.keyboard.type("Un mot de plus.")
    sign_out(page)

    # A designer: the parcours editor, a section moved in place (htmx), the rich-text editor.
    sign_in(page, cast["designer"].email, PASSWORD)
    parcours = scene["parcours"]
    visit(page, console_errors, f"/parcours/{parcours.pk}/contenu/")
    with page.expect_response(re.compile(r"/deplacer/")):
        page.get_by_role("button", name=re.compile("^Descendre la section")).first.click()
    expect(page.locator("#content-editor h2").first).to_contain_text("Découvrir")
    page.get_by_role("link", name=re.compile("^Modifier l’activité")).first.click()
    expect(page.locator("trix-editor")).to_be_visible()
    visit(page, console_errors, f"/parcours/{parcours.pk}/indexation/")
    sign_out(page)

    # An IEN's follow-up and the technical admin.
    sign_in(page, cast["ien"].email, PASSWORD)
    visit(page, console_errors, "/")
    sign_out(page)
    sign_in(page, scene["admin"].email, PASSWORD)
    visit(page, console_errors, "/admin/")
    visit(page, console_errors, "/admin/accounts/user/")
    visit(page, console_errors, f"/admin/accounts/user/{cast['teacher'].pk}/change/")

    assert not csp_violations(console_errors), console_errors
