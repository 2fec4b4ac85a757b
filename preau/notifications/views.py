"""The notification centre: a person's own notifications, nobody else's."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from preau.accounts import throttling

from . import access, selectors, services, tokens
from .forms import ForumEmailForm
from .models import ForumEmail

PAGE_SIZE = 25


@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_http_methods(["GET", "HEAD"])
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks it read and goes to its page (a link inside the site only)."""
    notification = access.get_notification_for_user_or_404(request.user, pk)
    services.mark_read(notification=notification)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith(
        "/"
    ):
        target = "notifications:list"
    return redirect(target)


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notifications:list")


@require_POST
def email_preference(request: HttpRequest) -> HttpResponse:
    """The choice made on the profile page (accounts:profile shows the form)."""
    form = ForumEmailForm(request.POST)
    if form.is_valid():
        services.set_forum_email(user=request.user, forum_email=form.cleaned_data["forum_email"])
        messages.success(request, _("Votre choix d’e-mails a été enregistré."))
    else:
        messages.error(request, _("Choisissez comment recevoir les e-mails des forums."))
    return redirect("accounts:profile")


@login_not_required
@csrf_exempt  # the signed token is the credential; mail clients POST it (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def forum_email_off(request: HttpRequest, token: str) -> HttpResponse:
    """« Ne plus recevoir ces e-mails »: the link shows a button (a link checker that opens it
    changes nothing); the button, or the mail client's one-click, turns forum e-mails off."""
    if throttling.unsubscribe_is_limited(request):
        return render(
            request,
            "notifications/forum_email_off.html",
            {"limited": True, "minutes": throttling.unsubscribe_wait_minutes()},
            status=429,
        )
    user_id = tokens.user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return render(request, "notifications/forum_email_off.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.set_forum_email(user=user, forum_email=ForumEmail.NONE)
        done = True
    return render(
        request,
        "notifications/forum_email_off.html",
        {"invalid": False, "done": done, "email": user.email},
    )
