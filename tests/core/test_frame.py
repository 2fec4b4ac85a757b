"""The page frame (header, menu, footer) is partly built once per process: what is kept must be
the same for everybody, and what depends on the person or the page must never be kept."""

import re

from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from preau.accounts.models import Role
from tests import factories


def current_entry(response) -> list[str]:
    return re.findall(
        r'<a class="fr-nav__link"\s+href="[^"]*"\s+aria-current="page">([^<]*)</a>',
        response.content.decode(),
    )


def test_two_people_each_see_their_own_name_and_menu_on_the_same_page(client, cast):
    client.force_login(cast["teacher"])
    teacher_page = client.get("/mentions-legales/").content.decode()
    client.force_login(cast["trainer"])
    trainer_page = client.get("/mentions-legales/").content.decode()

    assert cast["teacher"].get_full_name() in teacher_page
    assert cast["teacher"].get_full_name() not in trainer_page
    assert cast["trainer"].get_full_name() in trainer_page
    assert "Mes 18 heures" in teacher_page and "Mes 18 heures" not in trainer_page
    assert "Offre de parcours" in trainer_page and "Offre de parcours" not in teacher_page


def test_the_footer_and_the_brand_are_the_same_for_everybody(client, cast):
    footers = []
    for member in ("teacher", "ien"):
        client.force_login(cast[member])
        page = client.get("/mentions-legales/").content.decode()
        footers.append(page[page.index('<footer class="fr-footer"') :])
    client.logout()
    page = client.get("/mentions-legales/").content.decode()
    footers.append(page[page.index('<footer class="fr-footer"') :])

    assert footers[0] == footers[1] == footers[2]
    assert "Mentions légales" in footers[0] and "Préau" in footers[0]


def test_the_current_menu_entry_follows_the_page(client, cast):
    client.force_login(cast["teacher"])

    assert current_entry(client.get("/heures/")) == ["Mes 18 heures"]
    assert current_entry(client.get("/sessions/mes-sessions/")) == ["Mes sessions"]
    assert current_entry(client.get("/mentions-legales/")) == []


def test_a_role_given_shows_its_menu_entry_on_the_next_page(client, cast, territory):
    teacher = cast["teacher"]
    client.force_login(teacher)
    assert "Offre de parcours" not in client.get("/").content.decode()

    factories.RoleAssignmentFactory(
        user=teacher, role=Role.TRAINER, circonscription=territory["caen"]
    )

    assert "Offre de parcours" in client.get("/").content.decode()


def test_rendered_once_keeps_the_first_rendering_within_a_request():
    template = Template("{% load preau %}{% rendered_once %}{{ word }}{% endrendered_once %}")
    request = RequestFactory().get("/")

    first = template.render(RequestContext(request, {"word": "premier"}))
    second = template.render(RequestContext(request, {"word": "second"}))

    assert first == second == "premier"


def test_rendered_once_keeps_nothing_outside_a_request():
    """A PDF or an e-mail renders without the context processors: what it renders must not be
    kept for the pages."""
    template = Template("{% load preau %}{% rendered_once %}{{ word }}{% endrendered_once %}")

    assert template.render(Context({"word": "courriel"})) == "courriel"
    # The same template, now for a page: rendered afresh, then kept.
    request = RequestFactory().get("/")
    assert template.render(RequestContext(request, {"word": "page"})) == "page"
    assert template.render(RequestContext(request, {"word": "autre"})) == "page"
