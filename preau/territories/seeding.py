"""Territories for `manage.py seed`.

- demo: one académie (Normandie), two départements, six circonscriptions, 60 schools;
- national: the 30 académies and 101 départements of France with their real codes, ≈1,300
  circonscriptions and ≈45,000 schools spread by the size of each département.

The two sets can share a database: the national set reuses the rows of académie A070 and of
départements 014 and 050 if the demo created them (same real codes and names), and numbers its
circonscriptions and schools in ranges the demo does not use (demo: schools 1000–1299,
circonscriptions 9000–9099; national: schools from 2000, circonscriptions from 9100). The demo
refuses a database that already holds the national set, because its people would be drawn in
the national schools of Normandie.
"""

import math
import random
import time
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db import transaction

from preau.core.names import school_name

from .models import Academie, Circonscription, Departement, School
from .validators import uai_check_letter

DEMO_ACADEMIE = ("A070", "Normandie")
DEMO_TERRITORIES = {
    ("014", "Calvados"): {
        "Caen Nord": ["Caen", "Hérouville-Saint-Clair", "Épron", "Biéville-Beuville"],
        "Caen Sud": ["Caen", "Ifs", "Fleury-sur-Orne", "Mondeville"],
        "Bayeux": ["Bayeux", "Port-en-Bessin-Huppain", "Creully sur Seulles", "Balleroy"],
    },
    ("050", "Manche"): {
        "Saint-Lô": ["Saint-Lô", "Agneaux", "Condé-sur-Vire", "Torigny-les-Villes"],
        "Cherbourg-en-Cotentin": ["Cherbourg-en-Cotentin", "Valognes", "La Hague", "Tourlaville"],
        "Avranches": ["Avranches", "Granville", "Pontorson", "Ducey-Les Chéris"],
    },
}
SCHOOLS_PER_CIRCONSCRIPTION = 10


def uai_prefix(departement_code: str) -> str:
    """The three digits that open the UAIs of a département: "014", Corsica "620"/"720", "971"."""
    return {"02A": "620", "02B": "720"}.get(departement_code, departement_code)


def make_uai(departement_code: str, number: int) -> str:
    digits = f"{uai_prefix(departement_code)}{number:04d}"
    return digits + uai_check_letter(digits)


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    if national_territories_present():
        raise CommandError(
            "Cette base contient déjà le jeu de données national : la démonstration se charge "
            "dans une autre base (ou avant le jeu national), sinon ses comptes seraient tirés "
            "dans les écoles nationales de Normandie."
        )
    academie, _created = Academie.objects.get_or_create(
        code=DEMO_ACADEMIE[0], defaults={"name": DEMO_ACADEMIE[1]}
    )
    for (dep_code, dep_name), circonscriptions in DEMO_TERRITORIES.items():
        departement, _created = Departement.objects.get_or_create(
            code=dep_code, defaults={"name": dep_name, "academie": academie}
        )
        for index, (name, communes) in enumerate(circonscriptions.items()):
            circonscription, _created = Circonscription.objects.get_or_create(
                code=make_uai(dep_code, 9000 + index),
                defaults={"name": name, "departement": departement},
            )
            for number in range(SCHOOLS_PER_CIRCONSCRIPTION):
                uai = make_uai(dep_code, 1000 + index * 100 + number)
                School.objects.get_or_create(
                    uai=uai,
                    defaults={
                        "name": school_name(rng),
                        "commune": communes[number % len(communes)],
                        "departement": departement,
                        "circonscription": circonscription,
                    },
                )
    log(f"Territoires : {School.objects.count()} écoles en base.")


# --- National scale -------------------------------------------------------------------------

# (code, name, slug of its e-mail domain ac-<slug>.fr): the 30 académies since Caen and Rouen
# merged into Normandie (2020), with the ministry's numbers.
ACADEMIES = [
    ("A001", "Paris", "paris"),
    ("A002", "Aix-Marseille", "aix-marseille"),
    ("A003", "Besançon", "besancon"),
    ("A004", "Bordeaux", "bordeaux"),
    ("A006", "Clermont-Ferrand", "clermont"),
    ("A007", "Dijon", "dijon"),
    ("A008", "Grenoble", "grenoble"),
    ("A009", "Lille", "lille"),
    ("A010", "Lyon", "lyon"),
    ("A011", "Montpellier", "montpellier"),
    ("A012", "Nancy-Metz", "nancy-metz"),
    ("A013", "Poitiers", "poitiers"),
    ("A014", "Rennes", "rennes"),
    ("A015", "Strasbourg", "strasbourg"),
    ("A016", "Toulouse", "toulouse"),
    ("A017", "Nantes", "nantes"),
    ("A018", "Orléans-Tours", "orleans-tours"),
    ("A019", "Reims", "reims"),
    ("A020", "Amiens", "amiens"),
    ("A022", "Limoges", "limoges"),
    ("A023", "Nice", "nice"),
    ("A024", "Créteil", "creteil"),
    ("A025", "Versailles", "versailles"),
    ("A027", "Corse", "corse"),
    ("A028", "La Réunion", "reunion"),
    ("A031", "Martinique", "martinique"),
    ("A032", "Guadeloupe", "guadeloupe"),
    ("A033", "Guyane", "guyane"),
    ("A043", "Mayotte", "mayotte"),
    ("A070", "Normandie", "normandie"),
]

