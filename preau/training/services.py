"""Writes on training sessions: creation, calendar, enrolment, opening, attestation, closing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from preau.accounts.emails import canonical_email, email_variants_for, with_email_in
from preau.accounts.models import Role, RoleAssignment, User, normalize_email
from preau.accounts.selectors import has_role
from preau.core.search import sorted_by_name
from preau.hours import services as hours_services
from preau.parcours import services as parcours_services
from preau.parcours.access import offre_filter
from preau.parcours.models import Activity, Audience, Parcours, Section

from . import notifications
from .models import (
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    DistanceWindow,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Meeting,
    SessionEvent,
    SessionStaff,
    SessionStatus,
    StaffRole,
    StepDone,
    TrainingSession,
    new_certificate_code,
    new_code,
)

# Who may deploy a parcours as a session, and so run it. A tutor does not: they follow the
# participants of sessions others run (docs/roles.md).
ORGANISER_ROLES = (
    Role.TRAINER,
    Role.IEN,
    Role.PILOT,
    Role.ACADEMIC_MANAGER,
    Role.ADMIN,
)
# Who has sessions to run or follow: "Mes sessions" and its menu entry.
SESSION_ROLES = (*ORGANISER_ROLES, Role.TUTOR)


def require_manager(session: TrainingSession, by: User | None) -> None:
    """Refuses a change of a session to a person who does not run it (access.may_manage): its
    tutors follow the participants (attendance) but do not change the session, its team,
    calendar, enrolments or content, nor open, attest, close or archive it (docs/roles.md).
    `by=None` is the platform itself (the demo seed, an import)."""
    from . import access

    if by is None or access.may_manage(by, session):
        return
    if access.may_follow(by, session):
        raise access.tutor_refusal()
    raise PermissionDenied(_("Vous ne gérez pas cette session."))


def _require_writable(session: TrainingSession) -> TrainingSession:
    """Locks the session's row and reads its state afresh: once closed (even a moment ago, in
    another request) or archived, nothing of a session changes any more: attendance, calendar,
    content, team, enrolments, settings (docs/attendance.md). Returns the locked session."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.ARCHIVED:
        raise ValidationError(
            _("Cette session est archivée : elle ne peut plus être modifiée."), code="read_only"
        )
    if locked.status == SessionStatus.CLOSED:
        raise ValidationError(
            _("Cette session est close : elle ne peut plus être modifiée."), code="read_only"
        )
    return locked


def _log(session: TrainingSession, by: User | None, action: str, *, detail="", reason=""):
    SessionEvent.objects.create(
        session=session, actor=by, action=action, detail=detail, reason=reason
    )


# Creation and calendar --------------------------------------------------------------------


@transaction.atomic
def create_session(
    *,
    source: Parcours,
    by: User,
    departement,
    start_date: datetime.date,
    end_date: datetime.date,
    circonscription=None,
    title: str = "",
    capacity: int | None = None,
) -> TrainingSession:
    """A session of a published parcours: a private copy of its content, no user data."""
    if not has_role(by, *ORGANISER_ROLES):
        raise PermissionDenied
    if not Parcours.objects.filter(offre_filter(by), pk=source.pk).exists():
        raise ValidationError(_("Ce parcours n’est pas dans votre offre de parcours."))
    if end_date < start_date:
        raise ValidationError(_("La fin de la session précède son début."))
    if circonscription is not None and circonscription.departement_id != departement.pk:
        raise ValidationError(_("Cette circonscription n’est pas dans ce département."))
    if not may_own(by, circonscription=circonscription, departement=departement):
        raise ValidationError(
            _("Vous ne pouvez pas créer de session pour %(territory)s.")
            % {"territory": circonscription or departement}
        )
    session = TrainingSession.objects.create(
        source=source,
        content=parcours_services.copy_for_session(parcours=source, by=by),
        title=(title or source.title).strip()[:200],
        departement=departement,
        circonscription=circonscription,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        presence_hours=source.presence_hours or 0,
        distance_hours=source.distance_hours or 0,
        created_by=by,
    )
    if has_role(by, Role.TRAINER):
        SessionStaff.objects.create(session=session, user=by, role=StaffRole.TRAINER)
    return session


def may_own(user: User, *, circonscription=None, departement=None) -> bool:
    """Whether a person may create a session owned by this circonscription (or, when it is
    None, by this département): one of their organiser roles is there."""
    from .selectors import owner_territories

    circonscriptions, departements = owner_territories(user)
    if circonscription is not None:
        return circonscription in circonscriptions
    return departement in departements


