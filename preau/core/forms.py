"""The form renderer of the whole site."""

from dsfr.forms import DsfrDjangoTemplates


class DsfrFormRenderer(DsfrDjangoTemplates):
    """django-dsfr's own form template engine, built once per process.

    Left to itself, DsfrBaseForm instantiates that renderer for every form, so every form
    builds a new template engine and parses its field templates again (≈2.5 ms a form page,
    docs/performance.md). Named in FORM_RENDERER, Django keeps one instance
    (get_default_renderer is cached), and DsfrBaseForm uses it: same templates, parsed once."""
