"""Settings shared by every deployment, read from the environment.

This module is what production runs (``DJANGO_SETTINGS_MODULE=config.settings.base``);
``dev`` and ``test`` only override a few values for a laptop and for the test suite.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

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
# A BigBlueButton server for every académie without its own (admin: « Serveurs BigBlueButton »);
# docs/virtual-classes.md. SHA-1 only for a server older than 2.5.
PREAU_BBB_URL = os.environ.get("PREAU_BBB_URL", "")
PREAU_BBB_SECRET = os.environ.get("PREAU_BBB_SECRET", "")
PREAU_BBB_SHA1 = env_bool("PREAU_BBB_SHA1", False)
# A call to the server that takes longer fails (the page says so; nobody waits a minute).
PREAU_BBB_TIMEOUT_SECONDS = float(os.environ.get("PREAU_BBB_TIMEOUT_SECONDS", "5"))

# Aggregates of a group's answers (self-positioning, satisfaction) are shown from this many
# answers up, never below (docs/privacy.md).
PREAU_MIN_GROUP_FOR_AGGREGATES = int(os.environ.get("PREAU_MIN_GROUP_FOR_AGGREGATES", "5"))

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

# A yearly hours report whose worker wrote no heartbeat for this long is taken for interrupted
# (worker killed) and marked failed (preau/hours/report.py).
PREAU_HOURS_REPORT_STALE_SECONDS = int(os.environ.get("PREAU_HOURS_REPORT_STALE_SECONDS", "90"))

# HR interchange (GAIA, SOFIA; preau/hr). Academic e-mail domains that became another one:
# "old=new,old=new". The same person, under either address, is one account.
PREAU_HR_EMAIL_DOMAIN_ALIASES = dict(
    pair.split("=", 1)
    for pair in os.environ.get(
        "PREAU_HR_EMAIL_DOMAIN_ALIASES", "ac-caen.fr=ac-normandie.fr,ac-rouen.fr=ac-normandie.fr"
    ).split(",")
    if "=" in pair
)
# A file with at most this share of the valid lines of the recent full imports of its kind
# looks truncated: its additions are applied, its removals wait for a manager's confirmation.
PREAU_HR_SHRINK_GUARD = float(os.environ.get("PREAU_HR_SHRINK_GUARD", "0.5"))
# A file with more than this share of rejected lines is refused as a whole (docs/hr.md).
PREAU_HR_MAX_REJECTED_SHARE = float(os.environ.get("PREAU_HR_MAX_REJECTED_SHARE", "0.05"))
# The largest HR file accepted on upload, in bytes.
PREAU_HR_MAX_UPLOAD_BYTES = int(os.environ.get("PREAU_HR_MAX_UPLOAD_BYTES", str(100 * 2**20)))
# An applying import whose worker wrote no heartbeat for this long is taken for interrupted.
PREAU_HR_HEARTBEAT_STALE_SECONDS = int(os.environ.get("PREAU_HR_HEARTBEAT_STALE_SECONDS", "120"))
# A confirmed apply that no worker started for this long is dropped (never run later).
PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS = int(
    os.environ.get("PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS", "900")
)
# Previews left unconfirmed are purged (files, staged names and e-mails) after this many days.
PREAU_HR_PREVIEW_RETENTION_DAYS = int(os.environ.get("PREAU_HR_PREVIEW_RETENTION_DAYS", "7"))
# A folder where GAIA drops its daily files, read by `manage.py gaia_pickup` (see deployment).
PREAU_HR_PICKUP_DIR = os.environ.get("PREAU_HR_PICKUP_DIR", "")

INSTALLED_APPS = [
    "preau.core.admin_site.PreauAdminConfig",  # django.contrib.admin, named in French
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "preau.core",
    "preau.territories",
    "preau.accounts",
    "preau.parcours",
    "preau.training",
    "preau.hours",
    "preau.hr",
    "preau.notifications",
    "preau.forums",
    "preau.virtualclasses",
    "preau.questionnaires",
    "preau.logbook",
    "preau.preparations",
    # Last: the home pages and navigation that gather every app above (preau/portal/apps.py).
    "preau.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in a path, query or posted field is a 400 before anything reads it.
    "preau.core.params.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "preau.core.middleware.ContentSecurityPolicyMiddleware",
    "preau.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "preau.core.middleware.LoginRequiredMiddleware",
    "preau.accounts.middleware.SessionIdleMiddleware",
    "preau.accounts.middleware.SecondFactorMiddleware",
    "preau.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a sign-in refused by the limits below into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Live co-editing (preau/preparations): the websockets of one document may be held by several
# processes; they relay updates and cursors through the channel layer. In memory when one
# process holds them all (bin/run), Redis when REDIS_URL is set (several hosts).
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Where browsers open the websockets when another server than the pages' holds them
# (bin/run: uvicorn on the next port, "ws://127.0.0.1:8001"); empty: the pages' own host (a
# reverse proxy routes /ws/ to the ASGI processes). Added to the CSP's connect-src.
PREAU_LIVE_URL = os.environ.get("PREAU_LIVE_URL", "").rstrip("/")
# The most the stored updates of one preparation document may weigh together, in bytes (5 MB:
# a long plan typed for months weighs a few hundred kilobytes). An update that would go over
# is refused, nothing stored (preau/preparations/services.py).
PREAU_PREP_MAX_DOCUMENT_BYTES = int(os.environ.get("PREAU_PREP_MAX_DOCUMENT_BYTES", "5000000"))
# A preparation document is compacted (its stored updates merged into one, an automatic
# snapshot kept) once it has this many stored updates: by a background task, which the ASGI
# process enqueues when a document's last live editor leaves and every
# PREAU_PREP_COMPACT_CHECK_SECONDS while editors stay; `compact_preparations` (cron) catches
# the documents edited by HTTP saves only.
PREAU_PREP_COMPACT_AFTER = int(os.environ.get("PREAU_PREP_COMPACT_AFTER", "500"))
PREAU_PREP_COMPACT_CHECK_SECONDS = float(os.environ.get("PREAU_PREP_COMPACT_CHECK_SECONDS", "600"))
# Each ASGI process also reads, this often while a document's sockets are open, the updates
# stored by others (the pages' gunicorn process: HTTP saves, restored versions), which the
# in-memory channel layer cannot bring it (preau/preparations/consumers.py). Seconds.
PREAU_LIVE_POLL_SECONDS = float(os.environ.get("PREAU_LIVE_POLL_SECONDS", "2"))
# And each socket checks this often that its person may still write the document (taken out
# of the group, enrolment cancelled, signed out, deactivated: closed). Seconds.
PREAU_LIVE_ACCESS_SECONDS = float(os.environ.get("PREAU_LIVE_ACCESS_SECONDS", "10"))
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [os.environ["REDIS_URL"]], "capacity": 1500},
        }
    }

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
                "preau.portal.context_processors.site",
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
# Django's stores, with every expiry moved to a midnight: the session row does not date the
# sign-in (preau/accounts/sessions.py, docs/privacy.md).
SESSION_ENGINE = (
    "preau.accounts.sessions_cached" if os.environ.get("REDIS_URL") else "preau.accounts.sessions"
)

# Second factor (TOTP, django-otp; preau/accounts/two_factor.py): administrators, academic
# managers and pilot teams may enrol; the roles listed here must (e.g. "admin,academic_manager").
PREAU_REQUIRE_2FA_FOR = env_list("PREAU_REQUIRE_2FA_FOR")
OTP_TOTP_ISSUER = PREAU_SITE_TITLE
# Without it, the admin's TOTP "config" page answers 500 for an unknown device.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Idle time before a session ends (preau/accounts/session_policy.py): staff roles always;
# teachers who tick « Rester connecté » (the others: until the browser closes).
PREAU_SESSION_STAFF_IDLE_MINUTES = int(os.environ.get("PREAU_SESSION_STAFF_IDLE_MINUTES", "120"))
PREAU_SESSION_REMEMBER_DAYS = int(os.environ.get("PREAU_SESSION_REMEMBER_DAYS", "14"))
# The row of a browser session (no « Rester connecté ») still ends after this, server side.
SESSION_COOKIE_AGE = PREAU_SESSION_REMEMBER_DAYS * 24 * 60 * 60

AUTH_USER_MODEL = "accounts.User"
# axes first: it refuses a locked account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least: ANSSI's recommendation for a password alone (no second factor).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# A refused CSRF token: a French page (preau/core/errors.py), not Django's technical one.
CSRF_FAILURE_VIEW = "preau.core.errors.csrf_failure"

# Behind a reverse proxy (nginx, the académie's load balancer), the client's address is the
# right-most X-Forwarded-For entry (preau/core/net.py). Off: the header is ignored. A site
# served through a TLS proxy (PREAU_BEHIND_HTTPS, below) has one, so it turns this on too.
PREAU_TRUSTED_PROXY = env_bool(
    "PREAU_TRUSTED_PROXY",
    env_bool("PREAU_BEHIND_HTTPS", env_bool("BEHIND_TLS_PROXY", False)),
)

# Sign-in limits (django-axes, preau/accounts/throttling.py): failed attempts within the
# cool-off, per account (known or not) and per address. The per-address threshold is higher: a
# school or an académie often reaches us through a single address.
PREAU_SIGNIN_FAILURES_PER_ACCOUNT = int(os.environ.get("PREAU_SIGNIN_FAILURES_PER_ACCOUNT", "5"))
PREAU_SIGNIN_FAILURES_PER_IP = int(os.environ.get("PREAU_SIGNIN_FAILURES_PER_IP", "50"))
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "preau.accounts.throttling.SignInLimitsHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = PREAU_SIGNIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PREAU_SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "preau.accounts.throttling.normalized_username"
AXES_CLIENT_IP_CALLABLE = "preau.core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "preau.accounts.throttling.lockout_response"
# No record of successful sign-ins (address, browser, exact time): docs/privacy.md promises
# nothing finer than the day. Failed attempts are kept for the cool-off only.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Password-reset e-mails (django-ratelimit, counted in the shared cache), "count/period".
PREAU_PASSWORD_RESET_RATE_PER_IP = os.environ.get("PREAU_PASSWORD_RESET_RATE_PER_IP", "10/h")
PREAU_PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PREAU_PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
RATELIMIT_IP_META_KEY = "preau.core.net.client_ip"
# The forums' unsubscribe link works without signing in: its answers (valid or not) are capped
# per IP address, so that nobody can try signatures or load the database from outside.
PREAU_UNSUBSCRIBE_RATE_PER_IP = os.environ.get("PREAU_UNSUBSCRIBE_RATE_PER_IP", "60/h")

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
    "default": {"BACKEND": "preau.core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Whitenoise's manifest storage rewrites url() inside the DSFR stylesheets, so the packaged
# integrity hashes no longer match and browsers would refuse the files.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Production sends through SMTP (the settings below); `make run` writes .eml files instead
# (config/settings/dev.py).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
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

# HTTPS: PREAU_BEHIND_HTTPS=true when the site is served over HTTPS by a TLS proxy or load
# balancer, which must overwrite X-Forwarded-Proto. It turns on the redirect to HTTPS (probes of
# /healthz and /readyz excepted), HSTS for a year with subdomains and preload, and secure
# cookies. (BEHIND_TLS_PROXY, its former name, is still read.)
PREAU_BEHIND_HTTPS = env_bool("PREAU_BEHIND_HTTPS", env_bool("BEHIND_TLS_PROXY", False))
SECURE_COOKIES = PREAU_BEHIND_HTTPS or env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if PREAU_BEHIND_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("PREAU_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only this site's own files run, no inline code, no
# eval. htmx is told not to inject its indicator style nor to eval (base.html's htmx-config);
# the one inline style left, Trix's, carries the nonce (`request.csp_nonce`), which the header
# then lists (django-csp adds it only where a template read it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, *([PREAU_LIVE_URL] if PREAU_LIVE_URL else [])],
        "media-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (preau/core/middleware.py): the browser features no page uses are turned
# off, so that no injected or embedded content can use them. A feature that a page comes to need
# (a video-conference in a frame needs camera and microphone) gets its origins here:
# {"camera": ["self", "https://visio.example"]}.
PREAU_PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Every handler masks the secrets that travel in URLs (calendar-feed token, password-reset
# link, every token of the URLconf): django.request logs "Not Found: <path>", django.server is
# runserver's access log.
# gunicorn's access log is masked by its logger class (bin/run, preau/core/log_masking.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "preau.core.log_masking.MaskSecretsFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers (an unfiltered console when DEBUG, mail_admins):
        # its records reach the root's masked console.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
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
