"""Forms of the design and review pages. They check input; the writes are in services.py.

(The activity kinds' forms live with their kinds, in activities.py.)
"""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.accounts.models import Role
from preau.accounts.selectors import has_role, roles_of
from preau.territories.models import Academie, Departement

from .models import Audience, Parcours
from .services import INDEXATION_FIELDS
from .uploads import IMAGE_EXTENSIONS, validate_upload


class CreateParcoursForm(DsfrBaseForm):
    title = forms.CharField(
        label=_("Titre du parcours"),
        max_length=200,
        help_text=_("Vous pourrez le modifier ensuite."),
        error_messages={"required": _("Donnez un titre au parcours.")},
    )
    template = forms.ModelChoiceField(
        label=_("Point de départ"),
        queryset=Parcours.objects.none(),
        required=False,
        empty_label=_("Partir de zéro (parcours vierge)"),
        help_text=_("Un gabarit apporte une indexation et un contenu à adapter."),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Donnez un titre au parcours."))
        return title


class ThumbnailInput(forms.FileInput):
    """The thumbnail is shown on the page through a protected view: no public link here."""

    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", "accept": "image/png,image/jpeg,image/webp"})


class IndexationForm(DsfrBaseForm, forms.ModelForm):
    """Every indexation field, all optional but the title: a draft saves incomplete, and
    completeness is checked when the parcours is submitted for review."""

    audiences = forms.MultipleChoiceField(
        label=_("Publics visés"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove_thumbnail = forms.BooleanField(label=_("Retirer la vignette actuelle"), required=False)

    # The page shows the fields in these groups (a fieldset each).
    GROUPS = [
        (
            _("Présentation"),
            ["title", "short_title", "objectives", "description", "keywords"],
        ),
        (
            _("Classement"),
            ["collection", "domain", "audiences", "origin", "academie", "departement"],
        ),
        (
            _("Durée et modalités"),
            ["duration_hours", "presence_hours", "distance_hours", "rhythm", "accompaniment"],
        ),
        (_("Auteurs et version"), ["authors", "contact", "version_notes"]),
        (_("Vignette"), ["thumbnail", "thumbnail_alt", "remove_thumbnail"]),
        (_("Module en libre accès"), ["open_access", "enrolment_key"]),
    ]

    class Meta:
        model = Parcours
        fields = INDEXATION_FIELDS
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "version_notes": forms.Textarea(attrs={"rows": 3}),
            "duration_hours": forms.NumberInput(
                attrs={"step": "0.5", "min": "0.5", "list": "standard-durations"}
            ),
            "presence_hours": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            "distance_hours": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
            "thumbnail": ThumbnailInput,
        }
        help_texts = {
            "duration_hours": _(
                "3, 6 ou 9 h d’ordinaire ; une autre durée reste possible pour un parcours local."
            ),
            "presence_hours": _("Présence + distance = durée annoncée."),
            "objectives": _("Un objectif par ligne."),
            "thumbnail_alt": _("Obligatoire avec une vignette : décrivez ce qu’elle montre."),
            "enrolment_key": _(
                "Facultatif : les enseignants la saisissent pour rejoindre le module."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Donnez un titre au parcours.")
        self.initial.setdefault("audiences", self.instance.audience_codes)
        self.fields["thumbnail"].help_text = _(
            "Image %(types)s, %(size)s au plus. En cas d’erreur dans le formulaire, "
            "choisissez-la à nouveau."
        ) % {
            "types": ", ".join(sorted(IMAGE_EXTENSIONS)),
            "size": filesizeformat(settings.PREAU_UPLOAD_MAX_BYTES),
        }
        self._limit_territories(user)
        # DsfrBaseForm has built the bound fields already, and they copied the help texts.
        self._bound_fields_cache.clear()

    def _limit_territories(self, user) -> None:
        """A designer places a parcours in their académie; national designers anywhere."""
        if has_role(user, Role.ADMIN) or any(
            a.role == Role.DESIGNER and a.academie_id is None for a in roles_of(user)
        ):
            return
        own = {
            a.academie_id
            for a in roles_of(user)
            if a.role in {Role.DESIGNER, Role.ACADEMIC_MANAGER} and a.academie_id
        }
        if self.instance.academie_id:
            own.add(self.instance.academie_id)
        self.fields["academie"].queryset = Academie.objects.filter(pk__in=own)
        self.fields["academie"].required = True
        self.fields["academie"].help_text = _("L’académie qui publiera le parcours.")
        self.fields["departement"].queryset = Departement.objects.filter(academie__in=own).order_by(
            "code"
        )

    def clean_thumbnail(self):
        uploaded = self.cleaned_data.get("thumbnail")
        if isinstance(uploaded, UploadedFile):
            validate_upload(uploaded, allowed=IMAGE_EXTENSIONS)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        new_upload = isinstance(cleaned.get("thumbnail"), UploadedFile)
        keeps = bool(self.instance.thumbnail) and not cleaned.get("remove_thumbnail")
        if (new_upload or keeps) and not (cleaned.get("thumbnail_alt") or "").strip():
            self.add_error(
                "thumbnail_alt", _("Décrivez la vignette : le texte alternatif est obligatoire.")
            )
        return cleaned

    @property
    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def indexation_data(self) -> dict:
        """The values for services.update_indexation: the thumbnail only when it changes."""
        data = {f: self.cleaned_data[f] for f in INDEXATION_FIELDS if f != "thumbnail"}
        if isinstance(self.cleaned_data.get("thumbnail"), UploadedFile):
            data["thumbnail"] = self.cleaned_data["thumbnail"]
        elif self.cleaned_data.get("remove_thumbnail"):
            data["thumbnail"] = None
        for field in ("title", "thumbnail_alt", "enrolment_key"):
            data[field] = (data.get(field) or "").strip()
        return data


class SectionForm(DsfrBaseForm):
    title = forms.CharField(
        label=_("Titre de la section"),
        max_length=200,
        error_messages={"required": _("Donnez un titre à la section.")},
    )


class CommentForm(DsfrBaseForm):
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, required: bool = False, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required = required
        if label:
            field.label = label
        if help_text:
            field.help_text = help_text
        field.error_messages["required"] = _(
            "Expliquez aux concepteurs ce qu’il faut reprendre : le commentaire est obligatoire."
        )
        # DsfrBaseForm has built the bound fields already, and they copied label and help text.
        self._bound_fields_cache.clear()
