"""Reads on training sessions that join or aggregate, computed by the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TimeField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.selectors import is_administrator, roles_of
from preau.core.search import by_name, parse, words_filter
from preau.hours.rules import school_year_bounds, school_year_of
from preau.parcours.models import Section, TargetAudience
from preau.parcours.selectors import (
    DURATION_BANDS,
    SEARCHED_FIELDS,
    matches_sql,
    sections_with_activities,
)
from preau.territories.models import Circonscription, Departement

from .access import sessions_followed_by, sessions_in_offre_for, with_may_manage
from .models import (
    Attendance,
    AttendanceStatus,
    AttestationRule,
    DistanceWindow,
    Enrolment,
    EnrolmentStatus,
    Meeting,
    SessionStaff,
    SessionStatus,
    StepDone,
    TrainingSession,
    certificate_code_lookups,
)


class NextAction:
    """What the organisers of a session should do next, as computed by `with_dashboard_facts`."""

    OPEN = "open"
    CALL = "call"
    ATTEST = "attest"
    CLOSE = "close"
    NONE = ""

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            NextAction.OPEN: _("Ouvrir"),
            NextAction.CALL: _("Faire l’appel"),
            NextAction.ATTEST: _("Attester"),
            NextAction.CLOSE: _("Clore"),
        }


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a subquery on rows with a `session` field (filtered on an OuterRef), 0 when
    it has no row. Shared by the selectors below: keep its name and signature."""
    # GROUP BY the session: one row, or none.
    counted = queryset.order_by().values("session").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _meeting_needs_call(today: datetime.date) -> Exists:
    """A meeting held (today or before) where an enrolled participant has no attendance yet."""
    unmarked = Enrolment.objects.filter(
        session=OuterRef("session"), status=EnrolmentStatus.ENROLLED
    ).exclude(
        Exists(
            Attendance.objects.filter(meeting=OuterRef(OuterRef("pk")), enrolment=OuterRef("pk"))
        )
    )
    return Exists(
        Meeting.objects.filter(session=OuterRef("pk"), date__lte=today).filter(Exists(unmarked))
    )


class _DashboardIterable(ModelIterable):
    """The rows of `with_dashboard_facts`, each given its `next_action` and
    `next_action_label`, decided here from the facts the database counted.

    In SQL they were two CASE expressions, and each copied the facts it reads (the nested
    EXISTS of `needs_call`, two counts) into the query again, as did the dashboard's ORDER BY:
    6.4 KB of SQL, ≈ 20 ms of ORM work for each home page of a trainer (issue #7). Decided on
    the loaded row, each fact is in the query once (2.7 KB, ≈ 10 ms)."""

    def __iter__(self):
        labels = NextAction.labels()
        for session in super().__iter__():
            session.next_action = _next_action(session)
            session.next_action_label = labels.get(session.next_action, "")
            yield session


def _next_action(session: TrainingSession) -> str:
    action = _next_action_of_the_session(session)
    # A tutor follows the session (docs/roles.md): of its next actions, only the roll call is
    # theirs; opening, attesting and closing are for those who run it.
    if getattr(session, "may_manage", True) is False and action != NextAction.CALL:
        return NextAction.NONE
    return action


def _next_action_of_the_session(session: TrainingSession) -> str:
    if session.status == SessionStatus.PREPARATION:
        return NextAction.OPEN
    if session.status != SessionStatus.OPEN:
        return NextAction.NONE
    if session.needs_call:
        return NextAction.CALL
    if session.has_ended:
        if session.attested_count < session.enrolled_count:
            return NextAction.ATTEST
        return NextAction.CLOSE
    return NextAction.NONE


def with_dashboard_facts(queryset: QuerySet, today: datetime.date) -> QuerySet:
    """Annotates each session, in the same SQL query, with:

    - `enrolled_count`, `waiting_count`, `attested_count` (participants);
    - `needs_call` (a meeting was held where someone's attendance is not recorded);
    - `has_ended` (its end date is before `today`);

    and gives each row it loads `next_action` (a NextAction code) and `next_action_label` (its
    French label): "Ouvrir" a session in preparation; for an open one "Faire l’appel" after a
    meeting not fully marked, then, once the end date is past, "Attester" while participants
    are not attested, and "Clore" when all are; nothing otherwise. They are attributes of the
    loaded rows, not annotations: filter or order on them in Python (`trainer_dashboard`)."""
    enrolments = Enrolment.objects.filter(session=OuterRef("pk"))
    enrolled = enrolments.filter(status=EnrolmentStatus.ENROLLED)
    queryset = queryset.annotate(
        enrolled_count=_count(enrolled),
        waiting_count=_count(enrolments.filter(status=EnrolmentStatus.WAITING)),
        attested_count=_count(enrolled.filter(completed_at__isnull=False)),
        needs_call=_meeting_needs_call(today),
        has_ended=ExpressionWrapper(Q(end_date__lt=today), output_field=BooleanField()),
    )
    # Django's own values() swaps the iterable class the same way; clones keep it.
    queryset._iterable_class = _DashboardIterable
    return queryset


