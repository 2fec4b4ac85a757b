"""The scheduled pick-up (manage.py gaia_import) and the file generator's command."""

import pytest
from django.core.management import CommandError, call_command

from preau.hr.models import HrImport, HrSession, ImportStatus

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, encode


@pytest.fixture
def folder(tmp_path):
    for kind, lines in (
        ("Formations", FORMATIONS),
        ("Intervenants", TRAINERS),
        ("Stagiaires", TRAINEES),
    ):
        (tmp_path / f"A070_{kind}_20260915.csv").write_bytes(encode(lines))
    (tmp_path / "A070_Formations_20260901.csv").write_bytes(b"")  # an older day, ignored
    return tmp_path


def test_the_pickup_previews_the_latest_day_and_leaves_it_to_confirm(territory, folder, capsys):
    call_command("gaia_import", str(folder), academie="A070")

    hr_import = HrImport.objects.get()
    assert hr_import.status == ImportStatus.PREVIEWED
    assert str(hr_import.day) == "2026-09-15"
    assert hr_import.uploaded_by is None  # "dépôt automatique" in the history
    assert not HrSession.objects.exists()
    assert "sessions_new 2" in capsys.readouterr().out


def test_the_pickup_applies_with_apply_and_skips_a_day_already_applied(territory, folder, capsys):
    call_command("gaia_import", str(folder), academie="A070", apply=True)
    assert HrSession.objects.count() == 2

    call_command("gaia_import", str(folder), academie="A070", apply=True)

    assert "déjà importé" in capsys.readouterr().out
    assert HrImport.objects.count() == 1


def test_the_pickup_says_what_is_wrong(territory, tmp_path, settings):
    with pytest.raises(CommandError, match="Aucun fichier"):
        call_command("gaia_import", str(tmp_path), academie="A070")
    with pytest.raises(CommandError, match="Académie inconnue"):
        call_command("gaia_import", str(tmp_path), academie="A999")
    settings.PREAU_HR_PICKUP_DIR = ""
    with pytest.raises(CommandError, match="PREAU_HR_PICKUP_DIR"):
        call_command("gaia_import", "", academie="A070")
    (tmp_path / "A070_Formations_20260915.csv").write_bytes(encode(FORMATIONS))
    with pytest.raises(CommandError, match="Intervenants manque"):
        call_command("gaia_import", str(tmp_path), academie="A070")
    assert not HrImport.objects.exists()


def test_an_automatic_import_shows_as_such_in_the_history(client, cast, folder):
    call_command("gaia_import", str(folder), academie="A070")
    client.force_login(cast["manager"])

    assert "dépôt automatique" in client.get("/rh/").content.decode()


def test_the_pickup_imports_an_older_day_only_with_force_older(territory, tmp_path, capsys):
    for day in ("20261023", "20261021"):
        for kind, lines in (
            ("Formations", FORMATIONS),
            ("Intervenants", TRAINERS),
            ("Stagiaires", TRAINEES),
        ):
            (tmp_path / day / f"A070_{kind}_{day}.csv").parent.mkdir(exist_ok=True)
            (tmp_path / day / f"A070_{kind}_{day}.csv").write_bytes(encode(lines))
    call_command("gaia_import", str(tmp_path / "20261023"), academie="A070", apply=True)

    with pytest.raises(CommandError) as error:
        call_command("gaia_import", str(tmp_path / "20261021"), academie="A070", apply=True)
    assert str(error.value) == (
        "Le fichier du 21/10 est plus ancien que le dernier import, du 23/10 : l’appliquer "
        "ramènerait l’académie en arrière. Pour l’importer quand même, indiquez-en le motif."
    )
    assert HrImport.objects.count() == 1

    call_command(
        "gaia_import",
        str(tmp_path / "20261021"),
        academie="A070",
        apply=True,
        force_older="Le 23/10 était un export de test",
    )

    forced = HrImport.objects.latest("pk")
    assert str(forced.day) == "2026-10-21"
    assert forced.status == ImportStatus.APPLIED
    assert forced.forced_reason == "Le 23/10 était un export de test"
    assert "Appliqué" in capsys.readouterr().out
