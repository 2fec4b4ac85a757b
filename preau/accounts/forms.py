from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .emails import email_variants_for, with_email_in
from .models import User


class LoginForm(DsfrBaseForm, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ; "
            "en cas d’oubli, vous pouvez réinitialiser votre mot de passe."
        ),
        "inactive": _("Ce compte est désactivé. Contactez votre gestionnaire académique."),
    }
    remember = forms.BooleanField(label=_("Rester connecté"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bound field copied the help text when DsfrBaseForm set its classes: set both.
        self.fields["remember"].help_text = self["remember"].help_text = _(
            "Pendant %(days)s jours sur cet appareil, pour les professeurs des écoles. À ne "
            "pas cocher sur un ordinateur partagé. Les comptes de formateur, d’IEN, de "
            "pilotage ou de gestion sont déconnectés après %(hours)s sans activité."
        ) % {
            "days": settings.PREAU_SESSION_REMEMBER_DAYS,
            "hours": _format_minutes(settings.PREAU_SESSION_STAFF_IDLE_MINUTES),
        }


def _format_minutes(minutes: int) -> str:
    from preau.core.numbers import format_hours

    return f"{minutes} min" if minutes < 60 else format_hours(minutes / 60)


class PasswordResetForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        """Also the accounts an HR import created (no password yet: this is how their owner
        signs in the first time), and the same person under an older academic domain."""
        for user in with_email_in(email_variants_for(email)).filter(is_active=True):
            if user.has_usable_password() or user.is_placeholder:
                yield user


class PasswordRulesAsSentences:
    """The rules of a new password as sentences: Django gives them as a <ul>, which cannot sit
    in the DSFR hint (a <span> inside the <label>)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_texts()
        hint = " ".join(escape(rule) for rule in rules)
        # The bound field copied the help text already (DsfrBaseForm styled it).
        self.fields["new_password1"].help_text = self["new_password1"].help_text = hint


class SetPasswordForm(PasswordRulesAsSentences, DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(PasswordRulesAsSentences, DsfrBaseForm, auth_forms.PasswordChangeForm):
    pass


class ProfileForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class SecondFactorForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_(
            "Le code à 6 chiffres affiché par votre application d’authentification, ou l’un "
            "de vos codes de secours."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
