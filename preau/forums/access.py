"""Who may read and write a session's forums.

Forums belong to the people of the session and to them only: its staff (trainers and tutors,
who moderate) and its enrolled participants (once the session is open). The IEN, pilot teams,
academic managers and administrators run or pilot sessions without being members of them: they
see no forum content (domain.md §6), so nothing here goes through `sessions_managed_by`.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    SessionStaff,
    SessionStatus,
    TrainingSession,
)

from .models import Forum, Post, Thread


def staffed_session_ids(user) -> QuerySet:
    return SessionStaff.objects.filter(user=user).values("session")


def _participant_session_ids(user) -> QuerySet:
    return (
        Enrolment.objects.filter(
            user=user,
            status=EnrolmentStatus.ENROLLED,
        )
        .exclude(session__status=SessionStatus.PREPARATION)
        .values("session")
    )


def sessions_with_forums_for(user) -> QuerySet[TrainingSession]:
    """The sessions whose forums a person reads: those they staff, and those they take part in
    once opened (closed and archived ones stay readable)."""
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(
        Q(pk__in=staffed_session_ids(user)) | Q(pk__in=_participant_session_ids(user))
    )


def is_moderator(user, session) -> bool:
    """Trainers and tutors of the session moderate its forums."""
    return SessionStaff.objects.filter(user=user, session=session).exists()


def get_session_for_forums_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(
        sessions_with_forums_for(user).select_related("content"),
        pk=pk,
    )


def get_forum_or_404(user, pk: int) -> Forum:
    return get_object_or_404(
        Forum.objects.select_related("session", "activity").filter(
            session__in=sessions_with_forums_for(user)
        ),
        pk=pk,
    )


def get_activity_forum_session_or_404(user, activity_pk: int):
    """The session whose content holds this « Forum de discussion » activity, for a member."""
    from preau.parcours.models import Activity

    activity = get_object_or_404(
        Activity.objects.select_related("section__parcours__training_session").filter(
            kind="forum",
            section__parcours__training_session__in=sessions_with_forums_for(user),
        ),
        pk=activity_pk,
    )
    return activity, activity.section.parcours.training_session


def get_thread_or_404(user, pk: int) -> Thread:
    return get_object_or_404(
        Thread.objects.select_related("forum__session", "forum__activity").filter(
            forum__session__in=sessions_with_forums_for(user)
        ),
        pk=pk,
    )


def get_post_or_404(user, pk: int) -> Post:
    """A post of a forum the person reads; a hidden post only for its author and moderators."""
    post = get_object_or_404(
        Post.objects.select_related("thread__forum__session", "author").filter(
            thread__forum__session__in=sessions_with_forums_for(user)
        ),
        pk=pk,
    )
    if post.hidden and post.author_id != user.pk and not is_moderator(user, post.session):
        raise Http404
    return post
