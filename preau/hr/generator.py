"""Realistic GAIA daily files of any size, for the benchmark and for trying the import by hand.

The three files are written line by line (memory does not grow with their size) and are the same
for the same arguments. Formations: dispositifs of 1 to 4 modules, modules of 1 to 6 sessions
spread over groups « 01 » to « 03 », about 10 % national dispositifs, dates in the school year
of `day`. Intervenants: `trainers_per_module` trainers per module, drawn from a pool so that a
trainer leads several modules. Stagiaires: exactly `trainees` lines, about 3 per session on
average with a realistic spread (many sessions of 1 to 4, a few of 10 and more, some empty), the
same person following several sessions.
"""

import datetime as dt
import random
import re
from collections.abc import Iterator
from pathlib import Path

from preau.core.names import FIRST_NAMES, LAST_NAMES, SCHOOL_KINDS, SCHOOL_PATRONS, ascii_slug
from preau.hours.rules import school_year_bounds, school_year_day, school_year_of

from .gaia import FORMATIONS, INTERVENANTS, STAGIAIRES

TABLES = {FORMATIONS: "FORMATIONS", INTERVENANTS: "INTERVENANTS", STAGIAIRES: "STAGIAIRES"}

THEMES = (
    "Enseigner les mathématiques au cycle 2",
    "Plan français : lire et écrire au cycle 3",
    "Découvrir les œuvres de la littérature de jeunesse",
    "École inclusive : élèves à besoins éducatifs particuliers",
    "Le cœur du métier : gestes professionnels en maternelle",
    "Éducation physique et sportive : savoir nager",
    "Enseignement moral et civique : débattre en classe",
    "Langues vivantes : l’anglais à l’école élémentaire",
    "Numérique responsable et éducation aux médias",
    "Sciences et technologie : démarche d’investigation",
    "Arts plastiques et éducation musicale : chorale d’école",
    "Évaluer pour faire progresser les élèves",
    "Climat scolaire et prévention du harcèlement",
    "Liaison école–collège : continuité des apprentissages",
    "Direction d’école : piloter le projet d’école",
)
MODULE_KINDS = (
    "Apports théoriques",
    "Mise en œuvre en classe",
    "Analyse de pratiques",
    "Observation croisée",
    "Parcours à distance",
    "Retour d’expérience",
)
TOWNS = (
    "Caen",
    "Rouen",
    "Le Havre",
    "Évreux",
    "Alençon",
    "Saint-Lô",
    "Cherbourg-en-Cotentin",
    "Lisieux",
    "Bayeux",
    "Dieppe",
    "Fécamp",
    "Pont-l’Évêque",
)
PLACE_TYPES = ("E", "E", "E", "C", "D")  # école, circonscription, distance
HOURS = (
    ("09:00", "12:00"),
    ("09:00", "16:30"),
    ("13:30", "16:30"),
    ("14:00", "17:00"),
    ("", ""),
)
HOURS_WEIGHTS = (30, 35, 20, 10, 5)

