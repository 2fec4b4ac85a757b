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
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook

from preau.accounts.models import User
from preau.hr import services
from preau.hr.models import (
    HrImport,
    HrSession,
    HrTrainee,
    HrTrainer,
    ImportLock,
    ImportStatus,
)
from preau.training.models import Enrolment, SessionStaff
from tests import factories
from tests.shared_database import database_for_a_second_process
from tests.worker_clock import FOLLOW_SUITE_CLOCK, clock_offset

from .gaia_files import (
    FORMATIONS,
    TRAINEES,
    TRAINERS,
    encode,
    formation,
    gaia_uploads,
    trainee,
    trainer,
)

ROOT = Path(__file__).resolve().parents[2]

# The worker's work, stopped half-way: sessions, placeholder accounts, trainers and trainees
# written inside the apply's transaction, the linked sessions not yet followed.
STALL = """
import django
django.setup()
from preau.hr import services

real = services._apply_persons

def stall(plan):
    done = real(plan)
    print("half-way", flush=True)
    time.sleep(120)
    return done

services._apply_persons = stall
"""
# A worker of the task queue: applies the import confirmed on the page.
WORKER = (
    FOLLOW_SUITE_CLOCK
    + STALL
    + """
from preau.hr.models import HrImport
services.apply_import(HrImport.objects.get(pk=int(sys.argv[1])))
"""
)
# The scheduled pick-up, `manage.py gaia_import DIR --academie A070 --apply`, through Django's
# command line; no task worker runs (the task it queues waits), so the command applies itself.
COMMAND = (
    FOLLOW_SUITE_CLOCK
    + STALL
    + """
from django.core.management import execute_from_command_line
command = ["manage.py", "gaia_import", sys.argv[1], "--academie", "A070", "--apply"]
execute_from_command_line(command)
"""
)

# Day 1 and day 2 of the académie. Day 2 changes a session's place, retires a session, adds
# one; removes three trainees (two with the retired session), adds three (one unknown to
# Préau: a placeholder account), adds a trainer.
DAY_1, DAY_2 = "20260915", "20260916"
FORMATIONS_2 = [
    formation("900001", place="Salle polyvalente, Caen"),
    formation("900003", group="03", start="19/10/2026", end="19/10/2026"),
]
TRAINERS_2 = [*TRAINERS, trainer("12345", "Durand", "Paul", "paul.durand@ac-normandie.fr")]
TRAINEES_2 = [
    trainee("900001", "Cœurdevey", "François", "francois.coeurdevey@ac-normandie.fr"),
    trainee("900001", "Martin", "Léa", "lea.martin@ac-normandie.fr"),
    trainee("900003", "Nguyen", "Noah", "noah.nguyen@ac-normandie.fr"),
    trainee("900003", "Roux", "Chloé", "chloe.roux@ac-normandie.fr"),
]


