"""People for `manage.py seed`.

- demo: one named account per role, plus ~600 teachers and their trainers (Normandie);
- national: ≈330,000 teachers in the national schools, and the staff of every territory.
"""

import itertools
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from preau.core.names import FIRST_NAMES, LAST_NAMES, ascii_slug, person, quotite
from preau.territories.models import Academie, Circonscription, Departement, School
from preau.territories.seeding import (
    ACADEMIES,
    DEMO_ACADEMIE,
    DepartementPlan,
    national_circonscription_codes,
    national_plan,
)

from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "preau-demo-2026"
DEMO_DOMAIN = "ac-normandie.fr"
TEACHERS_PER_SCHOOL = 10

# (e-mail, first name, last name, role, scope kind, what the account shows)
# fmt: off
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
# fmt: on


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
                    email=email,
                    first_name=first,
                    last_name=last,
                    password=password,
                    school=school,
                    quotite=quotite(rng),
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


# --- National scale -------------------------------------------------------------------------

# Everybody shares the demo password (hashed once), so that a benchmark can sign in as anyone.
NATIONAL_PASSWORD = DEMO_PASSWORD
COMMITTEE_DOMAIN = "education.gouv.fr"
# (role, possible head counts) per circonscription: its IEN, 2 or 3 trainers, a tutor.
CIRCONSCRIPTION_STAFF = ((Role.IEN, (1,)), (Role.TRAINER, (2, 3)), (Role.TUTOR, (1,)))
# The pilot team: IEN in charge of the training plan, IEN for digital education, a trainer.
PILOTS_PER_DEPARTEMENT = 3
ACADEMIE_STAFF = ((Role.ACADEMIC_MANAGER, 2), (Role.DESIGNER, 3), (Role.REVIEWER, 2))
EDITORIAL_COMMITTEE_SIZE = 5
CHUNK_SIZE = 5000
# A few large schools, many small ones: the spread of teachers per school.
SCHOOL_SIZE_SIGMA = 0.5

# One person with their only role: (email, first_name, last_name, school_id, quotite, role,
# academie_id, departement_id, circonscription_id). Plain tuples: 336,000 of them stream by.
PersonRow = tuple[str, str, str, int | None, int, str, int | None, int | None, int | None]

_SLUGS = {name: ascii_slug(name).replace("-", "") for name in (*FIRST_NAMES, *LAST_NAMES)}


class _AddressBook:
    """prenom.nom@domain, then prenom.nom2@domain…, skipping addresses already in the database."""

    def __init__(self, domain: str, taken: set[str]):
        self.domain, self.taken = domain, taken
        self.last_number: dict[str, int] = {}

    def address(self, first: str, last: str) -> str:
        base = f"{_SLUGS[first]}.{_SLUGS[last]}"
        number = self.last_number.get(base, 0)
        while True:
            number += 1
            email = f"{base}@{self.domain}" if number == 1 else f"{base}{number}@{self.domain}"
            if email not in self.taken:
                self.last_number[base] = number
                return email


@dataclass
class _NationalIds:
    """Primary keys of the national territories, by code; schools by département, UAI order."""

    academies: dict[str, int]
    departements: dict[str, int]
    circonscriptions: dict[str, int]
    schools: dict[int, list[int]]

    @classmethod
    def load(cls, plan: list[DepartementPlan], national: models.QuerySet) -> "_NationalIds":
        schools: dict[int, list[int]] = {}
        rows = School.objects.filter(circonscription__in=national).order_by("uai")
        for departement_id, pk in rows.values_list("departement_id", "pk"):
            schools.setdefault(departement_id, []).append(pk)
        codes = [a[0] for a in ACADEMIES]
        return cls(
            academies=dict(Academie.objects.filter(code__in=codes).values_list("code", "pk")),
            departements=dict(
                Departement.objects.filter(code__in=[d.code for d in plan]).values_list(
                    "code", "pk"
                )
            ),
            circonscriptions=dict(national.values_list("code", "pk")),
            schools=schools,
        )

    def match(self, plan: list[DepartementPlan]) -> bool:
        return len(self.academies) == len(ACADEMIES) and all(
            len(self.schools.get(self.departements.get(d.code), ())) == d.schools for d in plan
        )


