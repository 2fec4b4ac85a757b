"""People for the demo: one named account per role, plus ~600 teachers and their trainers."""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from preau.core.names import ascii_slug, person, quotite
from preau.territories.models import Academie, Circonscription, Departement, School
from preau.territories.seeding import DEMO_ACADEMIE

from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "preau-demo-2026"
DEMO_DOMAIN = "ac-normandie.fr"
TEACHERS_PER_SCHOOL = 10

# (e-mail, first name, last name, role, scope kind, what the account shows)
DEMO_ACCOUNTS = [
    ("enseignant@demo.preau.fr", "Camille", "Lefèvre", Role.TEACHER, None,
     "professeure des écoles à Caen Nord"),
    ("formateur@demo.preau.fr", "Julien", "Marchand", Role.TRAINER, "circonscription",
     "conseiller pédagogique, Caen Nord"),
    ("tuteur@demo.preau.fr", "Sophie", "N'Diaye", Role.TUTOR, "circonscription",
     "maîtresse formatrice, Caen Nord"),
    ("concepteur@demo.preau.fr", "Hélène", "Garnier", Role.DESIGNER, "academie",
     "conceptrice de parcours, Normandie"),
    ("relecteur@demo.preau.fr", "François", "Lemaître", Role.REVIEWER, "academie",
     "relecteur (inspection), Normandie"),
    ("comite@demo.preau.fr", "Agnès", "Perrin", Role.EDITORIAL_COMMITTEE, None,
     "comité éditorial national"),
    ("ien@demo.preau.fr", "Olivier", "Duval", Role.IEN, "circonscription",
     "IEN de la circonscription de Caen Nord"),
    ("pilotage@demo.preau.fr", "Nathalie", "Rousseau", Role.PILOT, "departement",
     "équipe de pilotage du Calvados"),
    ("gestionnaire@demo.preau.fr", "Karim", "Benali", Role.ACADEMIC_MANAGER, "academie",
     "gestionnaire académique, Normandie"),
    ("admin@demo.preau.fr", "Claire", "Fontaine", Role.ADMIN, None,
     "administratrice de la plateforme"),
]


def _unique_email(first: str, last: str, taken: set[str]) -> str:
    base = f"{ascii_slug(first)}.{ascii_slug(last)}".replace("-", "")
    email, n = f"{base}@{DEMO_DOMAIN}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{DEMO_DOMAIN}"
    taken.add(email)
    return email


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    # One hash for every demo account: hashing 700 passwords would take minutes.
    password = make_password(DEMO_PASSWORD)
    academie = Academie.objects.get(code=DEMO_ACADEMIE[0])
    calvados = Departement.objects.get(code="014")
    circonscriptions = list(Circonscription.objects.filter(departement__academie=academie))
    caen_nord = next(c for c in circonscriptions if c.name == "Caen Nord")
    schools = list(School.objects.filter(departement__academie=academie).order_by("uai"))
    scopes = {"circonscription": caen_nord, "departement": calvados, "academie": academie}

    users, roles = [], []
    for email, first, last, role, scope, _label in DEMO_ACCOUNTS:
        user = User(email=email, first_name=first, last_name=last, password=password)
        if role == Role.TEACHER:
            user.school = next(s for s in schools if s.circonscription_id == caen_nord.pk)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        users.append(user)
        roles.append((email, role, {scope: scopes[scope]} if scope else {}))

    # The draw is deterministic, so a second run generates the same addresses and the inserts
    # below ignore them: seeding twice changes nothing.
    taken = {u.email for u in users}
    for school in schools:
        for _n in range(TEACHERS_PER_SCHOOL):
            first, last = person(rng)
            email = _unique_email(first, last, taken)
            users.append(
                User(
                    email=email, first_name=first, last_name=last, password=password,
                    school=school, quotite=quotite(rng),
                )
            )
            roles.append((email, Role.TEACHER, {}))
    for circonscription in circonscriptions:
        staff = [(Role.IEN, 1), (Role.TRAINER, 2), (Role.TUTOR, 1)]
        if circonscription == caen_nord:
            staff = [(Role.TRAINER, 1)]  # the named demo accounts complete Caen Nord's team
        for role, count in staff:
            for _n in range(count):
                first, last = person(rng)
                email = _unique_email(first, last, taken)
                users.append(User(email=email, first_name=first, last_name=last, password=password))
                roles.append((email, role, {"circonscription": circonscription}))
    for departement in Departement.objects.filter(academie=academie):
        for _n in range(2):
            first, last = person(rng)
            email = _unique_email(first, last, taken)
            users.append(User(email=email, first_name=first, last_name=last, password=password))
            roles.append((email, Role.PILOT, {"departement": departement}))

    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=1000)
    ids = dict(User.objects.filter(email__in=[e for e, _r, _s in roles]).values_list("email", "pk"))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=ids[email], role=role, **scope) for email, role, scope in roles],
        ignore_conflicts=True,
        batch_size=1000,
    )
    log(f"Personnes : {User.objects.count()} comptes, {RoleAssignment.objects.count()} rôles.")
