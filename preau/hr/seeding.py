"""Demo data of the HR interchange, made through the real services: a GAIA day of the demo
académie imported and applied (existing teachers matched, one under an old ac-caen.fr address,
four unknown people as placeholders), a Caen Nord session linked to one GAIA session, and the
next day's files waiting for the manager's confirmation (one trainee added, one removed)."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from preau.accounts.models import User
from preau.territories.models import Academie
from preau.territories.seeding import DEMO_ACADEMIE
from preau.training.models import EnrolmentSource, SessionStatus, TrainingSession

from . import services
from .models import HrImport, HrSession

MANAGER = "gestionnaire@demo.preau.fr"
TRAINER = "formateur@demo.preau.fr"
NEWCOMERS = [  # people GAIA knows and the platform does not: placeholders
    ("N'Guessan", "Aïcha", "aicha.nguessan@ac-normandie.fr"),
    ("Lœvenbruck", "Gaël", "gael.loevenbruck@ac-normandie.fr"),
    ("Château", "Bérangère", "berangere.chateau@ac-normandie.fr"),
    ("D'Almeida", "João", "joao.dalmeida@ac-normandie.fr"),
]


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")


def _formations() -> list[str]:
    rows = [
        ("26A0700123", "Plan français : lecture au cycle 2", "45210", "Fluence et compréhension",
         "700101", "01", 21, "École Jules Ferry, Caen"),
        ("26A0700123", "Plan français : lecture au cycle 2", "45210", "Fluence et compréhension",
         "700102", "02", 28, "École du Val, Bayeux"),
        ("26N0700456", "Mathématiques : résoudre des problèmes", "45877",
         "Problèmes au cycle 3", "700201", "01", 35, "Canopé, Caen"),
    ]  # fmt: skip
    return [
        "|".join(
            [
                "FORMATIONS",
                disp,
                disp_title,
                module,
                module_title,
                session,
                group,
                _day(start),
                "09:00",
                _day(start),
                "16:30",
                "E",
                place,
                "",
            ]
        )  # fmt: skip
        for disp, disp_title, module, module_title, session, group, start, place in rows
    ]


def _files(trainees: list[tuple[str, str, str, str]], day: datetime.date, code: str) -> dict:
    trainer = User.objects.get(email=TRAINER)
    lines = {
        "formations": _formations(),
        "intervenants": [
            f"INTERVENANTS|45210|{trainer.last_name}|{trainer.first_name}|{trainer.email}",
            "INTERVENANTS|45877|Lemoine|Anne-Sophie|anne-sophie.lemoine@ac-normandie.fr",
        ],
        "stagiaires": [
            f"STAGIAIRES|{s}|{last}|{first}|{email}" for s, last, first, email in trainees
        ],
    }
    stamp = day.strftime("%Y%m%d")
    names = {"formations": "Formations", "intervenants": "Intervenants", "stagiaires": "Stagiaires"}
    return {
        kind: SimpleUploadedFile(
            f"{code}_{names[kind]}_{stamp}.csv",
            "".join(line + "\r\n" for line in rows).encode("cp1252"),
        )
        for kind, rows in lines.items()
    }


def seed_demo(rng: random.Random, log) -> None:
    academie = Academie.objects.get(code=DEMO_ACADEMIE[0])
    if HrImport.objects.filter(academie=academie).exists():
        log("GAIA : les imports de démonstration sont déjà en place.")
        return
    manager = User.objects.get(email=MANAGER)
    session = (
        TrainingSession.objects.filter(
            circonscription__name="Caen Nord", status=SessionStatus.PREPARATION
        )
        .order_by("pk")
        .first()
    )
    # The session's participants enrolled "from the HR application" are GAIA's trainees of
    # session 700101: linking it records what the demo's story says.
    from_hr = list(
        User.objects.filter(
            enrolments__session=session, enrolments__source=EnrolmentSource.HR
        ).order_by("pk")
    )
    others = list(
        User.objects.teachers()
        .filter(school__circonscription__name="Caen Nord", is_placeholder=False)
        .exclude(email__endswith="@demo.preau.fr")
        .exclude(pk__in=[u.pk for u in from_hr])
        .order_by("pk")[:9]
    )
    people = [(t.last_name, t.first_name, t.email) for t in others]
    # One of them, in GAIA, still under the address of the former académie de Caen.
    last, first, email = people[0]
    people[0] = (last, first, email.replace("@ac-normandie.fr", "@ac-caen.fr"))
    trainees = (
        [("700101", u.last_name, u.first_name, u.email) for u in from_hr]
        + [("700101", *NEWCOMERS[0])]
        + [("700102", *p) for p in people[:5]]
        + [("700201", *p) for p in people[5:8]]
        + [("700201", *n) for n in NEWCOMERS[1:]]
    )
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    hr_import = services.build_preview(
        services.start_gaia_import(
            academie=academie, uploads=_files(trainees, yesterday, academie.code), by=manager
        )
    )
    services.confirm_import(hr_import=hr_import, by=manager)
    services.apply_import(hr_import)
    if session is not None:
        services.link_session(
            session=session,
            hr_session=HrSession.objects.get(academie=academie, session_code="700101"),
            unenrol_missing=False,
            by=User.objects.get(email=TRAINER),
        )
    # Today's files: one trainee of 700101 withdrawn, one added; waiting for confirmation.
    today_trainees = [t for t in trainees if t[3] != trainees[0][3]] + [("700101", *people[8])]
    services.build_preview(
        services.start_gaia_import(
            academie=academie, uploads=_files(today_trainees, today, academie.code), by=manager
        )
    )
    log(
        f"GAIA : un jour importé (3 sessions, {len(trainees)} stagiaires dont 4 inconnus, "
        "en comptes en attente), une session de Caen Nord liée, l’import du jour à confirmer."
    )
