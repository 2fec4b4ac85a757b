"""Small hand-written GAIA files for the tests, encoded as GAIA writes them (Windows-1252)."""

from django.core.files.uploadedfile import SimpleUploadedFile

DAY = "20260915"


def formation(
    session="900001",
    *,
    dispositif="26A0700001",
    dispositif_title="Français au cycle 2",
    module="12345",
    module_title="Lecture à voix haute et fluence",
    group="01",
    start="05/10/2026",
    start_time="09:00",
    end="05/10/2026",
    end_time="12:00",
    place_type="E",
    place="École Jules Ferry, Caen",
) -> str:
    return "|".join(
        [
            "FORMATION",
            dispositif,
            dispositif_title,
            module,
            module_title,
            session,
            group,
            start,
            start_time,
            end,
            end_time,
            place_type,
            place,
            "",
        ]
    )


def trainer(module, last_name, first_name, email) -> str:
    return "|".join(["INTERVENANT", module, last_name, first_name, email])


def trainee(session, last_name, first_name, email) -> str:
    return "|".join(["STAGIAIRE", session, last_name, first_name, email])


def encode(lines: list[str], end: str = "\r\n") -> bytes:
    return "".join(line + end for line in lines).encode("cp1252")


def gaia_uploads(formations, trainers, trainees, *, academie="A070", day=DAY, end="\r\n"):
    """The three files of a day; `end="\\n"` writes the same lines as other bytes (another
    checksum: not the same files)."""
    return {
        "formations": SimpleUploadedFile(
            f"{academie}_Formations_{day}.csv", encode(formations, end)
        ),
        "intervenants": SimpleUploadedFile(
            f"{academie}_Intervenants_{day}.csv", encode(trainers, end)
        ),
        "stagiaires": SimpleUploadedFile(f"{academie}_Stagiaires_{day}.csv", encode(trainees, end)),
    }


# A day of the académie: two sessions of one module, a trainer, four trainees with the names
# that break naive code (accents, œ, an apostrophe).
FORMATIONS = [
    formation("900001"),
    formation("900002", group="02", start="12/10/2026", end="12/10/2026", place="École de Bayeux"),
]
TRAINERS = [trainer("12345", "Lefèvre", "Hélène", "helene.lefevre@ac-normandie.fr")]
TRAINEES = [
    trainee("900001", "N'Diaye", "Aïssatou", "aissatou.ndiaye@ac-normandie.fr"),
    trainee("900001", "Cœurdevey", "François", "francois.coeurdevey@ac-normandie.fr"),
    trainee("900002", "Bérénice", "Gaëlle", "gaelle.berenice@ac-normandie.fr"),
    trainee("900002", "Garçon", "Jérôme", "jerome.garcon@ac-normandie.fr"),
]
