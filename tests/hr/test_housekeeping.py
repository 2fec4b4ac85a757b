"""Housekeeping of the HR imports: pending previews purged after seven days with the names
and e-mails they staged, and no debug query log kept during an import."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, reset_queries

from preau.hr import services
from preau.hr.models import HrImport, ImportProblem, ImportStatus, StagedPerson

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
