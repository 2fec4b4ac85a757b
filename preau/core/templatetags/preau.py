import difflib
import weakref

from django import template
from django.conf import settings
from django.template import RequestContext
from django.utils import translation

from preau.core.numbers import format_hours, french_number

register = template.Library()


@register.filter
def hours(value) -> str:
    """13.5 → « 13 h 30 », 18 → « 18 h »: core.numbers.format_hours, for templates."""
    if value is None or value == "":
        return ""
    return format_hours(value)


@register.filter
def number(value, places=2) -> str:
    """12.5 → « 12,5 »: core.numbers.french_number, for templates (`|number:1`)."""
    if value is None or value == "":
        return ""
    return french_number(value, int(places))


class RenderedOnceChanged(Exception):
    """What a {% rendered_once %} block renders changed within the process: it depends on the
    request, the person or the data, and the first rendering would be served to everybody."""


_nodes: "weakref.WeakSet[RenderedOnceNode]" = weakref.WeakSet()


def forget_rendered() -> None:
    """Drops every text kept by {% rendered_once %}, as a new process would start: the tests
    call it before each test, so that what a test sees was rendered for it."""
    for node in list(_nodes):
        node.rendered.clear()


class RenderedOnceNode(template.Node):
    """Renders its content the first time, then serves that text again (one copy per language)
    for the life of the process.

    With settings.PREAU_CHECK_RENDERED_ONCE (the test settings), every later rendering is done
    again and compared: a block that depends on the person fails the suite the first time two
    people see it, instead of serving the first one's text to the second."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[str, str] = {}
        _nodes.add(self)

    def render(self, context) -> str:
        if not isinstance(context, RequestContext):
            # Rendered outside a request (a PDF, an e-mail): the site-wide values that the
            # context processors give may be missing; render it, keep nothing.
            return self.nodelist.render(context)
        language = translation.get_language() or ""
        text = self.rendered.get(language)
        if text is None:
            text = self.rendered[language] = self.nodelist.render(context)
        elif getattr(settings, "PREAU_CHECK_RENDERED_ONCE", False):
            fresh = self.nodelist.render(context)
            if fresh != text:
                diff = "\n".join(
                    difflib.unified_diff(
                        text.splitlines(), fresh.splitlines(), "kept", "now", lineterm=""
                    )
                )
                raise RenderedOnceChanged(
                    "A {% rendered_once %} block rendered differently for this request:\n" + diff
                )
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