@transaction.atomic
def add_staff(
    *, session: TrainingSession, user: User, role: str = StaffRole.TRAINER, by: User | None = None
) -> None:
    require_manager(session, by)
    _require_writable(session)
    if not has_role(user, Role.TRAINER, Role.TUTOR):
        raise ValidationError(
            _("%(name)s n’a pas de rôle de formateur ou de tuteur.") % {"name": user}
        )
    if role == StaffRole.TRAINER and not has_role(user, Role.TRAINER):
        raise ValidationError(
            _("%(name)s est tuteur, pas formateur : ajoutez-le comme tuteur.") % {"name": user}
        )
    SessionStaff.objects.update_or_create(session=session, user=user, defaults={"role": role})


@transaction.atomic
def add_staff_from_hr(*, session: TrainingSession, user_ids: list[int]) -> int:
    """The trainers the HR application lists for this session's modules join its staff as
    trainers, with the trainer role in the session's département when they had none. The
    session's row is locked and read afresh, like every write to a session: a closed or
    archived one gains nobody (0), even closed a moment ago in another request; an import
    skips it rather than fail. People already on the staff are left as they are. Returns how
    many joined."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_read_only:
        return 0
    present = set(session.staff.values_list("user_id", flat=True))
    wanted = [pk for pk in dict.fromkeys(user_ids) if pk not in present]
    if not wanted:
        return 0
    have_role = set(
        RoleAssignment.objects.filter(user_id__in=wanted, role=Role.TRAINER).values_list(
            "user_id", flat=True
        )
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=pk, role=Role.TRAINER, departement_id=session.departement_id)
            for pk in wanted
            if pk not in have_role
        ]
    )
    SessionStaff.objects.bulk_create(
        [SessionStaff(session=session, user_id=pk, role=StaffRole.TRAINER) for pk in wanted]
    )
    return len(wanted)


@transaction.atomic
def remove_staff(*, session: TrainingSession, user: User, by: User | None = None) -> None:
    require_manager(session, by)
    session = _require_writable(session)
    trainers = session.staff.filter(role=StaffRole.TRAINER)
    if (
        session.status == SessionStatus.OPEN
        and trainers.filter(user=user).exists()
        and not trainers.exclude(user=user).exists()
    ):
        raise ValidationError(
            _("Une session ouverte garde au moins un formateur : ajoutez-en un autre d’abord.")
        )
    SessionStaff.objects.filter(session=session, user=user).delete()


MEETING_FIELDS = {"title", "date", "start_time", "end_time", "remote", "place_name", "address"}
WINDOW_FIELDS = {"title", "starts_on", "ends_on"}


def _save_meeting(meeting: Meeting) -> Meeting:
    _require_writable(meeting.session)
    if (
        meeting.pk is not None
        and meeting.date > timezone.localdate()
        and meeting.attendances.exists()
    ):
        # Attendance is noted from the meeting's day on: a meeting whose attendance is
        # recorded has taken place, and cannot move to a day still to come.
        raise ValidationError(
            _(
                "Des présences sont déjà notées à cette réunion : elle a eu lieu et ne peut pas "
                "être déplacée à une date à venir."
            )
        )
    if meeting.end_time <= meeting.start_time:
        raise ValidationError(_("La réunion doit finir après avoir commencé."))
    if meeting.remote:
        # A virtual class slot has no place: keep none, whatever the form still carried.
        meeting.place_name = meeting.address = ""
    elif not meeting.place_name.strip():
        raise ValidationError(_("Indiquez le lieu de la réunion, ou cochez « à distance »."))
    meeting.save()
    return meeting


@transaction.atomic
def add_meeting(*, session: TrainingSession, by: User | None = None, **fields) -> Meeting:
    require_manager(session, by)
    return _save_meeting(Meeting(session=session, **fields))


@transaction.atomic
def update_meeting(*, meeting: Meeting, by: User | None = None, **fields) -> Meeting:
    require_manager(meeting.session, by)
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"{name} is not a meeting field")
        setattr(meeting, name, value)
    return _save_meeting(meeting)


@transaction.atomic
def delete_meeting(*, meeting: Meeting, by: User | None = None) -> None:
    """Deletes a meeting with the attendance recorded at it."""
    require_manager(meeting.session, by)
    _require_writable(meeting.session)
    meeting.delete()


def _save_window(window: DistanceWindow) -> DistanceWindow:
    _require_writable(window.session)
    if window.ends_on < window.starts_on:
        raise ValidationError(_("La période à distance doit finir après avoir commencé."))
    window.save()
    return window


@transaction.atomic
def add_distance_window(
    *, session: TrainingSession, by: User | None = None, **fields
) -> DistanceWindow:
    require_manager(session, by)
    return _save_window(DistanceWindow(session=session, **fields))


@transaction.atomic
def update_distance_window(
    *, window: DistanceWindow, by: User | None = None, **fields
) -> DistanceWindow:
    require_manager(window.session, by)
    for name, value in fields.items():
        if name not in WINDOW_FIELDS:
            raise ValueError(f"{name} is not a distance window field")
        setattr(window, name, value)
    return _save_window(window)


@transaction.atomic
def delete_distance_window(*, window: DistanceWindow, by: User | None = None) -> None:
    require_manager(window.session, by)
    _require_writable(window.session)
    window.delete()


# Settings ---------------------------------------------------------------------------------

SETTINGS_FIELDS = {
    "title",
    "start_date",
    "end_date",
    "capacity",
    "self_enrolment",
    "self_enrolment_scope",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "enrolment_key",
    "show_participant_names",
    "attestation_rule",
    "attestation_requires_steps",
}


@transaction.atomic
def update_session(*, session: TrainingSession, by: User, **fields) -> TrainingSession:
    """Changes a session's dates and settings. More places give the first people waiting
    theirs (each told by e-mail); fewer places than people enrolled are refused."""
    require_manager(session, by)
    session = _require_writable(session)
    for name, value in fields.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(f"{name} is not a session setting")
        setattr(session, name, value)
    session.title = session.title.strip()
    session.enrolment_key = session.enrolment_key.strip()
    errors = []
    if not session.title:
        errors.append(_("Donnez un titre à la session."))
    if session.end_date < session.start_date:
        errors.append(_("La fin de la session précède son début."))
    opens, closes = session.enrolment_opens_on, session.enrolment_closes_on
    if opens and closes and closes < opens:
        errors.append(_("La fin des inscriptions précède leur ouverture."))
    enrolled = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if session.capacity is not None and session.capacity < enrolled:
        errors.append(
            _(
                "%(n)s participants sont déjà inscrits : la session ne peut pas avoir moins "
                "de places. Désinscrivez d’abord des participants."
            )
            % {"n": enrolled}
        )
    if errors:
        raise ValidationError(errors)
    session.save(update_fields=sorted(fields))
    if session.status in {SessionStatus.PREPARATION, SessionStatus.OPEN}:
        while _promote_waiting(session):
            pass
    return session


def check_content_adaptable(session: TrainingSession) -> None:
    """The trainers adapt a session's copy of the content while the session runs; once it is
    closed, the content stays as the participants followed it. The content editor's services
    (parcours.services.check_editable) ask the same of a session's copy."""
    if session.is_read_only:
        raise ValidationError(
            _("Cette session est %(status)s : son contenu ne peut plus être adapté.")
            % {"status": session.get_status_display().lower()}
        )


