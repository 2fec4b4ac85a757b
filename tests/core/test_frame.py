"""The page frame (header, menu, footer) is partly built once per process: what is kept must be
the same for everybody, and what depends on the person or the page must never be kept."""

import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from preau.accounts.models import Role
from preau.core.templatetags.preau import RenderedOnceChanged, forget_rendered
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


def fresh_page(client, person=None) -> str:
    """The page as a new process would render it for this person: nothing kept before."""
    forget_rendered()
    if person is None:
        client.logout()
    else:
        client.force_login(person)
    return client.get("/mentions-legales/").content.decode()


def footer(page: str) -> str:
    return page[page.index('<footer class="fr-footer"') :]


def brand(page: str) -> str:
    return page[page.index('<div class="fr-header__brand') : page.index("fr-header__tools")]


def test_the_footer_and_the_brand_rendered_afresh_are_the_same_for_everybody(client, cast):
    """Rendered for each person in a fresh state (as by separate processes): were the footer
    or the brand to show the person, they would differ here."""
    pages = [
        fresh_page(client, cast["teacher"]),
        fresh_page(client, cast["ien"]),
        fresh_page(client),
    ]

    assert footer(pages[0]) == footer(pages[1]) == footer(pages[2])
    assert brand(pages[0]) == brand(pages[1]) == brand(pages[2])
    assert "Mentions légales" in footer(pages[0]) and "Préau" in footer(pages[0])


def test_a_block_kept_for_everybody_that_shows_the_person_fails_loudly(rf, cast):
    """The test settings check every later rendering against the kept one: `{{ user }}` put in
    the footer fails the first test where two people see a page."""
    template = Template("{% load preau %}{% rendered_once %}{{ user }}{% endrendered_once %}")
    first, second = rf.get("/"), rf.get("/")
    first.user, second.user = cast["teacher"], cast["ien"]

    template.render(RequestContext(first, {"user": cast["teacher"]}))
    with pytest.raises(RenderedOnceChanged, match="rendered differently"):
        template.render(RequestContext(second, {"user": cast["ien"]}))


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


def test_rendered_once_keeps_the_first_rendering_for_the_process(settings):
    settings.PREAU_CHECK_RENDERED_ONCE = False  # as in production
    template = Template("{% load preau %}{% rendered_once %}{{ word }}{% endrendered_once %}")
    request = RequestFactory().get("/")

    first = template.render(RequestContext(request, {"word": "premier"}))
    second = template.render(RequestContext(request, {"word": "second"}))

    assert first == second == "premier"


def test_rendered_once_keeps_nothing_outside_a_request(settings):
    """A PDF or an e-mail renders without the context processors: what it renders must not be
    kept for the pages."""
    template = Template("{% load preau %}{% rendered_once %}{{ word }}{% endrendered_once %}")

    assert template.render(Context({"word": "courriel"})) == "courriel"
    # The same template, now for a page: rendered afresh, then kept.
    settings.PREAU_CHECK_RENDERED_ONCE = False  # as in production
    request = RequestFactory().get("/")
    assert template.render(RequestContext(request, {"word": "page"})) == "page"
    assert template.render(RequestContext(request, {"word": "autre"})) == "page"
