"""Who may see and run which training session, as SQL filters.

Two levels of access to a session (docs/roles.md):

- **manage** (`sessions_managed_by`, `may_manage`, `get_*_to_manage_or_404`): its trainers,
  the IEN of its circonscription, the pilot team of its département, the academic managers of
  its académie and administrators run it: settings, team, calendar, enrolments, content,
  opening, attestation, closing, archiving. They see who is enrolled and who completed, never
  anything about activity inside the session;
- **follow** (`sessions_followed_by`, `may_follow`, `get_*_to_follow_or_404`): everyone who
  manages it, and its tutors. A tutor follows the participants: they read the session page
  (team, calendar, participants, history), take attendance and print the signing sheets, and
  read the certificates; they never change what the session is (settings, team, calendar,
  enrolments, content) nor its course (opening, attesting, closing, archiving). A tutor
  reaching a manage-only page of a session they follow gets a 403 that says why; anyone else
  a 404, as for a session that does not exist. The services refuse the same writes
  (services.require_manager).
- a teacher sees only the sessions they are enrolled in (or waiting for), and the open ones
  of the offre de formation.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from preau.accounts.models import Role, RoleAssignment
from preau.accounts.selectors import has_role, is_administrator
from preau.parcours.access import offre_filter
from preau.parcours.models import Activity, Parcours, Section

from .models import (
    DistanceWindow,
    Enrolment,
    Meeting,
    SessionStaff,
    StaffRole,
    TrainingSession,
)


def _scopes(user, role: str, field: str):
    return RoleAssignment.objects.filter(user=user, role=role).values(field)


def _piloting_filter(user) -> Q:
    return (
        Q(circonscription__in=_scopes(user, Role.IEN, "circonscription"))
        | Q(departement__in=_scopes(user, Role.PILOT, "departement"))
        | Q(departement__academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie"))
    )


def _managed_ids(user, *more: QuerySet, staff_roles=(StaffRole.TRAINER,)) -> QuerySet:
    """Ids of the sessions a person staffs with one of `staff_roles` or pilots (and of
    `more`), as one UNION of index lookups.

    Written as one filter, `staff__user = x OR circonscription IN (…) OR …` over a join with
    the staff, PostgreSQL could not use an index: it joined every session of the country with
    its staff, and guessed that the person manages all 20,000 of them; the facts of "Mes
    sessions" (`with_dashboard_facts`) were then computed for every session of the country,
    1.6 s for a trainer's 16 sessions on the national data set (issue #7)."""
    ids = TrainingSession.objects.order_by().values("pk")  # no model ordering in a UNION
    return (
        SessionStaff.objects.filter(user=user, role__in=staff_roles)
        .order_by()
        .values("session")
        .union(
            ids.filter(circonscription__in=_scopes(user, Role.IEN, "circonscription")),
            ids.filter(departement__in=_scopes(user, Role.PILOT, "departement")),
            ids.filter(departement__academie__in=_scopes(user, Role.ACADEMIC_MANAGER, "academie")),
            *more,
        )
    )


FOLLOWING_STAFF = (StaffRole.TRAINER, StaffRole.TUTOR)


def sessions_managed_by(user) -> QuerySet[TrainingSession]:
    """The sessions a person runs: as a trainer, or piloting their territory."""
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(pk__in=_managed_ids(user))


def sessions_followed_by(user) -> QuerySet[TrainingSession]:
    """The sessions a person runs or follows (as a tutor)."""
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(pk__in=_managed_ids(user, staff_roles=FOLLOWING_STAFF))


def with_may_manage(sessions: QuerySet[TrainingSession], user) -> QuerySet[TrainingSession]:
    """Each session with `may_manage`: whether the person runs it (rather than follows it as
    a tutor), computed in the same query."""
    return sessions.annotate(may_manage=_manages(user, "pk"))


def _manages(user, session_field: str) -> ExpressionWrapper:
    """Whether the session at `session_field` is one the person runs, as a boolean column."""
    if is_administrator(user):
        return ExpressionWrapper(Value(True), output_field=BooleanField())
    return ExpressionWrapper(
        Q(**{f"{session_field}__in": _managed_ids(user)}), output_field=BooleanField()
    )


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if is_administrator(user):
        return TrainingSession.objects.all()
    enrolled = Enrolment.objects.filter(user=user).order_by().values("session")
    return TrainingSession.objects.filter(
        pk__in=_managed_ids(user, enrolled, staff_roles=FOLLOWING_STAFF)
    )


