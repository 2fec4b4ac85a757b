"""The technical admin, with French names for the models of installed packages.

Préau's own models name themselves in French (their Meta); those of django-otp, django-tasks-db,
django-axes and django-dsfr carry English names in their own Meta and migrations, which Préau
does not change. The admin's index and menus show these French names instead."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

# app label → the application's name in the menu
PACKAGE_APP_NAMES = {
    "axes": _("Tentatives de connexion (limitation)"),
    "django_tasks_database": _("Tâches de fond"),
    "dsfr": _("Système de design de l’État"),
    "otp_static": _("Codes de secours (double authentification)"),
    "otp_totp": _("Applications d’authentification (double authentification)"),
}
# "app_label.model_name" → the model's name, plural
PACKAGE_MODEL_NAMES = {
    "django_tasks_database.dbtaskresult": _("Résultats des tâches de fond"),
    "dsfr.dsfrconfig": _("Configurations du site"),
    "otp_static.staticdevice": _("Jeux de codes de secours"),
    "otp_totp.totpdevice": _("Applications d’authentification (TOTP)"),
}


class PreauAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = PACKAGE_APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = f"{app['app_label']}.{model['object_name'].lower()}"
                model["name"] = PACKAGE_MODEL_NAMES.get(key, model["name"])
        return app_list


class PreauAdminConfig(AdminConfig):
    """Django's admin (in INSTALLED_APPS instead of django.contrib.admin), on the site above."""

    default_site = "preau.core.admin_site.PreauAdminSite"
