"""Settings for the test suite: same database choice as the environment says, fast hashing."""

from .dev import *  # noqa: F403
from .dev import DATABASES, TEMPLATES


class InvalidTemplateVariable(str):
    """Makes a template fail loudly on a variable that does not exist."""

    def __mod__(self, name):
        raise NameError(f"Unknown template variable: {name}")


SECRET_KEY = "tests-only-secret-key-not-for-production-use-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
WHITENOISE_AUTOREFRESH = True
# {% rendered_once %} renders again each time and fails when the text changed (core/templatetags).
PREAU_CHECK_RENDERED_ONCE = True
# No persistent connections: a connection kept by the live server's thread would stop the
# test database from being dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# One process runs the tasks (ImmediateBackend): a cache of its own, nothing left on disk.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The limits are tested where they matter, with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