def sessions_piloted_by(user) -> QuerySet[TrainingSession]:
    """The sessions of the territories a person pilots (IEN: circonscription, pilot team:
    département, academic manager: académie), whether or not they run them."""
    if is_administrator(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(_piloting_filter(user))


def tutor_refusal() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Vous êtes tuteur de cette session : vous suivez les participants (présences, "
            "feuilles d’émargement), mais seuls ses formateurs et ceux qui pilotent son "
            "territoire la modifient, l’ouvrent, attestent et la closent."
        )
    )


def require_manage(obj):
    """`obj` (a session, or an object of one, read by a get_*_to_follow_or_404) with
    `may_manage` False is a session the person follows as a tutor: a 403 that says why."""
    if not obj.may_manage:
        raise tutor_refusal()
    return obj


def get_session_to_follow_or_404(user, pk: int) -> TrainingSession:
    """A session the person runs or follows, with `may_manage` (the templates show the
    actions of those who run it only)."""
    return get_object_or_404(
        with_may_manage(sessions_followed_by(user), user).select_related(
            "source", "content", "circonscription", "departement"
        ),
        pk=pk,
    )


def get_session_to_manage_or_404(user, pk: int) -> TrainingSession:
    """A session the person runs: 404 for a session they do not follow, 403 for one they
    follow as a tutor."""
    return require_manage(get_session_to_follow_or_404(user, pk))


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
            Q(user=user) | Q(session__in=sessions_followed_by(user)), completed_at__isnull=False
        ).select_related(
            "user__school", "session__source", "session__circonscription", "session__departement"
        ),
        pk=enrolment_pk,
    )


def may_manage(user, session: TrainingSession) -> bool:
    return sessions_managed_by(user).filter(pk=session.pk).exists()


def may_follow(user, session: TrainingSession) -> bool:
    return sessions_followed_by(user).filter(pk=session.pk).exists()


# The objects of a session that its organisers manage: reached by their own id, only within the
# sessions the user manages (404 otherwise), each with its session loaded.


def _followed(queryset: QuerySet, user, session_field: str = "session") -> QuerySet:
    """The objects of the sessions a person follows, each with `may_manage`."""
    return queryset.filter(**{f"{session_field}__in": sessions_followed_by(user)}).annotate(
        may_manage=_manages(user, session_field)
    )


def get_meeting_to_follow_or_404(user, pk: int) -> Meeting:
    """A meeting of a session the person follows (attendance, signing sheet)."""
    return get_object_or_404(_followed(Meeting.objects.select_related("session"), user), pk=pk)


def get_meeting_to_manage_or_404(user, pk: int) -> Meeting:
    return require_manage(get_meeting_to_follow_or_404(user, pk))


def get_distance_window_to_manage_or_404(user, pk: int) -> DistanceWindow:
    return require_manage(
        get_object_or_404(_followed(DistanceWindow.objects.select_related("session"), user), pk=pk)
    )


def get_staff_to_manage_or_404(user, pk: int) -> SessionStaff:
    return require_manage(
        get_object_or_404(
            _followed(SessionStaff.objects.select_related("session", "user"), user), pk=pk
        )
    )


def get_enrolment_to_manage_or_404(user, pk: int) -> Enrolment:
    return require_manage(
        get_object_or_404(
            _followed(Enrolment.objects.select_related("session", "user"), user), pk=pk
        )
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
    return require_manage(
        get_object_or_404(
            _followed(
                Section.objects.select_related("parcours__training_session"),
                user,
                "parcours__training_session",
            ),
            pk=pk,
        )
    )


def get_content_activity_to_adapt_or_404(user, pk: int) -> Activity:
    return require_manage(
        get_object_or_404(
            _followed(
                Activity.objects.select_related("section__parcours__training_session"),
                user,
                "section__parcours__training_session",
            ),
            pk=pk,
        )
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
        Q(pk__in=sessions_followed_by(user).values("pk")) | Q(pk__in=enrolled.values("session"))
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


def may_read_steps(user, session: TrainingSession) -> bool:
    """Which steps each participant ticked is for the session's trainers and tutors only:
    those who pilot the session, who may open its attestation screen, do not see the counts."""
    return sessions_staffed_by(user).filter(pk=session.pk).exists()


def get_session_to_follow_steps_or_404(user, pk: int) -> TrainingSession:
    """A session whose steps table the person may read: one they are a trainer or a tutor of
    (404 for anyone else, those who pilot it and the administrators included)."""
    return get_object_or_404(sessions_staffed_by(user).select_related("content"), pk=pk)
