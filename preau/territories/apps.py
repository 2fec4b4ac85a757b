from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "preau.territories"
    verbose_name = "Territoires"
