"""Training sessions for `manage.py seed --scale demo`: seventeen sessions across the six demo
circonscriptions (and one of the Manche département), in every state, dated from today.

Caen Nord, where the demo accounts work, has the fullest picture: its trainer
(formateur@demo.preau.fr) and tutor run six sessions, from an archived one of last school year
to one in preparation for the coming weeks; the demo teacher (enseignant@demo.preau.fr) takes
part in one in progress, one to come, and one completed, attested, with its certificate code.
Meetings are held in schools of the territory on Wednesdays or after school on Thursdays,
virtual classes on Thursday evenings, never in the school holidays.

Each session is played through the real services, as its trainer would have: creation from a
published parcours (a copy of its content), team, calendar, settings, opening, attendance at
the meetings already held, attestation, closing, archiving. Two things are written directly:
enrolments, in bulk as the HR import (or self-enrolment) would bring them, because enrol()
sends each participant an invitation e-mail when the transaction commits, which a seed must
not do; and the timestamps that the services set to "now" (opening, attestation, closing,
attendance taken), moved back to when they would have happened.

A session is keyed by its title: a second run creates only the missing ones, and returns
after one query when none is missing.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.seeding import DEMO_ACCOUNTS
from preau.core.params import is_digits
from preau.parcours.models import Parcours, Section
from preau.territories.models import Circonscription, Departement, School
from preau.territories.seeding import DEMO_ACADEMIE

from . import services
from .models import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_CODE_LENGTH,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    SelfEnrolmentScope,
    SessionEvent,
    SessionStatus,
    StaffRole,
    StepDone,
    TrainingSession,
)

# Slots of a meeting: (weekday, start, end, remote). Animations pédagogiques take place on
# Wednesday mornings or after school; virtual classes are after school.
WEDNESDAY, THURSDAY = 2, 3
SLOTS = {
    "morning": (WEDNESDAY, datetime.time(9, 0), datetime.time(12, 0), False),
    "afternoon": (WEDNESDAY, datetime.time(13, 30), datetime.time(16, 30), False),
    "after_school": (THURSDAY, datetime.time(17, 0), datetime.time(18, 30), False),
    "virtual": (THURSDAY, datetime.time(17, 0), datetime.time(18, 0), True),
}

# Stories: how far each session has gone.
PREPARATION = "preparation"  # created, calendar set, a few participants, not open
SELF_ENROLMENT = "self_enrolment"  # open, in the offre de formation, starts later
UPCOMING = "upcoming"  # open, participants enrolled, starts later
IN_PROGRESS = "in_progress"  # open, some meetings held (attendance taken), others to come
ENDED = "ended"  # open, every meeting held, end date past, half attested: to close
CLOSED = "closed"  # attested, closed
ARCHIVED = "archived"  # attested, closed, archived
STORIES = (PREPARATION, SELF_ENROLMENT, UPCOMING, IN_PROGRESS, ENDED, CLOSED, ARCHIVED)

POSTCODES = {
    "Caen": "14000",
    "Hérouville-Saint-Clair": "14200",
    "Épron": "14610",
    "Biéville-Beuville": "14112",
    "Ifs": "14123",
    "Fleury-sur-Orne": "14123",
    "Mondeville": "14120",
    "Bayeux": "14400",
    "Port-en-Bessin-Huppain": "14520",
    "Creully sur Seulles": "14480",
    "Balleroy": "14490",
    "Saint-Lô": "50000",
    "Agneaux": "50180",
    "Condé-sur-Vire": "50890",
    "Torigny-les-Villes": "50160",
    "Cherbourg-en-Cotentin": "50100",
    "Valognes": "50700",
    "La Hague": "50440",
    "Tourlaville": "50110",
    "Avranches": "50300",
    "Granville": "50400",
    "Pontorson": "50170",
    "Ducey-Les Chéris": "50220",
}
STREETS = [
    "rue de l’École",
    "rue des Écoles",
    "place de la Mairie",
    "rue Jean Jaurès",
    "rue Victor Hugo",
    "avenue de la Libération",
    "rue Jules Ferry",
    "rue du Général de Gaulle",
    "rue Pasteur",
    "allée des Tilleuls",
]
PRESENCE_TITLES = ["Lancement et apports", "Analyse de pratiques", "Bilan et perspectives"]
VIRTUAL_TITLE = "Classe virtuelle : retours d’expérience"
DISTANCE_TITLE = "Travail à distance : mise en œuvre en classe"


@dataclass(frozen=True)
class DemoSession:
    parcours: str  # short title of a published demo parcours
    territory: str  # circonscription name, or a département code for a département's session
    story: str
    start: int  # days from today
    end: int
    meetings: tuple[tuple[int, str], ...]  # (days from today, slot)
    participants: int
    capacity: int | None = None
    waiting: int = 0
    teacher: bool = False  # the demo teacher takes part
    # Whom self-enrolment is for (SelfEnrolmentScope), when the story opens it.
    scope: str = SelfEnrolmentScope.TERRITORY

    def title(self, parcours_title: str, territory_name: str) -> str:
        return f"{parcours_title} — {territory_name}"[:200]


# fmt: off
SESSIONS = [
    # Caen Nord: the demo trainer's sessions.
    DemoSession("FLUENCE", "Caen Nord", IN_PROGRESS, -24, 40,
                ((-20, "morning"), (-6, "virtual"), (20, "after_school")), 18, teacher=True),
    DemoSession("PROBLEMES", "Caen Nord", UPCOMING, 12, 63,
                ((14, "morning"), (35, "virtual"), (56, "afternoon")), 16, capacity=20,
                teacher=True),
    DemoSession("LECTCOMPC2", "Caen Nord", CLOSED, -150, -95,
                ((-148, "morning"), (-125, "virtual"), (-100, "afternoon")), 20, teacher=True),
    DemoSession("ALGOCODAGE", "Caen Nord", PREPARATION, 30, 85,
                ((33, "morning"), (80, "afternoon")), 6),
    DemoSession("CALCMENT", "Caen Nord", ENDED, -60, -9,
                ((-58, "morning"), (-30, "virtual"), (-12, "afternoon")), 14),
    DemoSession("EVALPOS", "Caen Nord", ARCHIVED, -260, -210,
                ((-258, "morning"), (-212, "afternoon")), 15),
    # Caen Sud
    # Opened to the Calvados: the demo teacher (Caen Nord, a maternelle) finds it in her offre,
    # and is warned that it is meant for cycle 3.
    DemoSession("ECRIREC3", "Caen Sud", SELF_ENROLMENT, 21, 70,
                ((23, "morning"), (49, "virtual"), (68, "afternoon")), 9, capacity=24,
                scope=SelfEnrolmentScope.DEPARTEMENT),
    DemoSession("FRACTIONS", "Caen Sud", CLOSED, -50, -16,
                ((-48, "morning"), (-18, "afternoon")), 17),
    # Bayeux: a session that should have opened two days ago.
    DemoSession("VIVANTC2", "Bayeux", PREPARATION, -2, 45,
                ((5, "morning"), (40, "afternoon")), 11),
    DemoSession("INVESTIG", "Bayeux", IN_PROGRESS, -30, 25,
                ((-28, "morning"), (-7, "afternoon"), (22, "morning")), 19),
    # Saint-Lô: a full session with a waiting list.
    DemoSession("ANGLAISC2", "Saint-Lô", SELF_ENROLMENT, 16, 60,
                ((18, "morning"), (57, "afternoon")), 12, capacity=12, waiting=3),
    DemoSession("CHORALE", "Saint-Lô", ARCHIVED, -300, -240,
                ((-298, "afternoon"), (-243, "afternoon")), 13),
    # Cherbourg-en-Cotentin
    DemoSession("HARCELEMENT", "Cherbourg-en-Cotentin", IN_PROGRESS, -10, 30,
                ((-8, "after_school"), (26, "virtual")), 22),
    DemoSession("EMCDEBAT", "Cherbourg-en-Cotentin", CLOSED, -62, -25,
                ((-60, "morning"), (-28, "afternoon")), 12),
    # Avranches
    DemoSession("DDAYCLASSE", "Avranches", ENDED, -50, -3,
                ((-48, "morning"), (-6, "afternoon")), 16),
    DemoSession("GRANDEURS", "Avranches", PREPARATION, 40, 90,
                ((42, "morning"), (86, "afternoon")), 4),
    # The Manche département's own session, for school directors, run by its pilot team.
    DemoSession("DIRECTION", "050", UPCOMING, 8, 50,
                ((9, "morning"), (47, "morning")), 21),
]
# fmt: on


@dataclass
class Cast:
    """Who runs the sessions of each territory, and who may take part."""

    teacher: User
    circonscriptions: dict[str, Circonscription]
    departements: dict[str, Departement]
    trainers: dict[int, list[User]] = field(default_factory=dict)  # by circonscription id
    tutors: dict[int, list[User]] = field(default_factory=dict)
    pilots: dict[int, User] = field(default_factory=dict)  # by département id
    teachers: dict[int, list[int]] = field(default_factory=dict)  # user ids, by circonscription
    schools: dict[int, list[School]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Cast":
        emails = {role: email for email, _first, _last, role, _scope, _label in DEMO_ACCOUNTS}
        circonscriptions = {
            c.name: c
            for c in Circonscription.objects.filter(
                departement__academie__code=DEMO_ACADEMIE[0]
            ).select_related("departement")
        }
        cast = cls(
            teacher=User.objects.get(email=emails[Role.TEACHER]),
            circonscriptions=circonscriptions,
            departements={
                d.code: d for d in Departement.objects.filter(academie__code=DEMO_ACADEMIE[0])
            },
        )
        # The named demo accounts first: they lead the sessions of Caen Nord.
        named = set(emails.values())
        assignments = RoleAssignment.objects.filter(
            Q(role__in=[Role.TRAINER, Role.TUTOR], circonscription__in=circonscriptions.values())
            | Q(role=Role.PILOT, departement__in=cast.departements.values()),
            user__is_active=True,
        ).select_related("user")
        for assignment in sorted(assignments, key=lambda a: (a.user.email not in named, a.pk)):
            if assignment.role == Role.PILOT:
                cast.pilots.setdefault(assignment.departement_id, assignment.user)
            else:
                team = cast.trainers if assignment.role == Role.TRAINER else cast.tutors
                team.setdefault(assignment.circonscription_id, []).append(assignment.user)
        for user_id, circonscription_id in (
            User.objects.filter(
                roles__role=Role.TEACHER, school__circonscription__in=circonscriptions.values()
            )
            .exclude(pk=cast.teacher.pk)
            .order_by("pk")
            .values_list("pk", "school__circonscription")
        ):
            cast.teachers.setdefault(circonscription_id, []).append(user_id)
        for school in School.objects.filter(circonscription__in=circonscriptions.values()).order_by(
            "uai"
        ):
            cast.schools.setdefault(school.circonscription_id, []).append(school)
        return cast


# The names of the départements of the demo, so that the titles can be computed without
# loading the cast (the second run's single query).
DEPARTEMENT_NAMES = {"014": "Calvados", "050": "Manche"}


def demo_title(demo: DemoSession, parcours_title: str) -> str:
    territory = DEPARTEMENT_NAMES.get(demo.territory, demo.territory)
    return demo.title(parcours_title, territory)


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    from preau.parcours.demo_content import PARCOURS

    parcours_titles = {d.short_title: d.title for d in PARCOURS}
    wanted = {demo_title(demo, parcours_titles[demo.parcours]): demo for demo in SESSIONS}
    existing = set(TrainingSession.objects.filter(title__in=wanted).values_list("title", flat=True))
    missing = [demo for title, demo in wanted.items() if title not in existing]
    if not missing:
        log(f"Sessions : les {len(SESSIONS)} sessions de démonstration sont déjà en place.")
        return
    cast = Cast.load()
    today = timezone.localdate()
    for demo in missing:
        play(demo, cast, rng, today, title=demo_title(demo, parcours_titles[demo.parcours]))
    log(
        f"Sessions : {len(missing)} sessions de démonstration créées, "
        f"{TrainingSession.objects.count()} en base."
    )


# School holidays, roughly those of zone B (Normandie), whatever the year: (first, last day) as
# (month, day). Demo meetings never fall in them.
HOLIDAYS = [
    ((1, 1), (1, 4)),  # Christmas, end
    ((2, 14), (3, 1)),  # winter
    ((4, 11), (4, 26)),  # spring
    ((7, 5), (8, 31)),  # summer
    ((10, 18), (11, 2)),  # All Saints' Day
    ((12, 20), (12, 31)),  # Christmas
]


def in_holidays(day: datetime.date) -> bool:
    return any(first <= (day.month, day.day) <= last for first, last in HOLIDAYS)


def school_day(today: datetime.date, offset: int, weekday: int | None = None) -> datetime.date:
    """The day `offset` days away from today, counting only days outside the holidays; then,
    with `weekday`, that weekday, moving further away from today (a date said to be past stays
    past), and out of the holidays again."""
    step = datetime.timedelta(days=1 if offset >= 0 else -1)
    day, remaining = today, abs(offset)
    while remaining:
        day += step
        remaining -= not in_holidays(day)
    while weekday is not None and (day.weekday() != weekday or in_holidays(day)):
        day += step
    return day


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def play(
    demo: DemoSession, cast: Cast, rng: random.Random, today: datetime.date, *, title: str
) -> TrainingSession:
    """Creates one session and takes it as far as its story goes."""
    source = Parcours.objects.published().filter(short_title=demo.parcours).order_by("-pk").first()
    meetings = []
    for index, (offset, slot) in enumerate(demo.meetings):
        weekday, start, end, remote = SLOTS[slot]
        meetings.append((school_day(today, offset, weekday), start, end, remote, index))
    start_date = min([school_day(today, demo.start)] + [m[0] for m in meetings])
    end_date = max([school_day(today, demo.end)] + [m[0] for m in meetings])

    if is_digits(demo.territory):  # a département's session, run by its pilot team
        departement = cast.departements[demo.territory]
        circonscription = None
        creator = cast.pilots[departement.pk]
        circonscription_ids = [
            c.pk for c in cast.circonscriptions.values() if c.departement_id == departement.pk
        ]
        trainers = [cast.trainers[pk][0] for pk in circonscription_ids[:2]]
        tutors = []
    else:
        circonscription = cast.circonscriptions[demo.territory]
        departement = circonscription.departement
        circonscription_ids = [circonscription.pk]
        trainers = cast.trainers[circonscription.pk]
        creator = trainers[0]
        tutors = cast.tutors.get(circonscription.pk, [])[:1]

    session = services.create_session(
        source=source,
        by=creator,
        departement=departement,
        circonscription=circonscription,
        start_date=start_date,
        end_date=end_date,
        title=title,
    )
    lead = trainers[0]
    for trainer in trainers:
        if trainer != creator:
            services.add_staff(session=session, user=trainer, role=StaffRole.TRAINER)
    for tutor in tutors:
        services.add_staff(session=session, user=tutor, role=StaffRole.TUTOR)

    schools = [s for pk in circonscription_ids for s in cast.schools.get(pk, [])]
    held = _calendar(session, meetings, schools, rng, today)

    settings = {}
    if demo.capacity:
        settings["capacity"] = demo.capacity
    if demo.story == SELF_ENROLMENT:
        settings.update(
            self_enrolment=True,
            self_enrolment_scope=demo.scope,
            enrolment_opens_on=today - datetime.timedelta(days=10),
            enrolment_closes_on=start_date - datetime.timedelta(days=3),
        )
    if demo.story == IN_PROGRESS and demo.teacher:
        # The demo teacher's running session asks for every step ticked (docs/attendance.md).
        settings["attestation_requires_steps"] = True
    if settings:
        services.update_session(session=session, by=lead, **settings)

    pool = [pk for cid in circonscription_ids for pk in cast.teachers.get(cid, [])]
    people = rng.sample(pool, demo.participants + demo.waiting)
    if demo.teacher:
        people[0] = cast.teacher.pk
    _enrol(session, people[: demo.participants], people[demo.participants :], demo.story)

    if demo.story == PREPARATION:
        return session
    session = services.open_session(session=session, by=lead)
    opened_at = _at(start_date - datetime.timedelta(days=rng.randint(10, 20)), datetime.time(10))
    opened_at = min(opened_at, timezone.now())
    TrainingSession.objects.filter(pk=session.pk).update(opened_at=opened_at)
    _date_history(session, [SessionEvent.Action.OPENED], opened_at)

    absences = _take_attendance(session, held, lead, rng, spare=cast.teacher.pk)
    if demo.story in (IN_PROGRESS, ENDED, CLOSED, ARCHIVED):
        _tick_steps(session, demo.story, teacher=cast.teacher.pk)
    if demo.story in (ENDED, CLOSED, ARCHIVED):
        _attest(session, lead, absences, end_date, rng, everyone=demo.story != ENDED)
    if demo.story in (CLOSED, ARCHIVED):
        session = services.close_session(session=session, by=lead)
        closed_at = _at(end_date + datetime.timedelta(days=rng.randint(5, 9)), datetime.time(16))
        TrainingSession.objects.filter(pk=session.pk).update(closed_at=closed_at)
        closings = [SessionEvent.Action.CLOSED, SessionEvent.Action.CLOSED_EARLY]
        _date_history(session, closings, closed_at)
    if demo.story == ARCHIVED:
        session = services.archive_session(session=session, by=lead)
        _date_history(
            session, [SessionEvent.Action.ARCHIVED], closed_at + datetime.timedelta(days=1)
        )
    return session


def _date_history(session, actions: list[str], when: datetime.datetime) -> None:
    """The session's history says when the story did each thing, not when the seed ran."""
    SessionEvent.objects.filter(session=session, action__in=actions).update(
        created_at=min(when, timezone.now())
    )


