from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "preau.parcours"
    verbose_name = "Parcours de formation"
