from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "preau.hours"
    verbose_name = "Les 18 heures"
