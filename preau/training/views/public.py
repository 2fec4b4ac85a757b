"""Public pages of the training app, open without an account."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors

MAX_CODE_LENGTH = 64  # codes have 16 characters (19 printed); longer input is not looked up


@login_not_required
@never_cache
@require_GET
def verify_certificate(request: HttpRequest, code: str = "") -> HttpResponse:
    """Anyone holding a certificate's code sees what the certificate states (person, parcours,
    dates, hours), nothing more; a code that matches no attested enrolment says so."""
    # Shown back in the form as typed (a NUL byte aside); normalised by the selector.
    code = (code or request.GET.get("code", "")).replace("\x00", "").strip()
    searched = bool(code)
    enrolment = None
    if searched and len(code) <= MAX_CODE_LENGTH:
        enrolment = selectors.certificate_by_code(code)
    context = {"code": code, "searched": searched, "enrolment": enrolment}
    response = render(request, "training/certificates/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
