"""Writes on training sessions: creation, calendar, enrolment, opening, attestation, closing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import Role, User, normalize_email
from preau.accounts.selectors import has_role
from preau.parcours import services as parcours_services
from preau.parcours.access import offre_filter
from preau.parcours.models import Parcours

from . import notifications
from .models import (
    Attendance,
    AttendanceStatus,
    DistanceWindow,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Meeting,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
    new_code,
)

ORGANISER_ROLES = (
    Role.TRAINER,
    Role.TUTOR,
    Role.IEN,
    Role.PILOT,
    Role.ACADEMIC_MANAGER,
    Role.ADMIN,
)


def _require_not_archived(session: TrainingSession) -> None:
    if session.is_read_only:
        raise ValidationError(_("Cette session est archivée : elle ne peut plus être modifiée."))


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
    if has_role(by, Role.TRAINER, Role.TUTOR):
        role = StaffRole.TRAINER if has_role(by, Role.TRAINER) else StaffRole.TUTOR
        SessionStaff.objects.create(session=session, user=by, role=role)
    return session


@transaction.atomic
def add_staff(*, session: TrainingSession, user: User, role: str = StaffRole.TRAINER) -> None:
    _require_not_archived(session)
    if not has_role(user, Role.TRAINER, Role.TUTOR):
        raise ValidationError(
            _("%(name)s n’a pas de rôle de formateur ou de tuteur.") % {"name": user}
        )
    SessionStaff.objects.update_or_create(session=session, user=user, defaults={"role": role})


@transaction.atomic
def remove_staff(*, session: TrainingSession, user: User) -> None:
    _require_not_archived(session)
    SessionStaff.objects.filter(session=session, user=user).delete()


@transaction.atomic
def add_meeting(*, session: TrainingSession, **fields) -> Meeting:
    _require_not_archived(session)
    meeting = Meeting(session=session, **fields)
    if meeting.end_time <= meeting.start_time:
        raise ValidationError(_("La réunion doit finir après avoir commencé."))
    if not meeting.remote and not meeting.place_name.strip():
        raise ValidationError(_("Indiquez le lieu de la réunion, ou cochez « à distance »."))
    meeting.save()
    return meeting


@transaction.atomic
def add_distance_window(*, session: TrainingSession, **fields) -> DistanceWindow:
    _require_not_archived(session)
    window = DistanceWindow(session=session, **fields)
    if window.ends_on < window.starts_on:
        raise ValidationError(_("La période à distance doit finir après avoir commencé."))
    window.save()
    return window


# Opening ----------------------------------------------------------------------------------


def opening_problems(session: TrainingSession) -> list[str]:
    """What prevents opening the session, in French; empty when it may open."""
    problems = []
    if not session.staff.filter(role=StaffRole.TRAINER).exists():
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
    return problems


@transaction.atomic
def open_session(*, session: TrainingSession, by: User) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PREPARATION:
        raise ValidationError(_("Seule une session en préparation peut être ouverte."))
    problems = opening_problems(session)
    if problems:
        raise ValidationError(problems)
    session.status, session.opened_at = SessionStatus.OPEN, timezone.now()
    session.save(update_fields=["status", "opened_at"])
    return session


# Enrolment --------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *,
    session: TrainingSession,
    user: User,
    source: str = EnrolmentSource.TRAINER,
    group: str = "",
) -> Enrolment:
    """Enrols a person, or puts them on the waiting list when the session is full.

    The session row is locked while places are counted, so that two requests for the last
    place cannot both get it; the unique constraint refuses a second enrolment of the same
    person.
    """
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
        transaction.on_commit(lambda: notifications.send_enrolment(enrolment))
    return enrolment


@transaction.atomic
def self_enrol(*, session: TrainingSession, user: User, key: str = "") -> Enrolment:
    today = timezone.localdate()
    if not TrainingSession.objects.in_offre_de_formation(today).filter(pk=session.pk).exists():
        raise ValidationError(_("Les inscriptions à cette session ne sont pas ouvertes."))
    if not has_role(user, Role.TEACHER):
        raise ValidationError(_("Seuls les professeurs des écoles s’inscrivent eux-mêmes."))
    if session.enrolment_key and key.strip() != session.enrolment_key:
        raise ValidationError(_("Clé d’inscription incorrecte."))
    return enrol(session=session, user=user, source=EnrolmentSource.SELF)


@transaction.atomic
def unenrol(*, enrolment: Enrolment) -> Enrolment | None:
    """Removes an enrolment; a freed place goes to the first person waiting, who is told by
    e-mail. Returns the promoted enrolment, if any."""
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    if enrolment.is_attested:
        raise ValidationError(_("Ce participant est attesté : il ne peut plus être désinscrit."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.delete()
    if not freed or session.status in {SessionStatus.CLOSED, SessionStatus.ARCHIVED}:
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
    transaction.on_commit(lambda: notifications.send_promotion(first))
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


def preview_enrolment(session: TrainingSession, lines: list[tuple[str, str]]) -> list[LineFate]:
    """The fate of every line, before anything is written. `lines` are (e-mail, group)."""
    emails = {normalize_email(email) for email, _group in lines}
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    enrolled = set(
        session.enrolments.filter(user__email__in=emails).values_list("user__email", flat=True)
    )
    places = None
    if session.capacity is not None:
        places = (
            session.capacity - session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        )
    seen, fates = {}, []
    for number, (raw, group) in enumerate(lines, start=1):
        email = normalize_email(raw)
        fate = LineFate(line=number, email=raw.strip(), group=group.strip(), fate="reject")
        try:
            validate_email(email)
        except ValidationError:
            fate.reason = _("Adresse électronique mal formée.")
            fates.append(fate)
            continue
        if email in seen:
            fate.reason = _("Déjà présente ligne %(n)s.") % {"n": seen[email]}
        elif email not in people:
            fate.reason = _("Aucun compte Préau n’a cette adresse.")
        elif email in enrolled:
            fate.reason = _("Déjà inscrit à cette session.")
        else:
            fate.user = people[email]
            if places is None or places > 0:
                fate.fate = "enrol"
                places = None if places is None else places - 1
            else:
                fate.fate = "wait"
                fate.reason = _("Session complète : liste d’attente.")
        seen.setdefault(email, number)
        fates.append(fate)
    return fates


@transaction.atomic
def confirm_enrolment(*, session: TrainingSession, lines: list[tuple[str, str]]) -> list[LineFate]:
    """Writes every valid line of a previewed list, in one transaction."""
    fates = preview_enrolment(session, lines)
    for fate in fates:
        if fate.accepted:
            enrol(session=session, user=fate.user, group=fate.group)
    return fates


# Attendance and attestation -----------------------------------------------------------------


@transaction.atomic
def record_attendance(*, meeting: Meeting, by: User, statuses: dict[int, str]) -> None:
    """Sets the attendance of enrolments (by id) at a meeting; others are left as they are."""
    session = meeting.session
    _require_not_archived(session)
    valid = set(
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED, pk__in=statuses).values_list(
            "pk", flat=True
        )
    )
    for enrolment_id, status in statuses.items():
        if enrolment_id not in valid or status not in AttendanceStatus.values:
            raise ValidationError(_("Présence invalide pour ce participant."))
    existing = {a.enrolment_id: a for a in meeting.attendances.filter(enrolment_id__in=valid)}
    to_create, to_update = [], []
    for enrolment_id, status in statuses.items():
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(
                Attendance(
                    meeting=meeting, enrolment_id=enrolment_id, status=status, recorded_by=by
                )
            )
        elif row.status != status:
            row.status, row.recorded_by = status, by
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by"])


@transaction.atomic
def attest(*, session: TrainingSession, by: User, enrolment_ids: list[int]) -> int:
    """Marks participants complete ("Terminé") and gives each a certificate code."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not session.can_attest:
        raise ValidationError(
            _("On atteste les participants d’une session ouverte, avant de la clore.")
        )
    to_attest = list(
        session.enrolments.filter(
            pk__in=enrolment_ids, status=EnrolmentStatus.ENROLLED, completed_at__isnull=True
        )
    )
    now = timezone.now()
    for enrolment in to_attest:
        enrolment.completed_at, enrolment.attested_by = now, by
        enrolment.certificate_code = new_code()
    Enrolment.objects.bulk_update(to_attest, ["completed_at", "attested_by", "certificate_code"])
    return len(to_attest)


@transaction.atomic
def withdraw_attestation(*, enrolment: Enrolment) -> None:
    if not enrolment.session.can_attest:
        raise ValidationError(_("La session est close : l’attestation ne peut plus changer."))
    enrolment.completed_at = enrolment.attested_by = enrolment.certificate_code = None
    enrolment.save(update_fields=["completed_at", "attested_by", "certificate_code"])


# Closing ----------------------------------------------------------------------------------


def unattested_count(session: TrainingSession) -> int:
    return session.enrolments.filter(
        status=EnrolmentStatus.ENROLLED, completed_at__isnull=True
    ).count()


@transaction.atomic
def close_session(*, session: TrainingSession, by: User) -> TrainingSession:
    """Closes an open session; the view warns first about participants not yet attested."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ValidationError(_("Seule une session ouverte peut être close."))
    session.status, session.closed_at = SessionStatus.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at"])
    return session


@transaction.atomic
def archive_session(*, session: TrainingSession, by: User) -> TrainingSession:
    if session.status != SessionStatus.CLOSED:
        raise ValidationError(_("Seule une session close peut être archivée."))
    session.status = SessionStatus.ARCHIVED
    session.save(update_fields=["status"])
    return session
