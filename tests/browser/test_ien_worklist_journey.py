"""The IEN's worklist of union-meeting declarations, through the UI: the IEN of Caen Nord sees
on the home page that two declarations wait, opens the worklist, refuses one with a reason and
validates the other (htmx replaces each row in place); the teacher refused reads the reason in
« Mes 18 heures ». axe-core checks every page on the way."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.hours import services
from preau.hours.models import Entry
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

REASON = "La réunion s’est tenue pendant les vacances scolaires."


@pytest.fixture
def people(territory):
    school = territory["caen_school"]
    ien = factories.with_role(
        Role.IEN,
        user=factories.UserFactory(first_name="Claire", last_name="Martin"),
        circonscription=territory["caen"],
    )
    anne = factories.teacher(school=school, first_name="Anne", last_name="Arnaud")
    bruno = factories.teacher(school=school, first_name="Bruno", last_name="Bernard")
    today = timezone.localdate()
    declared = {
        person: services.declare_union_meeting(
            teacher=person, date=today, hours=Decimal(3), title="RIS de décembre"
        )
        for person in (anne, bruno)
    }
    return {"ien": ien, "anne": anne, "bruno": bruno, "declared": declared}


def test_the_ien_refuses_one_declaration_with_a_reason_and_validates_another(page: Page, people):
    ien, anne, bruno = people["ien"], people["anne"], people["bruno"]
    main = page.get_by_role("main")

    # 1. The home page counts the declarations waiting.
    sign_in(page, ien.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    link = main.get_by_role("link", name="2 déclarations à valider (Caen Nord)")
    expect(link).to_be_visible()
    check_accessibility(page)

    # 2. The worklist.
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Réunions d’information syndicale à valider"
    )
    expect(main.get_by_role("status").first).to_have_text("2 déclarations à valider")
    table = main.get_by_role("table", name="Déclarations en attente, les plus anciennes d’abord")
    expect(table.locator("tbody").get_by_role("row")).to_have_count(2)
    check_accessibility(page)

    # 3. Refusing without a reason is refused, in the row.
    bruno_row = table.get_by_role("row").filter(has_text="Bernard Bruno")
    bruno_row.get_by_role("button", name="Refuser la déclaration de Bruno Bernard").click()
    expect(bruno_row.get_by_role("alert")).to_contain_text("Indiquez le motif du refus")
    # 4. With a reason.
    bruno_row = table.get_by_role("row").filter(has_text="Bernard Bruno")
    bruno_row.get_by_role("textbox", name="Motif du refus de la déclaration de Bruno Bernard").fill(
        REASON
    )
    bruno_row.get_by_role("button", name="Refuser la déclaration de Bruno Bernard").click()
    expect(bruno_row).to_contain_text("Refusée : Bruno Bernard lira le motif")
    expect(bruno_row).to_contain_text(REASON)

    # 5. Validating the other one.
    anne_row = table.get_by_role("row").filter(has_text="Arnaud Anne")
    anne_row.get_by_role("button", name="Valider la déclaration de Anne Arnaud").click()
    expect(anne_row).to_contain_text("Validée : elle compte dans les heures de Anne Arnaud.")
    check_accessibility(page)

    assert Entry.objects.get(pk=people["declared"][anne].pk).validated_at is not None
    refused = Entry.objects.get(pk=people["declared"][bruno].pk)
    assert refused.refused_at is not None and refused.reason == REASON

    # 6. Nothing waits any more.
    page.reload()
    expect(main.get_by_text("Aucune déclaration n’attend votre décision.")).to_be_visible()
    page.goto("/")
    expect(
        main.get_by_role("link", name="Aucune déclaration à valider (Caen Nord)")
    ).to_be_visible()

    # 7. The teacher refused reads why.
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    sign_in(page, bruno.email, PASSWORD)
    page.goto("/heures/")
    expect(main).to_contain_text("Refusée par l’IEN : non comptée")
    expect(main).to_contain_text(REASON)
    check_accessibility(page)
