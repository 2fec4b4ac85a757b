from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "preau.notifications"
    verbose_name = "Notifications"
