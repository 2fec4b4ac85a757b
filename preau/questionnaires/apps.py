from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "preau.questionnaires"
    verbose_name = "Questionnaires"

    def ready(self):
        # The « Auto-positionnement » and « Questionnaire de satisfaction » activity kinds.
        from . import activities  # noqa: F401
