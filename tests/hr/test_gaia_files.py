"""Reading GAIA's files (pure: no database).

The files in tests/hr/files/ are encoded in Windows-1252, like GAIA's export: open them with
`iconv -f cp1252` to read them, never re-save them from an editor set to UTF-8.
"""

import datetime as dt
import io
import pickle
from pathlib import Path

import pytest

from preau.hr import gaia
from preau.hr.gaia import (
    FORMATIONS,
    INTERVENANTS,
    STAGIAIRES,
    FileName,
    FileRefused,
    FormationRow,
    Problem,
    TraineeRow,
    TrainerRow,
    canonical_email,
    email_variants,
    iter_formations,
    iter_trainees,
    iter_trainers,
    parse_file_name,
)

FILES = Path(__file__).parent / "files"
ALIASES = {"ac-caen.fr": "ac-normandie.fr", "ac-rouen.fr": "ac-normandie.fr"}


def read(parser, name):
    with open(FILES / name, "rb") as stream:
        return list(parser(stream))


def problems(items):
    return {item.line: item.reason for item in items if isinstance(item, Problem)}


def rows(items):
    return [item for item in items if not isinstance(item, Problem)]


def trainee_line(index: int) -> bytes:
    return f"STAGIAIRES|{100 + index}|Lefèvre|Hélène|helene{index}@ac-normandie.fr\r\n".encode(
        "cp1252"
    )


# File names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("A014_Formations_20260915.csv", FileName("A014", FORMATIONS, dt.date(2026, 9, 15))),
        ("a070_INTERVENANTS_20270102.CSV", FileName("A070", INTERVENANTS, dt.date(2027, 1, 2))),
        (
            "/srv/gaia/in/A014_stagiaires_20260915.csv",
            FileName("A014", STAGIAIRES, dt.date(2026, 9, 15)),
        ),
        (
            "C:\\Exports\\A014_Stagiaires_20260915.csv",
            FileName("A014", STAGIAIRES, dt.date(2026, 9, 15)),
        ),
    ],
)
def test_file_names(name, expected):
    assert parse_file_name(name) == expected


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("A014_Stagiaires_20260231.csv", STAGIAIRES, "20260231"),
        ("A014_Formations_2026091.csv", FORMATIONS, "A014_Formations_2026091.csv"),
        ("A014_Formations_20260915.txt", FORMATIONS, "Formations_{AAAAMMJJ}.csv"),
        ("A014_Inscrits_20260915.csv", "", "n’est pas celui d’un fichier GAIA"),
        ("Stagiaires (1).csv", STAGIAIRES, "Stagiaires (1).csv"),
    ],
)
def test_file_names_refused(name, kind, words):
    with pytest.raises(FileRefused) as refused:
        parse_file_name(name)
    assert refused.value.file == kind
    assert words in refused.value.reason
    assert str(refused.value) == refused.value.reason


def test_file_refused_survives_pickling():
    """Background jobs may carry the exception from one process to another."""
    copy = pickle.loads(pickle.dumps(FileRefused(STAGIAIRES, "Le fichier Stagiaires est vide.")))
    assert (copy.file, copy.reason, str(copy)) == (
        STAGIAIRES,
        "Le fichier Stagiaires est vide.",
        "Le fichier Stagiaires est vide.",
    )


# Valid files: every field, accents and apostrophes exactly as written ------------------------


def test_formations_file():
    items = read(iter_formations, "A014_Formations_20260915.csv")
    assert items == [
        FormationRow(
            line=1,
            dispositif_code="26A0140001",
            dispositif_title="Découvrir les œuvres de jeunesse",
            module_code=12345,
            module_title="Lire à voix haute : l'élève lecteur",
            session_code="000123",
            group="01",
            starts_on=dt.date(2026, 9, 15),
            start_time=dt.time(9, 0),
            ends_on=dt.date(2026, 9, 15),
            end_time=dt.time(12, 0),
            place_type="E",
            place="École élémentaire Jules Ferry, Caen",
        ),
        FormationRow(
            line=2,
            dispositif_code="26A0140001",
            dispositif_title="Découvrir les œuvres de jeunesse",
            module_code=12345,
            module_title="Lire à voix haute : l'élève lecteur",
            session_code="000124",
            group="02",
            starts_on=dt.date(2026, 9, 16),
            start_time=None,
            ends_on=dt.date(2026, 9, 17),
            end_time=None,
            place_type="E",
            place="École maternelle Les Tilleuls, Pont-l’Évêque",
        ),
        # Line 3 is empty: skipped, and the numbering goes on counting it.
        FormationRow(
            line=4,
            dispositif_code="26N0140002",
            dispositif_title="Plan français : le cœur du métier",
            module_code=12346,
            module_title="Français – cycle 3",
            session_code="125",
            group="",
            starts_on=dt.date(2026, 10, 1),
            start_time=dt.time(13, 30),
            ends_on=dt.date(2026, 10, 1),
            end_time=dt.time(16, 30),
            place_type="D",
            place="Classe virtuelle",
        ),
        # Spaces around fields are stripped; an end at the very time of the start is accepted.
        FormationRow(
            line=5,
            dispositif_code="26A0140003",
            dispositif_title="Mathématiques : « ça compte »",
            module_code=12347,
            module_title="Calcul mental",
            session_code="126",
            group="3",
            starts_on=dt.date(2026, 10, 5),
            start_time=dt.time(9, 0),
            ends_on=dt.date(2026, 10, 5),
            end_time=dt.time(9, 0),
            place_type="C",
            place="Circonscription de Saint-Lô",
        ),
    ]
    assert [row.is_national for row in items] == [False, False, True, False]


