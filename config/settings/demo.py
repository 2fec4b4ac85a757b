"""The demo that `make run` serves: the laptop settings (dev.py) run as production does.

DEBUG is off, so that the demo shows what a user of a real instance sees: the French 403, 404
and 500 pages, never a traceback. The static files are collected into var/static/ by the
production's manifest storage (hashed names, served by whitenoise with a long cache), not read
from the apps as with DEBUG; uploaded files are only ever served by the access-checked views.
Whitenoise's compressed variant is left to production: it triples the minute collectstatic takes
on a laptop, to save bandwidth that 127.0.0.1 does not need.
"""

import os

from .dev import *  # noqa: F403
from .dev import PREAU_BBB_URL, env_bool

DEBUG = env_bool("DEBUG", False)

STORAGES = {
    "default": {"BACKEND": "preau.core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Virtual classes: without a real BigBlueButton server in the environment, the demo's classes
# open on the local stand-in that bin/run starts (preau/virtualclasses/standin.py).
if not PREAU_BBB_URL:
    BBB_STANDIN_PORT = os.environ.get("BBB_STANDIN_PORT", "8090")
    PREAU_BBB_URL = f"http://127.0.0.1:{BBB_STANDIN_PORT}/bigbluebutton/api"
    PREAU_BBB_SECRET = "demo-secret-preau"
