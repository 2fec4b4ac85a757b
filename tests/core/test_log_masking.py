"""Secrets that travel in URLs (calendar feed, password-reset link, forum unsubscribe and e-mail
stop links, the virtual-class end callback, a certificate's code) never reach the logs; the
list is derived from the URLconf, and a URL parameter nobody reviewed fails here."""

import datetime
import io
import logging
import secrets
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from gunicorn.config import Config

from preau.core import log_masking
from preau.core.log_masking import GunicornLogger, MaskSecretsFilter, mask_secrets
from tests.factories import UserFactory


def feed_url() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, reverse("training:calendar_feed", args=[token])


def reset_url(user) -> tuple[str, str, str]:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return uid, token, reverse("accounts:password_reset_confirm", args=[uid, token])


def test_the_calendar_feed_token_is_masked():
    token, url = feed_url()

    masked = mask_secrets(f'"GET {url} HTTP/1.1" 200')

    assert token not in masked
    assert masked == '"GET /sessions/agenda/***.ics HTTP/1.1" 200'


def test_a_mistyped_feed_token_is_masked_too():
    assert mask_secrets("Not Found: /sessions/agenda/presque-le-jeton") == (
        "Not Found: /sessions/agenda/***"
    )


@pytest.mark.django_db
def test_the_password_reset_link_and_its_next_page_are_masked():
    user = UserFactory()
    uid, token, url = reset_url(user)
    set_password = reverse("accounts:password_reset_confirm", args=[uid, "set-password"])

    line = mask_secrets(f"GET https://preau.example{url}?x=1 then {set_password}")

    assert uid not in line
    assert token not in line
    assert line == (
        "GET https://preau.example/compte/mot-de-passe/nouveau/***/***/?x=1 "
        "then /compte/mot-de-passe/nouveau/***/set-password/"
    )


def test_the_pages_around_the_secrets_are_left_readable():
    for url in [
        reverse("training:agenda"),
        reverse("training:agenda_renew"),
        reverse("accounts:password_reset_complete"),
        reverse("accounts:password_reset"),
        reverse("training:offre"),
    ]:
        assert mask_secrets(f"GET {url} HTTP/1.1") == f"GET {url} HTTP/1.1"


def test_the_gunicorn_access_line_masks_path_request_line_query_and_referer(capsys):
    token, url = feed_url()
    config = Config()
    config.set("accesslog", "-")
    config.set(
        "access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %({raw_uri}e)s %({referer}i)s'
    )
    logger = GunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{url}?utm=1",
        "PATH_INFO": url,
        "QUERY_STRING": "utm=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://preau.example{url}",
    }
    request = SimpleNamespace(headers=[("REFERER", f"https://preau.example{url}")])
    response = SimpleNamespace(status="200 OK", headers=[], sent=512)

    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))

    line = capsys.readouterr().out.strip()
    assert token not in line
    masked = "/sessions/agenda/***.ics"
    assert line == (
        f'192.0.2.1 "GET {masked}?utm=1 HTTP/1.1" 200 "https://preau.example{masked}" '
        f"{masked} {masked}?utm=1 https://preau.example{masked}"
    )


def filtered_handler(logger_name: str) -> logging.Handler:
    logger = logging.getLogger(logger_name)
    return next(
        handler
        for handler in logger.handlers
        if any(isinstance(f, MaskSecretsFilter) for f in handler.filters)
    )


def test_django_s_not_found_warning_is_masked_by_the_settings(client, db):
    token, url = feed_url()
    stream = io.StringIO()
    handler = filtered_handler("")  # the root's console, where django.request ends up
    previous = handler.setStream(stream)
    try:
        response = client.get(url)
    finally:
        handler.setStream(previous)

    assert response.status_code == 404
    assert "Not Found: /sessions/agenda/***.ics" in stream.getvalue()
    assert token not in stream.getvalue()


def test_runserver_s_access_log_is_masked_by_the_settings():
    token, url = feed_url()
    stream = io.StringIO()
    handler = filtered_handler("django.server")
    previous = handler.setStream(stream)
    try:
        # What runserver's WSGIRequestHandler.log_message logs for each request.
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET {url} HTTP/1.1", "200", "512", extra={"status_code": 200}
        )
    finally:
        handler.setStream(previous)

    assert '"GET /sessions/agenda/***.ics HTTP/1.1" 200 512' in stream.getvalue()
    assert token not in stream.getvalue()


# Every URL that carries a secret, derived from the URLconf -----------------------------------

