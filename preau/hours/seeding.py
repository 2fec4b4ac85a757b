"""Hours for `manage.py seed`.

- demo: in each of the six demo circonscriptions, three animations pédagogiques of the current
  school year recorded by the IEN for most teachers; in Caen Nord, a few teachers chosen so that
  the IEN's follow-up shows every status (complete, missing distance, missing animations…),
  with manual corrections (each with its reason) and union meetings (validated, one pending).
  Everything goes through the services, as the IEN and the teachers would have done it.
- national: ≈1,500,000 ledger entries over the national teachers for the current and previous
  school years (the attested participants of the national sessions, animations, a few
  corrections and union meetings), written with COPY on PostgreSQL, then the teachers' yearly
  totals rebuilt from them.

Attestations of the demo sessions already credit their hours (training.services.attest).
"""

import datetime
import itertools
import random
import time
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from preau.accounts.models import Role, RoleAssignment, User
from preau.territories.models import Circonscription
from preau.territories.seeding import (
    DEMO_ACADEMIE,
    national_circonscription_codes,
    national_plan,
)
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from . import services
from .models import Animation, Entry, Kind, Source
from .rules import school_year_bounds, school_year_of

# (title, presence hours, distance hours, share of the elapsed school year when it took place)
DEMO_ANIMATIONS = [
    ("Conférence : enseigner la compréhension au cycle 2", Decimal(3), Decimal(0), 0.2),
    ("Atelier : la résolution de problèmes au quotidien", Decimal(2), Decimal(1), 0.5),
    ("Animation : l’évaluation positive en classe", Decimal(3), Decimal(0), 0.85),
]
DEMO_ATTENDANCE = 0.85  # share of a circonscription's teachers at each animation


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    circonscriptions = list(
        Circonscription.objects.filter(departement__academie__code=DEMO_ACADEMIE[0]).order_by(
            "code"
        )
    )
    titles = [title for title, *_rest in DEMO_ANIMATIONS]
    if Animation.objects.filter(circonscription__in=circonscriptions, title__in=titles).exists():
        log("Heures : les animations de démonstration sont déjà en place.")
        return
    today = timezone.localdate()
    start, _end = school_year_bounds(school_year_of(today))
    elapsed = (today - start).days
    iens = {}
    for assignment in (
        RoleAssignment.objects.filter(role=Role.IEN, circonscription__in=circonscriptions)
        .select_related("user")
        .order_by("pk")
    ):
        iens.setdefault(assignment.circonscription_id, assignment.user)
    teachers: dict[int, list[User]] = {}
    for teacher in (
        User.objects.teachers()
        .filter(school__circonscription__in=circonscriptions)
        .select_related("school")
        .order_by("pk")
    ):
        teachers.setdefault(teacher.school.circonscription_id, []).append(teacher)

    caen_nord = next(c for c in circonscriptions if c.name == "Caen Nord")
    # In Caen Nord, five teachers with no hours yet and no session to come get a story each,
    # so that every status appears on the IEN's page whatever the sessions did.
    story = _story_teachers(teachers.get(caen_nord.pk, []), start, 6)
    attendance_of = {"missing_animations": 2, "pending_union": 2, "union": 2}

    animations = 0
    for circonscription in circonscriptions:
        ien, people = iens.get(circonscription.pk), teachers.get(circonscription.pk, [])
        if ien is None or not people:
            continue
        for index, (title, presence, distance, share) in enumerate(DEMO_ANIMATIONS):
            attendees = [t for t in people if _attends(t, index, story, attendance_of, rng)]
            services.record_animation(
                by=ien,
                circonscription=circonscription,
                title=title,
                date=start + datetime.timedelta(days=round(elapsed * share)),
                presence_hours=presence,
                distance_hours=distance,
                attendees=attendees,
            )
            animations += 1

    if story:
        _play_stories(story, teachers[caen_nord.pk], iens[caen_nord.pk], today)
    log(
        f"Heures : {animations} animations pédagogiques enregistrées, "
        f"{Entry.objects.count()} lignes de suivi en base."
    )


