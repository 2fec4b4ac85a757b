"""A database that cannot be reached gives a French 503 page with Retry-After, logged, never a
traceback; a query the database refuses is still a 500 (a bug, not an outage). The real outage
(PostgreSQL restarted under load) is exercised by `make faults` (bin/faults)."""

import errno
import logging
from unittest import mock

import pytest
from django.db import DataError, IntegrityError, InterfaceError, OperationalError

from preau.core.errors import RETRY_AFTER, is_database_outage

OUTAGE_TEXT = "Le service est momentanément indisponible : réessayez dans quelques instants."


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast["teacher"])
    client.raise_request_exception = False  # as a real server: the handler answers
    return client


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_view_losing_its_database_answers_a_french_503_page(signed_in, error, caplog):
    with (
        mock.patch("preau.portal.views.home_context", side_effect=error),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        response = signed_in.get("/")

    content = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert OUTAGE_TEXT in content
    assert '<html lang="fr">' in content
    assert "Traceback" not in content and "OperationalError" not in content
    # Logged for the team, with the error.
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [type(error)]


def test_losing_the_database_while_loading_the_session_is_a_503_too(signed_in):
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = signed_in.get("/")

    assert response.status_code == 503
    assert OUTAGE_TEXT in response.content.decode()


def test_a_connection_error_wrapped_in_another_error_is_still_an_outage():
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as outage:
            raise RuntimeError("while rendering") from outage
    except RuntimeError as error:
        assert is_database_outage(error)


@pytest.mark.parametrize("error", [IntegrityError("duplicate key"), DataError("out of range")])
def test_a_query_refused_by_the_database_stays_a_500_without_traceback(signed_in, error):
    with mock.patch("preau.portal.views.home_context", side_effect=error):
        response = signed_in.get("/")

    content = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Erreur inattendue" in content and "Traceback" not in content


def test_a_full_disk_while_reading_a_request_is_a_french_507_page(signed_in):
    with mock.patch(
        "preau.portal.views.home_context", side_effect=OSError(errno.ENOSPC, "No space left")
    ):
        response = signed_in.get("/")

    content = response.content.decode()
    assert response.status_code == 507
    assert "Le serveur n’a plus assez d’espace disque" in content
    assert "Traceback" not in content


def test_readiness_says_503_while_the_database_cannot_be_reached(client, db):
    client.raise_request_exception = False
    unreachable = mock.Mock()
    unreachable.cursor.side_effect = OperationalError("connection refused")

    with mock.patch("preau.core.views.connection", unreachable):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert client.get("/readyz").status_code == 200  # and ready again once it answers
