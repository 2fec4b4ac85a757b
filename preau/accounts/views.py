import copy
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from preau.notifications.forms import ForumEmailForm
from preau.notifications.services import forum_email_of

from . import forms, services, session_policy, throttling, two_factor
from .models import User, normalize_email
from .selectors import roles_of
from .tokens import reset_token_generator


class LogoutView(auth_views.LogoutView):
    """Sign-out (a POST), which also tells the browser to empty what it keeps for the site:
    `Clear-Site-Data: "storage"`. That is the offline copies of the collective preparations
    (IndexedDB, one per document and person, preau/preparations/static/preparations/editor.js),
    so that the next person at a shared school computer finds none of them; localStorage
    goes too (the display theme chosen in the DSFR's settings, htmx's history: both come
    back by themselves). Cookies are Django's business (logout ends the session) and the HTTP
    cache is left alone. Browsers act on the header over HTTPS (or localhost) only."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        # Read by session_policy.apply_at_sign_in when the person is signed in.
        self.request.session[session_policy.REMEMBER_KEY] = form.cleaned_data["remember"]
        user = form.get_user()
        if two_factor.is_eligible(user) and two_factor.has_confirmed_device(user):
            # Right password; not signed in until the code is given.
            two_factor.start_pending(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:second_factor")
        return super().form_valid(form)


@login_not_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code after the password; also for a session that owes it (signed in elsewhere, e.g.
    through the technical admin's own sign-in page)."""
    signed_in = request.user.is_authenticated
    if signed_in and two_factor.owed(request) == two_factor.VERIFY:
        user = request.user
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    elif signed_in:
        return redirect(settings.LOGIN_REDIRECT_URL)
    else:
        data = two_factor.pending(request)
        user = data and User.objects.filter(pk=data["user"], is_active=True).first()
        if not user:
            messages.info(
                request, _("Votre connexion a expiré : saisissez à nouveau votre mot de passe.")
            )
            return redirect("accounts:login")
        next_url = data["next"]
    form = forms.SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # After wrong codes django-otp refuses to look at any for a while (1, 2, 4… seconds).
        wait = two_factor.wait_seconds(user)
        device = None if wait else two_factor.match_code(user, form.cleaned_data["code"])
        if device is not None:
            if not signed_in:
                auth_login(request, user, backend=data["backend"])
            two_factor.settle(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "Vous vous êtes connecté avec un code de secours : il ne servira plus. "
                        "Il vous en reste %(left)s.",
                        "Vous vous êtes connecté avec un code de secours : il ne servira plus. "
                        "Il vous en reste %(left)s.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(next_url)
        if wait:
            form.add_error(
                "code",
                _("Trop de codes erronés. Réessayez dans %(seconds)s secondes.")
                % {"seconds": wait},
            )
        else:
            form.add_error("code", _("Ce code n’est pas valable. Vérifiez-le et réessayez."))
    return render(request, "accounts/second_factor.html", {"form": form})


def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Enrol (QR code, first code), see the state, renew the recovery codes, turn it off."""
    user = request.user
    if not two_factor.is_eligible(user):
        raise PermissionDenied
    device = two_factor.confirmed_totp(user)
    action = request.POST.get("action", "")
    code_form = forms.SecondFactorForm(request.POST if action else None)
    if request.method == "POST":
        try:
            if action == "start":
                services.start_totp_enrolment(user=user)
                return redirect(request.get_full_path())
            if action == "confirm" and code_form.is_valid():
                device, codes = services.confirm_totp_device(
                    user=user, code=code_form.cleaned_data["code"]
                )
                two_factor.settle(request, device)
                return _recovery_codes_page(request, codes)
            if action in ("codes", "disable") and code_form.is_valid():
                if two_factor.match_code(user, code_form.cleaned_data["code"]) is None:
                    raise ValidationError(_("Ce code n’est pas valable. Vérifiez-le et réessayez."))
                if action == "codes":
                    return _recovery_codes_page(
                        request, services.regenerate_recovery_codes(user=user)
                    )
                services.disable_two_factor(user=user)
                messages.success(request, _("La double authentification est désactivée."))
                return redirect("accounts:profile")
        except ValidationError as error:
            code_form.add_error(None if action == "start" else "code", error)
    pending_device = None
    if device is None:
        pending_device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    context = {
        "device": device,
        "pending_device": pending_device,
        "code_form": code_form,
        "action": action,
        "required": two_factor.is_required(user),
        "owed": two_factor.owed(request),
        "recovery_left": _recovery_left(user) if device else 0,
    }
    if pending_device is not None:
        code_form["code"].help_text = _("Le code à 6 chiffres affiché par votre application.")
        uri = pending_device.config_url
        context |= {
            "otpauth_uri": uri,
            "qr_svg": mark_safe(two_factor.otpauth_qr_svg(uri)),
            "secret": b32encode(pending_device.bin_key).decode(),
        }
    return render(request, "accounts/two_factor.html", context)


def _recovery_left(user) -> int:
    recovery = two_factor.recovery_device(user)
    return recovery.token_set.count() if recovery else 0


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Same answer for a known and an unknown e-mail: nobody learns who has an account."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    token_generator = reset_token_generator

    def form_valid(self, form):
        # Capped per address typed and per IP, known or not: the cap tells nothing either.
        if throttling.password_reset_is_limited(self.request, form.cleaned_data["email"]):
            minutes = throttling.password_reset_wait_minutes()
            form.add_error(
                None,
                ngettext(
                    "Trop de demandes de réinitialisation pour cette adresse ou depuis votre "
                    "réseau. Un lien déjà reçu reste valable ; sinon, réessayez dans "
                    "%(minutes)s minute.",
                    "Trop de demandes de réinitialisation pour cette adresse ou depuis votre "
                    "réseau. Un lien déjà reçu reste valable ; sinon, réessayez dans "
                    "%(minutes)s minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    token_generator = reset_token_generator

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's mailbox is its owner: someone who locked the account
        # with wrong passwords no longer keeps them out.
        from axes.utils import reset

        reset(username=normalize_email(form.user.email))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return super().form_valid(form)


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    # The form works on a copy: a refused edit must not show up in the page header.
    form = forms.ProfileForm(request.POST or None, instance=copy.copy(user))
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Votre profil a été enregistré."))
        return redirect("accounts:profile")
    school = None
    if user.school_id:
        from preau.territories.models import School

        school = School.objects.select_related("circonscription", "departement").get(
            pk=user.school_id
        )
    eligible = two_factor.is_eligible(user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "school": school,
            "roles": roles_of(user),
            "two_factor_eligible": eligible,
            "two_factor_active": eligible and two_factor.has_confirmed_device(user),
            "email_form": ForumEmailForm(initial={"forum_email": forum_email_of(user)}),
        },
    )
