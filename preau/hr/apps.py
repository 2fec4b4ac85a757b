from django.apps import AppConfig


class HrConfig(AppConfig):
    name = "preau.hr"
    verbose_name = "Application RH (GAIA, SOFIA)"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .people import reconcile_at_sign_in

        def reconcile(sender, user, **kwargs):
            # Whatever the way in (password, reset link, later an academic SSO): the first
            # sign-in is when a placeholder created by an HR import finds its owner.
            reconcile_at_sign_in(user)

        # weak=False: the nested function has no other reference; with a weak reference it
        # was collected at once and never ran.
        user_logged_in.connect(reconcile, dispatch_uid="hr-reconcile-at-sign-in", weak=False)
