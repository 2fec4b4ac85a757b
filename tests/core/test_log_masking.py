"""Secrets that travel in URLs (calendar feed, password-reset link) never reach the logs."""

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
