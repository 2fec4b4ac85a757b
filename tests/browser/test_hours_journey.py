"""The 18 hours journey, through the UI only: the IEN of Caen Nord records a 3 h animation
pédagogique for the twenty teachers of a school from the « Suivi des 18 heures »; a teacher
finds it in « Mes 18 heures » with what is still missing explained in French; the trainer of a
session the teacher follows attests them; the teacher sees the session's hours arrive.
axe-core checks every distinct page on the way."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.hours.rules import school_year_bounds, school_year_label, school_year_of
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

SESSION = "Enseigner l’oral au cycle 2 — Caen Nord"
ANIMATION = "Conférence : la compréhension en lecture"
TEACHERS = [  # first name, last name: sorted by last name, the IEN's list order
    ("Camille", "Arnaud"),
    ("Louis", "Bernard"),
    ("Inès", "Chevalier"),
    ("Hugo", "Dubois"),
    ("Léa", "Écuyer"),
    ("Jules", "Fabre"),
    ("Chloé", "Garnier"),
    ("Nathan", "Henry"),
    ("Manon", "Imbert"),
    ("Lucas", "Joly"),
    ("Emma", "Klein"),
    ("Théo", "Lambert"),
    ("Zoé", "Marchand"),
    ("Adam", "Noël"),
    ("Jade", "Olivier"),
    ("Paul", "Perrin"),
    ("Alice", "Roussel"),
    ("Gabriel", "Simon"),
    ("Lina", "Thomas"),
    ("Raphaël", "Vincent"),
]


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu principal")


def message(page: Page, text: str):
    """A flash message, above the main content: a DSFR alert with the status role."""
    return page.get_by_role("status").filter(has_text=text)


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def this_school_year() -> tuple[datetime.date, datetime.date]:
    return school_year_bounds(school_year_of(timezone.localdate()))


@pytest.fixture
def people(territory):
    caen, school = territory["caen"], territory["caen_school"]
    teachers = [
        factories.teacher(
            school=school,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@ac-normandie.fr".lower(),
        )
        for first, last in TEACHERS
    ]
    ien = factories.with_role(
        Role.IEN,
        user=factories.UserFactory(first_name="Claire", last_name="Martin"),
        circonscription=caen,
    )
    trainer = factories.with_role(
        Role.TRAINER,
        user=factories.UserFactory(first_name="Sophie", last_name="Lemaître"),
        circonscription=caen,
    )
    # Open, started a week ago, ending within this school year: its hours count this year.
    start, end = this_school_year()
    session = factories.TrainingSessionFactory(
        open=True,
        title=SESSION,
        circonscription=caen,
        start_date=max(day(-7), start),
        end_date=max(min(day(21), end), timezone.localdate()),
        presence_hours=Decimal(3),
        distance_hours=Decimal(3),
        trainers=[trainer],
        participants=[teachers[0]],
    )
    factories.MeetingFactory(
        session=session, title="Lancement en présence", date=session.start_date
    )
    return {"ien": ien, "trainer": trainer, "teachers": teachers, "session": session}


def test_ien_records_an_animation_and_a_teacher_sees_their_hours_arrive(page: Page, people):
    ien, trainer, teachers = people["ien"], people["trainer"], people["teachers"]
    camille = teachers[0]
    main = page.get_by_role("main")
    year = school_year_label(school_year_of(timezone.localdate()))
    # A date already past, in this school year (the first day of it on 1 September).
    animation_day = max(day(-7), this_school_year()[0])

    # 1. The IEN records a 3 h animation for the twenty teachers of the school.
    sign_in(page, ien.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    check_accessibility(page)

    main.get_by_role("link", name="Suivi des 18 heures de Caen Nord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi des 18 heures : Caen Nord")
    expect(main.get_by_role("status")).to_have_text("20 enseignants")
    follow_up = main.get_by_role("table", name="Enseignants de la circonscription et leurs heures")
    rows = follow_up.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(20)
    expect(rows.filter(has_text="0 h / 18 h")).to_have_count(20)
    check_accessibility(page)

    for first, last in TEACHERS:
        # The DSFR draws the box with the label (its text is for screen readers only): the
        # label takes the click, and Playwright would wait for the input to get it.
        box = follow_up.get_by_role("checkbox", name=f"{first} {last}", exact=True)
        box.check(force=True)
        expect(box).to_be_checked()
    animation = main.get_by_role("group", name="Enregistrer une animation", exact=True)
    animation.get_by_role("textbox", name=label("Intitulé de l’animation")).fill(ANIMATION)
    animation.get_by_role("textbox", name=label("Date")).fill(animation_day.isoformat())
    animation.get_by_role("spinbutton", name=label("Heures en présence")).fill("3")
    animation.get_by_role("spinbutton", name=label("Heures à distance")).fill("0")
    animation.get_by_role("button", name="Enregistrer l’animation").click()

    expect(
        message(page, f"Animation « {ANIMATION} » enregistrée pour 20 enseignants.")
    ).to_be_visible()
    expect(rows).to_have_count(20)
    expect(rows.filter(has_text="3 h / 18 h")).to_have_count(20)
    expect(rows.filter(has_text="0 h / 18 h")).to_have_count(0)
    check_accessibility(page)
    sign_out(page)

    # 2. Teacher #1 finds the animation in « Mes 18 heures », and what is still missing.
    sign_in(page, camille.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille")
    check_accessibility(page)

    menu(page).get_by_role("link", name="Mes 18 heures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mes 18 heures — année {year}")
    where = main.get_by_role("region", name="Où j’en suis")
    expect(where).to_contain_text(
        "Il vous manque 9 h de formation dont au moins une partie à distance et 6 h "
        "d’animations pédagogiques ou de formation."
    )
    expect(where).to_contain_text("Heures comptées : 3 h sur 18 h")
    ledger = main.get_by_role("table", name=f"Relevé de l’année {year}")
    entries = ledger.locator("tbody").get_by_role("row")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(ANIMATION)
    expect(entries.first).to_contain_text(animation_day.strftime("%d/%m/%Y"))
    expect(entries.first).to_contain_text("Claire Martin")
    expect(
        ledger.get_by_role("row", name=re.compile("^Animations pédagogiques comptées"))
    ).to_contain_text("3 h")
    expect(main.get_by_role("region", name="Mes sessions à venir qui compteront")).to_contain_text(
        SESSION
    )
    check_accessibility(page)
    sign_out(page)

    # 3. The trainer attests teacher #1 from the session's page.
    sign_in(page, trainer.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie")
    menu(page).get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes sessions")
    check_accessibility(page)

    main.get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    check_accessibility(page)

    main.get_by_role("link", name="Attestation des participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attester les participants")
    participants = page.get_by_role("table", name="Participants de la session et leur attestation")
    check_accessibility(page)

    choice = participants.get_by_role("checkbox", name="Sélectionner Camille Arnaud")
    choice.check(force=True)
    expect(choice).to_be_checked()
    page.get_by_role("button", name="Attester la sélection").click()
    expect(message(page, "1 participant attesté")).to_be_visible()
    expect(main).to_contain_text("1 attesté sur 1 participant.")
    check_accessibility(page)
    sign_out(page)

    # 4. Teacher #1 sees the session's 6 h arrive, 3 h of them at distance.
    sign_in(page, camille.email, PASSWORD)
    menu(page).get_by_role("link", name="Mes 18 heures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mes 18 heures — année {year}")
    expect(where).to_contain_text(
        "Il vous manque 3 h de formation et 6 h d’animations pédagogiques ou de formation."
    )
    expect(where).not_to_contain_text("à distance et")
    expect(where).to_contain_text("Heures comptées : 9 h sur 18 h")
    expect(where).to_contain_text("6 h sur 9 h (dont 3 h à distance)")
    expect(entries).to_have_count(2)
    credited = entries.filter(has_text=SESSION)
    expect(credited).to_contain_text("Formation continue")
    expect(credited.get_by_role("cell", name="3 h", exact=True)).to_have_count(2)
    expect(
        ledger.get_by_role("row", name=re.compile("^Formation continue comptée"))
    ).to_contain_text("6 h dont 3 h à distance")
    check_accessibility(page)
