"""The teacher's journey through sessions, in the UI only: find a session in the offre de
formation with the filters, enrol with its key (a wrong key first), read the session page,
subscribe to « Mon agenda » and fetch the feed, leave a waiting list. axe-core checks every
distinct page on the way."""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from preau.parcours.models import Domain
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

TITLE = "Lire et comprendre au cycle 2 — Caen Nord"
KEY = "LECTURE2027"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def sessions(territory, cast):
    reading = factories.ParcoursFactory(
        published=True, title="Lire et comprendre au cycle 2", domain=Domain.FRANCAIS
    )
    session = factories.TrainingSessionFactory(
        open=True,
        source=reading,
        title=TITLE,
        circonscription=territory["caen"],
        start_date=days(10),
        self_enrolment=True,
        enrolment_key=KEY,
        capacity=20,
        trainers=[cast["trainer"]],
    )
    factories.MeetingFactory(session=session, title="Lancement", date=days(10))
    factories.DistanceWindowFactory(session=session, title="Lectures")
    full = factories.TrainingSessionFactory(
        open=True,
        title="Calcul mental — Caen Nord",
        circonscription=territory["caen"],
        start_date=days(20),
        self_enrolment=True,
        capacity=1,
    )
    factories.EnrolmentFactory(session=full)
    return {"session": session, "full": full}


def test_teacher_finds_enrols_follows_and_subscribes(page: Page, cast, sessions):
    sign_in(page, cast["teacher"].email, PASSWORD)
    page.goto("/sessions/offre/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de formation")
    expect(page.locator("#catalogue-count")).to_have_text("2 sessions trouvées")
    check_accessibility(page)

    # The filters refresh the results in place (htmx).
    page.get_by_label("Domaine").select_option(label="Français")
    expect(page.locator("#catalogue-count")).to_have_text("1 session trouvée")
    card = page.get_by_role("article", name=TITLE)
    expect(card).to_contain_text("École Jules Ferry, 1 rue de l’École, 14000 Caen")
    expect(card).to_contain_text("20 places restantes sur 20")

    # A wrong key: a clear error, on the session's own page.
    card.get_by_role("textbox", name=re.compile("^Clé d’inscription")).fill("AUTOMNE")
    card.get_by_role("button", name=f"S’inscrire à la session « {TITLE} »").click()
    expect(page.get_by_text("Clé d’inscription incorrecte.")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("textbox", name=re.compile("^Clé d’inscription")).fill(KEY)
    page.get_by_role("button", name=f"S’inscrire à la session « {TITLE} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(f"Vous êtes inscrit à la session « {TITLE} ».")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Lancement")
    expect(main).to_contain_text("Lectures")
    expect(main).to_contain_text("Lisez ce document avant la séance.")  # the content copy
    expect(main).to_contain_text(cast["trainer"].get_full_name())
    check_accessibility(page)

    page.get_by_role("link", name="Ajouter mes sessions à mon agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    check_accessibility(page)
    feed = page.request.get(page.get_by_label("Adresse de votre agenda Préau").input_value())
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert summaries == [f"{TITLE} — Lancement", f"{TITLE} — Lectures"]

    # The full session: the waiting list, then leaving it after confirming.
    page.goto("/sessions/offre/")
    page.get_by_role("article", name="Calcul mental — Caen Nord").get_by_role(
        "button", name="S’inscrire sur la liste d’attente"
    ).click()
    expect(page.get_by_text("Vous êtes n° 1 sur la liste d’attente")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Quitter la liste d’attente").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quitter la liste d’attente")
    check_accessibility(page)
    page.get_by_role("button", name="Oui, quitter la liste d’attente").click()
    expect(
        page.get_by_text("Vous avez quitté la liste d’attente de la session « Calcul mental")
    ).to_be_visible()

    page.goto("/sessions/mes-sessions/")
    expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Calcul mental")
    check_accessibility(page)
