"""Who may enter which virtual class: the people of its session, and them only.

Its staff (trainers and tutors) join as moderators; its enrolled participants (once the session
is open) as viewers. Those who pilot the territory and the administrators are not members of the
session: a room, like a forum, is a 404 to them as to a stranger (domain.md §6). Trainers (not
tutors) change a room's settings and delete recordings.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.parcours.models import Activity
from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    Meeting,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
)

from .models import Recording, Room


def member_sessions(user) -> QuerySet[TrainingSession]:
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    enrolled = (
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED)
        .exclude(session__status=SessionStatus.PREPARATION)
        .values("session")
    )
    staffed = SessionStaff.objects.filter(user=user).values("session")
    return TrainingSession.objects.filter(Q(pk__in=staffed) | Q(pk__in=enrolled))


def is_moderator(user, session) -> bool:
    """Trainers and tutors of the session are the moderators of its rooms."""
    return SessionStaff.objects.filter(user=user, session=session).exists()


def is_trainer(user, session) -> bool:
    return SessionStaff.objects.filter(user=user, session=session, role=StaffRole.TRAINER).exists()


def get_session_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(member_sessions(user), pk=pk)


def get_remote_meeting_or_404(user, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("session").filter(
            remote=True, session__in=member_sessions(user)
        ),
        pk=pk,
    )


def get_activity_and_session_or_404(user, pk: int):
    activity = get_object_or_404(
        Activity.objects.select_related("section__parcours__training_session").filter(
            kind="virtual_class",
            section__parcours__training_session__in=member_sessions(user),
        ),
        pk=pk,
    )
    return activity, activity.section.parcours.training_session


def get_room_or_404(user, pk: int) -> Room:
    return get_object_or_404(
        Room.objects.select_related("session__departement", "meeting", "activity").filter(
            session__in=member_sessions(user)
        ),
        pk=pk,
    )


def get_recording_or_404(user, pk: int) -> Recording:
    return get_object_or_404(
        Recording.objects.select_related("room__session__departement").filter(
            room__session__in=member_sessions(user)
        ),
        pk=pk,
    )
