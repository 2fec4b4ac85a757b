from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "preau.forums"
    verbose_name = "Forums"

    def ready(self):
        # The « Forum de discussion » activity kind registers itself with the content editor.
        from . import activities  # noqa: F401
