"""Territories for the demo: one académie, two départements, six circonscriptions, 60 schools."""

import random

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


def make_uai(departement_code: str, number: int) -> str:
    digits = f"{departement_code}{number:04d}"
    return digits + uai_check_letter(digits)


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
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
