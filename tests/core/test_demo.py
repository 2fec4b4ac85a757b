"""The demo that `make run` serves runs as production does: DEBUG off, the static files collected
by the manifest storage and served by whitenoise, the French error pages; its e-mails are .eml
files where production's go through SMTP."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_process(code: str, var_dir: Path, module: str = "config.settings.demo", **env) -> str:
    """Runs Python code in a fresh process with these settings (the module-level environment
    matters), its var/ in a temporary folder; returns what it printed."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "EMAIL_BACKEND", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=module,
        PREAU_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="testserver",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def settings_of(module: str, var_dir: Path, **env) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'EMAIL_BACKEND': s.EMAIL_BACKEND, "
        "'EMAIL_FILE_PATH': str(getattr(s, 'EMAIL_FILE_PATH', '')), "
        "'STATIC': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    return json.loads(demo_process(code, var_dir, module, SECRET_KEY="x" * 50, **env))


def test_production_sends_by_smtp_and_the_demo_writes_eml_files_with_debug_off(tmp_path):
    production = settings_of("config.settings.base", tmp_path)
    demo = settings_of("config.settings.demo", tmp_path)

    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production["DEBUG"] is False
    assert demo["EMAIL_BACKEND"] == "preau.core.mail.EmlFileBackend"
    assert demo["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert demo["DEBUG"] is False
    assert demo["STATIC"] == "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    # EMAIL_BACKEND in the environment still wins on the demo (an SMTP catcher).
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert (
        settings_of("config.settings.demo", tmp_path, EMAIL_BACKEND=smtp)["EMAIL_BACKEND"] == smtp
    )


SERVE = """
import json, re
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
page = client.get("/une-page-qui-n-existe-pas/")
html = page.content.decode()
css = re.search(r'href="(/static/core/preau[.][0-9a-f]{12}[.]css)"', html).group(1)
served = client.get(css)
print(json.dumps({
    "page": page.status_code,
    "french": "<h1>Page introuvable</h1>" in html,
    "css": served.status_code,
    "cache": served.get("Cache-Control", ""),
    "body": b"".join(served.streaming_content).decode()[:2000],
    "unhashed": client.get("/static/core/preau-absent.css").status_code,
}))
"""


def test_the_demo_collects_its_static_files_and_whitenoise_serves_them_with_debug_off(tmp_path):
    """collectstatic with the manifest storage fails on a file that names one that is not
    there (a source map left in a vendored script did): production's deploy would fail too."""
    result = json.loads(demo_process(SERVE, tmp_path))

    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert result["page"] == 404 and result["french"]
    assert result["css"] == 200
    assert "immutable" in result["cache"]  # a hashed name, cached for good
    assert result["body"] == (ROOT / "preau/core/static/core/preau.css").read_text()[:2000]
    assert result["unhashed"] == 404
