"""The notification centre in the browser: the bell shows how many are unread, the page lists
them, opening one marks it read and leads to its page; « Tout marquer comme lu » empties the
bell. axe-core checks the list and the profile's e-mail choice."""

import pytest
from playwright.sync_api import Page, expect

from preau.notifications.models import Notification
from preau.notifications.services import notify
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def test_the_bell_counts_the_page_lists_and_opening_marks_read(page: Page, cast, territory):
    teacher = cast["teacher"]
    session = factories.TrainingSessionFactory(
        open=True, title="Lire au CP — Caen Nord", circonscription=territory["caen"]
    )
    factories.EnrolmentFactory(session=session, user=teacher)
    for title in ("Nouvelle annonce : la salle change", "Vous êtes inscrit à « Lire au CP »"):
        notify(
            recipients=[teacher],
            kind=Notification.Kind.ANNOUNCEMENT,
            title=title,
            url=f"/sessions/mes-sessions/{session.pk}/",
            session=session,
        )
    notify(
        recipients=[teacher],
        kind=Notification.Kind.ATTESTATION,
        title="Votre attestation est disponible",
        url="/heures/",
    )

    sign_in(page, teacher.email, PASSWORD)
    bell = page.get_by_role("link", name="Notifications (3 non lues)")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("3")

    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    items = page.get_by_role("main").get_by_role("listitem")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Votre attestation est disponible")  # newest first
    check_accessibility(page)

    page.get_by_role("link", name="Nouvelle annonce : la salle change").click()
    expect(page).to_have_url(
        f"{page.url.split('/sessions/')[0]}/sessions/mes-sessions/{session.pk}/"
    )
    expect(page.get_by_role("link", name="Notifications (2 non lues)")).to_be_visible()

    page.get_by_role("link", name="Notifications (2 non lues)").click()
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("Toutes vos notifications sont marquées comme lues.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert not Notification.objects.filter(recipient=teacher, is_read=False).exists()

    page.goto("/compte/profil/")
    page.get_by_text("Un résumé par jour").click()
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.get_by_text("Votre choix d’e-mails a été enregistré.")).to_be_visible()
    expect(page.get_by_label("Un résumé par jour")).to_be_checked()
    check_accessibility(page)