# Opening ----------------------------------------------------------------------------------


def opening_problems(session: TrainingSession) -> list[str]:
    """What prevents opening the session, in French; empty when it may open."""
    # Reads the session's staff, enrolments, meetings and windows through .all() and .exists():
    # prefetched (as on the session page), they cost no query.
    problems = []
    if not any(member.role == StaffRole.TRAINER for member in session.staff.all()):
        problems.append(_("Ajoutez au moins un formateur."))
    if not session.self_enrolment and not session.enrolments.exists():
        problems.append(_("Inscrivez au moins un participant, ou ouvrez l’auto-inscription."))
    if not session.title.strip():
        problems.append(_("Donnez un titre à la session."))
    if session.presence_hours + session.distance_hours <= 0:
        problems.append(_("Indiquez les heures en présence et à distance créditées."))
    outside = [
        m for m in session.meetings.all() if not session.start_date <= m.date <= session.end_date
    ] + [
        w
        for w in session.distance_windows.all()
        if w.starts_on < session.start_date or w.ends_on > session.end_date
    ]
    for phase in outside:
        problems.append(
            _("« %(phase)s » tombe en dehors des dates de la session (du %(start)s au %(end)s).")
            % {
                "phase": phase,
                "start": session.start_date.strftime("%d/%m/%Y"),
                "end": session.end_date.strftime("%d/%m/%Y"),
            }
        )
    if not session.meetings.exists() and not session.distance_windows.exists():
        problems.append(_("Ajoutez au calendrier au moins une réunion ou une période à distance."))
    if not Activity.objects.filter(section__parcours_id=session.content_id).exists():
        problems.append(_("Le contenu de la session ne contient aucune activité."))
    return problems


@transaction.atomic
def open_session(*, session: TrainingSession, by: User) -> TrainingSession:
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PREPARATION:
        raise ValidationError(_("Seule une session en préparation peut être ouverte."))
    problems = opening_problems(session)
    if problems:
        raise ValidationError(problems)
    session.status, session.opened_at = SessionStatus.OPEN, timezone.now()
    session.save(update_fields=["status", "opened_at"])
    _log(session, by, SessionEvent.Action.OPENED)
    return session


