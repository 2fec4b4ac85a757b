"""Password reset links: Django's generator, fed with the sign-in day instead of `last_login`."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignInDayTokenGenerator(PasswordResetTokenGenerator):
    """Django's generator invalidates a reset link once its user signs in again, through
    `last_login`. Préau keeps only the day of a sign-in (docs/privacy.md): a link stays valid
    for a sign-in the same day, and is invalidated by a sign-in on a later day, by the password
    change it serves, and after PASSWORD_RESET_TIMEOUT."""

    def _make_hash_value(self, user, timestamp):
        day = "" if user.last_login_day is None else user.last_login_day.isoformat()
        email = getattr(user, user.get_email_field_name(), "") or ""
        return f"{user.pk}{user.password}{day}{timestamp}{email}"


reset_token_generator = SignInDayTokenGenerator()
