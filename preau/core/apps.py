from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preau.core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.urls import register_converter

        from .params import IdConverter, YearConverter

        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
