from decimal import Decimal

from django import template
from django.template import RequestContext
from django.utils import translation

register = template.Library()


@register.filter
def hours(value) -> str:
    """13.5 → « 13 h 30 », 18 → « 18 h »: how French people write durations."""
    if value is None or value == "":
        return ""
    minutes = round(Decimal(str(value)) * 60)
    sign = "−" if minutes < 0 else ""
    whole, rest = divmod(abs(minutes), 60)
    return f"{sign}{whole} h {rest:02d}" if rest else f"{sign}{whole} h"


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
