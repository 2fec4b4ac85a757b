"""The yearly hours report journey (« Rapport des heures »), through the UI: an academic manager
of Normandie opens the page from the main menu, asks for the report of their académie for the
current school year, watches its progress bar while the worker computes it département by
département, finds the finished report in the list and downloads its CSV, which holds Caen
Nord's teachers. A teacher neither sees the menu entry nor opens the page. axe-core checks the
page empty, in preparation and with its files.

Tasks are queued, not run (DummyBackend), so that the page shows its progress bar; the test
plays the worker's part: it builds the report, and while the worker reports its progress after
a département, the test watches the bar move."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.hours import report as reports
from preau.hours import services
from preau.hours.models import HoursReport, Kind, ReportStatus
from preau.hours.rules import school_year_bounds, school_year_label, school_year_of
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

YEAR = school_year_of(timezone.localdate())  # the current school year, the form's first choice
REPORTS = "/heures/rapports/"


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _no_progress_left_by_another_test():
    """Progress lives in the cache, which outlives each test (and its reused ids)."""
    cache.clear()
    yield
    cache.clear()


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu principal")


@pytest.fixture
def teachers(territory, cast):
    """Caen Nord: the cast's teacher (no hours) and three more with hours of the current year;
    Bayeux: one teacher. Written through the services, so that the yearly totals are right."""
    first_day = school_year_bounds(YEAR)[0]  # 1 September: in the year, never in the future
    caen = [
        factories.teacher(school=territory["caen_school"], last_name=name)
        for name in ("Arnaud", "Bernard", "Chevalier")
    ]
    bayeux = factories.teacher(school=territory["bayeux_school"], last_name="Dubois")
    services.record_animation(
        by=cast["ien"],
        circonscription=territory["caen"],
        title="Conférence pédagogique",
        date=first_day,
        presence_hours=Decimal(3),
        attendees=caen,
    )
    services.correct(
        by=cast["ien"],
        teacher=caen[0],
        school_year=YEAR,
        date=first_day,
        kind=Kind.TRAINING,
        presence_hours=Decimal(6),
        distance_hours=Decimal(3),
        reason="Stage suivi hors de Préau (attestation transmise).",
    )
    services.record_animation(
        by=cast["other_ien"],
        circonscription=territory["bayeux"],
        title="Conférence pédagogique",
        date=first_day,
        presence_hours=Decimal(3),
        attendees=[bayeux],
    )
    return {"caen": [cast["teacher"], *caen], "bayeux": [bayeux]}


def test_a_manager_prepares_and_downloads_the_report_of_their_academie(
    page: Page, territory, cast, teachers, queued_tasks
):
    manager = factories.with_role(
        Role.ACADEMIC_MANAGER,
        academie=territory["academie"],
        user=factories.UserFactory(first_name="Mathilde", last_name="Roussel"),
    )

    sign_in(page, manager.email, PASSWORD)
    menu(page).get_by_role("link", name="Rapport des heures").click()
    expect(page).to_have_url(re.compile(re.escape(REPORTS) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport annuel des heures")
    expect(page.get_by_text("Aucun rapport pour l’instant")).to_be_visible()
    check_accessibility(page)

    # The current school year comes first; the scope offers Normandie only (no national report).
    page.get_by_label("Année scolaire").select_option(label=school_year_label(YEAR))
    scope = page.get_by_label("Périmètre")
    expect(scope.get_by_role("option")).to_have_count(1)
    scope.select_option(label="Académie de Normandie")
    page.get_by_role("button", name="Préparer le rapport").click()

    # Asked, queued: no worker has taken it yet, the bar stays at 0.
    expect(
        page.get_by_role("status").filter(
            has_text=f"Rapport {school_year_label(YEAR)} (Académie de Normandie) demandé"
        )
    ).to_be_visible()
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_text("en attente d’un processus de calcul")).to_be_visible()
    check_accessibility(page)
    report = HoursReport.objects.get()
    assert (report.academie, report.school_year, report.requested_by) == (
        territory["academie"],
        YEAR,
        manager,
    )
    assert report.status == ReportStatus.QUEUED

    # The worker builds it (as tasks.build_hours_report does), reporting after each
    # département through reports.set_progress: halfway through Normandie's two départements,
    # the page (htmx polling) moves the bar and names the département being counted.
    seen = []

    def watch(done: int, total: int, label: str) -> None:
        if done == 1:
            expect(bar).to_have_attribute("value", "50")
            expect(page.get_by_text(re.compile(r"calcul en cours\s+— Manche"))).to_be_visible()
            check_accessibility(page)
        seen.append((done, total, label))

    reports.build_report(report, progress=watch)
    assert report.status == ReportStatus.DONE, report.error
    assert seen == [(0, 2, "Calvados (014)"), (1, 2, "Manche (050)"), (2, 2, "")]

    # Done: the polling reloads the whole page, which lists the report with its files.
    done = page.get_by_role("table", name="Rapports demandés").get_by_role("row").nth(1)
    expect(done).to_contain_text("Prêt")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(done).to_contain_text(school_year_label(YEAR))
    expect(done).to_contain_text("Académie de Normandie")
    expect(done).to_contain_text("Mathilde Roussel")
    expect(done.get_by_role("link", name="CSV")).to_be_visible()
    expect(done.get_by_role("link", name="Tableur .xlsx")).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as download_info:
        done.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == (f"rapport-heures-{school_year_label(YEAR)}-A070.csv")
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads accents
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert lines[0][:7] == [
        "Code académie",
        "Académie",
        "Code département",
        "Département",
        "Code circonscription",
        "Circonscription",
        "Enseignants",
    ]
    rows = {line[5]: line for line in lines[1:]}
    assert list(rows) == ["Bayeux", "Caen Nord", "Saint-Lô"]
    caen = rows["Caen Nord"]
    assert caen[:4] == ["A070", "Normandie", "014", "Calvados"]
    assert caen[4] == territory["caen"].code
    assert int(caen[6]) == len(teachers["caen"]) == 4
    assert int(rows["Bayeux"][6]) == len(teachers["bayeux"]) == 1
    assert int(rows["Saint-Lô"][6]) == 0


def test_a_teacher_has_no_report_entry_and_is_refused_the_page(page: Page, cast):
    sign_in(page, cast["teacher"].email, PASSWORD)
    expect(menu(page).get_by_role("link", name="Mes 18 heures")).to_be_visible()
    expect(menu(page).get_by_role("link", name="Rapport des heures")).to_have_count(0)

    # The page fixture fails the test on any answer ≥ 400: read this one by hand.
    response = page.request.get(REPORTS, max_redirects=0)
    assert response.status == 403
