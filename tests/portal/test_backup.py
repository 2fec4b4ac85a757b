"""manage.py backup / restore: a round trip on the database of the run (PostgreSQL through
pg_dump/pg_restore, SQLite through its backup API) brings back the ledger totals and the media
files; the restore refuses what it should."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from preau.hours.models import Entry, Kind, Source
from preau.portal.backup import MANIFEST, ledger_totals
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # dumps see committed rows only


def ledger(territory):
    camille = factories.teacher(school=territory["caen_school"])
    dominique = factories.teacher(school=territory["caen_school"])
    for who, year, presence, distance in [
        (camille, 2025, "6.0", "3.0"),
        (camille, 2025, "1.5", "0.0"),
        (dominique, 2025, "9.0", "0.0"),
        (dominique, 2024, "-2.5", "1.0"),
    ]:
        Entry.objects.create(
            teacher=who,
            school_year=year,
            date=datetime.date(year, 10, 1),
            kind=Kind.TRAINING,
            source=Source.CORRECTION,
            title="Stage",
            reason="Report d’une formation",
            presence_hours=Decimal(presence),
            distance_hours=Decimal(distance),
        )


def test_a_backup_restored_over_a_damaged_instance_shows_the_same_ledger_and_files(
    territory, settings, tmp_path
):
    ledger(territory)
    media = Path(settings.MEDIA_ROOT)
    (media / "parcours" / "42").mkdir(parents=True)
    (media / "parcours" / "42" / "fiche.pdf").write_bytes(b"%PDF-1.4 fiche")
    before = ledger_totals()
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())

    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["ledger_totals"]["all"] == {
        "entries": 4,
        "presence_hours": "14.0",
        "distance_hours": "4.0",
    }
    assert "accounts.0001_initial" in manifest["migrations"]
    assert list(manifest["media_files"]) == ["parcours/42/fiche.pdf"]

    # What an incident leaves: rows lost, a file lost, a stray file.
    Entry.objects.filter(school_year=2025).delete()
    (media / "parcours" / "42" / "fiche.pdf").unlink()
    (media / "stray.txt").write_text("after the backup")
    assert ledger_totals() != before

    call_command("restore", str(tmp_path / "backup"), "--yes", stdout=io.StringIO())

    assert ledger_totals() == before
    assert Entry.objects.count() == 4
    assert (media / "parcours" / "42" / "fiche.pdf").read_bytes() == b"%PDF-1.4 fiche"
    assert not (media / "stray.txt").exists()


def test_restore_refuses_a_database_that_holds_data_without_yes(territory, tmp_path):
    ledger(territory)
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    Entry.objects.all().delete()

    with pytest.raises(CommandError, match="n’est pas vide.*--yes"):
        call_command("restore", str(tmp_path / "backup"))

    assert Entry.objects.count() == 0  # nothing touched


def test_restore_refuses_a_backup_of_the_other_kind_of_database(territory, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest_path = tmp_path / "backup" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["engine"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="même type"):
        call_command("restore", str(tmp_path / "backup"), "--yes")


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.txt").write_text("x")

    with pytest.raises(CommandError, match="n’est pas vide"):
        call_command("backup", str(tmp_path))


def test_restore_refuses_a_folder_that_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="pas une sauvegarde"):
        call_command("restore", str(tmp_path), "--yes")
