from django.apps import AppConfig
from django.core import checks


def keep_the_sign_in_day(sender, user, **kwargs):
    from .services import record_sign_in_day

    record_sign_in_day(user=user)


class AccountsConfig(AppConfig):
    name = "preau.accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .session_policy import apply_at_sign_in
        from .two_factor import check_required_roles, record_owed

        checks.register(check_required_roles)

        def session_expiry(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                apply_at_sign_in(request, user)
                record_owed(request, user)

        # weak=False: a nested function has no other reference and would be collected.
        user_logged_in.connect(session_expiry, dispatch_uid="accounts-session-expiry", weak=False)
        # A module-level receiver: signals hold their receivers weakly, and a function defined
        # inside ready() would be collected as soon as ready() returns.
        user_logged_in.connect(keep_the_sign_in_day, dispatch_uid="accounts-sign-in-day")
