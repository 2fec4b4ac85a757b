from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.parcours.activities import upload_help
from preau.parcours.models import Section
from preau.parcours.uploads import validate_upload

from .access import sessions_taken_part_in
from .models import Attachment
from .services import clean_body, clean_title

BODY_HELP = _(
    "Pour vous seul ou vous seule : gras, italique, listes et liens sont conservés ; le reste "
    "est retiré."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EntryForm(DsfrBaseForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    written_on = forms.DateField(
        label=_("Date"),
        help_text=_("Le jour dont parle l’entrée (aujourd’hui par défaut)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    body = forms.CharField(
        label=_("Texte"),
        help_text=BODY_HELP,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-rich-text": "true"}),
    )
    tie = forms.ChoiceField(
        label=_("Rattacher à une session (facultatif)"),
        help_text=_(
            "Une session à laquelle vous participez, ou l’une de ses étapes. Seule une entrée "
            "rattachée à une session peut être valorisée auprès de ses formateurs."
        ),
        required=False,
    )
    files = MultipleFileField(label=_("Ajouter des pièces jointes (facultatif)"), required=False)
    remove = forms.ModelMultipleChoiceField(
        label=_("Pièces jointes à retirer"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        sessions = list(sessions_taken_part_in(user).order_by("-start_date", "pk"))
        sections = Section.objects.filter(parcours__in=[s.content_id for s in sessions]).order_by(
            "position", "pk"
        )
        by_content: dict[int, list[Section]] = {}
        for section in sections:
            by_content.setdefault(section.parcours_id, []).append(section)
        choices = [("", _("Aucune : une entrée pour moi"))]
        self._ties = {"": (None, None)}
        for session in sessions:
            key = f"s{session.pk}"
            group = [(key, _("Toute la session"))]
            self._ties[key] = (session, None)
            for section in by_content.get(session.content_id, []):
                skey = f"s{session.pk}-e{section.pk}"
                group.append((skey, section.title))
                self._ties[skey] = (session, section)
            choices.append((session.title, group))
        self.fields["tie"].choices = choices
        self.fields["files"].help_text = upload_help(settings.PREAU_UPLOAD_ALLOWED_EXTENSIONS)
        attachments = entry.attachments.order_by("pk") if entry is not None and entry.pk else None
        if attachments is not None and attachments.exists():
            self.fields["remove"].queryset = attachments
        else:
            del self.fields["remove"]
        if entry is not None and entry.pk and entry.session_id:
            tie = f"s{entry.session_id}" + (f"-e{entry.section_id}" if entry.section_id else "")
            self.initial.setdefault("tie", tie)
        self._bound_fields_cache.clear()

    def clean_title(self):
        return clean_title(self.cleaned_data.get("title", ""))

    def clean_body(self):
        return clean_body(self.cleaned_data.get("body", ""))

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for uploaded in files:
            validate_upload(uploaded)
        return files

    def clean_tie(self):
        value = self.cleaned_data.get("tie") or ""
        if value not in self._ties:
            raise ValidationError(_("Choisissez une session de la liste."))
        return self._ties[value]
