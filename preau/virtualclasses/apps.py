from django.apps import AppConfig


class VirtualClassesConfig(AppConfig):
    name = "preau.virtualclasses"
    verbose_name = "Classes virtuelles"

    def ready(self):
        # The « Classe virtuelle » activity kind registers itself with the content editor.
        from . import activities  # noqa: F401