# Enrolment --------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *,
    session: TrainingSession,
    user: User,
    source: str = EnrolmentSource.TRAINER,
    group: str = "",
    by: User | None = None,
) -> Enrolment:
    """Enrols a person, or puts them on the waiting list when the session is full.

    The session row is locked while places are counted, so that two requests for the last
    place cannot both get it; the unique constraint refuses a second enrolment of the same
    person.
    """
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status in {SessionStatus.CLOSED, SessionStatus.ARCHIVED}:
        raise ValidationError(_("Cette session est close : on ne peut plus s’y inscrire."))
    existing = Enrolment.objects.filter(session=session, user=user).first()
    if existing:
        return existing
    status = EnrolmentStatus.ENROLLED
    if session.capacity is not None:
        taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        if taken >= session.capacity:
            status = EnrolmentStatus.WAITING
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                session=session, user=user, status=status, source=source, group=group
            )
    except IntegrityError:
        return Enrolment.objects.get(session=session, user=user)
    if status == EnrolmentStatus.ENROLLED:
        notifications.enrolled(session, [user])
    return enrolment


@transaction.atomic
def enrol_from_hr(*, session: TrainingSession, user_ids: list[int]) -> tuple[int, int]:
    """Enrols the trainees the HR application sent to this session, in one insert: as many
    as there are places, the others on the waiting list, in the order given. The enrolled get
    a notification in Préau but no e-mail: GAIA sends the official convocation. People
    already enrolled are left as they are. Returns (enrolled, waiting); (0, 0) for a closed
    or archived session, which an import never changes (it skips it rather than fail the
    whole import)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_read_only:
        return 0, 0
    present = set(session.enrolments.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    wanted = [pk for pk in dict.fromkeys(user_ids) if pk not in present]
    free = len(wanted)
    if session.capacity is not None:
        taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        free = max(0, session.capacity - taken)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                user_id=pk,
                source=EnrolmentSource.HR,
                status=EnrolmentStatus.ENROLLED if rank < free else EnrolmentStatus.WAITING,
            )
            for rank, pk in enumerate(wanted)
        ]
    )
    enrolled = min(free, len(wanted))
    if enrolled:
        notifications.enrolled_by_hr(
            session, User.objects.filter(pk__in=wanted[:enrolled]).only("pk", "email", "is_active")
        )
    return enrolled, len(wanted) - enrolled


@transaction.atomic
def self_enrol(
    *, session: TrainingSession, user: User, key: str = "", despite_audience: bool = False
) -> Enrolment:
    """A teacher enrols themself in a session of their offre de formation: one open to
    self-enrolment today and meant for their territory (access.sessions_in_offre_for), with
    its key when it has one. When the session's audience does not match their school
    (audience_warning), they enrol only once they said so (`despite_audience`)."""
    from .access import sessions_in_offre_for

    today = timezone.localdate()
    if not TrainingSession.objects.in_offre_de_formation(today).filter(pk=session.pk).exists():
        raise ValidationError(_("Les inscriptions à cette session ne sont pas ouvertes."))
    if not has_role(user, Role.TEACHER):
        raise ValidationError(_("Seuls les professeurs des écoles s’inscrivent eux-mêmes."))
    if not sessions_in_offre_for(user, today).filter(pk=session.pk).exists():
        raise ValidationError(
            _("Cette session est réservée aux enseignants %(reach)s.")
            % {"reach": session.self_enrolment_reach},
            code="not_for_you",
        )
    if session.enrolment_key and key.strip() != session.enrolment_key:
        raise ValidationError(_("Clé d’inscription incorrecte."), code="wrong_key")
    warning = audience_warning(session=session, user=user)
    if warning and not despite_audience:
        raise ValidationError(warning, code="audience")
    return enrol(session=session, user=user, source=EnrolmentSource.SELF)


# The cycles a school teaches, by its kind (School.kind, read from its name): Préau records no
# class level for a teacher, so the school is what an audience warning can honestly rest on.
SCHOOL_CYCLES = {
    "maternelle": {Audience.CYCLE_1},
    "elementaire": {Audience.CYCLE_2, Audience.CYCLE_3},
    "primaire": {Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3},
}
# Audiences that are a cycle (a collège teacher of cycle 3 is cycle 3); the others (directors,
# specialised teachers, trainers) may be anyone, whatever their school.
CYCLE_OF_AUDIENCE = {
    Audience.CYCLE_1: Audience.CYCLE_1,
    Audience.CYCLE_2: Audience.CYCLE_2,
    Audience.CYCLE_3: Audience.CYCLE_3,
    Audience.COLLEGE: Audience.CYCLE_3,
}
SCHOOL_KIND_LABELS = {
    "maternelle": _lazy("une école maternelle"),
    "elementaire": _lazy("une école élémentaire"),
    "primaire": _lazy("une école primaire"),
}


def audience_warning(*, session: TrainingSession, user: User) -> str:
    """Why the session may not be for this teacher, or "": its parcours is meant only for
    cycles that their school does not have (a maternelle teacher and a cycle 3 session).
    Nothing is said when the school's kind is unknown, or when an audience is not a cycle."""
    school = user.school
    taught = SCHOOL_CYCLES.get(school.kind) if school else None
    audiences = [target.audience for target in session.source.target_audiences.all()]
    if not taught or not audiences or any(a not in CYCLE_OF_AUDIENCE for a in audiences):
        return ""
    if {CYCLE_OF_AUDIENCE[a] for a in audiences} & taught:
        return ""
    return _(
        "Cette session s’adresse aux enseignants de : %(audiences)s. Votre école, %(school)s, "
        "est %(kind)s : vérifiez qu’elle vous concerne avant de vous inscrire."
    ) % {
        "audiences": ", ".join(str(Audience(a).label) for a in audiences),
        "school": school.name,
        "kind": SCHOOL_KIND_LABELS[school.kind],
    }


