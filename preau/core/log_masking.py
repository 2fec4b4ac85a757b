"""Secrets that travel in URLs never reach the logs.

Two URLs carry a secret in their path: the private iCalendar feed (``/sessions/agenda/<token>.ics``:
whoever has the address reads the teacher's agenda) and the password-reset link
(``/compte/mot-de-passe/nouveau/<uidb64>/<token>/``: whoever has it sets the password). Access
logs are read by more people than the database, and kept longer: both are masked there.

- gunicorn's access log (bin/run): ``--logger-class preau.core.log_masking.GunicornLogger``
  masks every field of the line that can hold the URL (request line, path, query, referer,
  request headers and environ atoms) before the line is formatted;
- Django's loggers (``django.request`` logs "Not Found: <path>", ``django.server`` is
  runserver's access log): ``MaskSecretsFilter`` in ``LOGGING`` (config/settings/base.py).
"""

import logging
import re

from gunicorn.glogging import Logger

MASK = "***"

# The path that follows these prefixes, wherever it appears in a line (request line, referer
# with its scheme and host, "Not Found: …" message); each of its segments is masked, except the
# fixed ones of the neighbouring pages. A mistyped or stale token is masked too.
_SECRET_PATHS = re.compile(r"(/sessions/agenda/|/compte/mot-de-passe/nouveau/)([^?#\s\"']+)")
_PUBLIC_SEGMENTS = {"", "renouveler", "termine", "set-password"}


def _mask_segment(segment: str) -> str:
    if segment in _PUBLIC_SEGMENTS:
        return segment
    return MASK + ".ics" if segment.endswith(".ics") else MASK


def _mask_path(match: re.Match) -> str:
    return match[1] + "/".join(_mask_segment(part) for part in match[2].split("/"))


def mask_secrets(text: str) -> str:
    """The text with the calendar-feed token and the password-reset uid and token masked.

    After the reset link is followed, Django keeps the token in the session and redirects to
    …/<uidb64>/set-password/: the uid still names the account, so it is masked as well.
    """
    if "/sessions/agenda/" not in text and "/mot-de-passe/nouveau/" not in text:
        return text  # the common case: no regex run
    return _SECRET_PATHS.sub(_mask_path, text)


def _masked(value):
    return mask_secrets(value) if isinstance(value, str) else value


class MaskSecretsFilter(logging.Filter):
    """Masks the secrets of URLs in a log record's message and arguments (Django's loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        # django.request and django.server attach the request; a formatter could print it.
        return True


class GunicornLogger(Logger):
    """gunicorn's logger, with the secrets of URLs masked in every atom of the access line."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: _masked(value) for key, value in atoms.items()}
