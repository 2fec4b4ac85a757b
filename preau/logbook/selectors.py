"""Reads of the logbook: a person's own entries (searched, paginated), the entries shared with a
session's trainers, and a selection for the portfolio."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from preau.core.search import SearchTerms, by_name, words_filter

from .access import shared_with_trainers_of
from .models import PAGE_SIZE, Attachment, Entry


def _with_details(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.select_related("session", "section").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )


def own_entries(user, terms: SearchTerms | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.of(user)
    if terms:
        entries = entries.filter(words_filter(terms, "title", "text"))
    return _with_details(entries).order_by("-written_on", "-pk")


def page_of(entries: QuerySet, number: int) -> Page:
    return Paginator(entries, PAGE_SIZE).get_page(number)


def shared_with_session(session) -> QuerySet[Entry]:
    return (
        _with_details(shared_with_trainers_of(session))
        .select_related("owner")
        .order_by(*by_name("owner__"), "-written_on", "-pk")
    )


def portfolio(user, ids: set[int] | None) -> QuerySet[Entry]:
    """The whole logbook, or the entries chosen (others' ids designate nothing), oldest first:
    a portfolio reads as a story."""
    entries = Entry.objects.of(user)
    if ids is not None:
        entries = entries.filter(pk__in=ids)
    return _with_details(entries).order_by("written_on", "pk")
