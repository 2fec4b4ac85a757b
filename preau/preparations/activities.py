"""The « Préparation collective » activity kind: the designer writes the template of the lesson
plan (its headings); in each session deployed from the parcours, the session's managers split
the participants into groups, and each group co-writes its own document, started from the
template of the session's copy of the activity."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.parcours.activities import RICH_TEXT_HELP, ActivityKind, _ActivityForm, register
from preau.parcours.sanitize import clean_html

from .crdt import template_blocks

DEFAULT_TEMPLATE = (
    "<h2>Objectifs</h2>"
    "<h2>Déroulé en étapes</h2>"
    "<h2>Différenciation</h2>"
    "<h2>Matériel</h2>"
    "<h2>Trace écrite</h2>"
    "<h2>Bilan après la mise en œuvre</h2>"
)


class PreparationActivityForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "body"]
        labels = {
            "title": _("Titre de la préparation"),
            "body": _("Modèle de la préparation"),
        }
        help_texts = {
            "body": _(
                "Chaque groupe part de ce modèle : ses titres (niveaux 2 à 4) et ses paragraphes "
                "deviennent le début de son document. "
            )
            + RICH_TEXT_HELP
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "data-rich-text": "true"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("body"):
            self.initial["body"] = DEFAULT_TEMPLATE

    def clean_body(self):
        body = clean_html(self.cleaned_data.get("body", ""))
        if not template_blocks(body):
            raise forms.ValidationError(
                _("Le modèle est vide : donnez au moins un titre (par exemple « Objectifs »).")
            )
        return body


PREPARATION = register(
    ActivityKind(
        "preparation",
        _("Préparation collective"),
        PreparationActivityForm,
        "preparations/activities/preparation.html",
        icon="fr-icon-team-line",
    )
)
