"""With DEBUG off (production, and the demo of `make run`), a refused, missing or failing page is
a French DSFR page: the 400, 403 and 404 in the site's frame (header with the person, menu,
footer), the 500 and the expired form (CSRF) in a frame that needs neither the database nor
anything of the request."""

from unittest import mock

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import BadRequest

from preau.core.errors import server_error

DSFR_CSS = staticfiles_storage.url("dsfr/dist/dsfr/dsfr.min.css")


@pytest.fixture
def served(client, settings):
    """A client answered as a real server answers: DEBUG off, exceptions turned into pages."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def assert_french_dsfr_page(content: str) -> None:
    assert '<html lang="fr"' in content
    assert DSFR_CSS in content
    assert '<header role="banner" class="fr-header">' in content
    assert '<footer class="fr-footer"' in content and "Mentions légales" in content
    assert "Traceback" not in content


def test_a_missing_page_is_the_french_404_page_in_the_site_frame(served, db):
    response = served.get("/cette-page-n-existe-pas/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in content
    assert_french_dsfr_page(content)
    assert "Se connecter" in content  # the header of a signed-out visitor


def test_a_missing_object_is_the_same_404_page_with_the_person_in_the_header(served, cast):
    served.force_login(cast["teacher"])

    response = served.get("/sessions/offre/999999/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in content
    assert_french_dsfr_page(content)
    assert cast["teacher"].get_full_name() in content
    assert "Mes 18 heures" in content  # the person's menu


def test_a_page_of_another_role_is_the_french_403_page_in_the_site_frame(served, cast):
    served.force_login(cast["teacher"])

    response = served.get("/piloter/")

    content = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in content
    assert_french_dsfr_page(content)
    assert cast["teacher"].get_full_name() in content


def test_a_failing_view_is_the_french_500_page_without_traceback(served, cast):
    served.force_login(cast["teacher"])

    with mock.patch("preau.portal.views.home_context", side_effect=RuntimeError("secret détail")):
        response = served.get("/")

    content = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in content
    assert_french_dsfr_page(content)
    assert "secret détail" not in content and "RuntimeError" not in content


def test_the_500_page_still_answers_when_loading_the_person_is_what_failed(served, cast):
    served.force_login(cast["teacher"])

    with mock.patch(
        "django.contrib.auth.middleware.auth.get_user", side_effect=RuntimeError("boom")
    ):
        response = served.get("/")

    assert response.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in response.content.decode()


def test_the_500_page_renders_without_the_database_nor_a_session_or_user(rf):
    # No `db` fixture: any query fails this test. The request has no session and no user.
    request = rf.get("/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(request)

    content = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in content
    assert_french_dsfr_page(content)
    assert "Préau" in content  # the site's title, from the settings
    # As on every page: Marianne is reserved to French State services (core/preau.css).
    assert staticfiles_storage.url("core/preau.css") in content
    assert "data-preau-state" not in content


def test_a_value_that_cannot_be_read_is_the_french_400_page_in_the_site_frame(served, cast):
    """As preau/core/params.py answers a malformed id or number."""
    served.force_login(cast["teacher"])

    with mock.patch("preau.portal.views.home_context", side_effect=BadRequest("ids: not ids")):
        response = served.get("/")

    content = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Requête incorrecte</h1>" in content
    assert_french_dsfr_page(content)


def test_a_form_sent_with_a_stale_csrf_token_is_the_french_expired_form_page(cast, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["teacher"])

    response = client.post("/compte/deconnexion/", {"csrfmiddlewaretoken": "x" * 64})

    content = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in content
    assert_french_dsfr_page(content)
    assert "CSRF" not in content
