"""Who reads a logbook entry: its author; and, for an entry its author shared, the trainers of
the session it is tied to, as long as its author takes part in that session.

Nobody else, whatever their role: not the tutors (docs/roles.md), not the other participants,
not the IEN, pilot teams, designers, managers or administrators. Nothing here goes through
`sessions_managed_by` (which includes the pilots of a territory).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
)

from .models import Attachment, Entry


def sessions_taken_part_in(user) -> QuerySet[TrainingSession]:
    """The sessions an entry may be tied to: those the person is enrolled in (not waiting),
    once opened (closed and archived ones included: a portfolio is often written after)."""
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(
        pk__in=Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED).values(
            "session"
        )
    ).exclude(status=SessionStatus.PREPARATION)


def _trained_session_ids(user) -> QuerySet:
    return SessionStaff.objects.filter(user=user, role=StaffRole.TRAINER).values("session")


def is_trainer_of(user, session) -> bool:
    return SessionStaff.objects.filter(user=user, session=session, role=StaffRole.TRAINER).exists()


def shared_with_trainers_of(session) -> QuerySet[Entry]:
    """The entries shared with a session's trainers: shared, tied to it, by a participant."""
    return Entry.objects.filter(
        shared=True,
        session=session,
        owner__in=Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).values(
            "user"
        ),
    )


def readable_filter(user) -> Q:
    """Entries a person may read, as a condition on Entry."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    author_takes_part = Exists(
        Enrolment.objects.filter(
            session=OuterRef("session"), user=OuterRef("owner"), status=EnrolmentStatus.ENROLLED
        )
    )
    shared_with_me = Q(shared=True, session__in=_trained_session_ids(user)) & Q(author_takes_part)
    return Q(owner=user) | shared_with_me


def get_own_entry_or_404(user, pk: int) -> Entry:
    """An entry to change, share or delete: its author's only."""
    return get_object_or_404(Entry.objects.of(user).select_related("session", "section"), pk=pk)


def get_attachment_or_404(user, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("entry").filter(
            entry__in=Entry.objects.filter(readable_filter(user))
        ),
        pk=pk,
    )


def get_session_of_trainer_or_404(user, pk: int) -> TrainingSession:
    """A session the person is a trainer of (not a tutor, not a pilot)."""
    if not user.is_authenticated:
        return get_object_or_404(TrainingSession.objects.none(), pk=pk)
    return get_object_or_404(
        TrainingSession.objects.filter(pk__in=_trained_session_ids(user)), pk=pk
    )
