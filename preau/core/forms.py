"""The form renderer of the whole site."""

from pathlib import Path

import dsfr
from django import forms
from django.utils.functional import cached_property
from dsfr.forms import DsfrDjangoTemplates

# Widget templates of our own, found before django-dsfr's and Django's.
FORM_TEMPLATES = Path(__file__).resolve().parent / "form_templates"


class DsfrFormRenderer(DsfrDjangoTemplates):
    """django-dsfr's own form template engine, built once per process.

    Left to itself, DsfrBaseForm instantiates that renderer for every form, so every form
    builds a new template engine and parses its field templates again (≈2.5 ms a form page,
    docs/performance.md). Named in FORM_RENDERER, Django keeps one instance
    (get_default_renderer is cached), and DsfrBaseForm uses it: same templates, parsed once.

    Our form_templates come first: django-dsfr marks radio and checkbox widgets with a `dsfr`
    attribute for its own templates, which Django's attrs.html would print on every <input>
    (not valid HTML); ours leaves it out."""

    @cached_property
    def engine(self):
        # DsfrDjangoTemplates.engine, with FORM_TEMPLATES first.
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    FORM_TEMPLATES,
                    Path(dsfr.__file__).resolve().parent / self.backend.app_dirname,
                    Path(forms.__file__).resolve().parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
