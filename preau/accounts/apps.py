from django.apps import AppConfig


def keep_the_sign_in_day(sender, user, **kwargs):
    from .services import record_sign_in_day

    record_sign_in_day(user=user)


class AccountsConfig(AppConfig):
    name = "preau.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # A module-level receiver: signals hold their receivers weakly, and a function defined
        # inside ready() would be collected as soon as ready() returns.
        user_logged_in.connect(keep_the_sign_in_day, dispatch_uid="accounts-sign-in-day")
