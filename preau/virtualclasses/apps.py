from django.apps import AppConfig


class VirtualClassesConfig(AppConfig):
    name = "preau.virtualclasses"
    verbose_name = "Classes virtuelles"