def trainer_dashboard(user: User, today: datetime.date | None = None) -> list[TrainingSession]:
    """The sessions a person runs as trainer or tutor (archived ones left out), with the
    counts and next action of `with_dashboard_facts`: those waiting for an action first, then
    by start date. One query; slice the list for the home page.

    Ordered here rather than in SQL, where the order would copy the facts into the query once
    more: all the person's sessions are loaded (a trainer runs a few dozen at most; 16 on the
    national data set), and only what the home page shows of them."""
    today = today or timezone.localdate()
    staffed = SessionStaff.objects.filter(user=user).values("session")
    queryset = TrainingSession.objects.filter(pk__in=staffed).exclude(status=SessionStatus.ARCHIVED)
    sessions = list(
        with_dashboard_facts(with_may_manage(queryset, user), today)
        .only("title", "status", "start_date", "end_date")
        .order_by()
    )
    sessions.sort(key=lambda s: (s.next_action == NextAction.NONE, s.start_date, s.pk))
    return sessions


def managed_sessions(user: User, status: str = "") -> QuerySet[TrainingSession]:
    """The sessions of "Mes sessions": every session the user runs or follows (as staff or piloting
    its territory), with the facts of `with_dashboard_facts`; the most recent first."""
    queryset = sessions_followed_by(user)
    if status:
        queryset = queryset.filter(status=status)
    return (
        with_dashboard_facts(with_may_manage(queryset, user), timezone.localdate())
        .select_related("circonscription", "departement")
        .order_by("-start_date", "-pk")
    )


def session_page(session: TrainingSession) -> dict:
    """What the organisers' page of a session shows, in four queries: staff, meetings (with how
    many enrolled participants are marked present, absent or excused), distance windows,
    enrolments (with people and their schools). They are prefetched on the session, so that
    services.opening_problems() reads them without querying again."""
    marked = Count("attendances", filter=Q(attendances__enrolment__status=EnrolmentStatus.ENROLLED))
    prefetch_related_objects(
        [session],
        Prefetch(
            "staff",
            queryset=SessionStaff.objects.select_related("user").order_by(
                "role", *by_name("user__"), "pk"
            ),
        ),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.annotate(marked_count=marked).order_by(
                "date", "start_time", "pk"
            ),
        ),
        Prefetch("distance_windows", queryset=DistanceWindow.objects.order_by("starts_on", "pk")),
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("user__school").order_by(
                *by_name("user__"), "pk"
            ),
        ),
    )
    staff, meetings = list(session.staff.all()), list(session.meetings.all())
    enrolments = list(session.enrolments.all())
    enrolled = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    today = timezone.localdate()
    return {
        "staff": staff,
        "meetings": meetings,
        "meetings_to_mark": [
            m for m in meetings if m.date <= today and m.marked_count < len(enrolled)
        ],
        "windows": list(session.distance_windows.all()),
        "enrolled": enrolled,
        # The waiting list in its order: the first in line gets the next free place.
        "waiting": sorted(
            (e for e in enrolments if e.status == EnrolmentStatus.WAITING),
            key=lambda e: (e.created_at, e.pk),
        ),
        "attested_count": sum(1 for e in enrolled if e.is_attested),
        "unattested_count": sum(1 for e in enrolled if not e.is_attested),
    }


def session_history(session: TrainingSession) -> list:
    """The session's history (SessionEvent), most recent first, with who did each thing: one
    query."""
    return list(session.events.select_related("actor").order_by("-created_at", "-pk"))


def owner_territories(user: User) -> tuple[list[Circonscription], list[Departement]]:
    """Where a person may create a session: the circonscriptions and départements of their
    organiser roles, the départements of the académies they manage (all of them for an
    administrator). Reads the roles already loaded on the user; one query at most."""
    from .services import ORGANISER_ROLES

    assignments = [a for a in roles_of(user) if a.role in ORGANISER_ROLES]
    circonscriptions = sorted(
        {a.circonscription for a in assignments if a.circonscription_id}, key=lambda c: c.name
    )
    departements = {a.departement for a in assignments if a.departement_id}
    academies = [a.academie_id for a in assignments if a.role == Role.ACADEMIC_MANAGER]
    if is_administrator(user):
        departements.update(Departement.objects.all())
    elif academies:
        departements.update(Departement.objects.filter(academie__in=academies))
    return circonscriptions, sorted(departements, key=lambda d: d.code)


