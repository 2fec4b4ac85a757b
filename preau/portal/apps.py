from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: what gathers every app's figures and pages for a person (the home page
    of each role, the navigation), and the commands that span every app (the demo seed, the
    backup and its check). `preau.core`, the ground floor, imports none of the apps above it
    (tests/core/test_layers.py); this app may import them all."""

    name = "preau.portal"
    verbose_name = "Portail"