@transaction.atomic
def seed_national(rng: random.Random, log, *, factor: float = 1.0) -> None:
    """Creates the people of the national set: the teachers of every national school (each with
    a teacher role), then per circonscription its IEN, 2–3 trainers and a tutor, per département
    a pilot team of 3, per académie 2 academic managers, 3 designers and 2 reviewers, and a
    national editorial committee of 5. `factor` must be the one the territories were seeded with.

    Idempotence: the run is one transaction, so national people are either all there or absent;
    when any is found (a teacher in a national school, an IEN of a national circonscription)
    the run stops at once. Demo data is left alone: national people only go to national
    schools and circonscriptions, and addresses already in the database (the demo's teachers
    in @ac-normandie.fr) are skipped by the numbering, so no existing account gets a role.
    Deterministic: the same rng and the same database give the same people.
    """
    started = time.monotonic()
    plan = national_plan(factor)
    national = Circonscription.objects.filter(code__in=national_circonscription_codes(plan))
    teachers = RoleAssignment.objects.filter(
        role=Role.TEACHER, user__school__circonscription__in=national
    )
    iens = RoleAssignment.objects.filter(role=Role.IEN, circonscription__in=national)
    if teachers.exists() or iens.exists():
        log(
            f"Personnes du jeu national déjà en place ({teachers.count()} enseignants) : "
            "rien à ajouter."
        )
        return
    ids = _NationalIds.load(plan, national)
    if not ids.match(plan):
        raise CommandError(
            "Les territoires du jeu national manquent ou n’ont pas la taille attendue : "
            "chargez-les d’abord (seed --scale national le fait dans l’ordre)."
        )
    domains = [f"ac-{slug}.fr" for _code, _name, slug in ACADEMIES] + [COMMITTEE_DOMAIN]
    # Addresses are unique case-insensitively: compare them lower-cased.
    taken = {
        email.lower()
        for email in User.objects.filter(
            reduce(or_, (models.Q(email__iendswith=f"@{d}") for d in domains))
        )
        .values_list("email", flat=True)
        .iterator()
    }
    counts: Counter[str] = Counter()
    rows = _national_people(rng, plan, ids, taken, counts)
    # One hash for 336,000 accounts: hashing each would take a day and a half.
    password = make_password(NATIONAL_PASSWORD)
    if connection.vendor == "postgresql":
        _copy_people(rows, password)
    else:
        _bulk_create_people(rows, password)
    log(
        f"Personnes du jeu national : {sum(counts.values())} comptes, dont "
        f"{counts[Role.TEACHER]} enseignants, {counts[Role.IEN]} IEN, "
        f"{counts[Role.TRAINER]} formateurs, {counts[Role.TUTOR]} tuteurs, "
        f"{counts[Role.PILOT]} membres des équipes de pilotage "
        f"({time.monotonic() - started:.1f} s)."
    )


def _national_people(
    rng: random.Random,
    plan: list[DepartementPlan],
    ids: _NationalIds,
    taken: set[str],
    counts: Counter,
) -> Iterator[PersonRow]:
    """Yields every national person in a fixed order: académie, département, school, staff."""

    def staff(book: _AddressBook, role: Role, **scope: int) -> PersonRow:
        first, last = person(rng)
        counts[role] += 1
        return (
            book.address(first, last),
            first,
            last,
            None,
            100,
            role.value,
            scope.get("academie"),
            scope.get("departement"),
            scope.get("circonscription"),
        )

    teacher = Role.TEACHER.value
    for academie_code, _name, slug in ACADEMIES:
        # Addresses are unique per domain: one book per académie, dropped after it.
        book = _AddressBook(f"ac-{slug}.fr", taken)
        for d in (d for d in plan if d.academie_code == academie_code):
            departement_id = ids.departements[d.code]
            schools = ids.schools[departement_id]
            sizes = _teachers_per_school(rng, len(schools), d.teachers)
            for school_id, size in zip(schools, sizes, strict=True):
                for _n in range(size):
                    first, last = person(rng)
                    yield (
                        book.address(first, last),
                        first,
                        last,
                        school_id,
                        quotite(rng),
                        teacher,
                        None,
                        None,
                        None,
                    )
            counts[Role.TEACHER] += d.teachers
            for index in range(d.circonscriptions):
                circonscription_id = ids.circonscriptions[d.circonscription_code(index)]
                for role, head_counts in CIRCONSCRIPTION_STAFF:
                    for _n in range(rng.choice(head_counts)):
                        yield staff(book, role, circonscription=circonscription_id)
            for _n in range(PILOTS_PER_DEPARTEMENT):
                yield staff(book, Role.PILOT, departement=departement_id)
        for role, head_count in ACADEMIE_STAFF:
            for _n in range(head_count):
                yield staff(book, role, academie=ids.academies[academie_code])
    book = _AddressBook(COMMITTEE_DOMAIN, taken)
    for _n in range(EDITORIAL_COMMITTEE_SIZE):
        yield staff(book, Role.EDITORIAL_COMMITTEE)


