"""Local settings for a laptop (`manage.py runserver`, the benchmarks): the embedded SQLite
database, a generated secret, e-mails written to var/mail/. `make run` serves the demo with the
settings of config/settings/demo.py, which start from these."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECURE_COOKIES = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False


def _local_secret_key() -> str:
    """A key generated once into var/, so that sessions survive a restart."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()

# No collectstatic for a laptop: whitenoise serves the files straight from the apps.
STORAGES = {
    "default": {"BACKEND": "preau.core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Every e-mail is an .eml file under var/mail/, with a console line giving its path
# (preau/core/mail.py). EMAIL_BACKEND in the environment still wins (an SMTP catcher…).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "preau.core.mail.EmlFileBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