@transaction.atomic
def leave_session(*, enrolment: Enrolment) -> Enrolment | None:
    """A participant leaves the waiting list, or withdraws before the session starts
    (Enrolment.can_leave); the place freed goes to the first person waiting (see unenrol)."""
    # Lock the session first, as enrol and unenrol do, then read the enrolment afresh.
    TrainingSession.objects.select_for_update().filter(pk=enrolment.session_id).first()
    enrolment = Enrolment.objects.select_related("session").filter(pk=enrolment.pk).first()
    if enrolment is None:  # already gone: a second click, another tab
        return None
    if not enrolment.can_leave(timezone.localdate()):
        if enrolment.source != EnrolmentSource.SELF and not enrolment.is_attested:
            message = _(
                "Vous avez été inscrit à cette session par son équipe de formation : pour vous "
                "désinscrire, adressez-vous à son formateur."
            )
        else:
            message = _(
                "La session a commencé : pour vous désinscrire, adressez-vous à son formateur."
            )
        raise ValidationError(message, code="too_late")
    return unenrol(enrolment=enrolment)


# Calendar feed ----------------------------------------------------------------------------


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's feed, created with its secret token on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def renew_calendar_feed(*, user: User) -> CalendarFeed:
    """A new secret token: the old address stops working at once."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.token = new_code()
    feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def unenrol(*, enrolment: Enrolment, by: User | None = None) -> Enrolment | None:
    """Removes an enrolment; a freed place goes to the first person waiting, who is told by
    e-mail. Returns the promoted enrolment, if any."""
    require_manager(enrolment.session, by)
    session = _require_writable(enrolment.session)
    if enrolment.is_attested:
        raise ValidationError(_("Ce participant est attesté : il ne peut plus être désinscrit."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.delete()
    # Their collective preparations' open sockets close (preau/preparations).
    from preau.preparations.services import enrolment_cancelled

    enrolment_cancelled(user=enrolment.user, session=session)
    if not freed:
        return None
    return _promote_waiting(session)


def _promote_waiting(session: TrainingSession) -> Enrolment | None:
    if session.capacity is not None:
        taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        if taken >= session.capacity:
            return None
    first = (
        session.enrolments.filter(status=EnrolmentStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.save(update_fields=["status"])
    notifications.promoted(session, first.user)
    return first


@dataclass
class LineFate:
    """What confirming a pasted or uploaded list would do with one of its lines."""

    line: int
    email: str
    group: str
    fate: str  # "enrol", "wait", or "reject"
    reason: str = ""
    user: User | None = None

    @property
    def accepted(self) -> bool:
        return self.fate in {"enrol", "wait"}


def preview_enrolment(
    session: TrainingSession,
    lines: list[tuple[str, str]],
    line_numbers: list[int] | None = None,
) -> list[LineFate]:
    """The fate of every line, before anything is written. `lines` are (e-mail, group);
    `line_numbers` their numbers in the pasted text or file (1, 2, 3… by default).

    Addresses are matched as everywhere else: case aside, and under any domain of the
    académie's aliases (an ac-caen.fr address finds the ac-normandie.fr account). Only the
    teachers the session may enrol are found (selectors.teachers_session_may_enrol): the
    address of anyone else reads « unknown » in the same words whether or not an account has
    it, so that a list never tells who is behind an address outside the session's territory.
    Trainers and tutors of the territory are refused with their reason: they join the team."""
    from .selectors import teachers_session_may_enrol, trainers_of_territory

    line_numbers = line_numbers or list(range(1, len(lines) + 1))
    variants: set[str] = set()
    for email, _group in lines:
        variants |= email_variants_for(email)
    teachers: dict[str, User] = {}
    for user in teachers_session_may_enrol(session).filter(pk__in=with_email_in(variants)):
        key, best = canonical_email(user.email), teachers.get(canonical_email(user.email))
        # One person under two addresses: the account in use, then the current address.
        if best is None or _account_rank(user) < _account_rank(best):
            teachers[key] = user
    colleagues = {
        canonical_email(email)
        for email in trainers_of_territory(session)
        .filter(pk__in=with_email_in(variants))
        .values_list("email", flat=True)
    }
    enrolled = {
        canonical_email(email)
        for email in session.enrolments.filter(user__in=with_email_in(variants)).values_list(
            "user__email", flat=True
        )
    }
    places = None
    if session.capacity is not None:
        places = (
            session.capacity - session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        )
    unknown = _("Aucun professeur des écoles de %(territory)s n’a cette adresse dans Préau.") % {
        "territory": session.circonscription or session.departement
    }
    seen, fates = {}, []
    for number, (raw, group) in zip(line_numbers, lines, strict=True):
        email = normalize_email(raw)
        fate = LineFate(line=number, email=raw.strip(), group=group.strip(), fate="reject")
        try:
            validate_email(email)
        except ValidationError:
            fate.reason = _("Adresse électronique mal formée.")
            fates.append(fate)
            continue
        key = canonical_email(email)
        if key in seen:
            fate.reason = _("Déjà présente ligne %(n)s.") % {"n": seen[key]}
        elif key in enrolled:
            fate.reason = _("Déjà inscrit à cette session.")
        elif key in colleagues and key not in teachers:
            fate.reason = _(
                "Compte de formateur ou de tuteur : ajoutez cette personne à l’équipe de la "
                "session, pas aux participants."
            )
        elif key not in teachers:
            fate.reason = unknown
        else:
            fate.user = teachers[key]
            if places is None or places > 0:
                fate.fate = "enrol"
                places = None if places is None else places - 1
            else:
                fate.fate = "wait"
                fate.reason = _("Session complète : liste d’attente.")
        seen.setdefault(key, number)
        fates.append(fate)
    return fates


def _account_rank(user: User) -> tuple:
    return (user.is_placeholder, user.email.lower() != canonical_email(user.email), user.pk)


@transaction.atomic
def confirm_enrolment(
    *,
    session: TrainingSession,
    lines: list[tuple[str, str]],
    line_numbers: list[int] | None = None,
    by: User | None = None,
) -> list[LineFate]:
    """Writes every valid line of a previewed list, in one transaction: the fates are computed
    again with the session locked (places may have gone since the preview), then all the
    enrolments are inserted at once; the people enrolled get their invitation after commit."""
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status in {SessionStatus.CLOSED, SessionStatus.ARCHIVED}:
        raise ValidationError(_("Cette session est close : on ne peut plus s’y inscrire."))
    fates = preview_enrolment(session, lines, line_numbers)
    created = Enrolment.objects.bulk_create(
        Enrolment(
            session=session,
            user=fate.user,
            group=fate.group[:50],
            source=EnrolmentSource.TRAINER,
            status=EnrolmentStatus.ENROLLED if fate.fate == "enrol" else EnrolmentStatus.WAITING,
        )
        for fate in fates
        if fate.accepted
    )
    enrolled = [e.user for e in created if e.status == EnrolmentStatus.ENROLLED]
    if enrolled:
        notifications.enrolled(session, enrolled)
    return fates


# Attendance and attestation -----------------------------------------------------------------


def _french_date(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


@transaction.atomic
def record_attendance(*, meeting: Meeting, by: User, statuses: dict[int, str]) -> None:
    """Sets the attendance of enrolments (by id) at a meeting; others are left as they are.

    Attendance is noted from the meeting's day on (Europe/Paris), never before: a meeting
    still to come has had no one present. Changed rows are written in one upsert: two quick
    taps on the same participant (two requests at once) cannot both insert, and the last one
    wins.
    """
    session = _require_writable(meeting.session)
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _(
                "La réunion du %(date)s n’a pas encore eu lieu : les présences se notent à "
                "partir du jour de la réunion."
            )
            % {"date": _french_date(meeting.date)},
            code="meeting_to_come",
        )
    valid = set(
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED, pk__in=statuses).values_list(
            "pk", flat=True
        )
    )
    for enrolment_id, status in statuses.items():
        if enrolment_id not in valid or status not in AttendanceStatus.values:
            raise ValidationError(_("Présence invalide pour ce participant."))
    existing = dict(
        meeting.attendances.filter(enrolment_id__in=valid).values_list("enrolment_id", "status")
    )
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, enrolment_id=enrolment_id, status=status, recorded_by=by)
            for enrolment_id, status in statuses.items()
            if existing.get(enrolment_id) != status
        ],
        update_conflicts=True,
        unique_fields=["meeting", "enrolment"],
        update_fields=["status", "recorded_by", "recorded_at"],
    )


@transaction.atomic
def mark_all_present(*, meeting: Meeting, by: User) -> int:
    """Marks present ("Tous présents") every enrolled participant not yet noted at the meeting;
    those already noted (absent, excused) keep their status. Returns how many were marked."""
    not_noted = (
        meeting.session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .exclude(attendances__meeting=meeting)
        .values_list("pk", flat=True)
    )
    statuses = dict.fromkeys(not_noted, AttendanceStatus.PRESENT)
    record_attendance(meeting=meeting, by=by, statuses=statuses)
    return len(statuses)


@dataclass(frozen=True)
class TrainingEnd:
    """When a session's training is over: its last presence meeting has taken place and its
    last distance window has ended (its end date when its calendar is empty). `on` is the
    later of the two days.

    `is_past(today)`: from the day of the last meeting on (attendance is noted from a
    meeting's start, and the rule asks every meeting to be marked), and from the day after the
    last day of distance work (on that day the work is still going on); from the end date
    itself for an empty calendar."""

    on: datetime.date
    last_meeting: datetime.date | None
    last_window: datetime.date | None

    def is_past(self, today: datetime.date) -> bool:
        if self.last_meeting is None and self.last_window is None:
            return today >= self.on
        meetings_held = self.last_meeting is None or today >= self.last_meeting
        distance_over = self.last_window is None or today > self.last_window
        return meetings_held and distance_over

    def explanation(self, today: datetime.date) -> str:
        """Why the training is not over yet on `today`, in French, with the dates of what is
        still to come."""
        parts = []
        if self.last_meeting and self.last_meeting > today:
            parts.append(
                _("sa dernière réunion en présence a lieu le %(date)s")
                % {"date": _french_date(self.last_meeting)}
            )
        if self.last_window and self.last_window >= today:
            parts.append(
                _("son travail à distance court jusqu’au %(date)s")
                % {"date": _french_date(self.last_window)}
            )
        if not parts:
            parts.append(_("elle se termine le %(date)s") % {"date": _french_date(self.on)})
        return _(" et ").join(parts)


def training_end(session: TrainingSession) -> TrainingEnd:
    """The TrainingEnd of a session, in one query."""
    facts = (
        TrainingSession.objects.filter(pk=session.pk)
        .annotate(
            last_meeting=Subquery(
                Meeting.objects.filter(session=session).order_by("-date").values("date")[:1]
            ),
            last_window=Subquery(
                DistanceWindow.objects.filter(session=session)
                .order_by("-ends_on")
                .values("ends_on")[:1]
            ),
        )
        .values("last_meeting", "last_window")
        .get()
    )
    last_meeting, last_window = facts["last_meeting"], facts["last_window"]
    days = [day for day in (last_meeting, last_window) if day]
    return TrainingEnd(
        on=max(days) if days else session.end_date,
        last_meeting=last_meeting,
        last_window=last_window,
    )


ATTESTED_SCHOOL = ["attested_school_name", "attested_school_commune", "attested_school_uai"]
REASON_MAX_LENGTH = 1000


def _names(enrolments: list[Enrolment]) -> str:
    """« 3 participants : Étienne Durand, Léa Martin, … », in French name order."""
    names = [e.user.get_full_name() for e in sorted_by_name(enrolments, key=lambda e: e.user)]
    return ngettext(
        "%(n)s participant : %(names)s", "%(n)s participants : %(names)s", len(names)
    ) % {"n": len(names), "names": ", ".join(names)}


@transaction.atomic
def attest(
    *, session: TrainingSession, by: User, enrolment_ids: list[int], reason: str = ""
) -> int:
    """Marks participants complete ("Terminé"), gives each a certificate code and credits the
    session's hours to their ledger.

    Before the training is over (training_end: its last presence meeting, the end of its last
    distance window), attesting asks for a reason: a group that really finished early is a
    legitimate case, a silent early credit is not. The reason is kept in the session's
    history, as is every attestation."""
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not session.can_attest:
        raise ValidationError(
            _("On atteste les participants d’une session ouverte, avant de la clore.")
        )
    to_attest = list(
        session.enrolments.filter(
            pk__in=enrolment_ids, status=EnrolmentStatus.ENROLLED, completed_at__isnull=True
        ).select_related("user__school")
    )
    if not to_attest:
        return 0
    reason = reason.strip()[:REASON_MAX_LENGTH]
    end, today = training_end(session), timezone.localdate()
    early = not end.is_past(today)
    if early and not reason:
        raise ValidationError(
            _(
                "La formation n’est pas terminée : %(why)s. Pour attester dès maintenant, "
                "indiquez la raison ; elle sera conservée dans l’historique de la session."
            )
            % {"why": end.explanation(today)},
            code="reason_required",
        )
    now = timezone.now()
    for enrolment in to_attest:
        enrolment.completed_at, enrolment.attested_by = now, by
        enrolment.certificate_code = new_certificate_code()
        school = enrolment.user.school
        enrolment.attested_school_name = school.name if school else ""
        enrolment.attested_school_commune = school.commune if school else ""
        enrolment.attested_school_uai = school.uai if school else ""
    Enrolment.objects.bulk_update(
        to_attest, ["completed_at", "attested_by", "certificate_code", *ATTESTED_SCHOOL]
    )
    for enrolment in to_attest:
        enrolment.session = session
    # The session's announced hours go into each teacher's ledger, flat-rate.
    hours_services.credit_attested(to_attest)
    notifications.attested(session, [enrolment.user for enrolment in to_attest])
    _log(
        session,
        by,
        SessionEvent.Action.ATTESTED_EARLY if early else SessionEvent.Action.ATTESTED,
        detail=_names(to_attest),
        reason=reason if early else "",
    )
    return len(to_attest)


@transaction.atomic
def withdraw_attestation(*, enrolment: Enrolment, by: User | None = None) -> None:
    """Withdraws an attestation while the session is open: the certificate's code stops being
    valid and the hours leave the ledger. Never once the session is closed."""
    require_manager(enrolment.session, by)
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    if not session.can_attest:
        raise ValidationError(_("La session est close : l’attestation ne peut plus changer."))
    enrolment = Enrolment.objects.select_related("user", "session").get(pk=enrolment.pk)
    if not enrolment.is_attested:
        return
    enrolment.completed_at = enrolment.attested_by = enrolment.certificate_code = None
    for field in ATTESTED_SCHOOL:
        setattr(enrolment, field, "")
    enrolment.save(
        update_fields=["completed_at", "attested_by", "certificate_code", *ATTESTED_SCHOOL]
    )
    hours_services.withdraw_credit(enrolment)
    _log(
        session,
        by,
        SessionEvent.Action.ATTESTATION_WITHDRAWN,
        detail=enrolment.user.get_full_name(),
    )


# Closing ----------------------------------------------------------------------------------


def unattested_count(session: TrainingSession) -> int:
    return session.enrolments.filter(
        status=EnrolmentStatus.ENROLLED, completed_at__isnull=True
    ).count()


def closing_early_warning(session: TrainingSession, today: datetime.date | None = None) -> str:
    """The warning shown before closing a session whose end date has not come, in French with
    the date; empty when the end date has come. Once closed, nothing of the session changes:
    the meetings and distance work still to come will not be followed on Préau."""
    today = today or timezone.localdate()
    if today >= session.end_date:
        return ""
    return _(
        "La session se termine le %(date)s : vous la closez avant sa date de fin. Une fois "
        "close, plus rien n’y change : les réunions et le travail à distance encore à venir ne "
        "seront plus suivis, les présences ne se noteront plus et personne ne pourra plus être "
        "attesté."
    ) % {"date": _french_date(session.end_date)}


@transaction.atomic
def close_session(
    *, session: TrainingSession, by: User, before_end_confirmed: bool = False
) -> TrainingSession:
    """Closes an open session; the view warns first about participants not yet attested.
    Before its end date, closing is refused unless the person confirmed it after reading
    closing_early_warning (the confirmation page posts `before_end_confirmed`)."""
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ValidationError(_("Seule une session ouverte peut être close."))
    warning = closing_early_warning(session)
    if warning and not before_end_confirmed:
        raise ValidationError(warning, code="before_end")
    session.status, session.closed_at = SessionStatus.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at"])
    if warning:
        detail = _("Date de fin prévue : %(date)s.") % {"date": _french_date(session.end_date)}
        _log(session, by, SessionEvent.Action.CLOSED_EARLY, detail=detail)
    else:
        _log(session, by, SessionEvent.Action.CLOSED)
    return session


@transaction.atomic
def archive_session(*, session: TrainingSession, by: User) -> TrainingSession:
    require_manager(session, by)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.CLOSED:
        raise ValidationError(_("Seule une session close peut être archivée."))
    session.status = SessionStatus.ARCHIVED
    session.save(update_fields=["status"])
    _log(session, by, SessionEvent.Action.ARCHIVED)
    return session


# « Étape terminée » ------------------------------------------------------------------------


@transaction.atomic
def mark_step(*, enrolment: Enrolment, section: Section, done: bool) -> bool:
    """The participant ticks a step (a section of their session's content) done, or unticks
    it: their own statement, stored without any date (domain.md §6), which the session's
    trainers and tutors see, and which the attestation rule may ask for
    (attestation_requires_steps). Only while the session is open, only by an enrolled
    participant (not one waiting), only for a section of the session's content. Ticking twice
    changes nothing. Returns `done`."""
    session = _require_writable(enrolment.session)
    if session.status != SessionStatus.OPEN:
        raise ValidationError(
            _("La session n’est pas encore ouverte : ses étapes se cochent une fois ouverte."),
            code="not_open",
        )
    if not Enrolment.objects.filter(
        pk=enrolment.pk, session=session, status=EnrolmentStatus.ENROLLED
    ).exists():
        raise ValidationError(
            _("Seuls les participants inscrits cochent les étapes de la session."),
            code="not_enrolled",
        )
    if section.parcours_id != session.content_id:
        raise ValidationError(
            _("Cette étape n’appartient pas au contenu de la session."), code="foreign_section"
        )
    if done:
        StepDone.objects.get_or_create(enrolment=enrolment, section=section)
    else:
        StepDone.objects.filter(enrolment=enrolment, section=section).delete()
    return done
