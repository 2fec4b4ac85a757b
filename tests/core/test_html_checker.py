"""The Nu HTML Checker helper that the browser journeys run on every page they load: it must
find real errors, say on which page and line, and stay quiet on valid HTML."""

import os

import pytest

from tests.html_checker import JAVA, MISSING_JAVA, check_documents

VALID = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Préau</title></head>
<body><main><p>Bonjour <time datetime="2026-12-07T10:00:00+01:00">lundi</time></p></main></body>
</html>
"""

# Each line a mistake the templates once made: django-dsfr's attribute on radios, microseconds
# in a datetime, a form inside a span, a paragraph inside a paragraph.
INVALID = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Préau</title></head>
<body><main>
<input type="radio" name="role" value="trainer" dsfr id="id_role_0">
<time datetime="2026-12-07T10:04:54.578476+01:00">lundi</time>
<span><form method="post"><button>Monter</button></form></span>
<p>Un <p>deux</p></p>
</main></body>
</html>
"""


@pytest.fixture
def java():
    if JAVA is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {MISSING_JAVA}", pytrace=False)
        pytest.skip(MISSING_JAVA)


def test_the_checker_reports_each_error_with_its_page_and_line_and_none_on_valid_html(java):
    # One run for both documents: the checker takes seconds to start.
    errors = check_documents({"/valide/": VALID, "/invalide/": INVALID})

    assert {error.page for error in errors} == {"/invalide/"}
    found = {(error.line, error.message.split(" ")[0]) for error in errors}
    assert (5, "Attribute") in found  # dsfr on the radio
    assert (6, "Bad") in found  # the microseconds
    assert (7, "Element") in found  # the form in a span
    assert any(error.line == 8 for error in errors)  # the paragraph in a paragraph
    assert "dsfr" in next(str(error) for error in errors if error.line == 5)


def test_the_checker_has_nothing_to_do_without_documents():
    assert check_documents({}) == []