# (code, name, académie, préfecture, population in thousands, rounded): the population weighs
# how many circonscriptions, schools and teachers each département receives.
DEPARTEMENTS = [
    ("001", "Ain", "A010", "Bourg-en-Bresse", 657),
    ("002", "Aisne", "A020", "Laon", 529),
    ("003", "Allier", "A006", "Moulins", 335),
    ("004", "Alpes-de-Haute-Provence", "A002", "Digne-les-Bains", 166),
    ("005", "Hautes-Alpes", "A002", "Gap", 141),
    ("006", "Alpes-Maritimes", "A023", "Nice", 1098),
    ("007", "Ardèche", "A008", "Privas", 329),
    ("008", "Ardennes", "A019", "Charleville-Mézières", 269),
    ("009", "Ariège", "A016", "Foix", 155),
    ("010", "Aube", "A019", "Troyes", 310),
    ("011", "Aude", "A011", "Carcassonne", 375),
    ("012", "Aveyron", "A016", "Rodez", 280),
    ("013", "Bouches-du-Rhône", "A002", "Marseille", 2043),
    ("014", "Calvados", "A070", "Caen", 698),
    ("015", "Cantal", "A006", "Aurillac", 144),
    ("016", "Charente", "A013", "Angoulême", 352),
    ("017", "Charente-Maritime", "A013", "La Rochelle", 657),
    ("018", "Cher", "A018", "Bourges", 300),
    ("019", "Corrèze", "A022", "Tulle", 240),
    ("021", "Côte-d'Or", "A007", "Dijon", 535),
    ("022", "Côtes-d'Armor", "A014", "Saint-Brieuc", 603),
    ("023", "Creuse", "A022", "Guéret", 115),
    ("024", "Dordogne", "A004", "Périgueux", 413),
    ("025", "Doubs", "A003", "Besançon", 545),
    ("026", "Drôme", "A008", "Valence", 519),
    ("027", "Eure", "A070", "Évreux", 600),
    ("028", "Eure-et-Loir", "A018", "Chartres", 431),
    ("029", "Finistère", "A014", "Quimper", 917),
    ("02A", "Corse-du-Sud", "A027", "Ajaccio", 160),
    ("02B", "Haute-Corse", "A027", "Bastia", 182),
    ("030", "Gard", "A011", "Nîmes", 752),
    ("031", "Haute-Garonne", "A016", "Toulouse", 1435),
    ("032", "Gers", "A016", "Auch", 192),
    ("033", "Gironde", "A004", "Bordeaux", 1662),
    ("034", "Hérault", "A011", "Montpellier", 1202),
    ("035", "Ille-et-Vilaine", "A014", "Rennes", 1100),
    ("036", "Indre", "A018", "Châteauroux", 218),
    ("037", "Indre-et-Loire", "A018", "Tours", 612),
    ("038", "Isère", "A008", "Grenoble", 1280),
    ("039", "Jura", "A003", "Lons-le-Saunier", 259),
    ("040", "Landes", "A004", "Mont-de-Marsan", 419),
    ("041", "Loir-et-Cher", "A018", "Blois", 329),
    ("042", "Loire", "A010", "Saint-Étienne", 767),
    ("043", "Haute-Loire", "A006", "Le Puy-en-Velay", 228),
    ("044", "Loire-Atlantique", "A017", "Nantes", 1459),
    ("045", "Loiret", "A018", "Orléans", 685),
    ("046", "Lot", "A016", "Cahors", 175),
    ("047", "Lot-et-Garonne", "A004", "Agen", 331),
    ("048", "Lozère", "A011", "Mende", 77),
    ("049", "Maine-et-Loire", "A017", "Angers", 822),
    ("050", "Manche", "A070", "Saint-Lô", 493),
    ("051", "Marne", "A019", "Châlons-en-Champagne", 566),
    ("052", "Haute-Marne", "A019", "Chaumont", 170),
    ("053", "Mayenne", "A017", "Laval", 307),
    ("054", "Meurthe-et-Moselle", "A012", "Nancy", 731),
    ("055", "Meuse", "A012", "Bar-le-Duc", 183),
    ("056", "Morbihan", "A014", "Vannes", 765),
    ("057", "Moselle", "A012", "Metz", 1046),
    ("058", "Nièvre", "A007", "Nevers", 200),
    ("059", "Nord", "A009", "Lille", 2611),
    ("060", "Oise", "A020", "Beauvais", 829),
    ("061", "Orne", "A070", "Alençon", 279),
    ("062", "Pas-de-Calais", "A009", "Arras", 1460),
    ("063", "Puy-de-Dôme", "A006", "Clermont-Ferrand", 664),
    ("064", "Pyrénées-Atlantiques", "A004", "Pau", 687),
    ("065", "Hautes-Pyrénées", "A016", "Tarbes", 229),
    ("066", "Pyrénées-Orientales", "A011", "Perpignan", 482),
    ("067", "Bas-Rhin", "A015", "Strasbourg", 1141),
    ("068", "Haut-Rhin", "A015", "Colmar", 767),
    ("069", "Rhône", "A010", "Lyon", 1883),
    ("070", "Haute-Saône", "A003", "Vesoul", 234),
    ("071", "Saône-et-Loire", "A007", "Mâcon", 551),
    ("072", "Sarthe", "A017", "Le Mans", 566),
    ("073", "Savoie", "A008", "Chambéry", 439),
    ("074", "Haute-Savoie", "A008", "Annecy", 826),
    ("075", "Paris", "A001", "Paris", 2133),
    ("076", "Seine-Maritime", "A070", "Rouen", 1255),
    ("077", "Seine-et-Marne", "A024", "Melun", 1421),
    ("078", "Yvelines", "A025", "Versailles", 1449),
    ("079", "Deux-Sèvres", "A013", "Niort", 374),
    ("080", "Somme", "A020", "Amiens", 570),
    ("081", "Tarn", "A016", "Albi", 389),
    ("082", "Tarn-et-Garonne", "A016", "Montauban", 262),
    ("083", "Var", "A023", "Toulon", 1076),
    ("084", "Vaucluse", "A002", "Avignon", 561),
    ("085", "Vendée", "A017", "La Roche-sur-Yon", 685),
    ("086", "Vienne", "A013", "Poitiers", 438),
    ("087", "Haute-Vienne", "A022", "Limoges", 372),
    ("088", "Vosges", "A012", "Épinal", 364),
    ("089", "Yonne", "A007", "Auxerre", 335),
    ("090", "Territoire de Belfort", "A003", "Belfort", 141),
    ("091", "Essonne", "A025", "Évry-Courcouronnes", 1301),
    ("092", "Hauts-de-Seine", "A025", "Nanterre", 1624),
    ("093", "Seine-Saint-Denis", "A024", "Bobigny", 1655),
    ("094", "Val-de-Marne", "A024", "Créteil", 1407),
    ("095", "Val-d'Oise", "A025", "Cergy", 1249),
    ("971", "Guadeloupe", "A032", "Basse-Terre", 384),
    ("972", "Martinique", "A031", "Fort-de-France", 361),
    ("973", "Guyane", "A033", "Cayenne", 286),
    ("974", "La Réunion", "A028", "Saint-Denis", 868),
    ("976", "Mayotte", "A043", "Mamoudzou", 310),
]

