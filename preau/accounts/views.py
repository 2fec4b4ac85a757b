import copy

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import forms, services, session_policy, throttling
from .models import normalize_email
from .selectors import roles_of


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        # Read by session_policy.apply_at_sign_in when the person is signed in.
        self.request.session[session_policy.REMEMBER_KEY] = form.cleaned_data["remember"]
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Same answer for a known and an unknown e-mail: nobody learns who has an account."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

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
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "school": school, "roles": roles_of(user)},
    )
