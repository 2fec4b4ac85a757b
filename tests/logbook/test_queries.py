"""Logbook pages run a fixed number of queries, whatever the number of entries and people."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from preau.logbook.models import Attachment, Entry
from preau.training.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

# The teacher's logbook, a page of 20 entries:
LOGBOOK_QUERIES = [
    "the sign-in session",
    "the user",
    "the entry count (pagination)",
    "the page of entries with their session and step",
    "the attachments of those entries",
    "the viewer's roles (the site menu)",
    "unread notifications of the person (the bell in the header)",
]

# A session's shared entries, for its trainer:
SHARED_QUERIES = [
    "the sign-in session",
    "the user",
    "the session, among those the viewer is a trainer of",
    "the shared entry count (pagination)",
    "the page of shared entries with their authors, session and step",
    "the attachments of those entries",
    "the viewer's roles (the site menu)",
    "unread notifications of the person (the bell in the header)",
]


def _entries(owner, session, section, n: int, shared=False) -> None:
    entries = Entry.objects.bulk_create(
        Entry(
            owner=owner,
            title=f"Entrée {i}",
            body=f"<p>Texte {i}</p>",
            text=f"Texte {i}",
            session=session,
            section=section if i % 2 else None,
            shared=shared,
        )
        for i in range(n)
    )
    for entry in entries[:3]:
        Attachment.objects.create(entry=entry, file=ContentFile(b"x", name="a.txt"))


def _check(client, count_queries, url, queries):
    with count_queries() as ran:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ran) == len(queries), ran.sql()


def test_the_logbook_runs_the_same_queries_with_ten_times_more_entries_and_people(
    client, room, territory, count_queries
):
    client.force_login(room["teacher"])
    url = reverse("logbook:list")
    for factor in (1, 10):
        _entries(room["teacher"], room["session"], room["section"], 25 * factor)
        _entries(room["classmate"], room["session"], room["section"], 10 * factor)
        if factor == 10:
            factories.grow(territory, factor=10)
        _check(client, count_queries, url, LOGBOOK_QUERIES)
        _check(client, count_queries, url + "?q=texte&page=2", LOGBOOK_QUERIES)


def test_the_shared_entries_page_runs_the_same_queries_with_ten_times_more(
    client, room, territory, count_queries
):
    client.force_login(room["trainer"])
    url = reverse("logbook:session_shared", args=[room["session"].pk])
    for factor in (1, 10):
        people = factories.teachers_at(room["teacher"].school, 5 * factor)
        Enrolment.objects.bulk_create(Enrolment(session=room["session"], user=p) for p in people)
        for person in people:
            _entries(person, room["session"], room["section"], 3, shared=True)
        _check(client, count_queries, url, SHARED_QUERIES)