def staff_candidate(email: str, session: TrainingSession) -> User | None:
    """The person with this e-mail (or its académie's older address) who may join the team of
    `session`: a trainer or a tutor of its académie. Anybody else is not found, so that the
    form names nobody outside the académie (the same answer as an address nobody has)."""
    from preau.accounts.emails import email_variants_for, with_email_in

    academie = session.departement.academie_id
    in_academie = (
        Q(roles__academie_id=academie)
        | Q(roles__departement__academie_id=academie)
        | Q(roles__circonscription__departement__academie_id=academie)
    )
    return (
        with_email_in(email_variants_for(email))
        .filter(in_academie, is_active=True, roles__role__in=[Role.TRAINER, Role.TUTOR])
        .distinct()
        .first()
    )


# Enrolment: whom a session may enrol -------------------------------------------------------------


def _in_territory(session: TrainingSession, *, circonscription: str, departement: str) -> Q:
    """The rows whose circonscription (or département, for a session owned by a département)
    is the session's: its territory."""
    if session.circonscription_id:
        return Q(**{circonscription: session.circonscription_id})
    return Q(**{departement: session.departement_id})


def teachers_session_may_enrol(session: TrainingSession) -> QuerySet[User]:
    """The active teachers whose school is in the session's territory (its circonscription,
    or its département when a département owns it), trainers and tutors excepted (they join
    a session through its team). An organiser's list or pick enrols no one else, and learns
    nothing of anyone else (services.preview_enrolment)."""
    teacher = RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.TEACHER)
    return User.objects.filter(
        _in_territory(
            session, circonscription="school__circonscription", departement="school__departement"
        ),
        Exists(teacher),
        is_active=True,
    ).exclude(Exists(_training_roles()))


def _training_roles() -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=[Role.TRAINER, Role.TUTOR])


def trainers_of_territory(session: TrainingSession) -> QuerySet[User]:
    """Trainers and tutors whose role is in the session's territory (a circonscription of it,
    or its département): an organiser's colleagues, whom a list refuses with a reason."""
    if session.circonscription_id:
        here = Q(circonscription=session.circonscription_id) | Q(departement=session.departement_id)
    else:
        here = Q(circonscription__departement=session.departement_id) | Q(
            departement=session.departement_id
        )
    return User.objects.filter(Exists(_training_roles().filter(here)), is_active=True)


def enrolment_candidate_ids(session: TrainingSession, q: str = "") -> list[int]:
    """Ids of the teachers the session may enrol who are not in it yet (neither enrolled nor
    waiting), in French name order, whose first name, last name or school holds every word of
    `q`, accents and case aside (preau/core/search.py caps the words). One query."""
    return list(
        teachers_session_may_enrol(session)
        .exclude(Exists(Enrolment.objects.filter(session=session, user=OuterRef("pk"))))
        .filter(words_filter(q, "first_name", "last_name", "school__name"))
        .order_by(*by_name(), "pk")
        .values_list("pk", flat=True)
    )


def enrolment_candidates(ids: list[int]) -> list[User]:
    """The teachers of `ids`, in that order, with the school a picking list shows. One query."""
    by_pk = User.objects.select_related("school").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


# Attendance, attestation, certificates ---------------------------------------------------------

ATTENDED_OR_EXCUSED = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED)


def _by_name(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return queryset.order_by(*by_name("user__"), "pk")


def _count_sections(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of the sections of one parcours, 0 when it has none."""
    counted = queryset.order_by().values("parcours").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _count_per_enrolment(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated subquery on attendances, 0 when it has no row."""
    counted = queryset.order_by().values("enrolment").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def participants_at_meeting(meeting: Meeting) -> QuerySet[Enrolment]:
    """The enrolled participants of a meeting's session, by name, with their names and school
    (what the roll call and the signing sheet show of them), each annotated with
    `attendance`: their status at this meeting, None when not yet noted."""
    status = Attendance.objects.filter(meeting=meeting, enrolment=OuterRef("pk")).values("status")
    return _by_name(
        Enrolment.objects.filter(session_id=meeting.session_id, status=EnrolmentStatus.ENROLLED)
        .select_related("user", "user__school")
        .only(
            "user__first_name",
            "user__last_name",
            "user__school__name",
            "user__school__uai",
        )
        .annotate(attendance=Subquery(status[:1]))
    )


def attendance_counts(meeting: Meeting) -> dict[str, int]:
    """How many participants are present, absent, excused and not yet noted, in one query."""
    participants = participants_at_meeting(meeting)
    counts = participants.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(attendance=status)) for status in AttendanceStatus.values},
    )
    counts["unrecorded"] = counts["total"] - sum(counts[s] for s in AttendanceStatus.values)
    return counts


