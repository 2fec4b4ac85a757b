"""Who reaches a collective preparation.

- Its **groups** are made by those who manage the session (`preau/training/access.py`:
  trainers, and those who pilot its territory); its tutors see them.
- A group's **document** is read and written by the members of the group (enrolled in the
  session, once it is opened) and by the session's own trainers and tutors: nobody else, not
  the members of the other groups, nor the IEN, the pilot teams or the administrators, who get
  a 404 as for a document that does not exist (domain.md §6). A closed or archived session's
  documents stay readable by the same people, and are written by nobody (services).
- A group may **share** its document with the session: its enrolled participants then read it
  (page, PDF, versions), never write it nor join its websocket (cursors are the group's).
- **Who wrote what** (`Author`: which member wrote with which editor) is for the document's
  writers (`get_document_or_404`: the group, the session's trainers and tutors), also once the
  session is closed; not for the session a plan is shared with, like the comments.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.parcours.models import Activity
from preau.training.access import sessions_followed_by, with_may_manage
from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    SessionStaff,
    SessionStatus,
    TrainingSession,
)

from .models import Comment, Document, Group, Membership, Proposal, Reply, Version

KIND = "preparation"


def _staffed_session_ids(user) -> QuerySet:
    return SessionStaff.objects.filter(user=user).values("session")


def _participant_session_ids(user) -> QuerySet:
    return (
        Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED)
        .exclude(session__status=SessionStatus.PREPARATION)
        .values("session")
    )


def documents_for(user) -> QuerySet[Document]:
    """The documents a person reads and writes: those of their own groups (while enrolled in
    an opened session), and every document of the sessions they are a trainer or tutor of."""
    if not user.is_authenticated:
        return Document.objects.none()
    own_groups = Membership.objects.filter(user=user).values("group")
    return Document.objects.filter(
        Q(group__session__in=_staffed_session_ids(user))
        | Q(group__in=own_groups, group__session__in=_participant_session_ids(user))
    )


def documents_readable_by(user) -> QuerySet[Document]:
    """The documents a person writes, and those a group shared with a session the person
    takes part in (read only)."""
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(
        Q(pk__in=documents_for(user).values("pk"))
        | Q(group__shared=True, group__session__in=_participant_session_ids(user))
    )


def get_document_to_read_or_404(user, pk: int) -> Document:
    return get_object_or_404(
        documents_readable_by(user).select_related("group__session", "group__activity"), pk=pk
    )


def get_document_or_404(user, pk: int) -> Document:
    """A document the person writes (its websocket, its saves)."""
    return get_object_or_404(
        documents_for(user).select_related("group__session", "group__activity"), pk=pk
    )


def may_edit(user, document: Document) -> bool:
    """Whether a person may write the document (the session still open is the service's
    rule)."""
    return documents_for(user).filter(pk=document.pk).exists()


@dataclass
class Place:
    """A « Préparation collective » activity of a session's content, as one person reaches it."""

    activity: Activity
    session: TrainingSession
    manages: bool  # makes the groups
    staff: bool  # trainer or tutor: reads every group's document
    participant: bool


def get_place_or_404(user, activity_pk: int) -> Place:
    """The activity, for those who follow the session (managers, tutors) and its enrolled
    participants once it is opened; 404 for anyone else."""
    if not user.is_authenticated:
        return get_object_or_404(Activity.objects.none(), pk=activity_pk)
    sessions = TrainingSession.objects.filter(
        Q(pk__in=sessions_followed_by(user).values("pk")) | Q(pk__in=_participant_session_ids(user))
    )
    activity = get_object_or_404(
        Activity.objects.select_related("section__parcours__training_session").filter(
            kind=KIND, section__parcours__training_session__in=sessions
        ),
        pk=activity_pk,
    )
    session = with_may_manage(
        TrainingSession.objects.filter(pk=activity.section.parcours.training_session.pk), user
    ).get()
    return Place(
        activity=activity,
        session=session,
        manages=bool(session.may_manage),
        staff=SessionStaff.objects.filter(user=user, session=session).exists(),
        participant=Enrolment.objects.filter(
            user=user, session=session, status=EnrolmentStatus.ENROLLED
        ).exists(),
    )


