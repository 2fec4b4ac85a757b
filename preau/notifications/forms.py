from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import ForumEmail


class ForumEmailForm(DsfrBaseForm):
    forum_email = forms.ChoiceField(
        label=_("E-mails des forums (annonces, réponses, mentions)"),
        choices=ForumEmail.choices,
        widget=forms.RadioSelect,
        help_text=_("Les notifications restent toujours visibles dans Préau."),
    )
