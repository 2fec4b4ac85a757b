"""Secrets that travel in URLs never reach the logs.

Some URLs carry a secret: whoever has the address reads or acts as the person it was made for.
The private iCalendar feed (``/sessions/agenda/<token>.ics``: the teacher's agenda), the
password-reset link (``/compte/mot-de-passe/nouveau/<uidb64>/<token>/``: sets the password),
the forum's unsubscribe link and the e-mails' stop link (signed for one person), the
virtual-class end callback (signed for one room) and a certificate's verification code (shows
the person's certificate, in the path or as ``?code=``). Access logs are read by more people
than the database, and kept longer: all are masked there.

The list is not written by hand: it is derived from the URLconf, the first time a line is
masked. A URL parameter is a secret when its name is in ``SECRET_PARAMETERS`` (``<token>``,
``<uidb64>``), or when its route is in ``SECRET_ROUTES``; ``tests/core/test_log_masking.py``
fails when a parameter of the URLconf is neither a secret nor reviewed as public.

- gunicorn's access log (bin/run): ``--logger-class preau.core.log_masking.GunicornLogger``
  masks every field of the line that can hold the URL (request line, path, query, referer,
  request headers and environ atoms) before the line is formatted;
- Django's loggers (``django.request`` logs "Not Found: <path>", ``django.server`` is
  runserver's access log): ``MaskSecretsFilter`` in ``LOGGING`` (config/settings/base.py).
"""

import logging
import re
import threading
from dataclasses import dataclass

from gunicorn.glogging import Logger

MASK = "***"

# URL parameters that are secrets wherever they appear, by name.
SECRET_PARAMETERS = frozenset({"token", "uidb64"})
# Routes whose parameter is a secret under a name that is public elsewhere (« code » is also a
# circonscription's): a certificate's code shows the certificate to whoever has it.
SECRET_ROUTES = frozenset({"training:verify_code"})
# Query-string parameters that are secrets, by the route that reads them.
SECRET_QUERIES = {"training:verify": frozenset({"code"})}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_URL_CHARS = r"[^?#\s\"']"  # a URL's path ends at its query, its fragment or the line's quotes


@dataclass(frozen=True)
class SecretRoute:
    name: str  # "namespace:name"
    path: str  # its route from the root, « /sessions/agenda/<slug:token>.ics »
    prefix: str  # the path before its first secret, « /sessions/agenda/ »
    query: frozenset[str] = frozenset()  # or, for the query: the secret parameters' names


@dataclass(frozen=True)
class _Rules:
    prefixes: tuple[str, ...]
    paths: re.Pattern | None
    queries: re.Pattern | None
    public: frozenset[str]


def _routes(resolver=None, pieces=(), namespace=""):
    """(name, route texts from the root) of every URL pattern written with path()."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    for entry in (resolver or get_resolver()).url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # re_path() patterns (the admin's own) carry no secret of ours
        route = (*pieces, str(entry.pattern._route))
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", "/" + "".join(route)


def url_parameters() -> list[tuple[str, str]]:
    """(route name, parameter name) of every parameter of the URLconf's path() routes."""
    return [
        (name, match["parameter"])
        for name, path in _routes()
        for match in _ROUTE_PARAMETER.finditer(path)
    ]


def secret_routes() -> list[SecretRoute]:
    """The URLs of the URLconf that carry a secret, in their path or their query."""
    found = []
    for name, path in _routes():
        if name in SECRET_QUERIES:
            prefix = _ROUTE_PARAMETER.split(path, 1)[0]
            found.append(SecretRoute(name, path, prefix, SECRET_QUERIES[name]))
        for match in _ROUTE_PARAMETER.finditer(path):
            if match["parameter"] in SECRET_PARAMETERS or name in SECRET_ROUTES:
                found.append(SecretRoute(name, path, path[: match.start()]))
                break
    return found


def _build_rules() -> _Rules:
    from django.contrib.auth.views import PasswordResetConfirmView

    routes = secret_routes()
    path_prefixes = sorted({r.prefix for r in routes if not r.query}, key=len, reverse=True)
    query_prefixes = sorted({r.prefix for r in routes if r.query}, key=len, reverse=True)
    query_names = sorted({n for r in routes for n in r.query})
    # The pages beside the secrets (« /sessions/agenda/renouveler/ ») and the words after a
    # secret in its own route stay readable; after the reset link is followed, Django
    # redirects to …/<uidb64>/set-password/.
    public = {"", PasswordResetConfirmView.reset_url_token}
    for route in routes:
        public |= {part for part in route.path[len(route.prefix) :].split("/") if "<" not in part}
    for _name, path in _routes():
        literal = _ROUTE_PARAMETER.split(path, 1)[0]
        for prefix in path_prefixes:
            if literal.startswith(prefix) and literal != prefix:
                public.add(literal[len(prefix) :].split("/")[0])
    alternatives = "|".join(re.escape(p) for p in path_prefixes)
    queries = "|".join(re.escape(p) for p in query_prefixes)
    return _Rules(
        prefixes=tuple(path_prefixes + query_prefixes),
        paths=re.compile(f"({alternatives})({_URL_CHARS}+)") if path_prefixes else None,
        queries=re.compile(
            rf"((?:{queries})\?(?:[^#\s\"']*?&)?(?:{'|'.join(map(re.escape, query_names))})=)"
            r"([^&#\s\"']*)"
        )
        if query_prefixes
        else None,
        public=frozenset(public),
    )


_rules: _Rules | None = None
_building = threading.local()


def rules() -> _Rules | None:
    """The masking rules, derived once from the URLconf; None until the apps are loaded (no
    request has been served then, so no line holds a URL) or while the URLconf is imported."""
    global _rules
    if _rules is None:
        from django.apps import apps

        if not apps.ready or getattr(_building, "active", False):
            return None
        _building.active = True
        try:
            _rules = _build_rules()
        finally:
            _building.active = False
    return _rules


def _mask_segment(segment: str, public: frozenset[str]) -> str:
    if segment in public:
        return segment
    return MASK + ".ics" if segment.endswith(".ics") else MASK


def mask_secrets(text: str) -> str:
    """The text with every secret of a URL masked (in a path, each segment after the secret's
    prefix, a mistyped or stale one included; in a query, the secret parameter's value)."""
    found = rules()
    if found is None or not any(prefix in text for prefix in found.prefixes):
        return text  # the common case: no regex run
    if found.paths is not None:
        text = found.paths.sub(
            lambda m: m[1] + "/".join(_mask_segment(s, found.public) for s in m[2].split("/")),
            text,
        )
    if found.queries is not None:
        text = found.queries.sub(lambda m: m[1] + MASK, text)
    return text


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
