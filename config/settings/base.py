"""Settings shared by every deployment, read from the environment.

This module is what production runs (``DJANGO_SETTINGS_MODULE=config.settings.base``);
``dev`` and ``test`` only override a few values for a laptop and for the test suite.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("PREAU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Required in production: Django refuses to start with an empty SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Shows the Marianne / "République française" brand block. Only French State services may.
PREAU_STATE_BRANDING = env_bool("PREAU_STATE_BRANDING", False)
PREAU_SITE_TITLE = os.environ.get("PREAU_SITE_TITLE", "Préau")
PREAU_SITE_TAGLINE = os.environ.get(
    "PREAU_SITE_TAGLINE", "La formation continue des professeurs des écoles"
)
PREAU_OPERATOR_NAME = os.environ.get("PREAU_OPERATOR_NAME", "L’équipe Préau")
PREAU_CONTACT_EMAIL = os.environ.get("PREAU_CONTACT_EMAIL", "contact@preau.example")
# Absolute links in e-mails sent outside a request (reminders).
PREAU_SITE_URL = os.environ.get("PREAU_SITE_URL", "http://localhost:8000")

# The spring reminder of the 18 hours (preau/hours/reminders.py): from this day ("MM-DD") on,
# teachers still missing hours in the school year get one e-mail.
PREAU_HOURS_REMINDER_DATE = os.environ.get("PREAU_HOURS_REMINDER_DATE", "04-15")
PREAU_HOURS_REMINDER_SUBJECT = os.environ.get(
    "PREAU_HOURS_REMINDER_SUBJECT", "Vos 18 heures : il vous en manque encore"
)
PREAU_HOURS_REMINDER_INTRO = os.environ.get(
    "PREAU_HOURS_REMINDER_INTRO",
    "Bonjour,\n\nL’année scolaire avance et vos 18 heures d’animations pédagogiques et de "
    "formation continue ne sont pas encore complètes.",
)

# HR interchange (GAIA, SOFIA; preau/hr). Academic e-mail domains that became another one:
# "old=new,old=new". The same person, under either address, is one account.
PREAU_HR_EMAIL_DOMAIN_ALIASES = dict(
    pair.split("=", 1)
    for pair in os.environ.get(
        "PREAU_HR_EMAIL_DOMAIN_ALIASES", "ac-caen.fr=ac-normandie.fr,ac-rouen.fr=ac-normandie.fr"
    ).split(",")
    if "=" in pair
)
# A file with fewer lines than this share of the last applied one of its kind looks truncated:
# its additions are applied, but nothing is removed or unenrolled on its basis.
PREAU_HR_SHRINK_GUARD = float(os.environ.get("PREAU_HR_SHRINK_GUARD", "0.5"))
# A folder where GAIA drops its daily files, read by `manage.py gaia_pickup` (see deployment).
PREAU_HR_PICKUP_DIR = os.environ.get("PREAU_HR_PICKUP_DIR", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "preau.core",
    "preau.territories",
    "preau.accounts",
    "preau.parcours",
    "preau.training",
    "preau.hours",
    "preau.hr",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in a path, query or posted field is a 400 before anything reads it.
    "preau.core.params.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "preau.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "preau.core.context_processors.site",
            ],
        },
    },
]
# Forms render with django-dsfr's own template engine (not TemplatesSetting, which would need
# "django.forms" in INSTALLED_APPS and would run django-dsfr's widget templates, which rely on
# missing attributes and |default, under the test suite's unknown-variable check), through one
# renderer per process so that its templates are parsed once (preau/core/forms.py).
FORM_RENDERER = "preau.core.forms.DsfrFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'preau.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web server and the worker: WAL lets readers
    # run beside one writer, IMMEDIATE transactions avoid "database is locked" upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiles any query the planner prices above jit_above_cost, and the hours
    # statuses (a dozen correlated subqueries per teacher) pay ≈150–300 ms of compilation to
    # save a few: the IEN's 250 teachers went from 210 to 20 ms without it (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without Redis, a file cache shared by the processes of one machine: the worker reports the
# progress of a long job there and the web process reads it (a per-process cache would not).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
# Sessions live in the database so that any web host can serve any request. With a cache
# shared by every host (Redis), they are read through it: one round trip to Redis instead of a
# query on each page. Not with the file cache: it belongs to one machine, and a session ended
# on one host would still be found in another host's cache.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("REDIS_URL")
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Whitenoise's manifest storage rewrites url() inside the DSFR stylesheets, so the packaged
# integrity hashes no longer match and browsers would refuse the files.
DSFR_USE_INTEGRITY_CHECKSUMS = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Préau <ne-pas-repondre@preau.example>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Uploads (parcours files, thumbnails): allowed extensions and size limit.
PREAU_UPLOAD_ALLOWED_EXTENSIONS = {
    ext: ext.upper()
    for ext in env_list(
        "PREAU_UPLOAD_ALLOWED_EXTENSIONS",
        "pdf,odt,ods,odp,docx,xlsx,pptx,txt,png,jpg,jpeg,webp,mp3,mp4,webm,ogg,vtt,srt,zip",
    )
}
PREAU_UPLOAD_MAX_BYTES = int(os.environ.get("PREAU_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