def test_trainers_file_with_unix_line_ends():
    items = read(iter_trainers, "A014_Intervenants_20260915.csv")
    assert items == [
        TrainerRow(1, 12345, "N'Diaye", "Aïssatou", "aissatou.ndiaye@ac-caen.fr"),
        TrainerRow(2, 12345, "Lefèvre", "Hélène", "helene.lefevre@ac-normandie.fr"),
        TrainerRow(3, 12346, "Garçon", "François", "francois.garcon@ac-rouen.fr"),
        TrainerRow(4, 12347, "Lœillet", "Gaëlle", "gaelle.loeillet@ac-normandie.fr"),
    ]


def test_trainees_file_with_windows_line_ends():
    items = read(iter_trainees, "A014_Stagiaires_20260915.csv")
    assert items == [
        TraineeRow(1, "000123", "D'Almeida", "Zoé", "zoe.dalmeida@ac-normandie.fr"),
        TraineeRow(2, "000123", "Bœuf", "Noël", "noel.boeuf@ac-caen.fr"),
        TraineeRow(3, "000124", "Le Goff", "Maëlle", "maelle.le-goff@ac-normandie.fr"),
        TraineeRow(4, "125", "N'Guessan", "Jérôme", "jerome.nguessan@ac-rouen.fr"),
        TraineeRow(5, "126", "Françoise", "Cécile-Anaïs", "cecile-anais.francoise@ac-normandie.fr"),
    ]


@pytest.mark.parametrize("cut", [b"\r\n", b"\n", b"e.fr\r\n"])
def test_a_file_whose_last_line_has_no_line_end_is_refused_as_cut(cut):
    content = (FILES / "A014_Stagiaires_20260915.csv").read_bytes()
    assert content.endswith(cut)
    with pytest.raises(FileRefused) as refused:
        list(iter_trainees(io.BytesIO(content.removesuffix(cut))))
    assert refused.value.file == STAGIAIRES
    assert refused.value.reason.startswith(
        "La dernière ligne du fichier Stagiaires (n° 5) n’a pas de fin de ligne : le fichier "
        "semble coupé"
    )


def test_a_file_whose_last_line_has_the_wrong_field_count_is_refused_as_cut():
    content = (FILES / "A014_Stagiaires_20260915.csv").read_bytes()
    cut = content + "STAGIAIRES|126|Martin|Léa\r\n".encode("cp1252")
    with pytest.raises(FileRefused) as refused:
        list(iter_trainees(io.BytesIO(cut)))
    assert refused.value.reason.startswith(
        "La dernière ligne du fichier Stagiaires (n° 6) a 4 champs au lieu de 5 : le fichier "
        "semble coupé"
    )
    # The same line further up is only a rejected line.
    items = list(iter_trainees(io.BytesIO(cut + trainee_line(1))))
    assert problems(items) == {6: "4 champs au lieu de 5"}