NATIONAL_CIRCONSCRIPTIONS = 1_300
NATIONAL_SCHOOLS = 45_000
NATIONAL_TEACHERS = 330_000
# How each count grows with the population: rural départements have many small schools (and
# the circonscriptions that go with them), so schools grow slower than teachers.
SCHOOL_EXPONENT, CIRCONSCRIPTION_EXPONENT = 0.7, 0.85
# The national numbering keeps clear of the demo's (schools 1000–1299, circonscriptions 9000+).
NATIONAL_FIRST_SCHOOL = 2000
NATIONAL_FIRST_CIRCONSCRIPTION = 9100
BATCH_SIZE = 5000


@dataclass(frozen=True)
class DepartementPlan:
    """What the national set holds in one département; the codes follow from the counts."""

    code: str
    name: str
    academie_code: str
    prefecture: str
    circonscriptions: int
    schools: int
    teachers: int

    def circonscription_code(self, index: int) -> str:
        return make_uai(self.code, NATIONAL_FIRST_CIRCONSCRIPTION + index)

    def circonscription_name(self, index: int) -> str:
        return f"{self.prefecture} {index + 1}"

    def school_uai(self, index: int) -> str:
        return make_uai(self.code, NATIONAL_FIRST_SCHOOL + index)

    def circonscription_of_school(self, index: int) -> int:
        # Schools in UAI order, cut into near-equal runs: one run per circonscription.
        return index * self.circonscriptions // self.schools


