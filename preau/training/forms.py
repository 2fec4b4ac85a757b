"""Forms of the training pages. They check input; the writes are in services.py.

Sections per area: organisers' management (manage.py views) first; other areas add theirs
below their own heading.
"""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from . import enrolment_lists, selectors
from .models import DistanceWindow, Meeting, StaffRole, TrainingSession

# Organisers' management ---------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Far above any real session (blank means no limit), far below PostgreSQL's integer range.
MAX_CAPACITY = 100_000
CAPACITY_ERRORS = {
    "min_value": _("Au moins une place, ou laissez vide pour ne pas limiter."),
    "max_value": _("100 000 places au plus ; laissez vide pour ne pas limiter."),  # MAX_CAPACITY
    "invalid": _("Indiquez un nombre de places, par exemple 25."),
}


class SessionCreateForm(DsfrBaseForm):
    title = forms.CharField(
        label=_("Titre de la session"),
        max_length=200,
        help_text=_("Par défaut, celui du parcours ; précisez par exemple le public ou le lieu."),
        error_messages={"required": _("Donnez un titre à la session.")},
    )
    owner = forms.ChoiceField(
        label=_("Territoire organisateur"),
        help_text=_("La circonscription ou le département qui organise la session."),
        error_messages={"required": _("Choisissez le territoire qui organise la session.")},
    )
    start_date = forms.DateField(label=_("Début"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Fin"), widget=DATE_INPUT)
    capacity = forms.IntegerField(
        label=_("Nombre de places (facultatif)"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        error_messages=CAPACITY_ERRORS,
        help_text=_("Vide : sans limite. Au-delà, les inscrits vont en liste d’attente."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        circonscriptions, departements = selectors.owner_territories(user)
        self.territories = {f"c{c.pk}": c for c in circonscriptions} | {
            f"d{d.pk}": d for d in departements
        }
        choices = []
        if circonscriptions:
            choices.append(
                (_("Circonscriptions"), [(f"c{c.pk}", c.name) for c in circonscriptions])
            )
        if departements:
            choices.append(
                (_("Départements"), [(f"d{d.pk}", f"{d.code} — {d.name}") for d in departements])
            )
        self.fields["owner"].choices = choices
        if len(self.territories) == 1:
            self.fields["owner"].initial = next(iter(self.territories))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Donnez un titre à la session."))
        return title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin de la session précède son début."))
        return cleaned

    def owner_kwargs(self) -> dict:
        """The territory chosen, as create_session() takes it."""
        territory = self.territories[self.cleaned_data["owner"]]
        if self.cleaned_data["owner"].startswith("c"):
            return {"circonscription": territory, "departement": territory.departement}
        return {"circonscription": None, "departement": territory}


class SessionSettingsForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "start_date",
            "end_date",
            "capacity",
            "self_enrolment",
            "self_enrolment_scope",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "enrolment_key",
            "show_participant_names",
            "attestation_rule",
            "attestation_requires_steps",
        ]
        labels = {
            "capacity": _("Nombre de places"),
            "self_enrolment": _(
                "Auto-inscription : la session paraît dans l’offre de formation, les "
                "enseignants s’y inscrivent eux-mêmes"
            ),
            "enrolment_key": _("Clé d’inscription (facultatif)"),
            "self_enrolment_scope": _("Auto-inscription ouverte à"),
            "attestation_requires_steps": _(
                "La règle demande aussi toutes les étapes cochées par le participant"
            ),
        }
        help_texts = {
            "capacity": _("Vide : sans limite. Les places en plus vont aux premiers en attente."),
            "enrolment_opens_on": _("Vide : dès l’ouverture de la session."),
            "enrolment_closes_on": _("Vide : jusqu’à la clôture de la session."),
            "enrolment_key": _(
                "Pour réserver l’auto-inscription aux personnes à qui vous la donnez."
            ),
            "show_participant_names": _(
                "Désactivé par défaut : chaque participant ne voit que son nom."
            ),
            "self_enrolment_scope": _(
                "La session ne paraît dans l’offre de formation que de ces enseignants, et "
                "seuls eux peuvent s’y inscrire. Votre liste d’inscription, elle, reste "
                "limitée au territoire de la session."
            ),
        }
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "enrolment_opens_on": DATE_INPUT,
            "enrolment_closes_on": DATE_INPUT,
            "attestation_rule": forms.RadioSelect,
            "self_enrolment_scope": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        capacity = self.fields["capacity"]
        capacity.validators.append(MaxValueValidator(MAX_CAPACITY))
        capacity.widget.attrs["max"] = MAX_CAPACITY
        capacity.error_messages.update(CAPACITY_ERRORS)

    def clean(self):
        # Said here, on the fields, before the model's constraints word it less clearly.
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin de la session précède son début."))
        opens, closes = cleaned.get("enrolment_opens_on"), cleaned.get("enrolment_closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "enrolment_closes_on", _("La fin des inscriptions précède leur ouverture.")
            )
        return cleaned

    def settings_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StaffForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("D’une personne qui a un rôle de formateur ou de tuteur dans Préau."),
        error_messages={
            "required": _("Indiquez l’adresse électronique."),
            "invalid": _("Cette adresse électronique est mal formée."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rôle dans la session"),
        choices=StaffRole.choices,
        initial=StaffRole.TRAINER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.cleaned_data["user"] = selectors.staff_candidate(email, self.session)
        if self.cleaned_data["user"] is None:
            raise ValidationError(
                _("Aucun formateur ni tuteur de l’académie n’a cette adresse électronique.")
            )
        return email


class MeetingForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "date", "start_time", "end_time", "remote", "place_name", "address"]
        labels = {
            "title": _("Intitulé (facultatif)"),
            "remote": _("À distance : créneau de classe virtuelle"),
            "place_name": _("Lieu (école, salle)"),
            "address": _("Adresse"),
        }
        help_texts = {
            "title": _("Par exemple : Première séance en présence."),
            "place_name": _("Laissez vide pour une classe virtuelle."),
        }
        widgets = {"date": DATE_INPUT, "start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("La réunion doit finir après avoir commencé."))
        if not cleaned.get("remote") and not (cleaned.get("place_name") or "").strip():
            self.add_error(
                "place_name", _("Indiquez le lieu de la réunion, ou cochez « à distance ».")
            )
        return cleaned

    def meeting_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DistanceWindowForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = DistanceWindow
        fields = ["title", "starts_on", "ends_on"]
        labels = {"title": _("Intitulé (facultatif)")}
        help_texts = {"title": _("Par exemple : Lectures et quiz en ligne.")}
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La période à distance doit finir après avoir commencé."))
        return cleaned

    def window_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PastedListForm(DsfrBaseForm):
    emails = forms.CharField(
        label=_("Adresses électroniques"),
        help_text=_(
            "Une par ligne, ou séparées par des virgules ou des points-virgules : vous pouvez "
            "coller une colonne de tableur ou les destinataires d’un message."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Collez au moins une adresse électronique.")},
    )
    group = forms.CharField(
        label=_("Groupe (facultatif)"),
        max_length=50,
        required=False,
        help_text=_("Donné à toutes ces personnes, par exemple : Groupe 1, ou un numéro GAIA."),
    )

    def clean(self):
        cleaned = super().clean()
        if "emails" in cleaned:
            try:
                cleaned["lines"] = enrolment_lists.parse_pasted(
                    cleaned["emails"], cleaned.get("group", "")
                )
            except ValidationError as error:
                self.add_error("emails", error)
        return cleaned


class CsvInput(forms.FileInput):
    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", "accept": ".csv,text/csv"})


class CsvUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Encodé en UTF-8 ; l’adresse électronique en première colonne, le groupe "
            "(facultatif) en deuxième ; séparateur point-virgule ou virgule ; une ligne "
            "d’en-tête est acceptée. Taille maximale : 1 Mo."
        ),
        error_messages={"required": _("Choisissez un fichier CSV.")},
        widget=CsvInput,
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > enrolment_lists.MAX_FILE_BYTES:
            raise ValidationError(_("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers."))
        self.cleaned_data["lines"] = enrolment_lists.parse_csv(uploaded.read())
        return uploaded


class PickTeachersForm(DsfrBaseForm):
    """The search and the group of the page where organisers pick teachers of the session's
    territory; the ticked ids (`choisis`) are read by the view."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Nom, prénom ou école ; les accents et les majuscules ne comptent pas."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    group = forms.CharField(
        label=_("Groupe (facultatif)"),
        max_length=50,
        required=False,
        help_text=_("Donné à toutes les personnes cochées, par exemple : Groupe 1."),
    )


ENROLMENT_SALT = "preau.training.enrolment-list"
ENROLMENT_MAX_AGE = 6 * 3600


def sign_lines(session: TrainingSession, lines: list[enrolment_lists.Line]) -> str:
    """The previewed lines, carried to the confirmation in a hidden field: signed, so that
    what is confirmed is what was previewed, for this session."""
    return signing.dumps(
        {"session": session.pk, "lines": [[li.number, li.email, li.group] for li in lines]},
        salt=ENROLMENT_SALT,
        compress=True,
    )


class EnrolmentConfirmForm(forms.Form):
    lines = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_lines(self) -> list[enrolment_lists.Line]:
        try:
            payload = signing.loads(
                self.cleaned_data["lines"], salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(
                _("Cette liste a expiré ou a été altérée : envoyez-la de nouveau.")
            ) from None
        if payload.get("session") != self.session.pk:
            raise ValidationError(_("Cette liste a été préparée pour une autre session."))
        return [enrolment_lists.Line(n, email, group) for n, email, group in payload["lines"]]
