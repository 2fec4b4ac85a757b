"""The « Auto-positionnement » and « Questionnaire de satisfaction » activity kinds. A designer
places them in a parcours (at its start and end, or anywhere between for self-positioning); the
questions come from a national template (the parcours' objectives for self-positioning) and are
adapted on the questionnaire's own page. Every copy of the content copies the questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.parcours.activities import RICH_TEXT_HELP, ActivityKind, _ActivityForm, register
from preau.parcours.sanitize import clean_html


def _copy(source, target):
    from .services import copy_questionnaire

    copy_questionnaire(source, target)


class QuestionnaireActivityForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "body"]
        labels = {"title": _("Titre"), "body": _("Consigne (facultatif)")}
        help_texts = {"body": RICH_TEXT_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "data-rich-text": "true"})}

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body", ""))


POSITIONING = register(
    ActivityKind(
        "positioning",
        _("Auto-positionnement"),
        QuestionnaireActivityForm,
        "questionnaires/activities/questionnaire.html",
        icon="fr-icon-compass-3-line",
        copy_hook=_copy,
    )
)
SATISFACTION = register(
    ActivityKind(
        "satisfaction",
        _("Questionnaire de satisfaction"),
        QuestionnaireActivityForm,
        "questionnaires/activities/questionnaire.html",
        icon="fr-icon-survey-line",
        copy_hook=_copy,
    )
)
