from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The bell's count for the person signed in (one query per request, cached on it)."""
    request = context.get("request")
    return selectors.unread_count(request) if request is not None else 0
