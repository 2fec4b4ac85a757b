from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.urls import register_converter

        # The `folded` lookup on text fields, and SQLite's accent folding and French collation
        # on every new connection.
        from . import search  # noqa: F401
        from .params import IdConverter, YearConverter

        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
