from django.apps import AppConfig


class PreparationsConfig(AppConfig):
    name = "preau.preparations"
    verbose_name = "Préparations collectives"

    def ready(self):
        # The « Préparation collective » activity kind registers itself with the content editor.
        from . import activities  # noqa: F401
