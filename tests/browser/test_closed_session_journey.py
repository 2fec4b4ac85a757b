"""The time rules and the closed session, through the UI, with the clock frozen on Sunday
6 December 2026, 18:00 in Paris (the issue's day): the session starts with a meeting on the 7th
and runs distance work until the 18th. The trainer cannot call the roll of tomorrow's meeting,
must give a reason to attest early (kept in the history), is warned with the end date when
closing early; the closed session page offers no change; the teacher's agenda shows nothing
to come of it. axe-core checks every page."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.training.models import SessionEvent, SessionStatus
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 12, 6, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
TODAY = NOW.date()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def clock():
    # tick=True: the date is pinned, seconds still pass (the browser's timers need them).
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def people(territory):
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=territory["caen"],
        user=factories.UserFactory(first_name="Sophie", last_name="Lemaître"),
    )
    school = territory["caen_school"]
    teachers = [
        factories.teacher(school=school, first_name=first, last_name=last)
        for first, last in (("Camille", "Arnaud"), ("Louis", "Bernard"), ("Inès", "Chevalier"))
    ]
    return trainer, teachers


@pytest.fixture
def session(territory, people):
    trainer, teachers = people
    session = factories.TrainingSessionFactory(
        open=True,
        title="Lire au CP",
        circonscription=territory["caen"],
        trainers=[trainer],
        participants=teachers,
        start_date=day(1),
        end_date=day(12),
    )
    factories.MeetingFactory(session=session, title="Lancement", date=day(1))
    factories.DistanceWindowFactory(session=session, starts_on=day(2), ends_on=day(12))
    # Another session of Camille's, still running: her agenda is not empty.
    other = factories.TrainingSessionFactory(
        open=True,
        title="Écrire au CE1",
        circonscription=territory["caen"],
        participants=[teachers[0]],
        start_date=day(-3),
        end_date=day(20),
    )
    factories.MeetingFactory(session=other, title="Atelier d’écriture", date=day(4))
    return session


def test_early_attestation_needs_a_reason_and_a_closed_session_offers_no_change(
    page: Page, session, people
):
    trainer, teachers = people
    meeting = session.meetings.get()
    sign_in(page, trainer.email, PASSWORD)

    # Tomorrow's roll call: nothing to tap yet.
    page.goto(f"/sessions/reunions/{meeting.pk}/presences/")
    expect(page.get_by_text("Cette réunion n’a pas encore eu lieu")).to_be_visible()
    expect(page.get_by_text("à partir du lundi 7 décembre 2026")).to_be_visible()
    expect(page.get_by_role("button", name="Tous présents")).to_have_count(0)
    expect(page.get_by_role("radio").first).to_be_disabled()
    check_accessibility(page)

    # Attesting today: the page warns with the dates and asks why.
    page.goto(f"/sessions/{session.pk}/attestation/")
    warning = page.locator("#attestation-anticipee")
    expect(warning).to_contain_text("La formation n’est pas terminée")
    expect(warning).to_contain_text("lundi 7 décembre 2026")
    expect(warning).to_contain_text("vendredi 18 décembre 2026")
    check_accessibility(page)
    page.get_by_role("button", name="Attester Camille Arnaud").click()
    expect(page.get_by_text("indiquez la raison")).to_be_visible()
    assert not session.enrolments.filter(completed_at__isnull=False).exists()

    page.get_by_label("Raison d’une attestation avant la fin de la formation").fill(
        "Camille a suivi la même formation en novembre à Bayeux."
    )
    page.get_by_role("button", name="Attester Camille Arnaud").click()
    expect(page.get_by_text("1 participant attesté")).to_be_visible()

    # The history on the session page keeps the reason.
    page.goto(f"/sessions/{session.pk}/gestion/")
    history = page.locator("#historique")
    expect(history).to_contain_text("Participants attestés avant la fin de la formation")
    expect(history).to_contain_text("« Camille a suivi la même formation en novembre à Bayeux. »")
    expect(history).to_contain_text("par Sophie Lemaître")

    # Closing early: the warning names the end date.
    page.get_by_role("link", name="Clore la session…").click()
    expect(page.locator("#avertissement")).to_contain_text(
        "La session se termine le vendredi 18 décembre 2026"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Clore la session avant sa date de fin").click()
    expect(page.get_by_text("Session close.", exact=True)).to_be_visible()
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.events.filter(action=SessionEvent.Action.CLOSED_EARLY).exists()

    # The closed session: read, not changed.
    expect(
        page.get_by_text("Session close : elle se consulte mais ne se modifie plus")
    ).to_be_visible()
    main = page.get_by_role("main")
    for name in (
        "Ajouter une réunion",
        "Ajouter une période à distance",
        "Ajouter à l’équipe",
        "Inscrire des participants",
        "Modifier les dates et les paramètres",
        "Adapter le contenu de la session",
    ):
        expect(main.get_by_role("link", name=name)).to_have_count(0)
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_role("link", name="Archiver la session…")).to_be_visible()
    check_accessibility(page)

    # Camille's agenda: nothing to come of the closed session, her other session still there.
    page.context.clear_cookies()
    sign_in(page, teachers[0].email, PASSWORD)
    agenda = page.locator("section[aria-labelledby='agenda']")
    expect(agenda).to_contain_text("Atelier d’écriture")
    expect(agenda).not_to_contain_text("Lire au CP")
    check_accessibility(page)