def test_names_titles_and_places_longer_than_their_column_are_refused_on_their_line():
    lines = [
        "STAGIAIRES|123|" + "N" * 151 + "|Léa|lea@ac-normandie.fr",
        "STAGIAIRES|123|Martin|" + "P" * 151 + "|lea@ac-normandie.fr",
        "STAGIAIRES|123|Martin|Léa|" + "l" * 250 + "@ac-normandie.fr",
        "STAGIAIRES|123|" + "N" * 150 + "|Léa|lea@ac-normandie.fr",
    ]
    items = list(iter_trainees(io.BytesIO("".join(x + "\r\n" for x in lines).encode("cp1252"))))
    found = problems(items)
    assert found[1].startswith("nom trop long : « NNN")
    assert found[1].endswith("(151 caractères, au plus 150)")
    assert found[2].startswith("prénom trop long")
    assert found[3] == "adresse électronique trop longue (266 caractères, au plus 254)"
    assert [row.last_name for row in rows(items)] == ["N" * 150]  # at the limit: kept whole
    formation = "FORMATIONS|26A0140001|{}|1|{}|2|01|01/10/2026|08:30|01/10/2026|17:05|E|{}|\r\n"
    for title, module, place, word in (
        ("T" * 301, "M", "Caen", "intitulé du dispositif trop long"),
        ("T", "M" * 301, "Caen", "intitulé du module trop long"),
        ("T", "M", "L" * 301, "lieu trop long"),
    ):
        raw = formation.format(title, module, place).encode("cp1252")
        (problem,) = list(iter_formations(io.BytesIO(raw)))
        assert problem.reason.startswith(word)


def test_an_uploaded_file_is_read_like_a_file_on_disk():
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (FILES / "A014_Stagiaires_20260915.csv").read_bytes()
    upload = SimpleUploadedFile("A014_Stagiaires_20260915.csv", content, "text/csv")
    assert list(iter_trainees(upload)) == read(iter_trainees, "A014_Stagiaires_20260915.csv")


# Rejected lines: each reported with its line number and reason, and the reading goes on -----


def test_formations_rejected_lines():
    items = read(iter_formations, "formations_lignes_rejetees.csv")
    assert problems(items) == {
        2: "13 champs au lieu de 14",
        3: "identifiant de dispositif vide",
        4: "identifiant de module non numérique : 12A45",
        5: "identifiant de session non numérique : S126",
        6: "date de début invalide : 31/02/2026",
        7: "heure de début invalide : 25:00",
        8: "fin avant le début : du 16/09/2026 09:00 au 15/09/2026 12:00",
        9: "fin avant le début : du 15/09/2026 14:00 au 15/09/2026 12:00",
        10: "numéro de groupe trop long : « 123 » (3 caractères, au plus 2)",
        11: "identifiant de dispositif trop long : « 26A01400012 » (11 caractères, au plus 10)",
        12: "type de lieu trop long : « EC » (2 caractères, au plus 1)",
        13: "date de début vide",
        14: "15 champs au lieu de 14",
        15: "identifiant de module non numérique : abc ; date de fin invalide : 30/02/2026",
        16: "date de début invalide : 2026-09-15 ; heure de fin invalide : 12h00",
    }
    # Titles may be empty; accents and « » survive.
    assert [(row.line, row.session_code, row.module_title) for row in rows(items)] == [
        (1, "123", "Lire à voix haute"),
        (17, "138", ""),
        (18, "139", "Lire à voix haute : « Pont-l’Évêque »"),
    ]


def test_problem_keeps_file_and_excerpt():
    items = read(iter_formations, "formations_lignes_rejetees.csv")
    problem = next(item for item in items if isinstance(item, Problem))
    assert problem == Problem(
        file=FORMATIONS,
        line=2,
        reason="13 champs au lieu de 14",
        excerpt="FORMATIONS|26A0140001|Découvrir les œuvres|12345|Lire à voix haute|123|01|"
        "15/09/2026|09:00|15/09/2026|12:00|E|Caen",
        session_code="123",  # the session the rejected line was about
    )


def test_excerpt_is_cut_to_200_characters():
    line = "STAGIAIRES|123|" + "é" * 300 + "|Léa\r\n"
    problem, _row = list(iter_trainees(io.BytesIO(line.encode("cp1252") + trainee_line(1))))
    assert problem.reason == "4 champs au lieu de 5"
    assert problem.excerpt == ("STAGIAIRES|123|" + "é" * 300)[:200]
    assert len(problem.excerpt) == 200


def test_trainers_rejected_lines():
    items = read(iter_trainers, "intervenants_lignes_rejetees.csv")
    assert problems(items) == {
        2: "identifiant de module non numérique : x1",
        3: "adresse électronique vide",
        4: "adresse électronique invalide : francois garcon@ac-rouen.fr",
        # A Formations line further down is a wrong line, not a wrong file.
        5: "14 champs au lieu de 5",
        6: "nom vide",
    }
    assert [(row.line, row.last_name) for row in rows(items)] == [(1, "N'Diaye"), (7, "Lœillet")]


