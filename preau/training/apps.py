from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "preau.training"
    verbose_name = "Sessions de formation"