def _allocate(total: float, weights: list[float], minimums: list[int]) -> list[int]:
    """Splits `total` by `weights` (largest remainders), each share at least its minimum."""
    raw = [total * weight / sum(weights) for weight in weights]
    shares = [math.floor(value) for value in raw]
    left = max(0, round(total) - sum(shares))
    by_remainder = sorted(range(len(raw)), key=lambda i: shares[i] - raw[i])
    for i in by_remainder[:left]:
        shares[i] += 1
    return [max(share, minimum) for share, minimum in zip(shares, minimums, strict=True)]


def national_plan(factor: float = 1.0) -> list[DepartementPlan]:
    """The national set at `factor` of its real size (1.0: ≈1,300 circonscriptions, ≈45,000
    schools, ≈330,000 teachers). Every département keeps at least one circonscription, every
    circonscription one school and every school one teacher, so small factors round up.
    The plan depends on the factor only, never on the random draw: its codes are stable keys.
    """
    if not 0 < factor <= 1:
        raise ValueError("factor must be in ]0, 1]")
    populations = [population for *_rest, population in DEPARTEMENTS]
    ones = [1] * len(DEPARTEMENTS)
    circonscriptions = _allocate(
        NATIONAL_CIRCONSCRIPTIONS * factor,
        [p**CIRCONSCRIPTION_EXPONENT for p in populations],
        ones,
    )
    schools = _allocate(
        NATIONAL_SCHOOLS * factor, [p**SCHOOL_EXPONENT for p in populations], circonscriptions
    )
    teachers = _allocate(NATIONAL_TEACHERS * factor, populations, schools)
    return [
        DepartementPlan(code, name, academie, prefecture, n_circ, n_schools, n_teachers)
        for (code, name, academie, prefecture, _p), n_circ, n_schools, n_teachers in zip(
            DEPARTEMENTS, circonscriptions, schools, teachers, strict=True
        )
    ]


def national_circonscription_codes(plan: list[DepartementPlan]) -> list[str]:
    return [d.circonscription_code(i) for d in plan for i in range(d.circonscriptions)]


def national_territories_present() -> bool:
    """Whether a national seed ran here: at any factor, each département has a circonscription 0."""
    first_codes = [make_uai(code, NATIONAL_FIRST_CIRCONSCRIPTION) for code, *_rest in DEPARTEMENTS]
    return Circonscription.objects.filter(code__in=first_codes).exists()


@transaction.atomic
def seed_national(rng: random.Random, log, *, factor: float = 1.0) -> None:
    """Creates the national territories, or completes them: every row is keyed by a real code or
    a planned UAI and inserted with ON CONFLICT DO NOTHING, so a second run changes nothing and
    rows that already exist (the demo's Normandie, Calvados, Manche) are kept as they are.
    A database holds one size of the set: a run with another factor would add territories but
    no people (accounts.seeding.seed_national sees its people already there).
    """
    started = time.monotonic()
    plan = national_plan(factor)
    circonscription_codes = national_circonscription_codes(plan)
    national = Circonscription.objects.filter(code__in=circonscription_codes)
    if national.count() == len(circonscription_codes) and School.objects.filter(
        circonscription__in=national
    ).count() == sum(d.schools for d in plan):
        log("Territoires nationaux déjà en place : rien à ajouter.")
        return

    Academie.objects.bulk_create(
        [Academie(code=code, name=name) for code, name, _slug in ACADEMIES], ignore_conflicts=True
    )
    academies = dict(
        Academie.objects.filter(code__in=[a[0] for a in ACADEMIES]).values_list("code", "pk")
    )
    Departement.objects.bulk_create(
        [
            Departement(code=d.code, name=d.name, academie_id=academies[d.academie_code])
            for d in plan
        ],
        ignore_conflicts=True,
    )
    departements = dict(
        Departement.objects.filter(code__in=[d.code for d in plan]).values_list("code", "pk")
    )
    Circonscription.objects.bulk_create(
        [
            Circonscription(
                code=d.circonscription_code(i),
                name=d.circonscription_name(i),
                departement_id=departements[d.code],
            )
            for d in plan
            for i in range(d.circonscriptions)
        ],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    circonscriptions = dict(national.values_list("code", "pk"))
    # One département at a time: at most ≈1,300 School objects in memory. The national set
    # names no commune (there is no list of communes to draw from): UAI and circonscription
    # locate a school.
    for d in plan:
        School.objects.bulk_create(
            [
                School(
                    uai=d.school_uai(i),
                    name=school_name(rng),
                    departement_id=departements[d.code],
                    circonscription_id=circonscriptions[
                        d.circonscription_code(d.circonscription_of_school(i))
                    ],
                )
                for i in range(d.schools)
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
    log(
        f"Territoires nationaux : {len(academies)} académies, {len(departements)} départements, "
        f"{len(circonscriptions)} circonscriptions, "
        f"{School.objects.filter(circonscription__in=national).count()} écoles "
        f"({time.monotonic() - started:.1f} s)."
    )
