"""Security headers and the production settings: Content-Security-Policy, Permissions-Policy,
HTTPS (PREAU_BEHIND_HTTPS) and `manage.py check --deploy` without a warning."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_page_carries_a_content_security_policy_without_inline_code_or_eval(client, db):
    response = client.get("/compte/connexion/")

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no template read the nonce on this page
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_htmx_config_forbids_eval_and_its_injected_style(client, db):
    response = client.get("/compte/connexion/")

    config = re.search(r"<meta name=\"htmx-config\"\s+content='([^']*)'>", response.text)
    assert json.loads(config[1]) == {"includeIndicatorStyles": False, "allowEval": False}


def test_permissions_policy_turns_off_the_features_no_page_uses(client, db):
    response = client.get("/compte/connexion/")

    policy = response.headers["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in policy.split(", ")


def test_permissions_policy_is_a_setting_that_can_open_a_feature_to_an_origin(settings, db):
    # What a video-conference in a frame will need: the setting, not the code, changes.
    settings.PREAU_PERMISSIONS_POLICY = {
        "camera": ["self", "https://visio.example"],
        "geolocation": [],
    }

    response = Client().get("/compte/connexion/")  # a new client loads the middleware anew

    assert response.headers["Permissions-Policy"] == (
        'camera=(self "https://visio.example"), geolocation=()'
    )


def test_django_s_debug_pages_are_left_readable_without_the_policy(settings, db):
    settings.DEBUG = True

    not_found = Client().get("/pas-de-page-ici/")

    assert not_found.status_code == 404
    assert b"NONE,NOARCHIVE" in not_found.content  # Django's technical page
    assert "Content-Security-Policy" not in not_found.headers
    assert "Content-Security-Policy" in Client().get("/compte/connexion/").headers


def production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What a production host sets (docs/deployment.md), and nothing from this machine."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "formation.example.fr",
        "CSRF_TRUSTED_ORIGINS": "https://formation.example.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'preau.sqlite3'}",
        "PREAU_VAR_DIR": str(tmp_path),
        **extra,
    }


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    # A separate process: the settings are read from the environment as on a production host.
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


def test_check_deploy_passes_without_a_warning_under_the_production_settings(tmp_path):
    result = check_deploy(production_environment(tmp_path, PREAU_BEHIND_HTTPS="true"))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_https_is_not_declared(tmp_path):
    result = check_deploy(production_environment(tmp_path))

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no redirect to HTTPS


HTTPS_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


def production_settings(env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {HTTPS_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_preau_behind_https_turns_on_redirect_hsts_and_secure_cookies(tmp_path):
    values = production_settings(production_environment(tmp_path, PREAU_BEHIND_HTTPS="true"))

    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$", "^readyz$"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


@pytest.fixture(scope="module")
def https_values(tmp_path_factory):
    env = production_environment(tmp_path_factory.mktemp("prod"), PREAU_BEHIND_HTTPS="true")
    return production_settings(env)


@pytest.fixture
def behind_https(settings, https_values):
    """This process's settings, as PREAU_BEHIND_HTTPS=true makes them in production."""
    for name, value in https_values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)


def test_behind_https_plain_http_is_redirected_but_health_probes_are_not(behind_https, db):
    client = Client()

    assert client.get("/compte/connexion/")["Location"] == "https://testserver/compte/connexion/"
    assert client.get("/healthz").status_code == 200


def test_behind_https_answers_carry_hsts_for_a_year_with_subdomains_and_preload(behind_https, db):
    response = Client().get("/compte/connexion/", headers={"X-Forwarded-Proto": "https"})

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
