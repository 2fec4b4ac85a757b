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
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.seeding import DEMO_ACCOUNTS
from preau.parcours.models import Parcours
from preau.territories.models import Circonscription, Departement, School
from preau.territories.seeding import DEMO_ACADEMIE

from . import services
from .models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    StaffRole,
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
    DemoSession("ECRIREC3", "Caen Sud", SELF_ENROLMENT, 21, 70,
                ((23, "morning"), (49, "virtual"), (68, "afternoon")), 9, capacity=24),
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

    if demo.territory.isdigit():  # a département's session, run by its pilot team
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
            enrolment_opens_on=today - datetime.timedelta(days=10),
            enrolment_closes_on=start_date - datetime.timedelta(days=3),
        )
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
    TrainingSession.objects.filter(pk=session.pk).update(opened_at=min(opened_at, timezone.now()))

    absences = _take_attendance(session, held, lead, rng, spare=cast.teacher.pk)
    if demo.story in (ENDED, CLOSED, ARCHIVED):
        _attest(session, lead, absences, end_date, rng, everyone=demo.story != ENDED)
    if demo.story in (CLOSED, ARCHIVED):
        session = services.close_session(session=session, by=lead)
        closed_at = _at(end_date + datetime.timedelta(days=rng.randint(5, 9)), datetime.time(16))
        TrainingSession.objects.filter(pk=session.pk).update(closed_at=closed_at)
    if demo.story == ARCHIVED:
        session = services.archive_session(session=session, by=lead)
    return session


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
    session.enrolments.filter(pk__in=ids).update(completed_at=min(attested_at, timezone.now()))
