from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.parcours.activities import upload_help
from preau.parcours.uploads import validate_upload

from .services import clean_body

BODY_HELP = _(
    "Gras, italique, listes et liens sont conservés ; le reste est retiré. Pour mentionner une "
    "personne de la session, écrivez @ suivi de son prénom et de son nom."
)


class PostForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Message"),
        help_text=BODY_HELP,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-rich-text": "true"}),
    )
    attachment = forms.FileField(label=_("Pièce jointe (facultatif)"), required=False)

    def __init__(self, *args, with_attachment: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_attachment:
            self.fields["attachment"].help_text = upload_help(
                settings.PREAU_UPLOAD_ALLOWED_EXTENSIONS
            )
        else:
            del self.fields["attachment"]
        self._bound_fields_cache.clear()

    def clean_body(self):
        return clean_body(self.cleaned_data.get("body", ""))

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        if uploaded:
            validate_upload(uploaded)
        return uploaded


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Titre de la discussion"), max_length=200)
    field_order = ["title", "body", "attachment"]


class HideForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif (son auteur le verra)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Indiquez le motif."))
        return reason