def attendance_counts_of(participants: list[Enrolment]) -> dict[str, int]:
    """The counts of `attendance_counts`, for the participants of `participants_at_meeting`
    already loaded: all of them, as the roll call shows them."""
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for participant in participants:
        if participant.attendance:
            counts[participant.attendance] += 1
    counts["total"] = len(participants)
    counts["unrecorded"] = counts["total"] - sum(counts[s] for s in AttendanceStatus.values)
    return counts


def enrolments_for_attestation(
    session: TrainingSession, today: datetime.date | None = None
) -> QuerySet[Enrolment]:
    """The enrolled participants of a session, by name, with their user and school, and how
    they stand against the session's rule, computed by the database for all at once:

    - meetings_total: presence meetings of the session;
    - meetings_held: those whose day has come (today included, Europe/Paris);
    - meetings_ok: meetings held that the participant attended or was excused from (a meeting
      with no mark is neither);
    - meetings_absent: those they were marked absent from (the rest are not noted yet);
    - steps_total, steps_done: the steps (sections) of the session's content, and those the
      participant ticked done (a section removed from the content counts in neither);
    - satisfies_rule (ALL_MEETINGS): every meeting of the session has taken place and the
      participant attended or was excused from each; with the option « toutes les étapes
      cochées » (attestation_requires_steps), every step is ticked too (the only condition
      when the rule is the trainer's decision); None when the rule is the trainer's decision
      alone.
    """
    today = today or timezone.localdate()
    attendances = Attendance.objects.filter(
        enrolment=OuterRef("pk"), meeting__session=OuterRef("session"), meeting__date__lte=today
    )
    meetings = Meeting.objects.filter(session=OuterRef("session"))
    queryset = (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .select_related("user", "user__school", "attested_by")
        .annotate(
            meetings_total=_count(meetings),
            meetings_held=_count(meetings.filter(date__lte=today)),
            meetings_ok=_count_per_enrolment(attendances.filter(status__in=ATTENDED_OR_EXCUSED)),
            meetings_absent=_count_per_enrolment(
                attendances.filter(status=AttendanceStatus.ABSENT)
            ),
            steps_total=_count_sections(Section.objects.filter(parcours=session.content_id)),
            steps_done=_count_per_enrolment(
                StepDone.objects.filter(
                    enrolment=OuterRef("pk"), section__parcours=session.content_id
                )
            ),
        )
    )
    # meetings_ok counts meetings held only: equal to the total, every meeting was held.
    conditions = []
    if session.attestation_rule == AttestationRule.ALL_MEETINGS:
        conditions.append(Q(meetings_ok=F("meetings_total")))
    if session.attestation_requires_steps:
        conditions.append(Q(steps_done=F("steps_total")))
    if conditions:
        met = Q()
        for condition in conditions:
            met &= condition
        satisfies = Case(
            When(met, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    else:
        satisfies = Value(None, output_field=BooleanField())
    return _by_name(queryset.annotate(satisfies_rule=satisfies))


def unattested_satisfying_rule(session: TrainingSession) -> QuerySet:
    """Ids of the participants not yet attested whose attendance satisfies the rule."""
    return (
        enrolments_for_attestation(session)
        .filter(satisfies_rule=True, completed_at__isnull=True)
        .values_list("pk", flat=True)
    )


def trainers_of(session: TrainingSession) -> list[User]:
    """The trainers of a session (not its tutors), by name: they sign its documents."""
    from .models import StaffRole

    return list(
        User.objects.filter(
            session_staff__session=session, session_staff__role=StaffRole.TRAINER
        ).order_by(*by_name(), "pk")
    )


def certificate_by_code(code: str) -> Enrolment | None:
    """The attested enrolment whose certificate carries this code, as a person types it: case,
    spaces and dashes aside (models.certificate_code_lookups); None when none does."""
    lookups = certificate_code_lookups(code)
    if not lookups:
        return None
    return (
        Enrolment.objects.filter(certificate_code__in=lookups, completed_at__isnull=False)
        .select_related("user", "session", "session__source")
        .first()
    )


# Teachers: the offre de formation's sessions, a participant's session page -----------------


class SessionFilters:
    """The filters of the sessions of the offre de formation, on the session's source parcours
    (its indexation) and on the hours the session credits."""

    def __init__(self, *, q: str = "", duration: str = "", domain: str = "", audience: str = ""):
        self.q = parse(q).text  # capped here too, whoever built the filters
        self.duration, self.domain, self.audience = duration, domain, audience

    def __bool__(self) -> bool:
        return bool(self.q or self.duration or self.domain or self.audience)


def _source_full_text(queryset: QuerySet, q: str) -> QuerySet:
    """The sessions whose source parcours matches the search terms `q`, accents and case
    aside, the same way as the offre de parcours (parcours.selectors._full_text)."""
    if connection.vendor == "postgresql":
        # The source's generated search vector (parcours migration 0004: a column, not a model
        # field) in a self-contained subquery, so that no table alias of the outer query matters.
        condition, params = matches_sql(q)
        return queryset.filter(
            source__in=RawSQL(f"SELECT id FROM parcours_parcours WHERE {condition}", params)
        )
    # SQLite: every word somewhere in the source's indexation.
    return queryset.filter(words_filter(q, *(f"source__{f}" for f in SEARCHED_FIELDS)))


def places_left() -> ExpressionWrapper:
    """How many places a session has left (None: no limit), from one count of its enrolled
    participants: capacity − least(enrolled, capacity). A NULL capacity gives NULL on both
    databases (PostgreSQL's LEAST skips the NULL, SQLite's gives NULL; NULL − n is NULL). A
    CASE comparing the count with the capacity copied the count's subquery into the query
    three times: three counts per session for PostgreSQL, each reading up to 24,000
    enrolments for an académie-wide session (issue #7)."""
    enrolled = _count(
        Enrolment.objects.filter(session=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
    )
    return ExpressionWrapper(
        F("capacity") - Least(enrolled, F("capacity")), output_field=IntegerField()
    )


def offre_sessions(user: User, today: datetime.date) -> QuerySet[TrainingSession]:
    """The sessions open to enrolment for this person today (access.sessions_in_offre_for),
    with their `places_left` and the person's own enrolment status (`my_status`, None when
    not enrolled). For one session's page: with its whole source (and its audiences), owner,
    meetings and distance windows."""
    return _in_offre(user, today).select_related("source", "circonscription", "departement")


def _in_offre(user: User, today: datetime.date) -> QuerySet[TrainingSession]:
    mine = Enrolment.objects.filter(session=OuterRef("pk"), user=user).order_by()
    return (
        sessions_in_offre_for(user, today)
        .annotate(places_left=places_left(), my_status=Subquery(mine.values("status")[:1]))
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.order_by("date", "start_time", "pk")),
            Prefetch(
                "distance_windows", queryset=DistanceWindow.objects.order_by("starts_on", "pk")
            ),
        )
    )


# What a card of the offre shows of a session (training/participant/offre.html, _badges.html,
# _session_facts.html, _enrol.html): the list loads no other column of the session or of
# its source (whose texts are long).
_OFFRE_CARD = (
    "title",
    "start_date",
    "end_date",
    "capacity",
    "presence_hours",
    "distance_hours",
    "enrolment_closes_on",
    "enrolment_key",
    "source__objectives",
    "circonscription__name",
    "departement__name",
)


def search_offre_sessions(
    user: User, filters: SessionFilters, today: datetime.date
) -> QuerySet[TrainingSession]:
    """The sessions of `offre_sessions` that match the filters, soonest first, with what the
    cards of the list show: places left, `my_status`, the source's objectives, the owner's
    name, meetings and distance windows."""
    # DURATION_BANDS filter on `duration_hours`: here the hours the session credits.
    queryset = _in_offre(user, today).alias(
        duration_hours=F("presence_hours") + F("distance_hours")
    )
    if filters.duration in DURATION_BANDS:
        queryset = queryset.filter(DURATION_BANDS[filters.duration][1])
    if filters.domain:
        queryset = queryset.filter(source__domain=filters.domain)
    if filters.audience:
        queryset = queryset.filter(
            Exists(
                TargetAudience.objects.filter(
                    parcours=OuterRef("source"), audience=filters.audience
                )
            )
        )
    if filters.q:
        queryset = _source_full_text(queryset, filters.q)
    return (
        queryset.select_related("source", "circonscription", "departement")
        .only(*_OFFRE_CARD)
        .order_by("start_date", "title", "pk")
    )


def meetings_with_attendance(enrolment: Enrolment) -> QuerySet[Meeting]:
    """The session's meetings, each with the participant's own attendance (`my_attendance`:
    an AttendanceStatus value, or None while not recorded)."""
    own = Attendance.objects.filter(meeting=OuterRef("pk"), enrolment=enrolment)
    return (
        Meeting.objects.filter(session_id=enrolment.session_id)
        .annotate(my_attendance=Subquery(own.values("status")[:1]))
        .order_by("date", "start_time", "pk")
    )


def session_content_for_participant(session: TrainingSession):
    """The session's own copy of the content, reached through the session, in two queries,
    without the trainer notes."""
    return sections_with_activities(session.content_id, trainer_notes=False)


def enrolled_count(session: TrainingSession) -> int:
    """How many are enrolled: what a participant learns of the others when their names are
    hidden (a number tells nothing about anyone)."""
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def participant_names(session: TrainingSession) -> QuerySet:
    """(first name, last name) of the enrolled participants: only for a session whose trainer
    chose to show them (show_participant_names)."""
    return (
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .order_by(*by_name("user__"), "pk")
        .values_list("user__first_name", "user__last_name")
    )


# Teachers' home ("Se former") and everyone's calendar ------------------------------------


class Phase:
    IN_PROGRESS = "in_progress"
    UPCOMING = "upcoming"
    COMPLETED = "completed"


@dataclass(frozen=True)
class TeacherSessions:
    """A teacher's enrolments (each with its `session` loaded), by phase:

    - in_progress: the session runs today (start ≤ today ≤ end), not yet attested; soonest
      end first;
    - upcoming: it starts later; soonest first (sessions in preparation included);
    - completed: attested, or the session ended or was closed; most recent first. Only these
      may have a certificate: `enrolment.is_attested`.
    Waiting-list places are in_progress or upcoming with status "waiting"; a waiting place on
    a session that is over is left out. Each enrolment is annotated with `phase` and
    `next_meeting_on` (the date of the session's next meeting from today, or None).
    """

    in_progress: list
    upcoming: list
    completed: list

    def __bool__(self) -> bool:
        return bool(self.in_progress or self.upcoming or self.completed)


def teacher_sessions(user: User, today: datetime.date | None = None) -> TeacherSessions:
    """One query: the person's enrolments with the session's facts the lists show, and the
    next meeting as a subquery. The phase is decided on each loaded row (`_phase`), not by a
    CASE in the SQL that would repeat its conditions and their joins (a few ms of ORM
    compilation on every home page); the person's enrolments are all loaded either way."""
    today = today or timezone.localdate()
    next_meeting = Meeting.objects.filter(session=OuterRef("session"), date__gte=today).order_by(
        "date", "start_time", "pk"
    )
    enrolments = (
        Enrolment.objects.filter(user=user)
        .annotate(next_meeting_on=Subquery(next_meeting.values("date")[:1]))
        .select_related("session")
        .only("session", "status", "completed_at", *(f"session__{f}" for f in _LISTED_SESSION))
    )
    by_phase = {Phase.IN_PROGRESS: [], Phase.UPCOMING: [], Phase.COMPLETED: []}
    for enrolment in enrolments:
        enrolment.phase = _phase(enrolment, today)
        # A waiting-list place on a session that is over is nothing any more.
        if not (enrolment.phase == Phase.COMPLETED and enrolment.status == EnrolmentStatus.WAITING):
            by_phase[enrolment.phase].append(enrolment)
    by_phase[Phase.IN_PROGRESS].sort(key=lambda e: (e.session.end_date, e.session.pk))
    by_phase[Phase.UPCOMING].sort(key=_by_session_dates)
    by_phase[Phase.COMPLETED].sort(key=_by_session_dates, reverse=True)
    return TeacherSessions(
        in_progress=by_phase[Phase.IN_PROGRESS],
        upcoming=by_phase[Phase.UPCOMING],
        completed=by_phase[Phase.COMPLETED],
    )


# What the lists of a teacher's sessions show of each session (partials/_enrolment_list.html).
_LISTED_SESSION = ("title", "status", "start_date", "end_date", "presence_hours", "distance_hours")


def _phase(enrolment: Enrolment, today: datetime.date) -> str:
    session = enrolment.session
    if (
        enrolment.completed_at is not None
        or session.status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED)
        or session.end_date < today
    ):
        return Phase.COMPLETED
    if session.start_date > today:
        return Phase.UPCOMING
    return Phase.IN_PROGRESS