def test_trainees_rejected_lines():
    items = read(iter_trainees, "stagiaires_lignes_rejetees.csv")
    assert problems(items) == {
        2: "adresse électronique vide",
        3: "adresse électronique invalide : noel.boeuf@",
        4: "identifiant de session non numérique : 12 3",
        5: "4 champs au lieu de 5",
        6: "6 champs au lieu de 5",
        7: "identifiant de session vide ; nom vide",
    }
    assert [(row.line, row.last_name) for row in rows(items)] == [
        (1, "D'Almeida"),
        (8, "N'Guessan"),
    ]


def test_a_module_id_too_large_for_the_database_is_rejected():
    line = "INTERVENANTS|99999999999|Martin|Léa|lea.martin@ac-normandie.fr\r\n"
    (problem,) = list(iter_trainers(io.BytesIO(line.encode("cp1252"))))
    assert problem.reason == "identifiant de module trop grand : 99999999999"


def test_times_with_seconds_and_single_digit_hours():
    line = (
        "FORMATIONS|26A0140001|Titre|1|Module|2|01|01/10/2026|8:30:00|01/10/2026|17:05|E|Caen|\r\n"
    )
    (row,) = list(iter_formations(io.BytesIO(line.encode("cp1252"))))
    assert (row.start_time, row.end_time) == (dt.time(8, 30), dt.time(17, 5))


# Whole files refused ------------------------------------------------------------------------


def test_utf8_file_is_refused():
    with pytest.raises(FileRefused) as refused:
        read(iter_trainees, "stagiaires_utf8.csv")
    assert refused.value.file == STAGIAIRES
    assert refused.value.reason.startswith(
        "Le fichier Stagiaires est encodé en UTF-8 : GAIA produit du Windows-1252 (ligne 1"
    )


def test_utf8_bom_is_refused_even_when_the_text_is_ascii():
    with pytest.raises(FileRefused) as refused:
        read(iter_trainees, "stagiaires_utf8_bom.csv")
    assert "est encodé en UTF-8 : GAIA produit du Windows-1252" in refused.value.reason


def test_utf8_detected_further_down_stops_the_reading_there():
    """The refusal comes when the line is read: the rows already yielded must be discarded."""
    with open(FILES / "stagiaires_utf8_ligne_3.csv", "rb") as stream:
        items = iter_trainees(stream)
        assert [row.line for row in (next(items), next(items))] == [1, 2]
        with pytest.raises(FileRefused) as refused:
            next(items)
    assert "(ligne 3 : « STAGIAIRES|124|Lefèvre|Hélène|" in refused.value.reason


def test_bytes_undefined_in_windows_1252_are_refused():
    with pytest.raises(FileRefused) as refused:
        read(iter_trainees, "stagiaires_pas_windows_1252.csv")
    assert refused.value.reason == (
        "Le fichier Stagiaires n’est pas encodé en Windows-1252 comme les exports GAIA : "
        "l’octet 0x81 de la ligne 2 n’y correspond à aucun caractère."
    )


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_each_undefined_byte_is_refused(byte):
    # Preceded by « é » (0xE9) the byte does not form valid UTF-8 either.
    data = b"INTERVENANTS|1|L\xe9" + bytes([byte]) + b"a|Martin|lea@ac-normandie.fr\r\n"
    with pytest.raises(FileRefused, match=f"l’octet 0x{byte:02X} de la ligne 1"):
        list(iter_trainers(io.BytesIO(data)))


def test_utf16_is_refused():
    with pytest.raises(FileRefused, match="octets nuls"):
        read(iter_trainees, "stagiaires_utf16.csv")


@pytest.mark.parametrize("name", ["vide.csv", "lignes_vides.csv"])
@pytest.mark.parametrize(
    ("parser", "label"),
    [
        (iter_formations, "Formations"),
        (iter_trainers, "Intervenants"),
        (iter_trainees, "Stagiaires"),
    ],
)
def test_empty_file_is_refused(name, parser, label):
    with pytest.raises(FileRefused) as refused:
        read(parser, name)
    assert refused.value.reason == f"Le fichier {label} est vide."


@pytest.mark.parametrize("name", ["A014_Stagiaires_20260915.csv", "A014_Intervenants_20260915.csv"])
def test_a_five_field_file_in_the_formations_slot_is_refused(name):
    with pytest.raises(FileRefused) as refused:
        read(iter_formations, name)
    assert refused.value.file == FORMATIONS
    assert "ce fichier ressemble à un fichier Stagiaires ou Intervenants" in refused.value.reason