def _calendar(session, meetings, schools, rng, today) -> list:
    """Adds the meetings (in schools of the territory, or virtual) and the distance work
    between them; returns the meetings already held."""
    held = []
    presence = iter(PRESENCE_TITLES)
    for day, start, end, remote, _index in meetings:
        place = {}
        if not remote:
            school = rng.choice(schools)
            postcode = POSTCODES.get(school.commune, "")
            street = f"{rng.randint(1, 40)} {rng.choice(STREETS)}"
            place = {
                "place_name": school.name,
                "address": f"{street}, {postcode} {school.commune}".replace("  ", " "),
            }
        meeting = services.add_meeting(
            session=session,
            title=VIRTUAL_TITLE if remote else next(presence, "Regroupement"),
            date=day,
            start_time=start,
            end_time=end,
            remote=remote,
            **place,
        )
        if day < today:
            held.append(meeting)
    days = [m[0] for m in meetings]
    for before, after in zip(days, days[1:], strict=False):
        if (after - before).days > 3:
            services.add_distance_window(
                session=session,
                title=DISTANCE_TITLE,
                starts_on=before + datetime.timedelta(days=1),
                ends_on=after - datetime.timedelta(days=1),
            )
    return held


def _enrol(session, enrolled: list[int], waiting: list[int], story: str) -> None:
    source = EnrolmentSource.SELF if story == SELF_ENROLMENT else EnrolmentSource.HR
    Enrolment.objects.bulk_create(
        [Enrolment(session=session, user_id=pk, source=source) for pk in enrolled]
        + [
            Enrolment(session=session, user_id=pk, source=source, status=EnrolmentStatus.WAITING)
            for pk in waiting
        ]
    )


