"""Private content never leaks: every GET page of the URLconf (the rows of the access matrix,
exports and PDFs included) and every page of the Django admin is visited as each role of the
cast, and each private marker planted in the world (tests/core/private_markers.py) may appear
only in the answers to those it is meant for.

The roles: the author (Camille, a participant of the session), another participant of the same
session, its trainer and tutor, the IEN and the pilot team of its territory, a designer, a
reviewer, the editorial committee, an academic manager, an administrator (role), a person with
no role and a superuser of the technical admin. The private content: the logbook's entries
(shared and not), a self-positioning answer and an anonymous satisfaction comment
(tests/core/private_markers.py). Each page is
visited as is, and list pages again with a marker as their search (`?q=`): a search box that
looked into private content would show it.

What is read of an answer: its HTML or text; a file's bytes; an xlsx's sheets; a PDF's HTML
source (WeasyPrint compresses the PDF itself: the HTML it is drawn from is recorded instead).

Positive controls keep the walk honest: the author does see every marker somewhere, the
session's trainer sees the shared ones; a walk that reached nothing would fail.
"""

import io
import warnings
import zipfile

import pytest
from django.contrib import admin
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.deprecation import RemovedInDjango60Warning

from tests import factories

from .test_access_matrix import ACCESS, ARGS
from .world import build_world

pytestmark = pytest.mark.django_db

ROLES = [
    "teacher",
    "classmate",
    "trainer",
    "tutor",
    "ien",
    "pilot",
    "designer",
    "reviewer",
    "editorial",
    "manager",
    "admin",
    "nobody",
    "superuser",
]


@pytest.fixture
def pdf_sources(monkeypatch):
    """The HTML of every PDF drawn during the test (preau/training/pdf.py's render_pdf imports
    weasyprint.HTML when called)."""
    import weasyprint

    sources: list[str] = []

    class Recording(weasyprint.HTML):
        def __init__(self, *args, string=None, **kwargs):
            sources.append(string or "")
            super().__init__(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Recording)
    return sources


@pytest.fixture
def walk_world(cast, territory):
    world = build_world(cast, territory) | {"territory": territory}
    people = {**cast, "classmate": world["other_enrolment"].user}
    people["superuser"] = factories.UserFactory(is_staff=True, is_superuser=True)
    return world, people


def _text(response, pdf_sources: list[str], before: int) -> str:
    if response.streaming:
        body = b"".join(response.streaming_content)
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    else:
        body = response.content
    text = body.decode("utf-8", "replace")
    if body.startswith(b"PK"):  # an xlsx: its sheets and shared strings
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                text += " ".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
        except zipfile.BadZipFile:  # the world's stand-in report file is two bytes
            pass
    if response.get("Content-Type", "").startswith("application/pdf"):
        text += " ".join(pdf_sources[before:])
    return text


def _get(person, url: str, pdf_sources: list[str]) -> tuple[int, str]:
    client = Client()
    client.force_login(person)
    with transaction.atomic(), warnings.catch_warnings():
        # Third-party models' admin forms (django-dsfr's, django-axes') have URL fields that
        # warn about Django 6's default scheme: not this test's business.
        warnings.simplefilter("ignore", RemovedInDjango60Warning)
        before = len(pdf_sources)
        response = client.get(url)
        text = _text(response, pdf_sources, before)
        transaction.set_rollback(True)
    return response.status_code, text


def _pages(world) -> list[str]:
    return [
        reverse(name, args=ARGS[row.args](world))
        for name, row in ACCESS.items()
        if row.method == "GET"
    ] + world.get("private_urls", [])


def _admin_pages(world) -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse("admin:app_list", args=[opts.app_label]))
        for view in ("changelist", "add"):
            try:
                pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}"))
            except NoReverseMatch:
                continue
        for pk in model._default_manager.values_list("pk", flat=True)[:3]:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
    return sorted(set(pages))


def test_the_private_markers_appear_only_to_whom_they_are_meant_for(walk_world, pdf_sources):
    world, people = walk_world
    markers = world["private_markers"]
    pages = _pages(world)
    admin_pages = _admin_pages(world)
    leaks, seen = [], {(m.text, role): False for m in markers for role in ROLES}
    visits = 0
    for role in ROLES:
        person = people[role]
        urls = pages + (admin_pages if role == "superuser" else [])
        for url in urls:
            try:
                status, text = _get(person, url, pdf_sources)
            except Exception as error:
                raise AssertionError(f"GET {url} as {role}") from error
            visits += 1
            texts = [(url, text)]
            if status == 200 and "?" not in url and "<input" in text and 'name="q"' in text:
                for word in sorted({m.search for m in markers if m.search}):
                    searched = f"{url}?q={word}"
                    texts.append((searched, _get(person, searched, pdf_sources)[1]))
                    visits += 1
            for where, body in texts:
                for marker in markers:
                    if marker.text not in body:
                        continue
                    seen[(marker.text, role)] = True
                    if role != marker.owner and role not in marker.seen_by:
                        leaks.append(f"{marker.what} ({marker.text}) shown to {role} at {where}")
    assert not leaks, "\n".join(leaks)
    # The walk reached the content: its author sees every marker, the trainer the shared ones.
    for marker in markers:
        if marker.owner_must_see:
            assert seen[(marker.text, marker.owner)], f"{marker.what}: never seen by its author"
        for role in marker.seen_by:
            assert seen[(marker.text, role)], f"{marker.what}: never seen by {role}"
    assert visits > len(ROLES) * 100, visits


def test_the_logbook_is_not_in_the_admin():
    from preau.logbook.models import Attachment, Entry

    assert not admin.site.is_registered(Entry)
    assert not admin.site.is_registered(Attachment)
    # Nor as an inline of another model's page.
    for model_admin in admin.site._registry.values():
        assert all(inline.model not in {Entry, Attachment} for inline in model_admin.inlines)
