import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from preau.territories.models import Academie, Departement, School
from preau.territories.services import import_school_directory

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "annuaire_sample.csv"


def import_schools(path: Path, *args: str) -> tuple[str, str]:
    """Runs the command as an operator would; returns what it printed (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_schools", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple]:
    return list(
        School.objects.order_by("uai").values_list(
            "uai", "name", "commune", "departement__code", "departement__academie__code"
        )
    )


def test_import_creates_the_schools_with_the_academies_and_departements_they_name(db):
    out, err = import_schools(SAMPLE)

    assert out == (
        "5 école(s) créée(s), 0 mise(s) à jour, 0 inchangée(s), 0 ligne(s) rejetée(s).\n"
    )
    assert err == ""
    assert snapshot() == [
        ("0141234R", "École élémentaire Jean Jaurès", "Caen", "014", "A070"),
        ("0141235S", "École maternelle Les Coquelicots", "Hérouville-Saint-Clair", "014", "A070"),
        # Written in lower case in the file.
        ("0501001S", "École primaire Saint-Exupéry", "Saint-Lô", "050", "A070"),
        # "2A" in the file: département codes have three characters, like in the UAI.
        ("6200042B", "École élémentaire Sampiero Corso", "Ajaccio", "02A", "A027"),
        ("9710580D", "École primaire Félix Éboué", "Pointe-à-Pitre", "971", "A032"),
    ]
    assert dict(Academie.objects.values_list("code", "name")) == {
        "A070": "Normandie",
        "A027": "Corse",
        "A032": "Guadeloupe",
    }
    assert Departement.objects.get(code="02A").name == "Corse-du-Sud"
    # The directory does not know circonscriptions: the académie attaches schools later.
    assert not School.objects.filter(circonscription__isnull=False).exists()


def test_second_import_of_the_same_file_changes_nothing(db):
    import_schools(SAMPLE)
    before = snapshot()

    out, err = import_schools(SAMPLE)

    assert out == (
        "0 école(s) créée(s), 0 mise(s) à jour, 5 inchangée(s), 0 ligne(s) rejetée(s).\n"
    )
    assert err == ""
    assert snapshot() == before
    assert Academie.objects.count() == 3 and Departement.objects.count() == 4


def test_import_updates_changed_schools_and_keeps_their_circonscription(territory):
    import_schools(SAMPLE)
    School.objects.filter(uai="0141234R").update(
        name="Ancien nom", circonscription=territory["caen"]
    )
    School.objects.filter(uai="0501001S").update(commune="Ancienne commune")

    out, _err = import_schools(SAMPLE)

    assert out.startswith("0 école(s) créée(s), 2 mise(s) à jour, 3 inchangée(s)")
    jaures = School.objects.get(uai="0141234R")
    assert jaures.name == "École élémentaire Jean Jaurès"
    assert jaures.circonscription == territory["caen"]
    assert School.objects.get(uai="0501001S").commune == "Saint-Lô"


def test_import_attaches_schools_to_the_territories_already_known(territory):
    import_schools(SAMPLE)

    assert School.objects.get(uai="0141234R").departement == territory["calvados"]
    assert School.objects.get(uai="0501001S").departement == territory["manche"]
    assert Academie.objects.filter(name="Normandie").count() == 1


def test_rejected_lines_are_reported_with_their_number_and_a_french_reason(db):
    out, err = import_schools(DATA / "annuaire_broken.csv")

    assert out == (
        "2 école(s) créée(s), 0 mise(s) à jour, 0 inchangée(s), 10 ligne(s) rejetée(s).\n"
    )
    assert err.splitlines() == [
        "ligne 3 : « 014123 » n’est pas un code UAI : il faut 7 chiffres suivis d’une lettre "
        "(par exemple 0140001A).",
        "ligne 4 : Le code UAI « 0141236A » est erroné : sa lettre de contrôle devrait être "
        "« T ». Vérifiez-le dans l’annuaire de l’éducation.",
        "ligne 5 : Le nom de l’école est vide.",
        "ligne 6 : UAI 0141234R déjà présent ligne 2.",
        # Checked against the known département first: 014 belongs to A070.
        "ligne 7 : Le département 014 n’appartient pas à l’académie A099.",
        "ligne 8 : Le département 014 n’appartient pas à l’académie A027.",
        "ligne 9 : Nombre de colonnes incorrect.",
        "ligne 10 : Nombre de colonnes incorrect.",
        "ligne 11 : Département 099 inconnu.",
        "ligne 12 : Code d’académie « 1970 » invalide.",
    ]
    assert sorted(School.objects.values_list("uai", flat=True)) == ["0141234R", "0500002F"]
    # A rejected line leaves no trace, not even the académie it names with its label.
    assert not Academie.objects.filter(code="A027").exists()
    # The first of two lines with the same UAI wins.
    assert School.objects.get(uai="0141234R").name == "École élémentaire Jean Jaurès"


def test_file_without_the_directory_columns_is_refused_with_the_missing_ones(db):
    with pytest.raises(CommandError) as caught:
        import_schools(DATA / "annuaire_missing_columns.csv")

    assert str(caught.value) == (
        "Ce fichier n’a pas les colonnes de l’annuaire de l’éducation : "
        "il manque Nom_commune, Code_academie."
    )
    assert not School.objects.exists()


def test_comma_separated_file_is_refused_as_not_having_the_directory_columns(db, tmp_path):
    commas = tmp_path / "annuaire.csv"
    commas.write_text(SAMPLE.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")

    with pytest.raises(CommandError, match="il manque Identifiant_de_l_etablissement"):
        import_schools(commas)
    assert not School.objects.exists()


def test_file_not_encoded_in_utf8_is_refused_with_a_clear_error(db):
    with pytest.raises(CommandError) as caught:
        import_schools(DATA / "annuaire_windows1252.csv")

    assert str(caught.value) == (
        "Le fichier n’est pas encodé en UTF-8 : la ligne 2 contient un caractère illisible. "
        "Enregistrez-le en UTF-8 et relancez l’import."
    )
    assert not School.objects.exists()
    assert not Academie.objects.exists()


def test_encoding_error_names_its_line_even_far_into_a_big_file(db, tmp_path):
    # Text streams decode by chunks of 8 KB: a byte offset would be counted from the chunk.
    header, first = SAMPLE.read_text(encoding="utf-8").splitlines()[:2]
    latin1 = "0141235S;École;Ecole;Public;14200;Hérouville;014;Calvados;70;Normandie\n"
    path = tmp_path / "annuaire.csv"
    path.write_bytes("\n".join([header] + [first] * 300).encode() + b"\n" + latin1.encode("cp1252"))

    with pytest.raises(CommandError, match="la ligne 302 contient un caractère illisible"):
        import_schools(path)
    assert not School.objects.exists()


def test_utf8_file_with_a_byte_order_mark_is_read_like_any_other(db, tmp_path):
    # Spreadsheets add one when they save "CSV UTF-8": the first column must still be found.
    with_bom = tmp_path / "annuaire.csv"
    with_bom.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())

    out, _err = import_schools(with_bom)

    assert out.startswith("5 école(s) créée(s)")


def test_missing_file_gives_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        import_schools(tmp_path / "absent.csv")


def test_dry_run_reports_what_would_change_and_writes_nothing(db):
    out, err = import_schools(DATA / "annuaire_broken.csv", "--dry-run")

    assert out.startswith("[simulation] 2 école(s) créée(s), 0 mise(s) à jour")
    assert "ligne 3 : « 014123 » n’est pas un code UAI" in err
    assert not School.objects.exists()
    assert not Academie.objects.exists()
    assert not Departement.objects.exists()


def test_dry_run_of_an_update_leaves_the_schools_as_they_were(db):
    import_schools(SAMPLE)
    School.objects.filter(uai="0141234R").update(name="Ancien nom")

    out, _err = import_schools(SAMPLE, "--dry-run")

    assert out.startswith("[simulation] 0 école(s) créée(s), 1 mise(s) à jour, 4 inchangée(s)")
    assert School.objects.get(uai="0141234R").name == "Ancien nom"


def test_import_that_fails_while_writing_leaves_nothing_half_saved(db, monkeypatch):
    def disk_full(*args, **kwargs):
        raise DatabaseError("could not extend file: No space left on device")

    # Académies and départements are written first: they must go away with the schools.
    monkeypatch.setattr(School.objects, "bulk_create", disk_full)
    with SAMPLE.open(encoding="utf-8", newline="") as stream, pytest.raises(DatabaseError):
        import_school_directory(stream)

    assert not Academie.objects.exists()
    assert not Departement.objects.exists()


def test_service_reports_counts_and_sorted_rejections(db):
    with (DATA / "annuaire_broken.csv").open(encoding="utf-8", newline="") as stream:
        report = import_school_directory(stream)

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [line for line, _reason in report.rejected] == list(range(3, 13))


def test_labels_longer_than_their_column_are_cut_instead_of_failing_the_import(db, tmp_path):
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    long_label = "Département au libellé interminable " * 5
    line = f"0141234R;École Jules Ferry;Ecole;Public;14000;Caen;014;{long_label};70;{long_label}"
    path = tmp_path / "annuaire.csv"
    path.write_text(f"{header}\n{line}\n", encoding="utf-8")

    out, _err = import_schools(path)

    assert out.startswith("1 école(s) créée(s)")
    assert Departement.objects.get(code="014").name == long_label[:100]