def _by_session_dates(enrolment: Enrolment) -> tuple:
    return (enrolment.session.start_date, enrolment.session.end_date, enrolment.session.pk)


@dataclass(frozen=True)
class CalendarEvent:
    """A meeting or a distance window of one of a person's sessions, for a list or a feed.

    kind is "meeting" (a presence meeting or virtual class: date, start and end times, place)
    or "distance" (a distance window: from starts_on to ends_on, no times). as_staff tells a
    session the person runs (trainer, tutor) from one they take part in.
    """

    kind: str
    session_id: int
    session_title: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    place: str
    remote: bool
    as_staff: bool


def calendar_sessions_filter(user: User) -> Q:
    """On Meeting and DistanceWindow: those of the sessions the person is enrolled in (not
    waiting) or staffs; archived sessions left out."""
    enrolled = Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED)
    staffed = SessionStaff.objects.filter(user=user)
    # One IN over a UNION, not two INs joined by OR: with the OR, PostgreSQL reads every
    # meeting and every session of the country (a sequential scan and a hash of 14,000
    # sessions, 12 ms on the national set) instead of the person's few (docs/performance.md).
    sessions = enrolled.values("session").order_by().union(staffed.values("session").order_by())
    return Q(session__in=sessions) & ~Q(session__status=SessionStatus.ARCHIVED)


