"""French plural forms: 0 and 1 take the singular (« 0 étape sur 3 »), from the catalogue
that bin/update-plurals writes (locale/fr/LC_MESSAGES)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("n", "text"), [(0, "0 absence"), (1, "1 absence"), (2, "2 absences")])
def test_a_message_takes_the_singular_for_0_and_1_as_in_french(n, text):
    with translation.override("fr"):
        assert ngettext("%(n)s absence", "%(n)s absences", n) % {"n": n} == text


def test_a_template_count_takes_the_singular_for_0():
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n with total=3 %}{{ n }} étape sur {{ total }}"
        "{% plural %}{{ n }} étapes sur {{ total }}{% endblocktranslate %}"
    )

    with translation.override("fr"):
        assert template.render(Context({"n": 0})) == "0 étape sur 3"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_plural_catalogue_holds_every_plural_message_of_the_code():
    """Fails when a new ngettext or blocktranslate count was added without running
    bin/update-plurals (it would print « 0 … » in English's plural)."""
    result = subprocess.run(
        [str(ROOT / "bin" / "update-plurals"), "--check"], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
