"""The « Forum de discussion » activity kind: a designer places it in a parcours with its
instructions; each session deployed from it gets its own forum (Forum.activity is the session's
copy of the activity), and no post is ever copied from one session to another."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.parcours.activities import RICH_TEXT_HELP, ActivityKind, _ActivityForm, register
from preau.parcours.sanitize import clean_html


class ForumActivityForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "body"]
        labels = {"title": _("Titre du forum"), "body": _("Consigne (facultatif)")}
        help_texts = {"body": RICH_TEXT_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "data-rich-text": "true"})}

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body", ""))


FORUM = register(
    ActivityKind(
        "forum",
        _("Forum de discussion"),
        ForumActivityForm,
        "forums/activities/forum.html",
        icon="fr-icon-discuss-line",
    )
)
