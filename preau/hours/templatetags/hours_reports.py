from django import template

from ..report_access import can_use_reports

register = template.Library()


@register.filter
def may_use_hours_reports(user) -> bool:
    """{% if request.user|may_use_hours_reports %}: the link to the yearly hours report, for
    those who may ask for one (from the roles loaded once per request: no query)."""
    return can_use_reports(user)