# The URL parameters that are no secret, each with why: a new parameter of the URLconf fails
# the test below until it is either here or a secret (log_masking.SECRET_PARAMETERS for a name
# that is always one, log_masking.SECRET_ROUTES for one route).
PUBLIC_PARAMETERS = {
    "pk": "a row's id: it opens nothing by itself, access.py decides",
    "parcours_pk": "a row's id",
    "entry_pk": "a row's id",
    "id": "a row's id (the admin)",
    "object_id": "a row's id (the admin)",
    "content_type_id": "a model's id (the admin's « view on site »)",
    "code": "a circonscription's or a département's official code",
    "uai": "a school's official code (UAI), public",
    "year": "a school year",
    "kind": "the kind of a list (hours declarations) or of a file",
    "field": "the name of a file field of an activity",
}
TOKEN_ROUTES = {
    "training:calendar_feed",
    "accounts:password_reset_confirm",
    "forums:unsubscribe",
    "notifications:forum_email_off",
    "virtualclasses:end_callback",
    "training:verify_code",
}


def test_every_url_parameter_is_a_secret_or_reviewed_as_public():
    unreviewed = sorted(
        f"{route} <{parameter}>"
        for route, parameter in log_masking.url_parameters()
        if parameter not in log_masking.SECRET_PARAMETERS
        and route not in log_masking.SECRET_ROUTES
        and parameter not in PUBLIC_PARAMETERS
    )
    assert not unreviewed, (
        "Is it a secret (log_masking.SECRET_PARAMETERS or SECRET_ROUTES) or public "
        f"(PUBLIC_PARAMETERS, with why)? {unreviewed}"
    )


def test_every_url_that_carries_a_token_is_masked_in_its_path():
    from django.urls import resolve

    routes = {r.name: r for r in log_masking.secret_routes() if not r.query}
    assert routes.keys() >= TOKEN_ROUTES, TOKEN_ROUTES - routes.keys()
    for name, path in log_masking._routes():
        if name not in routes:
            continue
        values = []

        def value(match, values=values):
            values.append(f"Secr3t{len(values)}-{secrets.token_hex(4)}_sig")
            return values[-1]

        url = log_masking._ROUTE_PARAMETER.sub(value, path)
        assert resolve(url).view_name == name, url  # the values fit the route's converters
        line = mask_secrets(f'"GET https://preau.example{url}?utm=1 HTTP/1.1" 200 Referer: {url}')
        assert not any(v in line for v in values), line
        assert routes[name].prefix + "***" in line and "?utm=1" in line, line


def test_the_forum_e_mail_and_virtual_class_links_are_masked():
    assert mask_secrets("Not Found: /sessions/forums/desabonnement/WzEsMl0:1vX:abc/") == (
        "Not Found: /sessions/forums/desabonnement/***/"
    )
    assert mask_secrets("GET /notifications/e-mails/arret/MQ:1vX:abc/ HTTP/1.1") == (
        "GET /notifications/e-mails/arret/***/ HTTP/1.1"
    )
    assert mask_secrets("GET /sessions/classes-virtuelles/rappels/fin/Mg:1vX:abc/") == (
        "GET /sessions/classes-virtuelles/rappels/fin/***/"
    )


def test_a_certificates_code_is_masked_in_the_path_and_in_the_query():
    assert mask_secrets("GET /sessions/verifier/K7QP-3MZD-9XW2/ HTTP/1.1") == (
        "GET /sessions/verifier/***/ HTTP/1.1"
    )
    assert mask_secrets('"GET /sessions/verifier/?code=K7QP-3MZD&x=1 HTTP/1.1"') == (
        '"GET /sessions/verifier/?code=***&x=1 HTTP/1.1"'
    )
    assert mask_secrets("GET /sessions/verifier/?x=1&code=K7QP") == (
        "GET /sessions/verifier/?x=1&code=***"
    )
    assert mask_secrets("GET /sessions/verifier/ HTTP/1.1") == "GET /sessions/verifier/ HTTP/1.1"
    # A « code » elsewhere is a territory's: left readable.
    assert mask_secrets("GET /piloter/circonscriptions/0141234A/?code=x") == (
        "GET /piloter/circonscriptions/0141234A/?code=x"
    )


def test_a_new_token_url_is_masked_without_touching_the_masking_code(settings, monkeypatch):
    settings.ROOT_URLCONF = "tests.core.urlconf_new_token"
    monkeypatch.setattr(log_masking, "_rules", None)  # derived again from this URLconf

    line = mask_secrets("GET /invitations/WzFd:1vX:abc/accepter/ HTTP/1.1")

    assert line == "GET /invitations/***/accepter/ HTTP/1.1"
