from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    verbose_name = "Socle"
