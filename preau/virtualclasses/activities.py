"""The « Classe virtuelle » activity kind: a designer places it in a parcours with its
instructions; each session deployed from it gets its own room (Room.activity is the session's
copy of the activity), with its own schedule and settings, set by the session's trainers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.parcours.activities import RICH_TEXT_HELP, ActivityKind, _ActivityForm, register
from preau.parcours.sanitize import clean_html


class VirtualClassActivityForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "body"]
        labels = {"title": _("Titre de la classe virtuelle"), "body": _("Consigne (facultatif)")}
        help_texts = {"body": RICH_TEXT_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "data-rich-text": "true"})}

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body", ""))


VIRTUAL_CLASS = register(
    ActivityKind(
        "virtual_class",
        _("Classe virtuelle"),
        VirtualClassActivityForm,
        "virtualclasses/activities/virtual_class.html",
        icon="fr-icon-live-line",
    )
)
