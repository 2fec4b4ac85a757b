from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import Room


class RoomForm(DsfrBaseForm, forms.ModelForm):
    external_url = forms.URLField(
        label=_("Lien vers une autre classe virtuelle"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("Seuls les participants le voient, tant qu’aucun serveur n’est configuré."),
    )

    class Meta:
        model = Room
        fields = [
            "welcome",
            "recording_allowed",
            "waiting_room",
            "mute_on_start",
            "audio_only",
            "date",
            "start_time",
            "end_time",
            "external_url",
        ]
        widgets = {
            "welcome": forms.Textarea(attrs={"rows": 3}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, configured: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.meeting_id:  # the meeting's own schedule
            for name in ("date", "start_time", "end_time"):
                del self.fields[name]
        if configured:
            del self.fields["external_url"]
        self._bound_fields_cache.clear()
