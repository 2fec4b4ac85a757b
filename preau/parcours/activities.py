"""Activity kinds: the one extension point for what a section can hold.

A kind is a name, a form that edits the fields it uses, and a template that shows it. Later
apps (forums, virtual classes, questionnaires…) register their own kinds with `register()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import Activity
from .sanitize import clean_html
from .uploads import SUBTITLE_EXTENSIONS, validate_upload


@dataclass(frozen=True)
class ActivityKind:
    code: str
    label: str
    form_class: type[forms.ModelForm]
    template: str
    trainers_only: bool = False
    icon: str = "fr-icon-file-text-line"
    # Called with (source, copy) when a parcours' content is copied (new version, duplicate,
    # session): a kind whose activity owns more rows (a questionnaire's questions) copies them.
    copy_hook: Callable | None = None


_REGISTRY: dict[str, ActivityKind] = {}


def register(kind: ActivityKind) -> ActivityKind:
    if kind.code in _REGISTRY:
        raise ValueError(f"Activity kind {kind.code!r} is already registered.")
    _REGISTRY[kind.code] = kind
    return kind


def get_kind(code: str) -> ActivityKind:
    return _REGISTRY[code]


def all_kinds() -> list[ActivityKind]:
    return list(_REGISTRY.values())


# django-dsfr prints help texts unescaped: no angle brackets in them.
RICH_TEXT_HELP = _(
    "HTML simple accepté : paragraphes, titres de niveau 2 à 4, gras, italique, listes, liens "
    "et tableaux. Le reste (scripts, styles, images distantes) est retiré à l’enregistrement."
)


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the current file by its name only: stored files have no public address (they are
    served by a view that checks access), so no link is printed here."""

    template_name = "parcours/widgets/private_file_input.html"
    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filename"] = Path(value.name).name if self.is_initial(value) else ""
        return context


def upload_help(extensions) -> str:
    return _("Types acceptés : %(types)s. Taille maximale : %(size)s.") % {
        "types": ", ".join(sorted(extensions)),
        "size": filesizeformat(settings.PREAU_UPLOAD_MAX_BYTES),
    }


class _ActivityForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title"]


class PageForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "body"]
        labels = {"body": _("Contenu de la page")}
        help_texts = {"body": RICH_TEXT_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "data-rich-text": "true"})}

    def clean_body(self):
        body = clean_html(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("La page est vide."))
        return body


class TrainerNoteForm(PageForm):
    class Meta(PageForm.Meta):
        labels = {"body": _("Note pour les formateurs")}


class FileForm(_ActivityForm):
    class Meta(_ActivityForm.Meta):
        fields = ["title", "file", "body"]
        labels = {"body": _("Présentation du fichier (facultatif)")}
        help_texts = {"body": RICH_TEXT_HELP}
        widgets = {"body": forms.Textarea(attrs={"rows": 3}), "file": PrivateFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help(settings.PREAU_UPLOAD_ALLOWED_EXTENSIONS)
        # DsfrBaseForm has built the bound fields already, and they copied the help texts.
        self._bound_fields_cache.clear()

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            raise forms.ValidationError(_("Choisissez un fichier."))
        if hasattr(uploaded, "size") and not getattr(uploaded, "_committed", False):
            validate_upload(uploaded)
        return uploaded

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body", ""))


class LinkForm(_ActivityForm):
    # Declared so that an address typed without a scheme gets https (the model field's
    # default form field assumes http, with a deprecation warning until Django 6.0).
    url = forms.URLField(
        label=_("Adresse de la ressource ou de la vidéo"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta(_ActivityForm.Meta):
        fields = ["title", "url", "subtitles", "body"]
        labels = {"body": _("Présentation (facultatif)")}
        help_texts = {
            "subtitles": _(
                "Pour une vidéo : fichier de sous-titres WebVTT (.vtt) ou SubRip (.srt)."
            ),
            "body": RICH_TEXT_HELP,
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 3}), "subtitles": PrivateFileInput}

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url:
            raise forms.ValidationError(_("Indiquez l’adresse de la ressource."))
        return url

    def clean_subtitles(self):
        uploaded = self.cleaned_data.get("subtitles")
        if uploaded and not getattr(uploaded, "_committed", False):
            validate_upload(uploaded, allowed=SUBTITLE_EXTENSIONS)
        return uploaded

    def clean_body(self):
        return clean_html(self.cleaned_data.get("body", ""))


PAGE = register(ActivityKind("page", _("Page"), PageForm, "parcours/activities/page.html"))
FILE = register(
    ActivityKind(
        "file",
        _("Fichier"),
        FileForm,
        "parcours/activities/file.html",
        icon="fr-icon-download-line",
    )
)
LINK = register(
    ActivityKind(
        "link",
        _("Lien ou vidéo"),
        LinkForm,
        "parcours/activities/link.html",
        icon="fr-icon-links-line",
    )
)
TRAINER_NOTE = register(
    ActivityKind(
        "trainer_note",
        _("Note aux formateurs"),
        TrainerNoteForm,
        "parcours/activities/trainer_note.html",
        trainers_only=True,
        icon="fr-icon-lock-line",
    )
)
