from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import home_context


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for a visitor; for a signed-in person, the home of their roles."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    return render(request, "portal/home.html", home_context(request.user))
