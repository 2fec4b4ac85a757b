from django import forms
from django.contrib import admin

from .models import Server


class ServerForm(forms.ModelForm):
    url = forms.URLField(
        label="Adresse de l’API",
        max_length=300,
        assume_scheme="https",
        help_text="Par exemple https://bbb.ac-exemple.fr/bigbluebutton/api",
    )

    class Meta:
        model = Server
        fields = ["name", "url", "secret", "sha1", "academie"]
        # The secret is typed, never shown back.
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["secret"].required = False
            self.fields["secret"].help_text = "Laisser vide pour garder le secret actuel."

    def clean_secret(self):
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(Server)
class ServerAdmin(admin.ModelAdmin):
    form = ServerForm
    list_display = ["name", "url", "academie", "sha1"]
