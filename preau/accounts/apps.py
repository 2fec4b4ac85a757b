from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "preau.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from .services import record_sign_in_day

        # Teachers were promised that nothing finer than the day of their last sign-in is
        # kept (docs/privacy.md): Django's receiver stores the exact time, ours the day.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_sign_in_day, dispatch_uid="record_sign_in_day")
