"""A yearly hours report whose worker is killed mid-task is marked failed with a clear French
message once its heartbeat stops, never left as a progress bar stuck for good, and nothing
of it is written (no file, no figures); a disk full while writing its files says so."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from preau.core import progress
from preau.core.storage import DiskFull
from preau.hours import report as reports
from preau.hours.models import HoursReport, ReportStatus
from preau.hours.rules import school_year_of
from tests.disk import small_disk
from tests.worker_clock import FOLLOW_SUITE_CLOCK, clock_offset

YEAR = school_year_of(timezone.localdate()) - 1
REPORTS = reverse("hours:reports")
BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _no_beat_left_by_another_test():
    cache.clear()
    yield
    cache.clear()


def running(cast, started_at):
    report = reports.request_report(
        by=cast["admin"], academie=None, school_year=YEAR, background=False
    )
    HoursReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=started_at
    )
    report.refresh_from_db()
    return report


def test_a_report_whose_heartbeat_stopped_is_marked_failed_with_what_to_do(
    client, cast, territory, settings
):
    settings.PREAU_HOURS_REPORT_STALE_SECONDS = 60
    start = timezone.now()
    report = running(cast, start)
    progress.beat(reports.PROGRESS, report.pk)  # the worker was alive at the start
    reports.set_progress(report.pk, percent=40, label="Calvados")  # its bar is still cached

    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        assert not reports.mark_interrupted(report)  # a beat 30 s ago: alive
    client.force_login(cast["admin"])
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        page = client.get(REPORTS).content.decode()

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("Le calcul a été interrompu")
    assert "Demandez de nouveau le rapport" in page
    assert not report.csv_file and not report.xlsx_file
    assert reports.progress_of([report]) == {}  # the bar is gone with it
    reports.request_report(by=cast["admin"], academie=None, school_year=YEAR, background=False)


def test_a_long_step_with_a_living_heartbeat_is_not_taken_for_dead(cast, territory, settings):
    settings.PREAU_HOURS_REPORT_STALE_SECONDS = 60
    report = running(cast, timezone.now() - datetime.timedelta(hours=1))  # no progress since

    progress.beat(reports.PROGRESS, report.pk)

    assert not reports.mark_interrupted(report)
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING


def test_the_heartbeat_beats_while_the_job_runs_and_is_forgotten_after():
    with progress.Heartbeat("test-job", 7, every=0.05):
        first = progress.last_beat("test-job", 7)
        time.sleep(0.2)
        assert progress.last_beat("test-job", 7) > first
    assert progress.last_beat("test-job", 7) is None


def test_a_disk_full_while_writing_the_files_fails_the_report_with_that_reason(cast, territory):
    report = reports.request_report(
        by=cast["admin"], academie=None, school_year=YEAR, background=False
    )

    with small_disk(room=100), pytest.raises(DiskFull):
        reports.build_report(report)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "plus assez d’espace disque" in report.error
    assert not report.csv_file and not report.xlsx_file
    assert [p for p in Path(django_settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


# A real worker, killed ---------------------------------------------------------------------

WORKER = (
    FOLLOW_SUITE_CLOCK
    + """
import django
django.setup()
from preau.hours import report
compute = report.departement_figures
def slow(*args):
    figures = compute(*args)
    print("computing", flush=True)
    time.sleep(120)  # killed here
    return figures
report.departement_figures = slow
from preau.hours.models import HoursReport
report.build_report(HoursReport.objects.get(pk=int(sys.argv[1])))
"""
)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="the worker process needs a database it can share (the SQLite test one is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_it_failed_and_nothing_written(
    cast, territory, settings, tmp_path
):
    # The worker and this test share a file cache (heartbeat, progress) and the test database.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.PREAU_HOURS_REPORT_STALE_SECONDS = 2
    report = reports.request_report(
        by=cast["admin"], academie=None, school_year=YEAR, background=False
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "PREAU_VAR_DIR": str(tmp_path),  # its file cache: tmp_path/cache
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PREAU_HOURS_REPORT_STALE_SECONDS": "2",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(report.pk), str(clock_offset())],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "computing"  # mid-task, first département
        report.refresh_from_db()
        assert report.status == ReportStatus.RUNNING
        time.sleep(2.5)
        assert not reports.mark_interrupted(report)  # its heartbeat goes on past 2 s
        assert reports.progress_of([report])  # its bar shows
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        worker.stdout.close()

    time.sleep(2.5)  # no heartbeat any more
    assert reports.mark_interrupted(report)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "interrompu" in report.error
    assert not report.csv_file and not report.xlsx_file and report.row_count is None
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    assert reports.progress_of([report]) == {}
