"""Who may see and run which training session, as SQL filters.

- trainers and tutors of a session (its staff) run it;
- the IEN of its circonscription, the pilot team of its département, the academic managers of
  its académie and administrators see it and may run it (create, enrol, open, close); they see
  who is enrolled and who completed, never anything about activity inside the session;
- a teacher sees only the sessions they are enrolled in (or waiting for), and the open ones
  of the offre de formation.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment
from preau.accounts.selectors import has_role, is_administrator
from preau.parcours.access import offre_filter
from preau.parcours.models import Activity, Parcours, Section

from .models import DistanceWindow, Enrolment, Meeting, SessionStaff, TrainingSession


def _scopes(user, role: str, field: str):
    return RoleAssignment.objects.filter(user=user, role=role).values(field)


def _piloting_filter(user) -> Q:
    return (
        Q(circonscription__in=_scopes(user, Role.IEN, "circonscription"))
        | Q(departement__in=_scopes(user, Role.PILOT, "departement"))
        | Q(departement__academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie"))
    )


def _managed_ids(user, *more: QuerySet) -> QuerySet:
    """Ids of the sessions a person staffs or pilots (and of `more`), as one UNION of index
    lookups.

    Written as one filter, `staff__user = x OR circonscription IN (…) OR …` over a join with
    the staff, PostgreSQL could not use an index: it joined every session of the country with
    its staff, and guessed that the person manages all 20,000 of them; the facts of "Mes
    sessions" (`with_dashboard_facts`) were then computed for every session of the country,
    1.6 s for a trainer's 16 sessions on the national data set (issue #7)."""
    ids = TrainingSession.objects.order_by().values("pk")  # no model ordering in a UNION
    return (
        SessionStaff.objects.filter(user=user)
        .order_by()
        .values("session")
        .union(
            ids.filter(circonscription__in=_scopes(user, Role.IEN, "circonscription")),
            ids.filter(departement__in=_scopes(user, Role.PILOT, "departement")),
            ids.filter(departement__academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie")),
            *more,
        )
    )


def sessions_managed_by(user) -> QuerySet[TrainingSession]:
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(pk__in=_managed_ids(user))


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if is_administrator(user):
        return TrainingSession.objects.all()
    enrolled = Enrolment.objects.filter(user=user).order_by().values("session")
    return TrainingSession.objects.filter(pk__in=_managed_ids(user, enrolled))


def sessions_piloted_by(user) -> QuerySet[TrainingSession]:
    """The sessions of the territories a person pilots (IEN: circonscription, pilot team:
    département, academic manager: académie), whether or not they run them."""
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(_piloting_filter(user))


def get_session_to_manage_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(
        sessions_managed_by(user).select_related(
            "source", "content", "circonscription", "departement"
        ),
        pk=pk,
    )


def get_session_for_user_or_404(user, pk: int) -> TrainingSession:
    return get_object_or_404(
        sessions_visible_to(user).select_related("source", "content", "circonscription"),
        pk=pk,
    )


def get_own_enrolment_or_404(user, session_pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("session", "session__content"),
        session_id=session_pk,
        user=user,
    )


def get_certificate_or_404(user, enrolment_pk: int) -> Enrolment:
    """An attested enrolment, whose certificate its participant and the session's organisers
    may download (also once the session is closed or archived); 404 for anyone else, and for
    an enrolment not attested."""
    return get_object_or_404(
        Enrolment.objects.filter(
            Q(user=user) | Q(session__in=sessions_managed_by(user)), completed_at__isnull=False
        ).select_related(
            "user__school", "session__source", "session__circonscription", "session__departement"
        ),
        pk=enrolment_pk,
    )


def may_manage(user, session: TrainingSession) -> bool:
    return sessions_managed_by(user).filter(pk=session.pk).exists()


# The objects of a session that its organisers manage: reached by their own id, only within the
# sessions the user manages (404 otherwise), each with its session loaded.


def get_meeting_to_manage_or_404(user, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("session").filter(session__in=sessions_managed_by(user)),
        pk=pk,
    )


def get_distance_window_to_manage_or_404(user, pk: int) -> DistanceWindow:
    return get_object_or_404(
        DistanceWindow.objects.select_related("session").filter(
            session__in=sessions_managed_by(user)
        ),
        pk=pk,
    )


def get_staff_to_manage_or_404(user, pk: int) -> SessionStaff:
    return get_object_or_404(
        SessionStaff.objects.select_related("session", "user").filter(
            session__in=sessions_managed_by(user)
        ),
        pk=pk,
    )


def get_enrolment_to_manage_or_404(user, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("session", "user").filter(
            session__in=sessions_managed_by(user)
        ),
        pk=pk,
    )


def get_parcours_to_deploy_or_404(user, pk: int) -> Parcours:
    """A published parcours of the user's offre de parcours, for an organiser (403 for others,
    404 when the parcours is not in their offre)."""
    from .services import ORGANISER_ROLES

    if not has_role(user, *ORGANISER_ROLES):
        raise PermissionDenied
    return get_object_or_404(Parcours.objects.filter(offre_filter(user)), pk=pk)


# A session's content (its private copy of the parcours) is reached only through the session:
# a section or an activity of the copy of a session the user manages.


def get_content_section_to_adapt_or_404(user, pk: int) -> Section:
    return get_object_or_404(
        Section.objects.select_related("parcours__training_session").filter(
            parcours__training_session__in=sessions_managed_by(user)
        ),
        pk=pk,
    )


def get_content_activity_to_adapt_or_404(user, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("section__parcours__training_session").filter(
            section__parcours__training_session__in=sessions_managed_by(user)
        ),
        pk=pk,
    )


# Teachers: the sessions of the offre de formation, their own participation, their feed.


def sessions_in_offre_for(user, today) -> QuerySet[TrainingSession]:
    """Sessions open to self-enrolment today for the teachers of the territories where the
    person works (through their school or a role): those of their circonscription, and those
    their organisers opened to their département, their académie or everyone
    (`self_enrolment_scope`). A teacher of Bayeux is not offered a session of Caen Nord meant
    for Caen Nord, nor a teacher of Caen the sessions of Marseille."""
    from preau.accounts.selectors import territories_of

    from .models import SelfEnrolmentScope as Scope

    circonscriptions, departements, academies = territories_of(user)
    return TrainingSession.objects.in_offre_de_formation(today).filter(
        Q(self_enrolment_scope=Scope.EVERYONE)
        | Q(self_enrolment_scope=Scope.ACADEMIE, departement__academie__in=academies)
        | Q(self_enrolment_scope=Scope.DEPARTEMENT, departement__in=departements)
        | Q(
            self_enrolment_scope=Scope.TERRITORY,
            circonscription__isnull=True,
            departement__in=departements,
        )
        | Q(self_enrolment_scope=Scope.TERRITORY, circonscription__in=circonscriptions)
    )


def get_offre_session_or_404(user, pk: int, today) -> TrainingSession:
    """A session of the person's offre de formation, with `my_status` (their enrolment's
    status, None when they have none) and its places left."""
    from .selectors import offre_sessions

    return get_object_or_404(
        offre_sessions(user, today).prefetch_related("source__target_audiences"), pk=pk
    )


# What the participant's pages (their session page, leaving it) read of their enrolment.
_PARTICIPATION = (
    "session",
    "status",
    "source",
    "completed_at",
    *(
        f"session__{name}"
        for name in (
            "content",
            "title",
            "status",
            "start_date",
            "end_date",
            "presence_hours",
            "distance_hours",
            "attestation_rule",
            "attestation_requires_steps",
            "show_participant_names",
            "enrolment_key",
            "source__matricule",
            "circonscription__name",
            "departement__name",
        )
    ),
)


def get_participation_or_404(user, session_pk: int) -> Enrolment:
    """The person's own enrolment (or waiting-list place) in a session, with the session, the
    matricule of its source, its owner's name, and `waiting_rank` (1 for the first person
    waiting). A session they are not enrolled in is a 404, exactly like one that does not
    exist; archived sessions stay readable by their participants.

    Only the columns of the participant's pages (their session page, leaving it) are loaded:
    the session's source and content copy are parcours of 35 columns with long texts, of which
    the page shows the matricule (the content is read by its id, `session.content_id`)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery

    from .models import EnrolmentStatus

    ahead = (
        Enrolment.objects.filter(session=OuterRef("session"), status=EnrolmentStatus.WAITING)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return get_object_or_404(
        Enrolment.objects.filter(user=user)
        .select_related("session__source", "session__circonscription", "session__departement")
        .only(*_PARTICIPATION)
        .annotate(waiting_rank=Subquery(ahead, output_field=IntegerField())),
        session_id=session_pk,
    )


def session_contents_readable_by(user) -> QuerySet:
    """Ids of the session copies (Parcours rows) whose content a person may read: those of the
    sessions they run or pilot, and of those they are enrolled in (not while waiting). For
    parcours.views.files: a session's files are served through the session's access rules."""
    from .models import EnrolmentStatus

    enrolled = Enrolment.objects.filter(user=user, status=EnrolmentStatus.ENROLLED)
    return TrainingSession.objects.filter(
        Q(pk__in=sessions_managed_by(user).values("pk")) | Q(pk__in=enrolled.values("session"))
    ).values("content")


def get_calendar_feed_or_404(token: str):
    """A private feed by its secret token, with its person: an unknown or renewed token, or a
    deactivated account, is a 404."""
    from .models import CalendarFeed

    return get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )


# « Étape terminée »: a participant ticks the steps of their session's content; the session's
# own trainers and tutors see who ticked which step. Nobody else: not those who pilot the
# territory (the IEN sees participation, enrolled and completed, nothing more), nor the
# administrators (domain.md §6).


def get_step_to_tick_or_404(user, section_pk: int) -> tuple[Enrolment, Section]:
    """A section of the content of a session the person is enrolled in (not waiting), with
    their enrolment; a section of any other content is a 404, like one that does not exist.
    Whether the session still takes ticks is the service's to say (closed, archived)."""
    from .models import EnrolmentStatus

    section = get_object_or_404(
        Section.objects.select_related("parcours__training_session").filter(
            parcours__training_session__enrolments__user=user,
            parcours__training_session__enrolments__status=EnrolmentStatus.ENROLLED,
        ),
        pk=section_pk,
    )
    enrolment = Enrolment.objects.select_related("session").get(
        session=section.parcours.training_session, user=user
    )
    return enrolment, section


def sessions_staffed_by(user) -> QuerySet[TrainingSession]:
    """The sessions a person is a trainer or a tutor of."""
    return TrainingSession.objects.filter(
        pk__in=SessionStaff.objects.filter(user=user).values("session")
    )


def get_session_to_follow_steps_or_404(user, pk: int) -> TrainingSession:
    """A session whose steps table the person may read: one they are a trainer or a tutor of
    (404 for anyone else, those who pilot it and the administrators included)."""
    return get_object_or_404(sessions_staffed_by(user).select_related("content"), pk=pk)
