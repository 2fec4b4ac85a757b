"""The landing and privacy pages promise only what the code does (issue 12)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_BUILT = ["auto-positionnement", "carnet de bord", "questionnaire"]


@pytest.mark.parametrize("url", ["/", "/donnees-personnelles/"])
def test_the_public_pages_promise_nothing_that_is_not_built(client, db, url):
    page = client.get(url).content.decode().lower()

    for feature in NOT_BUILT:
        assert feature not in page


def test_the_privacy_page_says_the_sign_in_day_is_kept_and_the_ien_sees_attendance(client, db):
    page = client.get("/donnees-personnelles/").content.decode()

    assert "Le jour de votre dernière connexion, sans l’heure." in page
    assert "Votre IEN voit vos inscriptions, vos présences aux réunions en présence" in page


def test_the_server_as_started_by_the_project_keeps_no_access_log():
    """gunicorn's access log would date every sign-in to the second."""
    commands = [ROOT / "bin" / "run", ROOT / "docs" / "deployment.md"]
    for path in commands:
        text = path.read_text()
        gunicorn_lines = re.findall(r"gunicorn config\.wsgi:application[^\n]*(?:\\\n[^\n]*)*", text)
        assert gunicorn_lines, path
        for line in gunicorn_lines:
            assert "--access-logfile" not in line and "--access-log" not in line, path
