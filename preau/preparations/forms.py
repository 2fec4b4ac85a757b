from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from preau.core.params import MAX_IDS, parse_ids

from .services import GROUP_SIZE_MAX


class _PeopleField(forms.ModelMultipleChoiceField):
    """Ids read as preau/core/params.py reads them, before any query: a value that is not one
    (a twenty-digit number overflows the database's integers) is an invalid choice."""

    def clean(self, value):
        values = [str(v) for v in (value or [])]
        if len(values) > MAX_IDS:
            raise ValidationError(self.error_messages["list"], code="list")
        for one in values:
            if not parse_ids([one]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": one},
                )
        return super().clean(value)


class HandGroupForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom du groupe"), max_length=100)
    members = _PeopleField(
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