def _teachers_per_school(rng: random.Random, schools: int, teachers: int) -> list[int]:
    """One teacher per school at least; the others go to schools drawn by a random size."""
    sizes = [1] * schools
    cumulated = list(
        itertools.accumulate(rng.lognormvariate(0, SCHOOL_SIZE_SIGMA) for _n in range(schools))
    )
    for index in rng.choices(range(schools), cum_weights=cumulated, k=teachers - schools):
        sizes[index] += 1
    return sizes


def _copy_people(rows: Iterable[PersonRow], password: str) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then two INSERT … SELECT (users, then
    their roles joined on the e-mail). For the 336,381 national people: 11.5 s against 35.6 s
    with bulk_create, and 70 MB peak memory against 170 MB (docs/performance.md).
    """
    quote = connection.ops.quote_name
    staging = "seed_national_people"
    user_columns = ["email", "first_name", "last_name", "school", "quotite"]
    role_columns = ["role", "academie", "departement", "circonscription"]
    user_fixed = _fixed_columns(User, {"password": password}, skip=user_columns)
    role_fixed = _fixed_columns(RoleAssignment, {}, skip=["user", *role_columns])

    def column(model: type[models.Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} (email text, first_name text, last_name text, "
            "school_id bigint, quotite smallint, role text, academie_id bigint, "
            "departement_id bigint, circonscription_id bigint)"
        )
        with cursor.copy(f"COPY {staging} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {quote(User._meta.db_table)} "
            f"({', '.join([*(column(User, c) for c in user_columns), *user_fixed])}) "
            f"SELECT email, first_name, last_name, school_id, quotite"
            f"{''.join(', %s' for _c in user_fixed)} FROM {staging} ON CONFLICT DO NOTHING",
            list(user_fixed.values()),
        )
        cursor.execute(
            f"INSERT INTO {quote(RoleAssignment._meta.db_table)} "
            f"({column(RoleAssignment, 'user')}, "
            f"{', '.join([*(column(RoleAssignment, c) for c in role_columns), *role_fixed])}) "
            f"SELECT u.{quote(User._meta.pk.column)}, s.role, s.academie_id, s.departement_id, "
            f"s.circonscription_id{''.join(', %s' for _c in role_fixed)} "
            f"FROM {staging} s JOIN {quote(User._meta.db_table)} u "
            f"ON u.{column(User, 'email')} = s.email ON CONFLICT DO NOTHING",
            list(role_fixed.values()),
        )
        cursor.execute(f"DROP TABLE {staging}")
        # Fresh statistics, so that the benchmark's first queries get the right plans.
        cursor.execute(
            f"ANALYZE {quote(User._meta.db_table)}, {quote(RoleAssignment._meta.db_table)}"
        )


def _fixed_columns(model: type[models.Model], values: dict, *, skip: list[str]) -> dict:
    """Column → database value for the fields a raw INSERT sets to one value for every row:
    `values`, else the field's default as Django would fill it (auto_now fields: now).
    Built from the model, so that a field added later with a default needs no change here.
    """
    now = timezone.now()
    fixed = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        if field.name in values:
            value = values[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        fixed[connection.ops.quote_name(field.column)] = field.get_db_prep_save(value, connection)
    return fixed


def _bulk_create_people(rows: Iterable[PersonRow], password: str) -> None:
    """Any database: bulk_create in chunks (users, their ids by e-mail, their roles)."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        User.objects.bulk_create(
            [
                User(
                    email=email,
                    first_name=first,
                    last_name=last,
                    school_id=school_id,
                    quotite=share,
                    password=password,
                )
                for email, first, last, school_id, share, *_role in chunk
            ],
            ignore_conflicts=True,
            batch_size=CHUNK_SIZE,
        )
        ids = dict(
            User.objects.filter(email__in=[row[0] for row in chunk]).values_list("email", "pk")
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user_id=ids[email],
                    role=role,
                    academie_id=academie_id,
                    departement_id=departement_id,
                    circonscription_id=circonscription_id,
                )
                for email, *_person, role, academie_id, departement_id, circonscription_id in chunk
            ],
            ignore_conflicts=True,
            batch_size=CHUNK_SIZE,
        )
