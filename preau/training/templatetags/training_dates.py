"""Dates and times of sessions, meetings and windows, as Django's `date` and `time` filters
write them, remembered once written.

A page of the offre de formation writes some sixty dates ("16 décembre 2026", "mercredi 16
décembre 2026") and thirty times; Django formats each again, through the translation of the
month and day names: ≈ 55 µs a date, a tenth of the page's rendering (issue #7). The text
depends only on the value, the format and the language, so it is kept (a few thousand
distinct days at most)."""

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.utils import translation

register = template.Library()


@lru_cache(maxsize=4096)
def _written(value, fmt: str, language: str) -> str:
    if isinstance(value, datetime.time):
        return time_filter(value, fmt)
    return date_filter(value, fmt)


@register.filter(expects_localtime=True)
def day(value, fmt: str) -> str:
    """`{{ meeting.date|day:"l j F Y" }}`: the same text as `|date:"l j F Y"`, for a date.
    Date-times go through `|date` as they are: they depend on the time zone."""
    if type(value) is not datetime.date:
        return date_filter(value, fmt)
    return _written(value, fmt, translation.get_language())


@register.filter(expects_localtime=True)
def clock(value, fmt: str) -> str:
    """`{{ meeting.start_time|clock:"H:i" }}`: the same text as `|time:"H:i"`, for a time."""
    if type(value) is not datetime.time or value.tzinfo is not None:
        return time_filter(value, fmt)
    return _written(value, fmt, translation.get_language())
