"""The forums through the UI: a trainer's announcement reaches a participant by e-mail; a
teacher starts a thread, a colleague replies with a mention, the first sees the unread marker
and the notification; a tutor hides a post; a closed session's forum refuses a post. axe-core
checks every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.forums import services
from preau.forums.models import Post
from preau.notifications.models import Notification
from preau.parcours.models import Activity
from preau.training.models import SessionStatus
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


@pytest.fixture
def room(territory):
    caen = territory["caen"]
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=caen,
        user=factories.UserFactory(first_name="Julien", last_name="Marchand"),
    )
    tutor = factories.with_role(
        Role.TUTOR,
        circonscription=caen,
        user=factories.UserFactory(first_name="Sophie", last_name="Perrin"),
    )
    school = territory["caen_school"]
    camille = factories.teacher(school=school, first_name="Camille", last_name="Arnaud")
    louis = factories.teacher(school=school, first_name="Louis", last_name="Bernard")
    session = factories.TrainingSessionFactory(
        open=True,
        title="Lire au CP",
        circonscription=caen,
        trainers=[trainer],
        tutors=[tutor],
        participants=[camille, louis],
    )
    section = session.content.sections.first() or factories.SectionFactory(parcours=session.content)
    Activity.objects.create(section=section, kind="forum", title="Partagez une séance", position=99)
    services.ensure_forums(session=session)
    return {
        "session": session,
        "trainer": trainer,
        "tutor": tutor,
        "camille": camille,
        "louis": louis,
        "discussion": session.forums.get(kind="discussion"),
    }


def test_a_trainers_announcement_reaches_the_participants_by_email(page: Page, room, mailoutbox):
    sign_in(page, room["trainer"].email, PASSWORD)
    page.goto(f"/sessions/{room['session'].pk}/forums/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forums de la session")
    check_accessibility(page)
    page.get_by_role("link", name="Annonces").click()
    page.get_by_role("link", name="Publier une annonce").click()
    check_accessibility(page)
    page.get_by_role("textbox", name=label("Titre de la discussion")).fill("Réunion du 12")
    page.get_by_role("textbox", name=label("Message")).fill("Elle aura lieu en salle 3.")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Discussion publiée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunion du 12")
    check_accessibility(page)

    # The live server runs in this process: its locmem backend fills django.core.mail.outbox.
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([room["camille"].email, room["louis"].email])
    assert "salle 3" in mailoutbox[0].body


def test_a_reply_with_a_mention_shows_as_new_to_the_thread_author(page: Page, room, browser):
    sign_in(page, room["camille"].email, PASSWORD)
    page.goto(f"/sessions/forums/{room['discussion'].pk}/")
    check_accessibility(page)
    page.get_by_role("link", name="Nouvelle discussion").click()
    page.get_by_role("textbox", name=label("Titre de la discussion")).fill("Rituels du matin")
    page.get_by_role("textbox", name=label("Message")).fill("Combien de temps y passez-vous ?")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Combien de temps y passez-vous ?")).to_be_visible()
    check_accessibility(page)

    # Louis answers, naming Camille, in his own browser.
    other = browser.new_context(base_url=page.url.split("/sessions")[0], locale="fr-FR")
    louis = other.new_page()
    sign_in(louis, room["louis"].email, PASSWORD)
    louis.goto(page.url)
    louis.get_by_role("textbox", name=label("Message")).fill(
        "@Camille Arnaud un quart d’heure, pas plus."
    )
    louis.get_by_role("button", name="Publier la réponse").click()
    expect(louis.get_by_text("Réponse publiée.")).to_be_visible()
    other.close()

    # Camille: the marker on her session page, the new post marked, the notifications.
    page.goto(f"/sessions/mes-sessions/{room['session'].pk}/")
    expect(page.get_by_text("1 nouveau message")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications (1 non lue)")).to_be_visible()
    check_accessibility(page)
    page.goto(f"/sessions/{room['session'].pk}/forums/")
    page.get_by_role("link", name="Partagez une séance").click()
    expect(page.get_by_text("1 nouveau message")).to_be_visible()
    page.get_by_role("link", name="Rituels du matin").click()
    expect(page.locator(".fr-badge--new")).to_have_count(1)
    check_accessibility(page)
    kinds = set(
        Notification.objects.filter(recipient=room["camille"]).values_list("kind", flat=True)
    )
    assert kinds == {"reply"}  # one notification: she follows the thread and is mentioned
    page.goto(f"/sessions/mes-sessions/{room['session'].pk}/")
    expect(page.get_by_text("nouveau message")).to_have_count(0)


def test_a_tutor_hides_a_post_and_its_author_sees_the_reason(page: Page, room):
    thread = services.start_thread(
        forum=room["discussion"], by=room["louis"], title="Hors sujet", body="<p>Vends vélo</p>"
    )
    sign_in(page, room["tutor"].email, PASSWORD)
    page.goto(f"/sessions/forums/discussions/{thread.pk}/")
    page.get_by_role("link", name="Masquer").click()
    check_accessibility(page)
    page.get_by_role("textbox", name=label("Motif")).fill("Annonce sans rapport avec la formation")
    page.get_by_role("button", name="Masquer").click()
    expect(page.get_by_text("Message masqué. Son auteur voit le motif.")).to_be_visible()
    check_accessibility(page)
    assert Post.objects.get(thread=thread).hidden


def test_a_closed_sessions_forum_offers_no_reply(page: Page, room):
    """The page offers no form; a reply posted anyway is refused by the service
    (tests/forums/test_views.py, test_a_closed_session_forum_is_readable_and_refuses_a_post)."""
    thread = services.start_thread(
        forum=room["discussion"], by=room["louis"], title="Bilan", body="<p>Merci à tous</p>"
    )
    session = room["session"]
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    sign_in(page, room["camille"].email, PASSWORD)
    page.goto(f"/sessions/forums/discussions/{thread.pk}/")
    expect(page.get_by_text("Merci à tous")).to_be_visible()
    expect(page.get_by_text("ne reçoivent plus de messages").first).to_be_visible()
    expect(page.get_by_role("button", name="Publier la réponse")).to_have_count(0)
    check_accessibility(page)
    assert Post.objects.filter(thread=thread).count() == 1