@pytest.mark.parametrize(
    ("parser", "kind"), [(iter_trainers, INTERVENANTS), (iter_trainees, STAGIAIRES)]
)
def test_a_formations_file_in_a_five_field_slot_is_refused(parser, kind):
    with pytest.raises(FileRefused) as refused:
        read(parser, "A014_Formations_20260915.csv")
    assert refused.value.file == kind
    assert "ce fichier ressemble à un fichier Formations" in refused.value.reason


def test_intervenants_and_stagiaires_are_told_apart_by_their_table_name():
    with pytest.raises(FileRefused, match="ressemble à un fichier Intervenants"):
        read(iter_trainees, "A014_Intervenants_20260915.csv")
    with pytest.raises(FileRefused, match="ressemble à un fichier Stagiaires"):
        read(iter_trainers, "A014_Stagiaires_20260915.csv")


def test_a_line_without_end_is_refused_before_filling_memory(monkeypatch):
    monkeypatch.setattr(gaia, "MAX_LINE_BYTES", 1000)
    data = b"STAGIAIRES|123|Martin|Lea|" + b"x" * 5000
    with pytest.raises(FileRefused, match="ce n’est pas un fichier GAIA"):
        list(iter_trainees(io.BytesIO(data)))


def test_a_text_stream_is_a_programming_error():
    with pytest.raises(TypeError):
        list(iter_trainees(io.StringIO("STAGIAIRES|123|Martin|Léa|lea@ac-normandie.fr\n")))


# Streaming -----------------------------------------------------------------------------------


class RecordingStream(io.RawIOBase):
    """A binary stream that counts the bytes handed out."""

    def __init__(self, data: bytes):
        self.inner = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = self.inner.read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_rows_come_before_the_file_is_read_through():
    data = b"".join(trainee_line(index) for index in range(20_000))  # ≈ 1.2 MB
    stream = RecordingStream(data)
    items = iter_trainees(stream)
    first = next(items)
    assert first == TraineeRow(1, "100", "Lefèvre", "Hélène", "helene0@ac-normandie.fr")
    assert stream.bytes_read < len(data) / 10
    assert sum(1 for _ in items) == 19_999
    assert stream.bytes_read == len(data)


def test_lines_split_across_chunks_are_whole(monkeypatch):
    monkeypatch.setattr(gaia, "CHUNK_SIZE", 7)  # cuts lines, and « é », \r and \n, everywhere
    data = b"".join(trainee_line(index) for index in range(50))
    items = list(iter_trainees(io.BytesIO(data)))
    assert [(row.line, row.session_code, row.last_name) for row in items] == [
        (index + 1, str(100 + index), "Lefèvre") for index in range(50)
    ]


def test_the_bytes_consumed_are_those_of_the_lines_handed_out_not_of_the_read_ahead():
    lines = [trainee_line(index) for index in range(2_000)]
    data = b"".join([*lines[:10], b"\r\n", *lines[10:]])  # a blank line is consumed too
    stream = RecordingStream(data)
    consumed = gaia.Consumed()
    items = iter_trainees(stream, consumed)

    for _ in range(11):
        next(items)

    assert consumed.bytes == sum(len(line) for line in lines[:11]) + 2
    assert stream.bytes_read == gaia.CHUNK_SIZE  # the stream is far ahead
    assert sum(1 for _ in items) == 1_989
    assert consumed.bytes == len(data)


# E-mail domains -----------------------------------------------------------------------------


def test_canonical_email():
    assert canonical_email("Lea.Martin@AC-CAEN.fr", ALIASES) == "lea.martin@ac-normandie.fr"
    assert canonical_email(" lea.martin@ac-rouen.fr ", ALIASES) == "lea.martin@ac-normandie.fr"
    assert canonical_email("lea.martin@ac-normandie.fr", ALIASES) == "lea.martin@ac-normandie.fr"
    assert canonical_email("Lea@Gmail.com", ALIASES) == "lea@gmail.com"
    assert canonical_email("Lea@AC-Caen.fr", {"AC-CAEN.FR": "AC-Normandie.fr"}) == (
        "lea@ac-normandie.fr"
    )


def test_email_variants():
    expected = {"lea@ac-normandie.fr", "lea@ac-caen.fr", "lea@ac-rouen.fr"}
    assert email_variants("Lea@AC-CAEN.fr", ALIASES) == expected
    assert email_variants("lea@ac-normandie.fr", ALIASES) == expected
    assert email_variants("lea@ac-lille.fr", ALIASES) == {"lea@ac-lille.fr"}
    assert email_variants("lea@ac-caen.fr", {}) == {"lea@ac-caen.fr"}