def get_group_to_manage_or_404(user, pk: int) -> Group:
    """A group of a session the person manages; a tutor gets the training app's 403."""
    from preau.training.access import require_manage

    group = get_object_or_404(
        Group.objects.select_related("session", "activity").filter(
            session__in=sessions_followed_by(user)
        ),
        pk=pk,
    )
    session = with_may_manage(TrainingSession.objects.filter(pk=group.session_id), user).get()
    require_manage(session)
    group.session = session
    return group


def get_version_or_404(user, pk: int) -> Version:
    """A version of a document the person reads (the same people as the document)."""
    return get_object_or_404(
        Version.objects.filter(document__in=documents_readable_by(user)).select_related(
            "document__group__session", "document__group__activity"
        ),
        pk=pk,
    )


# Proposals to the parcours' designers ---------------------------------------------------------


def get_document_to_propose_or_404(user, pk: int) -> Document:
    """A document the person may propose to the parcours' designers: one of a session they run
    as its trainer. The IEN and the pilots, who manage the session but never read a group's
    document, get the same 404 as for a document that does not exist; a tutor, who reads it,
    gets the training app's 403."""
    from preau.training.access import require_manage

    doc_row = get_object_or_404(
        documents_for(user)
        .filter(group__session__in=_staffed_session_ids(user))
        .select_related("group__session__source", "group__activity"),
        pk=pk,
    )
    session = with_may_manage(
        TrainingSession.objects.filter(pk=doc_row.group.session_id), user
    ).get()
    require_manage(session)
    return doc_row


def may_propose(user, document: Document) -> bool:
    """Whether the person may propose the document to the parcours' designers: a trainer of its
    session (staff who manages it; not a tutor, not the IEN)."""
    from preau.training.access import may_manage

    return documents_for(user).filter(
        pk=document.pk, group__session__in=_staffed_session_ids(user)
    ).exists() and may_manage(user, document.group.session)


def designers_of_lineage(lineage_id: int):
    """Who designs the parcours: the designers of any version of its line (a new version is
    often designed by those of the previous one, not always)."""
    from preau.accounts.models import User

    return (
        User.objects.filter(
            designed_parcours__lineage_id=lineage_id, is_active=True, is_placeholder=False
        )
        .distinct()
        .order_by("pk")
    )


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """The proposals of the lines of parcours the person designs (a version of)."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    from preau.parcours.models import Parcours

    lineages = Parcours.objects.filter(designers=user).values("lineage")
    return Proposal.objects.filter(lineage__in=lineages)


def get_proposal_or_404(user, pk: int) -> Proposal:
    return get_object_or_404(
        proposals_visible_to(user).select_related("parcours", "proposed_by", "decided_by"), pk=pk
    )


def get_comment_or_404(user, pk: int) -> Comment:
    """A comment of a document the person writes: comments are the group's (and its
    trainers' and tutors'), not shown to the session a plan is shared with."""
    return get_object_or_404(
        Comment.objects.filter(document__in=documents_for(user)).select_related(
            "document__group__session"
        ),
        pk=pk,
    )


def get_reply_or_404(user, pk: int) -> Reply:
    """A reply to a comment the person reaches (the same people as the comment)."""
    return get_object_or_404(
        Reply.objects.filter(comment__document__in=documents_for(user)).select_related(
            "comment__document__group__session"
        ),
        pk=pk,
    )


def may_moderate(user, document: Document) -> bool:
    """Whether the person moderates the document's comments (deletes anyone's): the session's
    own trainers and tutors. Members delete their own comments and replies only."""
    return (
        user.is_authenticated
        and SessionStaff.objects.filter(user=user, session_id=document.group.session_id).exists()
    )
