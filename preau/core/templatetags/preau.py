from decimal import Decimal

from django import template

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
