"""Writes on the ledger: hours credited by attested sessions, animations recorded for a list
of attendees, manual corrections, and union meetings declared then validated."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts.models import Role, User
from preau.accounts.selectors import has_role

from .models import MAX_ENTRY_HOURS, Animation, Entry, Kind, Source
from .rules import school_year_bounds, school_year_label, school_year_of


def check_hours(presence: Decimal, distance: Decimal, *, allow_negative: bool = False) -> None:
    for value in (presence, distance):
        if value is None:
            raise ValidationError(_("Indiquez un nombre d’heures."))
        if not allow_negative and value < 0:
            raise ValidationError(_("Un nombre d’heures ne peut pas être négatif."))
        if abs(value) > MAX_ENTRY_HOURS:
            raise ValidationError(
                _("%(hours)s h en une seule ligne, c’est trop : 30 h au plus.") % {"hours": value}
            )
    if presence == 0 and distance == 0:
        raise ValidationError(_("Indiquez au moins une heure, en présence ou à distance."))


def check_date_in_year(day: datetime.date, year: int) -> None:
    start, end = school_year_bounds(year)
    if not start <= day <= end:
        raise ValidationError(
            _("Le %(date)s n’est pas dans l’année scolaire %(year)s (du %(start)s au %(end)s).")
            % {
                "date": day.strftime("%d/%m/%Y"),
                "year": school_year_label(year),
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        )


def _circonscription_of(teacher: User):
    return teacher.school.circonscription if teacher.school_id else None


# Sessions ---------------------------------------------------------------------------------


def credit_attested(enrolments) -> int:
    """Credits each attested enrolment with its session's announced hours, flat-rate, in the
    school year the session ends. Called by training.services.attest in its transaction."""
    entries = []
    for enrolment in enrolments:
        session = enrolment.session
        entries.append(
            Entry(
                teacher=enrolment.user,
                school_year=school_year_of(session.end_date),
                date=session.end_date,
                kind=Kind.TRAINING,
                source=Source.SESSION,
                title=session.title[:200],
                presence_hours=session.presence_hours,
                distance_hours=session.distance_hours,
                circonscription=_circonscription_of(enrolment.user),
                session=session,
                recorded_by=enrolment.attested_by,
            )
        )
    # ignore_conflicts: a session credits a teacher once, even if attested again.
    Entry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)


def withdraw_credit(enrolment) -> None:
    Entry.objects.filter(
        teacher=enrolment.user, session=enrolment.session, source=Source.SESSION
    ).delete()


# Animations -------------------------------------------------------------------------------


@transaction.atomic
def record_animation(
    *,
    by: User,
    circonscription,
    title: str,
    date: datetime.date,
    presence_hours: Decimal,
    distance_hours: Decimal = Decimal(0),
    attendees: list[User],
) -> Animation:
    """One animation pédagogique for a list of attendees, in one go."""
    if not title.strip():
        raise ValidationError(_("Donnez un intitulé à l’animation."))
    if not attendees:
        raise ValidationError(_("Choisissez au moins un participant."))
    check_hours(presence_hours, distance_hours)
    if date > timezone.localdate():
        raise ValidationError(_("Une animation s’enregistre une fois qu’elle a eu lieu."))
    animation = Animation.objects.create(
        title=title.strip(),
        date=date,
        presence_hours=presence_hours,
        distance_hours=distance_hours,
        circonscription=circonscription,
        recorded_by=by,
    )
    Entry.objects.bulk_create(
        Entry(
            teacher=teacher,
            school_year=school_year_of(date),
            date=date,
            kind=Kind.ANIMATION,
            source=Source.ANIMATION,
            title=animation.title[:200],
            presence_hours=presence_hours,
            distance_hours=distance_hours,
            circonscription=circonscription,
            animation=animation,
            recorded_by=by,
        )
        for teacher in attendees
    )
    return animation


# Corrections and declarations ---------------------------------------------------------------


@transaction.atomic
def correct(
    *,
    by: User,
    teacher: User,
    school_year: int,
    date: datetime.date,
    kind: str,
    presence_hours: Decimal,
    distance_hours: Decimal,
    reason: str,
) -> Entry:
    """A manual correction (add or remove hours), always with a reason the teacher sees."""
    if not reason.strip():
        raise ValidationError(_("Une correction doit toujours être motivée."))
    if kind not in {Kind.TRAINING, Kind.ANIMATION}:
        raise ValidationError(_("Nature d’heures inconnue."))
    check_hours(presence_hours, distance_hours, allow_negative=True)
    check_date_in_year(date, school_year)
    return Entry.objects.create(
        teacher=teacher,
        school_year=school_year,
        date=date,
        kind=kind,
        source=Source.CORRECTION,
        title=_("Correction"),
        presence_hours=presence_hours,
        distance_hours=distance_hours,
        circonscription=_circonscription_of(teacher),
        reason=reason.strip(),
        recorded_by=by,
    )


@transaction.atomic
def declare_union_meeting(
    *, teacher: User, date: datetime.date, hours: Decimal, title: str = ""
) -> Entry:
    """A teacher declares a union information meeting; it counts once the IEN validates it."""
    if not has_role(teacher, Role.TEACHER):
        raise PermissionDenied
    check_hours(hours, Decimal(0))
    if date > timezone.localdate():
        raise ValidationError(_("Déclarez une réunion une fois qu’elle a eu lieu."))
    return Entry.objects.create(
        teacher=teacher,
        school_year=school_year_of(date),
        date=date,
        kind=Kind.UNION_MEETING,
        source=Source.DECLARATION,
        title=(title.strip() or _("Réunion d’information syndicale"))[:200],
        presence_hours=hours,
        circonscription=_circonscription_of(teacher),
        recorded_by=teacher,
    )


@transaction.atomic
def validate_declaration(*, entry: Entry, by: User) -> Entry:
    if entry.source != Source.DECLARATION:
        raise ValidationError(_("Seule une déclaration se valide."))
    entry.validated_at = timezone.now()
    entry.save(update_fields=["validated_at"])
    return entry


@transaction.atomic
def refuse_declaration(*, entry: Entry, by: User) -> None:
    if entry.source != Source.DECLARATION or entry.validated_at is not None:
        raise ValidationError(_("Seule une déclaration en attente se refuse."))
    entry.delete()
