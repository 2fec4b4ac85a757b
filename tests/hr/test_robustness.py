"""An import killed half-way changes nothing; SOFIA's plan goes through the same path."""

import datetime
import io
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from preau.accounts.models import User
from preau.hr import services
from preau.hr.models import HrImport, HrSession, HrTrainee, ImportLock, ImportStatus
from tests import factories
from tests.worker_clock import FOLLOW_SUITE_CLOCK, clock_offset

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads

ROOT = Path(__file__).resolve().parents[2]

STALL = (
    FOLLOW_SUITE_CLOCK
    + """
import django
django.setup()
from preau.hr import services
from preau.hr.models import HrImport

real = services._apply_persons

def stall(plan):
    done = real(plan)  # sessions, people and trainees written, inside the transaction
    print("half-way", flush=True)
    time.sleep(120)
    return done

services._apply_persons = stall
services.apply_import(HrImport.objects.get(pk=int(sys.argv[1])))
"""
)


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_the_database_as_before_and_the_academie_free(
    cast, territory, settings, monkeypatch
):
    """A real worker process applies, beats, is killed mid-apply: nothing changed, the
    académie is importable again once the heartbeat is stale, and the re-run is complete."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that a second process can reach (PostgreSQL)")
    settings.PREAU_HR_HEARTBEAT_STALE_SECONDS = 3
    monkeypatch.setattr(services, "_enqueue_apply", lambda import_id: None)  # our worker
    manager, academie = cast["manager"], territory["academie"]

    def upload():
        return services.build_preview(
            services.start_gaia_import(
                academie=academie,
                uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
                by=manager,
            )
        )

    hr_import = services.confirm_import(hr_import=upload(), by=manager)
    users_before = User.objects.count()
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD']}@{host}/{db['NAME']}"
    process = subprocess.Popen(
        [sys.executable, "-c", STALL, str(hr_import.pk), str(clock_offset())],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PREAU_HR_HEARTBEAT_STALE_SECONDS": "3",
        },
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready and process.stdout.readline().strip() == "half-way"
        time.sleep(4)  # longer than the stale delay: the worker's heartbeat keeps it alive
        hr_import.refresh_from_db()
        assert not services.mark_interrupted(hr_import)
        assert ImportLock.objects.get(academie=academie).holder.endswith(f":{process.pid}")
    finally:
        process.kill()
        process.wait()
        process.stdout.close()

    assert not HrSession.objects.exists()
    assert not HrTrainee.objects.exists()
    assert User.objects.count() == users_before
    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.APPLYING
    for _attempt in range(200):  # stale after 3 s; the killed backend's locks go meanwhile
        if services.mark_interrupted(hr_import):
            break
        time.sleep(0.05)
    assert hr_import.status == ImportStatus.FAILED
    assert "interrompue" in hr_import.refusal

    again = services.confirm_import(hr_import=upload(), by=manager)  # importable again
    assert services.apply_import(again).status == ImportStatus.APPLIED
    assert HrSession.objects.count() == 2
    assert HrTrainee.objects.count() == 4
    assert ImportLock.objects.get(academie=academie).hr_import is None


def sofia_plan(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Dispositif : code",
            "Module : code",
            "Groupe : identifiant",
            "Session",
            "Début",
            "Fin",
            "Modalité",
            "UAI",
            "Lieu",
            "Capacité",
            "Préinscrits",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan_sofia.xlsx", buffer.getvalue())


def sofia_row(session, **overrides):
    row = {
        "dispositif": "26A0700001",
        "module": 12345,
        "group": "01",
        "session": session,
        "start": datetime.date(2026, 10, 5),
        "end": datetime.date(2026, 10, 5),
        "modality": "Hybride",
        "uai": "",
        "place": "Salle des fêtes, Lisieux",
        "capacity": 25,
        "pre": 3,
    }
    row.update(overrides)
    return list(row.values())


def import_sofia(manager, academie, rows):
    hr_import = services.build_preview(
        services.start_sofia_import(academie=academie, upload=sofia_plan(rows), by=manager)
    )
    services.confirm_import(hr_import=hr_import, by=manager)
    return services.apply_import(hr_import)


def test_sofia_plan_creates_sessions_with_capacity_and_is_idempotent(cast, territory):
    manager, academie = cast["manager"], territory["academie"]
    uai = factories.valid_uai(70001)
    rows = [sofia_row("800001", uai=uai), sofia_row("800002", capacity=None)]

    import_sofia(manager, academie, rows)
    session = HrSession.objects.get(session_code="800001")
    assert (session.capacity, session.modality, session.uai) == (25, "Hybride", uai)

    again = services.build_preview(
        services.start_sofia_import(academie=academie, upload=sofia_plan(rows), by=manager)
    )
    summary = again.summary
    assert (summary["sessions_new"], summary["sessions_changed"], summary["sessions_gone"]) == (
        0,
        0,
        0,
    )


def test_sofia_bad_rows_are_reported_and_gaia_keeps_sofias_details(cast, territory, settings):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5  # one row of two
    manager, academie = cast["manager"], territory["academie"]
    hr_import = import_sofia(
        manager,
        academie,
        [
            sofia_row("900001"),
            sofia_row("800009", start=datetime.date(2026, 10, 9), end=datetime.date(2026, 10, 1)),
        ],
    )
    assert [(p.file, p.line) for p in hr_import.problems.all()] == [("sofia", 3)]

    services.confirm_import(
        hr_import=services.build_preview(
            services.start_gaia_import(
                academie=academie,
                uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
                by=manager,
            )
        ),
        by=manager,
    )
    services.apply_import(HrImport.objects.get(status=ImportStatus.APPLYING))

    session = HrSession.objects.get(session_code="900001")
    assert (session.capacity, session.modality) == (25, "Hybride")  # SOFIA's, kept
    assert session.place == "École Jules Ferry, Caen"  # GAIA's, newer


def test_an_analysis_whose_worker_died_is_marked_failed_but_not_a_running_one(cast, territory):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    import psycopg

    hr_import = services.start_gaia_import(
        academie=territory["academie"],
        uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
        by=cast["manager"],
    )
    HrImport.objects.filter(pk=hr_import.pk).update(status=ImportStatus.PREVIEWING)
    hr_import.refresh_from_db()
    db = connection.settings_dict
    worker = psycopg.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432, autocommit=True,
    )  # fmt: skip
    try:
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [services.LOCK_SPACE, hr_import.pk])
        assert not services.mark_interrupted(hr_import)  # the worker is alive
    finally:
        worker.close()  # the worker dies: its lock goes with its connection

    # The server ends the closed connection's backend, and frees its locks, a moment later.
    for _attempt in range(100):
        if services.mark_interrupted(hr_import):
            break
        time.sleep(0.05)
    assert hr_import.status == ImportStatus.FAILED
    assert hr_import.status == ImportStatus.FAILED
    assert "interrompue" in hr_import.refusal


def test_a_sofia_plan_after_gaia_keeps_gaias_titles_and_times_and_neither_retires_the_other(
    cast, territory
):
    manager, academie = cast["manager"], territory["academie"]
    gaia = services.build_preview(
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
    )
    services.confirm_import(hr_import=gaia, by=manager)
    services.apply_import(gaia)

    sofia = import_sofia(manager, academie, [sofia_row("900001", capacity=18)])

    assert sofia.summary["sessions_changed"] == 1
    assert sofia.summary["sessions_gone"] == 0  # 900002 is GAIA's: SOFIA does not retire it
    session = HrSession.objects.get(session_code="900001")
    assert session.module_title == "Lecture à voix haute et fluence"
    assert str(session.start_time) == "09:00:00"
    assert (session.capacity, session.place) == (18, "Salle des fêtes, Lisieux")
    again = services.build_preview(
        services.start_sofia_import(
            academie=academie, upload=sofia_plan([sofia_row("900001", capacity=18)]), by=manager
        )
    )
    assert again.summary["sessions_changed"] == 0