def picture(but=None) -> dict:
    """Every row an apply writes or removes, as plain values; the imports but `but` (the
    one applying)."""
    return {
        "sessions": sorted(
            HrSession.objects.values_list(
                "session_code", "place", "starts_on", "gone_since", "module_title"
            )
        ),
        "trainers": sorted(
            HrTrainer.objects.values_list("module_code", "email", "last_name", "user_id")
        ),
        "trainees": sorted(
            HrTrainee.objects.values_list(
                "hr_session__session_code", "email", "first_name", "last_name", "user_id"
            )
        ),
        "users": sorted(User.objects.values_list("pk", "email", "is_placeholder")),
        "enrolments": sorted(Enrolment.objects.values_list("session_id", "user_id", "status")),
        "staff": sorted(SessionStaff.objects.values_list("session_id", "user_id", "role")),
        "imports": sorted(
            HrImport.objects.exclude(pk=getattr(but, "pk", None)).values_list(
                "pk", "status", "applied_at", "summary"
            )
        ),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("killed", ["worker", "command"])
def test_an_import_killed_half_way_leaves_the_database_as_before_and_the_academie_free(
    killed, cast, territory, settings, monkeypatch, tmp_path
):
    """A full picture is applied (day 1); a real process applying day 2 — a task worker, or
    `manage.py gaia_import --apply` — beats, then is killed mid-apply: every row is as after
    day 1, the académie is importable again once the heartbeat is stale, and the re-run is
    complete. Both databases: on SQLite the test database is copied to a file the two
    processes share (tests/shared_database.py)."""
    settings.PREAU_HR_HEARTBEAT_STALE_SECONDS = 3
    # The process and this test share a file cache: the heartbeat of an apply on SQLite.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    monkeypatch.setattr(services, "_enqueue_apply", lambda import_id: None)  # no task worker
    manager, academie = cast["manager"], territory["academie"]
    day_2 = tmp_path / "gaia"
    day_2.mkdir()
    for label, lines in (
        ("Formations", FORMATIONS_2),
        ("Intervenants", TRAINERS_2),
        ("Stagiaires", TRAINEES_2),
    ):
        (day_2 / f"A070_{label}_{DAY_2}.csv").write_bytes(encode(lines))

    def upload(trainers, trainees, formations, day):
        return services.build_preview(
            services.start_gaia_import(
                academie=academie,
                uploads=gaia_uploads(formations, trainers, trainees, day=day),
                by=manager,
            )
        )

    first = services.confirm_import(
        hr_import=upload(TRAINERS, TRAINEES, FORMATIONS, DAY_1), by=manager
    )
    assert services.apply_import(first).status == ImportStatus.APPLIED
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], capacity=30, open=True
    )
    services.link_session(
        session=session,
        hr_session=HrSession.objects.get(session_code="900001"),
        unenrol_missing=True,
        by=manager,
    )
    if killed == "worker":  # confirmed on the page; the worker takes it
        second = services.confirm_import(
            hr_import=upload(TRAINERS_2, TRAINEES_2, FORMATIONS_2, DAY_2), by=manager
        )
        script, argument = WORKER, str(second.pk)
    else:
        second = None  # the command uploads it
        script, argument = COMMAND, str(day_2)
    before = picture(but=second)
    assert len(before["trainees"]) == 4 and len(before["enrolments"]) == 2
    assert len(before["staff"]) == 1

    with database_for_a_second_process(tmp_path) as url:
        process = subprocess.Popen(
            [sys.executable, "-c", script, argument, str(clock_offset())],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DEBUG": "false",
                "PREAU_VAR_DIR": str(tmp_path),  # its file cache: tmp_path/cache
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "PREAU_HR_HEARTBEAT_STALE_SECONDS": "3",
            },
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            line = ""
            deadline = time.monotonic() + 60
            while line != "half-way":  # the command prints its preview first
                ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
                assert ready, "the process did not reach the middle of the apply"
                line = process.stdout.readline().strip()
                assert line or process.poll() is None, "the process ended before half-way"
            second = HrImport.objects.get(status=ImportStatus.APPLYING)
            time.sleep(4)  # longer than the stale delay: the process's heartbeat keeps it alive
            assert not services.mark_interrupted(second)
            assert ImportLock.objects.get(academie=academie).holder.endswith(f":{process.pid}")
        finally:
            process.kill()
            process.wait()
            process.stdout.close()

        assert picture(but=second) == before
        # A few rows by name: the place of day 1, the trainees day 2 removes still there,
        # nobody day 2 adds, no placeholder account for its newcomer.
        assert HrSession.objects.get(session_code="900001").place == "École Jules Ferry, Caen"
        assert HrSession.objects.get(session_code="900002").gone_since is None
        assert not HrSession.objects.filter(session_code="900003").exists()
        assert HrTrainee.objects.filter(email="aissatou.ndiaye@ac-normandie.fr").exists()
        assert not HrTrainee.objects.filter(email="lea.martin@ac-normandie.fr").exists()
        assert not User.objects.filter(email="lea.martin@ac-normandie.fr").exists()
        assert not HrTrainer.objects.filter(last_name="Durand").exists()
        second.refresh_from_db()
        assert second.status == ImportStatus.APPLYING
        for _attempt in range(200):  # stale after 3 s; the killed process's locks go meanwhile
            if services.mark_interrupted(second):
                break
            time.sleep(0.05)
        assert second.status == ImportStatus.FAILED
        assert "interrompue" in second.refusal

        # Importable again, and the re-run is complete.
        if killed == "worker":
            again = services.confirm_import(
                hr_import=upload(TRAINERS_2, TRAINEES_2, FORMATIONS_2, DAY_2), by=manager
            )
            assert services.apply_import(again).status == ImportStatus.APPLIED
        else:
            call_command("gaia_import", str(day_2), academie="A070", apply=True)
            again = HrImport.objects.latest("pk")
            assert again.status == ImportStatus.APPLIED
        assert again.summary["applied"]["trainees_removed"] == 3
        assert sorted(
            HrSession.objects.filter(gone_since=None).values_list("session_code", flat=True)
        ) == ["900001", "900003"]
        assert HrSession.objects.get(session_code="900001").place == "Salle polyvalente, Caen"
        assert sorted(HrTrainee.objects.values_list("email", flat=True)) == sorted(
            line.split("|")[4] for line in TRAINEES_2
        )
        assert User.objects.get(email="lea.martin@ac-normandie.fr").is_placeholder
        assert HrTrainer.objects.count() == 2
        enrolled = Enrolment.objects.filter(session=session).values_list("user__email", flat=True)
        assert sorted(enrolled) == [
            "francois.coeurdevey@ac-normandie.fr",
            "lea.martin@ac-normandie.fr",
        ]
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