# A closed session runs no more: its meetings and distance work from today on are not to come
# (closing before the end date leaves them in the calendar otherwise). Archived sessions are
# left out of calendars altogether (calendar_sessions_filter).
def _not_to_come_of_closed(date_field: str, today: datetime.date) -> Q:
    return ~Q(session__status=SessionStatus.CLOSED, **{f"{date_field}__gte": today})


def calendar_meetings(user: User, today: datetime.date | None = None) -> QuerySet[Meeting]:
    """The meetings of the person's calendar (calendar_sessions_filter), but those of a closed
    session from today on."""
    today = today or timezone.localdate()
    staffed = SessionStaff.objects.filter(user=user, session=OuterRef("session"))
    return (
        Meeting.objects.filter(
            calendar_sessions_filter(user), _not_to_come_of_closed("date", today)
        )
        .annotate(as_staff=Exists(staffed))
        .select_related("session")
        .order_by("date", "start_time", "pk")
    )


def calendar_windows(user: User, today: datetime.date | None = None) -> QuerySet[DistanceWindow]:
    """The distance windows of the person's calendar, but those of a closed session not over
    by yesterday."""
    today = today or timezone.localdate()
    staffed = SessionStaff.objects.filter(user=user, session=OuterRef("session"))
    return (
        DistanceWindow.objects.filter(
            calendar_sessions_filter(user), _not_to_come_of_closed("ends_on", today)
        )
        .annotate(as_staff=Exists(staffed))
        .select_related("session")
        .order_by("starts_on", "pk")
    )


