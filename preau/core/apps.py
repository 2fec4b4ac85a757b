from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    verbose_name = "Socle"

    def ready(self):
        # The `folded` lookup on text fields, and SQLite's accent folding and French collation
        # on every new connection.
        from . import search  # noqa: F401