# preau.core.names splits « Le\u00a0Gall » into « Le » and « Gall » (str.split() also splits on
# no-break spaces): the fragments are left out and the compound names added back here.
_FRAGMENTS = {"Le", "Da", "Ben"}
LAST_NAMES = [name for name in LAST_NAMES if name not in _FRAGMENTS] + [
    name
    for name in ("Le Gall", "Le Roux", "Le Goff", "Da Silva", "Ben Ahmed", "D'Almeida", "L'Hôte")
    if name not in LAST_NAMES
]
_FIRST_SLUGS = [ascii_slug(name) for name in FIRST_NAMES]
_LAST_SLUGS = [ascii_slug(name) for name in LAST_NAMES]


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The school year of `day` (hours.rules), from 1 September to 30 June, its last day of
    classes; after that day (the summer), GAIA describes the coming one."""
    year = school_year_of(day)
    if day > school_year_day(year, 6, 30):
        year += 1
    return school_year_bounds(year)[0], school_year_day(year, 6, 30)


def _person(number: int, seed: int) -> tuple[str, str, str]:
    """(last name, first name, e-mail local part) of person `number`: cheap and deterministic."""
    mixed = (number * 2654435761 + seed * 40503) & 0xFFFFFFFF
    first = mixed % len(FIRST_NAMES)
    last = (mixed // len(FIRST_NAMES)) % len(LAST_NAMES)
    local = f"{_FIRST_SLUGS[first]}.{_LAST_SLUGS[last]}{number}"
    return LAST_NAMES[last], FIRST_NAMES[first], local


def _session_weights(seed: int, sessions: int) -> Iterator[float]:
    """The popularity of each session; drawn again from the seed instead of being kept."""
    rng = random.Random(f"{seed}-weights")
    for _ in range(sessions):
        # A gamma of shape 1.5: most sessions small, a long tail of popular ones; 6 % not open yet.
        yield 0.0 if rng.random() < 0.06 else rng.gammavariate(1.5, 1.0)


def _weekday(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    span = (last - first).days
    day = first + dt.timedelta(days=rng.randrange(span + 1))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def write_gaia_day(
    directory: Path,
    *,
    academie_code: str,
    day: dt.date,
    formations: int,
    trainees: int,
    trainers_per_module: int = 2,
    seed: int = 0,
    email_domain: str = "ac-normandie.fr",
) -> dict[str, Path]:
    """Writes {code}_Formations/Intervenants/Stagiaires_{YYYYMMDD}.csv in `directory`."""
    if trainees and not formations:
        raise ValueError("Des stagiaires sans formation : il faut au moins une ligne Formations.")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = day.strftime("%Y%m%d")
    code = academie_code.upper()
    paths = {kind: directory / f"{code}_{TABLES[kind].capitalize()}_{stamp}.csv" for kind in TABLES}
    rng = random.Random(f"{seed}-{code}-{stamp}")
    digits = "".join(re.findall(r"[0-9]", code))[-3:].rjust(3, "0")
    year_start, year_end = school_year(day)
    session_base = 100000 + rng.randrange(100000)
    module_base = 10000 + rng.randrange(10000)
    # Trainee people are numbered 1…pool, trainers after them: every e-mail is unique per person.
    pool = max(1, trainees - trainees // 6)
    trainer_pool = max(trainers_per_module, formations // 6)
    sessions = 0
    modules = 0

    def open_csv(kind):
        # GAIA runs on Windows: Windows-1252, \r\n at the end of each line.
        return open(paths[kind], "w", encoding="cp1252", newline="\r\n")

    with open_csv(FORMATIONS) as formations_file, open_csv(INTERVENANTS) as trainers_file:
        dispositif_number = 0
        while sessions < formations:
            dispositif_number += 1
            national = rng.random() < 0.1
            dispositif = f"{stamp[2:4]}{'N' if national else 'A'}{digits}{dispositif_number:04d}"
            theme = rng.choice(THEMES)
            title = f"{theme} ({'national' if national else 'académique'})"
            for module_index in range(rng.randint(1, 4)):
                if sessions >= formations:
                    break
                modules += 1
                module = module_base + modules
                module_title = f"{theme} – {MODULE_KINDS[module_index % len(MODULE_KINDS)]}"
                groups = rng.randint(1, 3)
                for session_index in range(rng.randint(1, 6)):
                    if sessions >= formations:
                        break
                    sessions += 1
                    starts_on = _weekday(rng, year_start, year_end - dt.timedelta(days=4))
                    length = rng.choices((0, 1, 2), weights=(75, 15, 10))[0]
                    ends_on = starts_on + dt.timedelta(days=length)
                    start, end = rng.choices(HOURS, weights=HOURS_WEIGHTS)[0]
                    place_type = rng.choice(PLACE_TYPES)
                    if place_type == "D":
                        place = "Classe virtuelle"
                    else:
                        kind = rng.choice(SCHOOL_KINDS)
                        place = f"{kind} {rng.choice(SCHOOL_PATRONS)}, {rng.choice(TOWNS)}"
                    formations_file.write(
                        f"{TABLES[FORMATIONS]}|{dispositif}|{title}|{module}|{module_title}|"
                        f"{session_base + sessions}|{session_index % groups + 1:02d}|"
                        f"{starts_on:%d/%m/%Y}|{start}|{ends_on:%d/%m/%Y}|{end}|"
                        f"{place_type}|{place}|\n"
                    )
                for trainer in rng.sample(range(trainer_pool), trainers_per_module):
                    number = trainees + 1 + trainer
                    last_name, first_name, local = _person(number, seed)
                    trainers_file.write(
                        f"{TABLES[INTERVENANTS]}|{module}|{last_name}|{first_name}|"
                        f"{local}@{email_domain}\n"
                    )

    # Each session gets its share of `trainees`, rounded so that the shares add up exactly.
    total_weight = sum(_session_weights(seed, sessions)) or 1.0
    with open_csv(STAGIAIRES) as trainees_file:
        cumulated = 0.0
        written = 0
        for index, weight in enumerate(_session_weights(seed, sessions), start=1):
            cumulated += weight
            target = trainees if index == sessions else round(trainees * cumulated / total_weight)
            count = target - written
            written = target
            if count <= 0:
                continue
            for number in rng.sample(range(1, max(pool, count) + 1), count):
                last_name, first_name, local = _person(number, seed)
                trainees_file.write(
                    f"{TABLES[STAGIAIRES]}|{session_base + index}|{last_name}|{first_name}|"
                    f"{local}@{email_domain}\n"
                )
    return paths