def upcoming_events(
    user: User, today: datetime.date | None = None, limit: int = 5
) -> list[CalendarEvent]:
    """The person's next `limit` events, soonest first: meetings from today on and distance
    windows not yet over (one running today comes first), of sessions still running: nothing
    of a closed or archived session is to come. One query: the meetings and the windows as the
    same columns, in a UNION ALL that the database orders and cuts."""
    today = today or timezone.localdate()
    sessions = calendar_sessions_filter(user) & ~Q(session__status=SessionStatus.CLOSED)
    as_staff = Exists(SessionStaff.objects.filter(user=user, session=OuterRef("session")))
    no_time = Value(None, output_field=TimeField())
    meetings = Meeting.objects.filter(sessions, date__gte=today).annotate(
        kind=Value("meeting"),
        session_title=F("session__title"),
        starts_on=F("date"),
        ends_on=F("date"),
        as_staff=as_staff,
    )
    windows = DistanceWindow.objects.filter(sessions, ends_on__gte=today).annotate(
        kind=Value("distance"),
        session_title=F("session__title"),
        start_time=no_time,
        end_time=no_time,
        remote=Value(True),
        place_name=Value(""),
        address=Value(""),
        as_staff=as_staff,
    )
    rows = (
        meetings.values(*_EVENT_COLUMNS)
        .order_by()
        .union(windows.values(*_EVENT_COLUMNS).order_by(), all=True)
        # A window has no time: on its first day it comes before that day's meetings.
        .order_by("starts_on", F("start_time").asc(nulls_first=True), "kind", "pk")[:limit]
    )
    return [_calendar_event(row) for row in rows]


# The columns of both sides of upcoming_events' UNION, in the same order.
_EVENT_COLUMNS = (
    "kind",
    "session_id",
    "session_title",
    "title",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "remote",
    "place_name",
    "address",
    "as_staff",
    "pk",
)


