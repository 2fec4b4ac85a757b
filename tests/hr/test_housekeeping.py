"""Housekeeping of the HR imports: pending previews purged after seven days with the names
and e-mails they staged, and no debug query log kept during an import."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, reset_queries

from preau.hr import services
from preau.hr.models import (
    HeldRemoval,
    HrImport,
    HrTrainee,
    ImportProblem,
    ImportStatus,
    StagedPerson,
)

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads, trainee

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.datetime(2026, 10, 5, 9, 0, tzinfo=PARIS)


def preview(manager, academie, trainees=TRAINEES, **kw):
    return services.build_preview(
        services.start_gaia_import(
            academie=academie,
            uploads=gaia_uploads(FORMATIONS, TRAINERS, trainees, **kw),
            by=manager,
        )
    )


def test_pending_previews_are_purged_after_seven_days_with_their_names_and_emails(
    cast, territory, settings, capsys, django_capture_on_commit_callbacks
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    manager, academie = cast["manager"], territory["academie"]
    with time_machine.travel(MONDAY, tick=False):
        applied = preview(manager, academie, day="20261004")
        services.confirm_import(hr_import=applied, by=manager)
        services.apply_import(applied)
        bad = trainee("900001", "Petit", "Zoé", "zoe.petit@")
        newcomer = trainee("900001", "Martin", "Léa", "lea.martin@ac-normandie.fr")
        pending = preview(manager, academie, trainees=[*TRAINEES, newcomer, bad], day="20261005")
    assert StagedPerson.objects.filter(hr_import=pending).exists()
    assert ImportProblem.objects.filter(hr_import=pending).exists()
    assert "trainees_added_names" in pending.summary

    with time_machine.travel(MONDAY + dt.timedelta(days=6, hours=23), tick=False):
        call_command("purge_hr_previews", wet_run=True)
    assert HrImport.objects.get(pk=pending.pk).status == ImportStatus.PREVIEWED

    with time_machine.travel(MONDAY + dt.timedelta(days=7, minutes=1), tick=False):
        call_command("purge_hr_previews")  # dry by default
        assert HrImport.objects.get(pk=pending.pk).status == ImportStatus.PREVIEWED
        assert "serait supprimé" in capsys.readouterr().out
        with django_capture_on_commit_callbacks(execute=True):
            call_command("purge_hr_previews", wet_run=True)

    assert "1 aperçus de plus de 7 jours supprimés." in capsys.readouterr().out
    pending.refresh_from_db()
    assert pending.status == ImportStatus.CANCELLED
    assert "Aperçu non confirmé en 7 jours" in pending.refusal
    assert not StagedPerson.objects.filter(hr_import=pending).exists()
    assert not ImportProblem.objects.filter(hr_import=pending).exists()
    assert not set(services.NAMED_KEYS) & set(pending.summary)
    assert pending.summary["trainees_new"] == 1  # the counts stay in the history
    assert not any(default_storage.exists(f["path"]) for f in pending.files.values())
    assert HrImport.objects.get(pk=applied.pk).status == ImportStatus.APPLIED


def test_abandoning_a_preview_keeps_none_of_its_names_nor_its_rejected_lines(
    client, cast, territory, settings
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    manager, academie = cast["manager"], territory["academie"]
    bad = trainee("900001", "Petit", "Zoé", "zoe.petit@")
    hr_import = preview(manager, academie, trainees=[*TRAINEES, bad])
    assert ImportProblem.objects.filter(hr_import=hr_import).exists()
    assert hr_import.summary["trainees_added_names"]
    client.force_login(manager)

    client.post(f"/rh/imports/{hr_import.pk}/abandonner/")

    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.CANCELLED
    assert not ImportProblem.objects.filter(hr_import=hr_import).exists()
    assert not set(services.NAMED_KEYS) & set(hr_import.summary)
    assert hr_import.summary["trainees_new"] == 4  # the counts stay
    page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()
    assert "Import abandonné : ses lignes rejetées et les noms qu’il listait ont été" in page
    assert "zoe.petit" not in page and "Aïssatou" not in page


def test_reports_keep_their_names_and_rejected_lines_seven_days_then_only_their_counts(
    client, cast, territory, settings, capsys
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    manager, academie = cast["manager"], territory["academie"]
    bad = trainee("900001", "Petit", "Zoé", "zoe.petit@")
    with time_machine.travel(MONDAY, tick=False):
        applied = preview(manager, academie, trainees=[*TRAINEES, bad], day="20261004")
        services.confirm_import(hr_import=applied, by=manager)
        services.apply_import(applied)
        refused = preview(manager, academie, trainees=[bad, bad, *TRAINEES[:1]], day="20261005")
        # Abandoned when abandoning still kept the names: the purge catches it up.
        old_cancelled = preview(manager, academie, trainees=[*TRAINEES[:3], bad], day="20261005")
        HrImport.objects.filter(pk=old_cancelled.pk).update(status=ImportStatus.CANCELLED)
    with time_machine.travel(MONDAY + dt.timedelta(days=6), tick=False):
        guarded = preview(manager, academie, trainees=[*TRAINEES[:1], bad], day="20261010")
        services.confirm_import(hr_import=guarded, by=manager)
        services.apply_import(guarded)
    assert refused.status == ImportStatus.REFUSED
    assert HeldRemoval.objects.filter(hr_import=guarded).count() == 3
    named = [applied, refused, old_cancelled, guarded]
    assert all(ImportProblem.objects.filter(hr_import=i).exists() for i in named)

    with time_machine.travel(MONDAY + dt.timedelta(days=6, hours=23), tick=False):
        call_command("purge_hr_previews", wet_run=True)
    assert all(ImportProblem.objects.filter(hr_import=i).exists() for i in named)
    assert "trainees_added_names" in HrImport.objects.get(pk=applied.pk).summary

    with time_machine.travel(MONDAY + dt.timedelta(days=7, minutes=1), tick=False):
        call_command("purge_hr_previews")  # dry by default
        assert "3 comptes rendus de plus de 7 jours : noms et lignes rejetées à supprimer" in (
            capsys.readouterr().out
        )
        assert all(ImportProblem.objects.filter(hr_import=i).exists() for i in named)
        call_command("purge_hr_previews", wet_run=True)
        assert "3 comptes rendus de plus de 7 jours : noms et lignes rejetées supprimés." in (
            capsys.readouterr().out
        )
        call_command("purge_hr_previews", wet_run=True)  # once is enough
        assert "0 comptes rendus" in capsys.readouterr().out

    for hr_import in (applied, refused, old_cancelled):
        hr_import.refresh_from_db()
        assert not ImportProblem.objects.filter(hr_import=hr_import).exists()
        assert not set(services.NAMED_KEYS) & set(hr_import.summary)
        assert hr_import.names_purged
    assert applied.status == ImportStatus.APPLIED
    assert applied.summary["applied"]["trainees_new"] == 4  # the counts stay
    assert applied.summary["rejected"] == 1
    # Applied six days after Monday: still named, and its held removals wait for a manager.
    guarded.refresh_from_db()
    assert not guarded.names_purged and ImportProblem.objects.filter(hr_import=guarded).exists()
    assert HeldRemoval.objects.filter(hr_import=guarded).count() == 3
    assert HrTrainee.objects.count() == 4
    client.force_login(manager)
    page = client.get(f"/rh/imports/{applied.pk}/").content.decode()
    assert "Les lignes rejetées et les noms que listait cet import ont été supprimés après 7" in (
        page
    )
    assert "zoe.petit" not in page and "Aïssatou" not in page


def test_an_import_keeps_no_debug_query_log_under_the_development_settings(
    cast, territory, settings
):
    settings.DEBUG = True  # as config.settings.dev: Django logs every query of a connection
    manager, academie = cast["manager"], territory["academie"]
    many = [trainee("900001", f"Nom{i}", "Prénom", f"p{i}@ac-normandie.fr") for i in range(300)]
    hr_import = services.start_gaia_import(
        academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, many), by=manager
    )
    reset_queries()

    services.build_preview(hr_import)
    services.confirm_import(hr_import=hr_import, by=manager)
    services.apply_import(hr_import)

    assert HrImport.objects.get(pk=hr_import.pk).status == ImportStatus.APPLIED
    logged = [query["sql"] for query in connection.queries]
    # Only the bookkeeping around the import is logged, never its work on the rows.
    assert not [sql for sql in logged if "hr_stagedperson" in sql or "hr_hrtrainee" in sql]
    assert len(logged) < 40, logged
