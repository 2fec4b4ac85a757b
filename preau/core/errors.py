"""Server errors as the user sees them.

A database that cannot be reached (restarting, failing over, connections cut) is an outage,
not a bug: the page says so in French with a 503 and a Retry-After, so that a browser, a load
balancer or a script tries again, and the error is logged like any other. A full disk is a
French 507 page; everything else Django's 500 page. None shows a traceback (DEBUG is off in
production).

The handler is Django's `handler500` (config/urls.py): it is called for an exception raised
anywhere in the request, in a middleware (the session or the user loaded) as in a view, and
it must not touch the database itself (no user, no context processor: a plain template given
the site-wide values only, which come from the settings)."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from .site import SITE
from .storage import is_disk_full

# Seconds a client should wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER = 5

OUTAGES = (OperationalError, InterfaceError)


def is_database_outage(error: BaseException | None) -> bool:
    """The database cannot be reached or dropped the connection, as opposed to a query the
    database refused (those are IntegrityError, DataError, ProgrammingError: bugs, 500)."""
    while error is not None:
        if isinstance(error, OUTAGES):
            return True
        error = error.__cause__ or error.__context__
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if is_database_outage(sys.exc_info()[1]):
        response = HttpResponse(
            _render("503.html"),
            status=503,
            content_type="text/html; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    if is_disk_full(sys.exc_info()[1]):
        # A full disk outside a storage that says so (the temporary file of a large upload,
        # written while the request is read): the form cannot show it, this page does.
        return HttpResponse(
            _render("507.html"),
            status=507,
            content_type="text/html; charset=utf-8",
        )
    return HttpResponseServerError(_render("500.html"))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page, except for a form too big to read (DATA_UPLOAD_MAX_MEMORY_SIZE): that
    page tells the limit and that nothing was saved. It is refused before the person is loaded
    (core/params.py reads the form first), so it is drawn without the request, as the 500 is."""
    if isinstance(exception, RequestDataTooBig):
        page = loader.get_template("400_too_big.html").render(
            {"SITE": SITE, "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        )
        return HttpResponseBadRequest(page)
    return defaults.bad_request(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token was refused (most often opened before the last sign-in or sign-out,
    which renews the token): a French page saying what to do, instead of Django's technical one.
    The reason (a missing Referer, a token of the wrong length…) is for the logs, not the user:
    Django logs it under django.security.csrf."""
    return HttpResponseForbidden(_render("403_csrf.html"))


def _render(template_name: str) -> str:
    # No request: the context processors (the user, the menu) may be what failed.
    return loader.get_template(template_name).render({"SITE": SITE})