def _calendar_event(row: dict) -> CalendarEvent:
    place_name, address = row.pop("place_name"), row.pop("address")
    del row["pk"]
    place = ""
    if row["kind"] == "meeting":
        place = Meeting(remote=row["remote"], place_name=place_name, address=address).place
    return CalendarEvent(place=place, **row)


def credited_hours(user: User, today: datetime.date | None = None) -> dict:
    """Hours credited flat-rate for the sessions of this school year (1 September – 31 August,
    by the session's end date) where the person was attested: {"presence", "distance",
    "total"}, Decimals. One query."""
    today = today or timezone.localdate()
    start, end = school_year_bounds(school_year_of(today))
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=6, decimal_places=1))
    # The year of the training, not of the attestation: a session of June attested in
    # September counts for the year it took place.
    totals = Enrolment.objects.filter(
        user=user,
        completed_at__isnull=False,
        session__end_date__gte=start,
        session__end_date__lte=end,
    ).aggregate(
        presence=Coalesce(Sum("session__presence_hours"), zero),
        distance=Coalesce(Sum("session__distance_hours"), zero),
    )
    return {**totals, "total": totals["presence"] + totals["distance"]}


# Piloting: the sessions of a territory, for its IEN, pilot team or academic manager --------


def piloting_sessions(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions with their participation only, never activity inside them (domain.md §6):
    `enrolled_count`, `waiting_count`, `completed_count` as subqueries of the same query, the
    owner territory joined, and `trainers` (SessionStaff rows with their user) prefetched in
    one more query. Most recent first."""
    from .models import StaffRole

    enrolments = Enrolment.objects.filter(session=OuterRef("pk"))
    enrolled = enrolments.filter(status=EnrolmentStatus.ENROLLED)
    trainers = (
        SessionStaff.objects.filter(role=StaffRole.TRAINER)
        .select_related("user")
        .order_by(*by_name("user__"), "pk")
    )
    return (
        queryset.annotate(
            enrolled_count=_count(enrolled),
            waiting_count=_count(enrolments.filter(status=EnrolmentStatus.WAITING)),
            completed_count=_count(enrolled.filter(completed_at__isnull=False)),
        )
        .select_related("circonscription", "departement", "source")
        .prefetch_related(Prefetch("staff", queryset=trainers, to_attr="trainers"))
        .order_by("-start_date", "-pk")
    )


def piloted_session_counts(user: User) -> dict[str, int]:
    """How many sessions of each status the territories a person pilots hold, for a home page
    card linking to the piloting page: {"preparation": 3, "open": 9, ...}. One query."""
    from .access import sessions_piloted_by

    return sessions_piloted_by(user).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in SessionStatus.values}
    )


# « Étape terminée »: the steps (sections of the session's content) a participant ticked -------


@dataclass(frozen=True)
class StepsProgress:
    """« 3 étapes sur 5 »: how many steps of the content a participant ticked done."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def done_section_ids(enrolment: Enrolment) -> set[int]:
    """Ids of the sections of the session's content the participant ticked, in one query."""
    return set(
        StepDone.objects.filter(
            enrolment=enrolment, section__parcours=enrolment.session.content_id
        ).values_list("section_id", flat=True)
    )


def steps_progress(enrolment: Enrolment) -> StepsProgress:
    """The participant's progress, counted by the database in one query."""
    done = StepDone.objects.filter(
        enrolment=enrolment, section__parcours=enrolment.session.content_id
    )
    facts = Section.objects.filter(parcours=enrolment.session.content_id).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(pk__in=done.values("section"))),
    )
    return StepsProgress(done=facts["done"], total=facts["total"])


def content_steps(session: TrainingSession) -> list[dict]:
    """The steps of a session's content in their order, as {"pk", "title"}."""
    return list(
        Section.objects.filter(parcours=session.content_id)
        .order_by("position", "pk")
        .values("pk", "title")
    )


def steps_participants(session: TrainingSession) -> QuerySet[Enrolment]:
    """The enrolled participants of a session by name, with `steps_done`: how many steps of
    the content each ticked (a count, never a time)."""
    return _by_name(
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .select_related("user")
        .only("session", "user__first_name", "user__last_name")
        .annotate(
            steps_done=_count_per_enrolment(
                StepDone.objects.filter(
                    enrolment=OuterRef("pk"), section__parcours=session.content_id
                )
            )
        )
    )


def ticks_of(session: TrainingSession, enrolments: list[Enrolment]) -> set[tuple[int, int]]:
    """(enrolment id, section id) of the steps these participants ticked, in one query."""
    return set(
        StepDone.objects.filter(
            enrolment__in=[e.pk for e in enrolments], section__parcours=session.content_id
        ).values_list("enrolment_id", "section_id")
    )
