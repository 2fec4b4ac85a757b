"""The site's form renderer: django-dsfr's markup, in valid HTML."""

import re

from django import forms
from dsfr.forms import DsfrBaseForm


class ChoicesForm(DsfrBaseForm):
    role = forms.ChoiceField(
        choices=[("trainer", "Formateur"), ("tutor", "Tuteur")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        choices=[("mon", "Lundi")], widget=forms.CheckboxSelectMultiple
    )


def test_radio_and_checkbox_inputs_carry_no_dsfr_attribute_yet_keep_their_dsfr_groups():
    html = ChoicesForm().as_div()

    inputs = re.findall(r"<input[^>]*>", html)
    assert len(inputs) == 3
    assert not [tag for tag in inputs if re.search(r"\sdsfr[\s=>]", tag)]
    # The marker still tells django-dsfr's templates to wrap each choice in its group.
    assert html.count('class="fr-radio-group"') == 2
    assert html.count('class="fr-checkbox-group"') == 1
