from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .services import GROUP_SIZE_MAX


class HandGroupForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom du groupe"), max_length=100)
    members = forms.ModelMultipleChoiceField(
        label=_("Participants du groupe"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seuls les participants qui n’ont pas encore de groupe sont proposés."),
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = participants
        self.fields["members"].label_from_instance = lambda user: user.get_full_name()
        self._bound_fields_cache.clear()


class RandomGroupsForm(DsfrBaseForm):
    size = forms.IntegerField(
        label=_("Nombre de personnes par groupe"), min_value=2, max_value=GROUP_SIZE_MAX, initial=4
    )
