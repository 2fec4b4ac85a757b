from django import template
from django.template import RequestContext
from django.utils import translation

from preau.core.numbers import french_number
from preau.hours.rules import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """13.5 → « 13 h 30 », 18 → « 18 h »: rules.format_hours, for templates."""
    if value is None or value == "":
        return ""
    return format_hours(value)


@register.filter
def number(value, places=2) -> str:
    """12.5 → « 12,5 »: core.numbers.french_number, for templates (`|number:1`)."""
    if value is None or value == "":
        return ""
    return french_number(value, int(places))


class RenderedOnceNode(template.Node):
    """Renders its content the first time, then serves that text again (one copy per language)
    for the life of the process."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[str, str] = {}

    def render(self, context) -> str:
        if not isinstance(context, RequestContext):
            # Rendered outside a request (a PDF, an e-mail): the site-wide values that the
            # context processors give may be missing; render it, keep nothing.
            return self.nodelist.render(context)
        language = translation.get_language() or ""
        text = self.rendered.get(language)
        if text is None:
            text = self.rendered[language] = self.nodelist.render(context)
        return text


@register.tag
def rendered_once(parser, token):
    """{% rendered_once %}…{% endrendered_once %}: for markup that is the same for every
    request and every person while the process runs (links to static files, the footer). It
    saves rendering those templates on each page (docs/performance.md, issue 7). Never put
    anything inside that depends on the request, the person or the data: it would be served to
    everybody as first rendered."""
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(nodelist)
