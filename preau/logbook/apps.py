from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "preau.logbook"
    verbose_name = "Carnet de bord"