def _take_attendance(session, held, by, rng, *, spare: int) -> set[int]:
    """Marks every participant at each meeting held: mostly present, some excused, a few
    absent (never the demo teacher, whose path stays clean). Returns who was absent once."""
    enrolments = list(
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED).values_list("pk", "user_id")
    )
    absent = set()
    for meeting in held:
        statuses = {}
        for pk, user_id in enrolments:
            draw = rng.random()
            if user_id == spare or draw < 0.86:
                statuses[pk] = AttendanceStatus.PRESENT
            elif draw < 0.94:
                statuses[pk] = AttendanceStatus.EXCUSED
            else:
                statuses[pk] = AttendanceStatus.ABSENT
                absent.add(pk)
        services.record_attendance(meeting=meeting, by=by, statuses=statuses)
        Attendance.objects.filter(meeting=meeting).update(
            recorded_at=_at(meeting.date, meeting.end_time)
        )
    return absent


def _tick_steps(session, story: str, *, teacher: int) -> None:
    """« Étape terminée »: the participants tick the steps they finished, the first ones while
    the training runs, nearly all once it is over; the demo teacher half of them in a session
    in progress (« 2 étapes sur 4 »), all of them after. A random draw of its own, seeded by
    the session, so that the rest of the demo stays as it was."""
    rng = random.Random(session.pk)
    steps = list(
        Section.objects.filter(parcours=session.content_id)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    over = story != IN_PROGRESS
    ticks = []
    enrolled = session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    for pk, user_id in enrolled.values_list("pk", "user_id"):
        if user_id == teacher:
            count = len(steps) if over else len(steps) // 2
        elif over and rng.random() < 0.8:
            count = len(steps)
        else:
            count = rng.randint(0, len(steps))
        ticks += [StepDone(enrolment_id=pk, section_id=step) for step in steps[:count]]
    StepDone.objects.bulk_create(ticks)


def _attest(session, by, absent: set[int], end_date, rng, *, everyone: bool) -> None:
    """Attests those who attended every meeting (or were excused); for a session that ended
    but is not closed yet, about half of them, the trainer being on it."""
    ids = [
        pk
        for pk in session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk not in absent
    ]
    if not everyone:
        ids = ids[: len(ids) // 2]
    services.attest(session=session, by=by, enrolment_ids=ids)
    attested_at = _at(end_date + datetime.timedelta(days=rng.randint(1, 4)), datetime.time(18))
    attested_at = min(attested_at, timezone.now())
    session.enrolments.filter(pk__in=ids).update(completed_at=attested_at)
    attestations = [SessionEvent.Action.ATTESTED, SessionEvent.Action.ATTESTED_EARLY]
    _date_history(session, attestations, attested_at)


# --- National scale -------------------------------------------------------------------------

NATIONAL_SESSIONS = 20_000  # over the previous and the current school year
# A few académie-wide distance sessions (autoformation with a virtual class or none) that
# teachers join by the thousand, beside the circonscriptions' sessions of 20-30 participants.
NATIONAL_LARGE_SESSIONS = 30
NATIONAL_LARGE_SIZE = (10_000, 25_000)
NATIONAL_PARTICIPANTS = (20, 30)
NATIONAL_CAPACITY = 30
NATIONAL_MEETING_HOURS = 3  # one presence meeting per 3 announced hours
NATIONAL_SLOTS = [SLOTS["morning"], SLOTS["afternoon"], SLOTS["after_school"]]
# Attendance at a meeting held: present, excused, absent.
NATIONAL_ATTENDANCE = (0.88, 0.95)


def national_sessions_present(departement_ids) -> bool:
    return TrainingSession.objects.filter(
        departement__in=departement_ids, source__short_title__startswith="NATX"
    ).exists()


@transaction.atomic
def seed_national(rng: random.Random, log, *, factor: float = 1.0) -> None:
    """≈20,000 × factor sessions over the previous and the current school year, deployed by the
    trainers of every national circonscription from the national parcours (parcours.seeding),
    each with its private copy of the content, its team, meetings in schools of the
    circonscription, distance periods, 20-30 participants (a waiting list for some sessions
    open to self-enrolment), attendance at the meetings held and attestations; plus about
    thirty académie-wide distance sessions of 10,000+ participants. ≈1,000,000 enrolments.

    States follow the dates: last year's sessions are closed (half archived); this year's are
    closed, open (ended and half attested, in progress, or to come, some in the offre de
    formation) or in preparation. hours.seeding credits the attested participants afterwards.

    PostgreSQL only (COPY, keys reserved ahead); elsewhere it says so and returns. Idempotence:
    one transaction; a national session found (from a NATX parcours) means the set is there.
    """
    from preau.core import bulk
    from preau.hours.rules import school_year_of
    from preau.parcours.models import Activity as ActivityRow
    from preau.parcours.models import Section, Status, TargetAudience
    from preau.parcours.seeding import copy_content
    from preau.parcours.services import CONTENT_COPY_FIELDS
    from preau.territories.seeding import national_circonscription_codes, national_plan

    from .models import DistanceWindow, Meeting, SessionStaff

    started = time.monotonic()
    if connection.vendor != "postgresql":
        log("Sessions du jeu national : PostgreSQL seulement, rien n’est fait ici.")
        return
    plan = national_plan(factor)
    national = Circonscription.objects.filter(code__in=national_circonscription_codes(plan))
    departement_ids = list(
        Departement.objects.filter(code__in=[d.code for d in plan]).values_list("pk", flat=True)
    )
    if national_sessions_present(departement_ids):
        log("Sessions du jeu national déjà en place : rien à ajouter.")
        return
    sources = list(
        Parcours.objects.filter(status=Status.PUBLISHED, short_title__startswith="NATX")
        .order_by("pk")
        .values("pk", "lineage_id", "version", "academie_id", *CONTENT_COPY_FIELDS)
    )
    if not sources:
        log("Sessions du jeu national : aucun parcours national publié, rien à déployer.")
        return
    circonscriptions = list(
        national.order_by("pk").values_list("pk", "departement_id", "departement__academie_id")
    )
    teachers: dict[int, list[int]] = {}
    for pk, circonscription_id in (
        User.objects.teachers()
        .filter(school__circonscription__in=national)
        .order_by("pk")
        .values_list("pk", "school__circonscription_id")
    ):
        teachers.setdefault(circonscription_id, []).append(pk)
    everyone = [pk for pks in teachers.values() for pk in pks]
    staff: dict[int, dict[str, list[int]]] = {}
    for user_id, role, circonscription_id in (
        RoleAssignment.objects.filter(
            role__in=[Role.TRAINER, Role.TUTOR], circonscription__in=national
        )
        .order_by("pk")
        .values_list("user_id", "role", "circonscription_id")
    ):
        staff.setdefault(circonscription_id, {}).setdefault(role, []).append(user_id)
    schools: dict[int, list[tuple[str, str]]] = {}
    for circonscription_id, name, commune in (
        School.objects.filter(circonscription__in=national)
        .order_by("uai")
        .values_list("circonscription_id", "name", "commune")
    ):
        schools.setdefault(circonscription_id, []).append((name, commune))
    offre: dict[int | None, list[dict]] = {}
    for source in sources:
        offre.setdefault(source["academie_id"], []).append(source)
    audiences: dict[int, list[str]] = {}
    for parcours_id, audience in TargetAudience.objects.filter(
        parcours__in=[s["pk"] for s in sources]
    ).values_list("parcours_id", "audience"):
        audiences.setdefault(parcours_id, []).append(audience)
    content: dict[int, list] = {}
    section_rows = Section.objects.filter(parcours__in=[s["pk"] for s in sources]).order_by(
        "parcours_id", "position", "pk"
    )
    acts: dict[int, list] = {}
    for section_id, kind, title, body, url in (
        ActivityRow.objects.filter(section__in=section_rows)
        .order_by("position", "pk")
        .values_list("section_id", "kind", "title", "body", "url")
    ):
        acts.setdefault(section_id, []).append((kind, title, body, url))
    for pk, parcours_id, title in section_rows.values_list("pk", "parcours_id", "title"):
        content.setdefault(parcours_id, []).append((title, acts.get(pk, [])))

    today = timezone.localdate()
    current = school_year_of(today)
    now = timezone.now()
    regular = max(len(circonscriptions), round(NATIONAL_SESSIONS * factor))
    large = max(1, round(NATIONAL_LARGE_SESSIONS * factor))
    plans = []
    for index in range(regular):
        circonscription_id, departement_id, academie_id = circonscriptions[
            index % len(circonscriptions)
        ]
        year = current - 1 if rng.random() < 0.55 else current
        plans.append((circonscription_id, departement_id, academie_id, year, False))
    for index in range(large):
        circonscription_id, departement_id, academie_id = rng.choice(circonscriptions)
        plans.append((None, departement_id, academie_id, current - (index % 2), True))

    first_session = bulk.reserve_ids(TrainingSession, len(plans))
    first_copy = bulk.reserve_ids(Parcours, len(plans))
    enrolment_count = 0
    session_rows, copies, copy_audiences, copy_content_rows = [], [], [], []
    staff_rows, meeting_rows, window_rows, enrolment_rows = [], [], [], []
    attendance_plan = []  # (session index, meeting dates held, enrolment ids, lead)
    for index, (circonscription_id, departement_id, academie_id, year, is_large) in enumerate(
        plans
    ):
        session_id, copy_id = first_session + index, first_copy + index
        source = rng.choice(offre.get(academie_id, []) + offre.get(None, []))
        presence, distance = source["presence_hours"] or 0, source["distance_hours"] or 0
        team = staff.get(circonscription_id, {})
        if is_large:
            # An académie's distance module: led by the trainers of a circonscription drawn
            # anywhere (a simplification: nothing measured depends on where they work).
            team = staff.get(rng.choice(circonscriptions)[0], {})
        trainers = team.get(Role.TRAINER) or [None]
        lead = trainers[0] if not is_large else rng.choice(trainers)
        # Dates: a school day from mid-September to mid-June, meetings two to four weeks apart.
        start = datetime.date(year, 9, 15) + datetime.timedelta(days=rng.randint(0, 250))
        while start.weekday() != WEDNESDAY or in_holidays(start):
            start += datetime.timedelta(days=1)
        meetings = [] if is_large else [start]
        for _n in range(0 if is_large else max(1, round(presence / NATIONAL_MEETING_HOURS)) - 1):
            day = meetings[-1] + datetime.timedelta(days=rng.choice((14, 21, 28)))
            while in_holidays(day):
                day += datetime.timedelta(days=7)
            meetings.append(day)
        end = (meetings[-1] if meetings else start) + datetime.timedelta(
            days=21 if distance or is_large else 0
        )
        if is_large:
            end = start + datetime.timedelta(days=rng.choice((42, 56, 70)))
        # The state follows the dates.
        self_enrolment = is_large
        opens_on = closes_on = None
        if end < today - datetime.timedelta(days=14):
            status = SessionStatus.CLOSED
            if year < current and rng.random() < 0.5:
                status = SessionStatus.ARCHIVED
        elif start > today and not is_large and rng.random() < 0.3:
            status = SessionStatus.PREPARATION
        else:
            status = SessionStatus.OPEN
            if start > today and (is_large or rng.random() < 0.4):
                self_enrolment = True
                opens_on = today - datetime.timedelta(days=rng.randint(5, 30))
                closes_on = start - datetime.timedelta(days=3)
        opened_at = (
            None
            if status == SessionStatus.PREPARATION
            else _at(start - datetime.timedelta(days=rng.randint(10, 20)), datetime.time(10))
        )
        closed_at = (
            _at(end + datetime.timedelta(days=rng.randint(5, 9)), datetime.time(16))
            if status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED)
            else None
        )
        capacity = None if is_large else NATIONAL_CAPACITY
        title = source["title"] if not is_large else f"{source['title']} (module académique)"
        session_rows.append(
            (
                session_id, source["pk"], copy_id, title[:200], status, circonscription_id,
                departement_id, start, end, capacity, presence, distance, self_enrolment,
                opens_on, closes_on, lead, opened_at, closed_at,
            )
        )  # fmt: skip
        # As copy_for_session: the indexation, never open access nor its key.
        indexation = {**source, "open_access": False, "enrolment_key": ""}
        copies.append(
            (copy_id, Status.SESSION_COPY, source["lineage_id"], source["pk"], source["version"])
            + (lead, *(indexation[f] for f in CONTENT_COPY_FIELDS))
        )
        copy_audiences += [(copy_id, a) for a in audiences.get(source["pk"], ())]
        copy_content_rows.append((copy_id, content.get(source["pk"], [])))
        for user_id in dict.fromkeys(trainers[: rng.choice((1, 2))]):
            if user_id:
                staff_rows.append((session_id, user_id, StaffRole.TRAINER))
        if not is_large and rng.random() < 0.3:
            for user_id in team.get(Role.TUTOR, [])[:1]:
                staff_rows.append((session_id, user_id, StaffRole.TUTOR))

        held = []
        places = schools.get(circonscription_id) or [("École", "")]
        titles = iter(PRESENCE_TITLES)
        for day in meetings:
            weekday, start_time, end_time, _remote = rng.choice(NATIONAL_SLOTS)
            name, commune = rng.choice(places)
            street = f"{rng.randint(1, 40)} {rng.choice(STREETS)}"
            meeting_rows.append(
                (
                    session_id, next(titles, "Regroupement"), day, start_time, end_time, False,
                    name, f"{street}, {commune}".strip(", "),
                )
            )  # fmt: skip
            if day < today and status != SessionStatus.PREPARATION:
                held.append((len(meeting_rows) - 1, day, end_time))
        if distance or is_large:
            last = meetings[-1] if meetings else start
            window_rows.append((session_id, DISTANCE_TITLE, last + datetime.timedelta(days=1), end))

        # Participants.
        if is_large:
            size = min(len(everyone), max(30, round(rng.randint(*NATIONAL_LARGE_SIZE) * factor)))
            people = rng.sample(everyone, size)
            waiting = []
        else:
            pool = teachers.get(circonscription_id, [])
            size = rng.randint(*NATIONAL_PARTICIPANTS)
            if status == SessionStatus.PREPARATION:
                size = rng.randint(0, 10)
            extra = rng.randint(1, 4) if self_enrolment and rng.random() < 0.3 else 0
            chosen = rng.sample(pool, min(len(pool), size + extra))
            people, waiting = chosen[:size], chosen[size:]
        source_kind = EnrolmentSource.SELF if self_enrolment else EnrolmentSource.HR
        created = _at(start - datetime.timedelta(days=rng.randint(10, 40)), datetime.time(9))
        enrolled_ids = []
        for user_id in people:
            enrolment_count += 1
            enrolled_ids.append(len(enrolment_rows))
            enrolment_rows.append(
                [session_id, user_id, EnrolmentStatus.ENROLLED, source_kind, created, None, None]
            )
        for user_id in waiting:
            enrolment_count += 1
            enrolment_rows.append(
                [session_id, user_id, EnrolmentStatus.WAITING, source_kind, created, None, None]
            )
        attendance_plan.append((status, end, held, enrolled_ids, lead, is_large))

    # Attendance and attestation, now that every enrolment has its place in the stream.
    first_enrolment = bulk.reserve_ids(Enrolment, len(enrolment_rows))
    first_meeting = bulk.reserve_ids(Meeting, len(meeting_rows))
    present, excused = NATIONAL_ATTENDANCE
    attendance_rows = []
    for status, end, held, enrolled_ids, lead, is_large in attendance_plan:
        absent = set()
        for meeting_index, day, end_time in held:
            recorded_at = _at(day, end_time)
            for position in enrolled_ids:
                draw = rng.random()
                mark = AttendanceStatus.PRESENT
                if draw >= present:
                    mark = AttendanceStatus.EXCUSED if draw < excused else AttendanceStatus.ABSENT
                if mark == AttendanceStatus.ABSENT:
                    absent.add(position)
                attendance_rows.append(
                    (first_meeting + meeting_index, first_enrolment + position, mark, lead,
                     recorded_at)
                )  # fmt: skip
        ended = end < today
        if status == SessionStatus.PREPARATION or not ended:
            continue
        attested = [p for p in enrolled_ids if p not in absent]
        if is_large:
            attested = [p for p in attested if rng.random() < 0.6]  # did the distance work
        elif status == SessionStatus.OPEN:
            attested = attested[: len(attested) // 2]  # the trainer is on it
        attested_at = min(
            _at(end + datetime.timedelta(days=rng.randint(1, 4)), datetime.time(18)), now
        )
        for position in attested:
            row = enrolment_rows[position]
            row[5], row[6] = attested_at, lead
            row.append(_certificate_code(rng))

    bulk.copy_rows(
        Parcours,
        ["id", "status", "lineage_id", "derived_from_id", "version", "created_by_id"]
        + CONTENT_COPY_FIELDS,
        copies,
    )
    bulk.copy_rows(TargetAudience, ["parcours_id", "audience"], copy_audiences)
    sections, activities = copy_content(copy_content_rows)
    bulk.copy_rows(
        TrainingSession,
        [
            "id", "source_id", "content_id", "title", "status", "circonscription_id",
            "departement_id", "start_date", "end_date", "capacity", "presence_hours",
            "distance_hours", "self_enrolment", "enrolment_opens_on", "enrolment_closes_on",
            "created_by_id", "opened_at", "closed_at",
        ],
        session_rows,
    )  # fmt: skip
    bulk.copy_rows(SessionStaff, ["session_id", "user_id", "role"], staff_rows)
    bulk.copy_rows(
        Meeting,
        ["id", "session_id", "title", "date", "start_time", "end_time", "remote", "place_name",
         "address"],
        ((first_meeting + n, *row) for n, row in enumerate(meeting_rows)),
    )  # fmt: skip
    bulk.copy_rows(DistanceWindow, ["session_id", "title", "starts_on", "ends_on"], window_rows)
    bulk.copy_rows(
        Enrolment,
        ["id", "session_id", "user_id", "status", "source", "created_at", "completed_at",
         "attested_by_id", "certificate_code"],
        (
            (first_enrolment + n, *row[:7], row[7] if len(row) > 7 else None)
            for n, row in enumerate(enrolment_rows)
        ),
    )  # fmt: skip
    bulk.copy_rows(
        Attendance,
        ["meeting_id", "enrolment_id", "status", "recorded_by_id", "recorded_at"],
        attendance_rows,
    )
    bulk.analyze(
        Parcours, Section, ActivityRow, TrainingSession, SessionStaff, Meeting, DistanceWindow,
        Enrolment, Attendance,
    )  # fmt: skip
    attested = sum(1 for row in enrolment_rows if row[5] is not None)
    log(
        f"Sessions du jeu national : {len(plans)} sessions ({large} à plus de 10 000 places), "
        f"{len(meeting_rows)} réunions, {enrolment_count} inscriptions dont {attested} "
        f"attestées, {len(attendance_rows)} présences relevées, {sections} sections et "
        f"{activities} activités copiées ({time.monotonic() - started:.1f} s)."
    )


def _certificate_code(rng: random.Random) -> str:
    """Like new_certificate_code(), but drawn from the seed's generator."""
    return "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))
