from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.core.params import DB_INT_MAX
from preau.parcours.models import Parcours

GAIA_HELP = _("Fichier « %(pattern)s » déposé par GAIA (séparateur |, Windows-1252).")


class GaiaUploadForm(DsfrBaseForm):
    academie = forms.ModelChoiceField(queryset=None, label=_("Académie"), empty_label=None)
    formations = forms.FileField(
        label=_("Fichier Formations"),
        help_text=GAIA_HELP % {"pattern": "A014_Formations_AAAAMMJJ.csv"},
    )
    intervenants = forms.FileField(
        label=_("Fichier Intervenants"),
        help_text=GAIA_HELP % {"pattern": "A014_Intervenants_AAAAMMJJ.csv"},
    )
    stagiaires = forms.FileField(
        label=_("Fichier Stagiaires"),
        help_text=GAIA_HELP % {"pattern": "A014_Stagiaires_AAAAMMJJ.csv"},
    )
    forced_reason = forms.CharField(
        label=_("Motif, pour importer un jour plus ancien que le dernier import (facultatif)"),
        help_text=_(
            "Un jour plus ancien que le dernier appliqué est refusé : il ramènerait l’académie "
            "en arrière. Indiquez ici pourquoi l’importer quand même ; le motif est gardé "
            "dans l’historique."
        ),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        only = list(academies[:2])
        if len(only) == 1:
            self.fields["academie"].initial = only[0]
            # The names to look for, with the manager's own académie code.
            for name, label in (
                ("formations", "Formations"),
                ("intervenants", "Intervenants"),
                ("stagiaires", "Stagiaires"),
            ):
                self.fields[name].help_text = GAIA_HELP % {
                    "pattern": f"{only[0].code}_{label}_AAAAMMJJ.csv"
                }
            self._bound_fields_cache.clear()  # bound fields copied the old help texts


class SofiaUploadForm(DsfrBaseForm):
    academie = forms.ModelChoiceField(queryset=None, label=_("Académie"), empty_label=None)
    sofia = forms.FileField(
        label=_("Plan et sessions SOFIA"),
        help_text=_("Le tableur .xlsx exporté de SOFIA (une ligne par session)."),
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies


class LinkForm(DsfrBaseForm):
    hr_session = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=DB_INT_MAX)
    unenrol_missing = forms.BooleanField(
        required=False,
        label=_("Désinscrire automatiquement les stagiaires que GAIA retire"),
        help_text=_("Sinon, ils restent inscrits et vous sont signalés : vous décidez."),
    )


class LinkSettingsForm(DsfrBaseForm):
    unenrol_missing = forms.BooleanField(
        required=False,
        label=_("Désinscrire automatiquement les stagiaires que GAIA retire"),
    )


class CreateFromHrForm(DsfrBaseForm):
    parcours = forms.ModelChoiceField(
        queryset=None,
        label=_("Parcours à déployer"),
        empty_label=_("Choisissez un parcours publié"),
    )
    departement = forms.ModelChoiceField(queryset=None, label=_("Département organisateur"))

    def __init__(self, *args, parcours, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcours"].queryset = parcours
        self.fields["departement"].queryset = departements
        self.fields["parcours"].label_from_instance = Parcours.__str__
