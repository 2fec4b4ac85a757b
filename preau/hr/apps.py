from django.apps import AppConfig


def reconcile(sender, user, **kwargs):
    # Whatever the way in (password, reset link, later an academic SSO): the first
    # sign-in is when a placeholder created by an HR import finds its owner.
    from .people import reconcile_at_sign_in

    reconcile_at_sign_in(user)


class HrConfig(AppConfig):
    name = "preau.hr"
    verbose_name = "Application RH (GAIA, SOFIA)"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Module-level: signals hold receivers weakly, and a function defined in ready() was
        # collected as soon as ready() returned, so no sign-in ever reconciled anything.
        user_logged_in.connect(reconcile, dispatch_uid="hr-reconcile-at-sign-in")