def _attends(teacher: User, index: int, story: dict, attendance_of: dict, rng) -> bool:
    name = story.get(teacher.pk)
    if name is None:
        return rng.random() < DEMO_ATTENDANCE
    return index < attendance_of.get(name, len(DEMO_ANIMATIONS))


def _story_teachers(people: list[User], start: datetime.date, count: int) -> dict[int, str]:
    upcoming = Enrolment.objects.filter(
        user=OuterRef("pk"),
        status=EnrolmentStatus.ENROLLED,
        completed_at__isnull=True,
        session__status__in=[SessionStatus.PREPARATION, SessionStatus.OPEN],
    )
    hours = Entry.objects.filter(teacher=OuterRef("pk"), date__gte=start)
    free = list(
        User.objects.filter(pk__in=[t.pk for t in people], quotite=100)
        .exclude(Exists(upcoming))
        .exclude(Exists(hours))
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    names = ["complete", "missing_distance", "missing_animations", "union", "pending_union"]
    return dict(zip(free, names, strict=False))


def _play_stories(story: dict[int, str], people: list[User], ien: User, today: datetime.date):
    by_story = {name: next(t for t in people if t.pk == pk) for pk, name in story.items()}
    year = school_year_of(today)

    def correct(name, presence, distance, reason, kind=Kind.TRAINING):
        if name in by_story:
            services.correct(
                by=ien,
                teacher=by_story[name],
                school_year=year,
                date=today,
                kind=kind,
                presence_hours=Decimal(presence),
                distance_hours=Decimal(distance),
                reason=reason,
            )

    # Complete: 9 h of animations and 9 h of training, 3 of them at distance.
    correct(
        "complete",
        6,
        3,
        "Stage de formation continue suivi hors de Préau (attestation de l’INSPÉ transmise "
        "par l’enseignante).",
    )
    # Missing distance: 18 h, but the training was all in presence.
    correct(
        "missing_distance",
        9,
        0,
        "Formation départementale en présence, organisée avant l’ouverture de Préau.",
    )
    # Missing animations: training done, two animations of three recorded, the second by mistake
    # and removed.
    correct(
        "missing_animations",
        6,
        3,
        "Stage de formation continue suivi hors de Préau (attestation transmise).",
    )
    correct(
        "missing_animations",
        -2,
        -1,
        "Absence à l’atelier sur la résolution de problèmes (arrêt maladie) : heures "
        "enregistrées par erreur.",
        kind=Kind.ANIMATION,
    )
    for name, validated in (("union", True), ("pending_union", False)):
        if name not in by_story:
            continue
        entry = services.declare_union_meeting(
            teacher=by_story[name],
            date=today,
            hours=Decimal(3),
            title="Réunion d’information syndicale (SNUipp-FSU)",
        )
        if validated:
            services.validate_declaration(entry=entry, by=ien)


# --- National scale -------------------------------------------------------------------------

ANIMATIONS_PER_YEAR = 8  # offered by each circonscription, of which a teacher attends a few
# How many of them a teacher attends in a full year (0 to 5): 3 the most often, which with 2 to
# 3 hours each is the 9 hours of animations of the 18; a year under way gets its elapsed share.
ANIMATIONS_ATTENDED = ((0, 1, 2, 3, 4, 5), (9, 15, 25, 29, 15, 7))
# Flat-rate hours of the sessions a teacher completes (presence, distance), most with a part at
# distance; the parcours titles of the demo name them.
SESSION_HOURS = [
    ((Decimal(6), Decimal(3)), 40),
    ((Decimal(3), Decimal(3)), 20),
    ((Decimal(3), Decimal(6)), 12),
    ((Decimal(9), Decimal(0)), 10),  # all in presence: the distance part is missing
    ((Decimal(6), Decimal(6)), 8),
    ((Decimal(12), Decimal(3)), 5),
    ((Decimal(0), Decimal(9)), 5),  # a module in autoformation
]
ANIMATION_HOURS = [(Decimal(3), Decimal(0)), (Decimal(2), Decimal(1)), (Decimal(1.5), Decimal(0))]
NATIONAL_TITLES = [
    "Enseigner explicitement la compréhension en lecture au cycle 2",
    "Fluence de lecture : entraîner et évaluer au CE1 et au CE2",
    "Produire des écrits au cycle 3 : écrire, réviser, réécrire",
    "Apprendre à lire au CP : enseigner le code et l’encodage",
    "Enseigner les fractions au cycle 3 : du partage à la droite graduée",
    "Calcul mental au quotidien : automatismes et stratégies",
    "Résoudre des problèmes arithmétiques : modéliser avec le schéma en barres",
    "Grandeurs et mesures au cycle 2 : mesurer pour comprendre",
    "La démarche d’investigation en sciences au cycle 3",
    "Débattre en classe : la discussion à visée philosophique",
    "Prévenir et traiter le harcèlement à l’école : le programme pHARe au premier degré",
    "Éducation au développement durable : mener un projet d’école",
]
ANIMATION_TITLES = [
    "Conférence pédagogique de rentrée",
    "Animation : les évaluations nationales, et après ?",
    "Atelier : la lecture à voix haute",
    "Conférence : l’attention des élèves",
    "Animation : les mathématiques par la manipulation",
    "Atelier : l’école inclusive au quotidien",
    "Animation : le numérique en classe",
    "Conférence : le langage oral en maternelle",
]
NATIONAL_CHUNK = 10_000

# The columns a national entry fills, in COPY order.
ENTRY_COLUMNS = [
    "teacher_id",
    "school_year",
    "date",
    "kind",
    "source",
    "title",
    "presence_hours",
    "distance_hours",
    "circonscription_id",
    "animation_id",
    "reason",
    "recorded_by_id",
    "validated_at",
    "created_at",
]


@transaction.atomic
def seed_national(rng: random.Random, log, *, factor: float = 1.0) -> None:
    """≈4.5 ledger entries per national teacher (≈1,500,000 at full size), over the
    current school year (up to yesterday) and the previous one. Per teacher and full year: no
    hours at all for ≈4 %, otherwise 0–2 sessions and 0–5 of the circonscription's animations,
    so that most teachers land between 6 and 21 h; a few corrections (with their reason) and
    union meetings (most validated, some pending). A year under way gets its elapsed share.
    `factor` must be the one the territories and people were seeded with.

    Training entries: when the national sessions are there (training.seeding runs first), each
    attested participant is credited as attest() does, with the session; without them (the
    tests seed hours alone), entries of source "session" are drawn at random, without a session.

    Idempotence: the run is one transaction and returns at once when a national circonscription
    already has an animation. Deterministic: the same rng and database give the same entries.
    """
    started = time.monotonic()
    national = Circonscription.objects.filter(
        code__in=national_circonscription_codes(national_plan(factor))
    )
    if Animation.objects.filter(circonscription__in=national).exists():
        log(
            f"Heures du jeu national déjà en place ({Entry.objects.count()} lignes) : "
            "rien à ajouter."
        )
        return
    circonscriptions = sorted(national.values_list("pk", flat=True))
    staff: dict[int, dict[str, list[int]]] = {}
    for user_id, role, circonscription_id in (
        RoleAssignment.objects.filter(
            role__in=[Role.IEN, Role.TRAINER], circonscription__in=national
        )
        .order_by("pk")
        .values_list("user_id", "role", "circonscription_id")
    ):
        staff.setdefault(circonscription_id, {}).setdefault(role, []).append(user_id)

    today = timezone.localdate()
    years = national_years(today)
    now = timezone.now()
    animations = _national_animations(rng, circonscriptions, staff, years, now)
    # Read before the COPY starts (no other query may run on its connection): 330,000 pairs
    # of integers, ≈40 MB.
    teachers = list(
        User.objects.teachers()
        .filter(school__circonscription__in=national)
        .order_by("pk")
        .values_list("pk", "school__circonscription_id")
    )
    # With the national sessions (training.seeding), their attested participants are credited
    # as attest() does, and no training entry is drawn at random.
    credited = _credit_national_sessions(national, years)
    rows = _national_entries(
        rng, teachers, staff, animations, years, now, draw_sessions=not credited
    )
    written = _copy_entries(rows) if connection.vendor == "postgresql" else _bulk_entries(rows)
    # The rows went in without the services, which keep each teacher's yearly totals (read by
    # the follow-up, the aggregates and the yearly report): rebuilt from the ledger at once.
    totals = services.rebuild_year_totals()
    log(
        f"Heures du jeu national : {sum(map(len, animations.values()))} animations, "
        f"{written + credited} lignes de suivi dont {credited} de sessions attestées, "
        f"{totals} totaux annuels ({time.monotonic() - started:.1f} s)."
    )


def _credit_national_sessions(national, years: dict) -> int:
    """PostgreSQL: one INSERT … SELECT of an entry per attested enrolment of the national
    sessions ending in `years`, with what hours.services.credit_attested writes (the session's
    flat-rate hours, its end date and title, the teacher's circonscription). Returns how many."""
    if connection.vendor != "postgresql":
        return 0
    sessions = TrainingSession.objects.filter(
        departement__circonscriptions__in=national, end_date__gte=school_year_bounds(min(years))[0]
    ).values("pk")
    attested = Enrolment.objects.filter(
        session__in=sessions,
        completed_at__isnull=False,
        user__school__isnull=False,
        session__end_date__lte=school_year_bounds(max(years))[1],
    )
    sql, params = attested.values_list("pk").query.sql_with_params()
    table = Entry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (teacher_id, school_year, date, kind, source, title,
                presence_hours, distance_hours, circonscription_id, session_id, reason,
                recorded_by_id, created_at)
            SELECT e.user_id,
                CASE WHEN EXTRACT(MONTH FROM s.end_date) >= 9
                    THEN EXTRACT(YEAR FROM s.end_date) ELSE EXTRACT(YEAR FROM s.end_date) - 1
                END,
                s.end_date, %s, %s, LEFT(s.title, 200), s.presence_hours, s.distance_hours,
                sc.circonscription_id, s.id, '', e.attested_by_id, e.completed_at
            FROM training_enrolment e
            JOIN training_trainingsession s ON s.id = e.session_id
            JOIN accounts_user u ON u.id = e.user_id
            JOIN territories_school sc ON sc.id = u.school_id
            WHERE e.id IN ({sql})
            ON CONFLICT DO NOTHING
            """,
            [Kind.TRAINING, Source.SESSION, *params],
        )
        return cursor.rowcount


def national_years(today: datetime.date) -> dict[int, datetime.date | None]:
    """The school years the national ledger covers, each with its last day (None: all of it):
    the previous year, and the current one up to yesterday when a school day has passed (on
    1 September, or a Monday 3 September, the year under way has nothing yet)."""
    current = school_year_of(today)
    yesterday = today - datetime.timedelta(days=1)
    years: dict[int, datetime.date | None] = {current - 1: None}
    if _year_days(current, yesterday):
        years[current] = yesterday
    return years


def elapsed_share(year: int, last: datetime.date | None) -> float:
    """The share of a school year's school days up to `last` (1.0 for a year over)."""
    return len(_year_days(year, last)) / len(_year_days(year, None))


def _year_days(year: int, last: datetime.date | None) -> list[datetime.date]:
    """School days of a year (no Saturday or Sunday, no July or August), up to `last`."""
    start, end = school_year_bounds(year)
    end = min(end, last) if last else end
    days = (start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and d.month not in (7, 8)]


def _national_animations(rng, circonscriptions, staff, years, now) -> dict:
    """ANIMATIONS_PER_YEAR per circonscription and year (fewer in a year under way): Animation
    rows, bulk-created; returns {(circonscription, year): [(pk, date, presence, distance)]}."""
    planned = []
    for year, last in years.items():
        days = _year_days(year, last)
        count = max(1, round(ANIMATIONS_PER_YEAR * elapsed_share(year, last)))
        for circonscription_id in circonscriptions:
            iens = staff.get(circonscription_id, {}).get(Role.IEN, [None])
            for title in rng.sample(ANIMATION_TITLES, count):
                presence, distance = rng.choice(ANIMATION_HOURS)
                planned.append(
                    Animation(
                        title=title,
                        date=rng.choice(days),
                        presence_hours=presence,
                        distance_hours=distance,
                        circonscription_id=circonscription_id,
                        recorded_by_id=iens[0],
                    )
                )
    # PostgreSQL and SQLite both return the new primary keys.
    created = Animation.objects.bulk_create(planned, batch_size=NATIONAL_CHUNK)
    by_place: dict[tuple[int, int], list] = {}
    for a in created:
        by_place.setdefault((a.circonscription_id, school_year_of(a.date)), []).append(
            (a.pk, a.title, a.date, a.presence_hours, a.distance_hours, a.recorded_by_id)
        )
    return by_place


def _national_entries(
    rng, teachers, staff, animations, years, now, *, draw_sessions: bool = True
) -> Iterator[tuple]:
    session_hours, session_weights = zip(*SESSION_HOURS, strict=True)
    days = {year: _year_days(year, last) for year, last in years.items()}
    shares = {year: elapsed_share(year, last) for year, last in years.items()}
    for teacher_id, circonscription_id in teachers:
        team = staff.get(circonscription_id, {})
        ien = team.get(Role.IEN, [None])[0]
        trainers = team.get(Role.TRAINER, [None])
        idle = rng.random() < 0.04  # no hours at all, both years
        for year in years:
            if idle:
                continue
            share = shares[year]
            # Sessions completed: most teachers one a year, some two, some none yet.
            sessions = rng.choices((0, 1, 2), weights=(25, 65, 10))[0] if draw_sessions else 0
            for _n in range(sessions):
                if rng.random() >= share:
                    continue
                presence, distance = rng.choices(session_hours, weights=session_weights)[0]
                yield (
                    teacher_id, year, rng.choice(days[year]), Kind.TRAINING, Source.SESSION,
                    rng.choice(NATIONAL_TITLES), presence, distance, circonscription_id, None,
                    "", rng.choice(trainers), None, now,
                )  # fmt: skip
            offered = animations.get((circonscription_id, year), [])
            attended = rng.choices(*ANIMATIONS_ATTENDED)[0]
            for pk, title, date, presence, distance, by in rng.sample(
                offered, min(len(offered), round(attended * share))
            ):
                yield (
                    teacher_id, year, date, Kind.ANIMATION, Source.ANIMATION, title, presence,
                    distance, circonscription_id, pk, "", by, None, now,
                )  # fmt: skip
            if rng.random() < 0.04 * share:
                day = rng.choice(days[year])
                yield (
                    teacher_id, year, day, Kind.UNION_MEETING, Source.DECLARATION,
                    "Réunion d’information syndicale", rng.choice((Decimal(3), Decimal(6))),
                    Decimal(0), circonscription_id, None, "", teacher_id,
                    None if rng.random() < 0.15 else now, now,
                )  # fmt: skip
            if rng.random() < 0.01 * share:
                sign = rng.choice((1, 1, -1))
                yield (
                    teacher_id, year, rng.choice(days[year]), Kind.TRAINING, Source.CORRECTION,
                    "Correction", Decimal(3 * sign), Decimal(0), circonscription_id, None,
                    "Stage suivi hors de Préau (attestation transmise)." if sign > 0
                    else "Heures comptées deux fois.", ien, None, now,
                )  # fmt: skip


def _copy_entries(rows: Iterator[tuple]) -> int:
    """PostgreSQL: COPY straight into the ledger (the run checked it holds no national entry,
    and each teacher attends an animation once, so no constraint can fail), then ANALYZE so
    that the first queries of the benchmark get the right plans."""
    table = connection.ops.quote_name(Entry._meta.db_table)
    written = 0
    with connection.cursor() as cursor:
        columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        cursor.execute(f"ANALYZE {table}, {connection.ops.quote_name(Animation._meta.db_table)}")
    return written


def _bulk_entries(rows: Iterator[tuple]) -> int:
    """Any database: bulk_create in chunks."""
    written = 0
    while chunk := list(itertools.islice(rows, NATIONAL_CHUNK)):
        Entry.objects.bulk_create(
            Entry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in chunk
        )
        written += len(chunk)
    return written
