"""Who may see and edit which parcours, as SQL filters.

- designers of a parcours, and academic managers of its académie, see and edit it (drafts too);
- reviewers see what is submitted to them (their académie's, or everything if national);
- the editorial committee sees every published parcours (to label it);
- trainers, designers and piloting roles see published parcours of their académie, national
  ones (no académie) and labelled ones: the offre de parcours;
- teachers see open-access modules only (the content of a keyed one once they joined it),
  never drafts;
- designers see the templates.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.selectors import (
    DESIGN_ROLES,
    PILOTING_ROLES,
    TRAINING_ROLES,
    academies_of,
    has_role,
    is_administrator,
    roles_of,
)

from .models import Activity, OpenAccessMembership, Parcours, Section, Status

CATALOGUE_ROLES = TRAINING_ROLES | DESIGN_ROLES | PILOTING_ROLES


def editable_filter(user) -> Q:
    managed = RoleAssignment.objects.filter(user=user, role=Role.ACADEMIC_MANAGER).values(
        "academie"
    )
    return Q(designers=user) | Q(academie__in=managed)


def offre_filter(user) -> Q:
    """Published parcours in the user's offre de parcours."""
    return Q(status=Status.PUBLISHED) & (
        Q(academie__isnull=True) | Q(national_label=True) | Q(academie__in=academies_of(user))
    )


def parcours_visible_to(user) -> QuerySet[Parcours]:
    if is_administrator(user):
        return Parcours.objects.all()
    condition = editable_filter(user)
    if has_role(user, Role.REVIEWER, Role.UNIVERSITY_REVIEWER):
        condition |= reviewable_filter(user)
    if has_role(user, Role.EDITORIAL_COMMITTEE):
        condition |= Q(status=Status.PUBLISHED)
    if has_role(user, *CATALOGUE_ROLES):
        condition |= (
            offre_filter(user)
            | Q(status=Status.ARCHIVED, academie__in=academies_of(user))
            | Q(status=Status.ARCHIVED, academie__isnull=True)
        )
    if has_role(user, Role.DESIGNER):
        condition |= Q(status=Status.TEMPLATE)
    if has_role(user, Role.TEACHER):
        condition |= open_access_content_filter(user)
    # The designers join can repeat a row: filter on ids to keep one row per parcours.
    return Parcours.objects.filter(pk__in=Parcours.objects.filter(condition).values("pk"))


def open_access_content_filter(user) -> Q:
    """Open-access modules whose content a teacher may read: those without an enrolment key,
    and those they joined. A key is meant to keep a module's content to the people given it,
    so the content (and its files) stays closed to a teacher who has not joined with it."""
    joined = Exists(OpenAccessMembership.objects.filter(parcours=OuterRef("pk"), user=user))
    return Q(status=Status.PUBLISHED, open_access=True) & (Q(enrolment_key="") | Q(joined))


def get_open_access_module_or_404(user, pk: int) -> Parcours:
    """An open-access module, for its presentation and the join button: every signed-in person
    may see it (that is what libre accès means); `joined` says whether the user is a member,
    `done` whether they marked it « terminé » (theirs alone to see). Drafts, archived versions
    and parcours that are not open access are a 404."""
    mine = OpenAccessMembership.objects.filter(parcours=OuterRef("pk"), user=user)
    modules = (
        Parcours.objects.open_access()
        .annotate(joined=Exists(mine), done=Exists(mine.filter(done=True)))
        .select_related("academie")
        .prefetch_related("target_audiences")
    )
    return get_object_or_404(modules, pk=pk)


def reviewable_filter(user) -> Q:
    """Parcours in review in the académies where the user reviews (all of them if national),
    except those they designed: nobody reviews their own work."""
    scoped = RoleAssignment.objects.filter(
        user=user, role__in=[Role.REVIEWER, Role.UNIVERSITY_REVIEWER]
    )
    national = Exists(scoped.filter(academie__isnull=True))
    own = Parcours.designers.through.objects.filter(user=user).values("parcours")
    return (
        Q(status=Status.REVIEW)
        & (Q(academie__in=scoped.values("academie")) | Q(national))
        & ~Q(pk__in=own)
    )


def reviewers_of(parcours: Parcours) -> QuerySet[User]:
    """Who may review this parcours: `reviewable_filter` read the other way round (reviewers
    of its académie and national ones, not its designers), active accounts with an owner."""
    scope = Q(roles__academie__isnull=True)
    if parcours.academie_id:
        scope |= Q(roles__academie=parcours.academie_id)
    return (
        User.objects.filter(
            scope,
            roles__role__in=[Role.REVIEWER, Role.UNIVERSITY_REVIEWER],
            is_active=True,
            is_placeholder=False,
        )
        .exclude(pk__in=parcours.designers.values("pk"))
        .distinct()
        .order_by("pk")
    )


def parcours_editable_by(user) -> QuerySet[Parcours]:
    if is_administrator(user):
        return Parcours.objects.all()
    return Parcours.objects.filter(
        pk__in=Parcours.objects.filter(editable_filter(user)).values("pk")
    )


def get_parcours_for_user_or_404(user, pk: int) -> Parcours:
    return get_object_or_404(parcours_visible_to(user).select_related("academie"), pk=pk)


def get_editable_parcours_or_404(user, pk: int) -> Parcours:
    """A parcours the user may edit (as a designer or manager); 404 when they may not even see
    it, 403 is left to the caller when they may see but not edit."""
    return get_object_or_404(parcours_editable_by(user).select_related("academie"), pk=pk)


def can_edit(user, parcours: Parcours) -> bool:
    return parcours_editable_by(user).filter(pk=parcours.pk).exists()


def sees_trainer_notes(user) -> bool:
    """Trainer notes are for the people who design, review or deliver training, not teachers."""
    return has_role(user, *(TRAINING_ROLES | DESIGN_ROLES), Role.ACADEMIC_MANAGER, Role.ADMIN)


# Design and review --------------------------------------------------------------------------
# One query fetches the parcours with what the user may do on it (`user_may_edit`,
# `user_may_review`, computed by the same SQL filters as above); `rights_on` turns that and
# the status into the actions a page offers, and the views refuse whatever it does not allow.

DESIGNING_ROLES = (Role.DESIGNER, Role.ACADEMIC_MANAGER, Role.ADMIN)


def can_design(user) -> bool:
    """Who may create parcours and duplicate the ones they see."""
    return has_role(user, *DESIGNING_ROLES)


def designer_academie(user):
    """The académie where a person designs: new parcours and copies belong to it. None for
    national designers (and administrators)."""
    for assignment in roles_of(user):
        if assignment.role in {Role.DESIGNER, Role.ACADEMIC_MANAGER} and assignment.academie_id:
            return assignment.academie
    return None


def _may_edit(user) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(pk__in=parcours_editable_by(user).values("pk")), output_field=BooleanField()
    )


def _may_review(user):
    if not has_role(user, Role.REVIEWER, Role.UNIVERSITY_REVIEWER):
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(reviewable_filter(user), output_field=BooleanField())


def with_user_rights(queryset: QuerySet[Parcours], user) -> QuerySet[Parcours]:
    return queryset.annotate(user_may_edit=_may_edit(user), user_may_review=_may_review(user))


def get_parcours_with_rights_or_404(user, pk: int) -> Parcours:
    """A parcours the user may see (else 404), with `user_may_edit` and `user_may_review`."""
    visible = with_user_rights(parcours_visible_to(user), user).select_related("academie")
    return get_object_or_404(visible, pk=pk)


def get_parcours_to_edit_or_404(user, pk: int) -> Parcours:
    """404 when the user may not see the parcours, 403 when they see it but may not edit it."""
    parcours = get_parcours_with_rights_or_404(user, pk)
    if not parcours.user_may_edit:
        raise PermissionDenied
    return parcours


def get_parcours_to_review_or_404(user, pk: int) -> Parcours:
    """A parcours in review for this reviewer: 404 when they may not see it (another
    académie's), 403 when they see it but it is not theirs to review."""
    parcours = get_parcours_with_rights_or_404(user, pk)
    if not parcours.user_may_review:
        raise PermissionDenied
    return parcours


def get_parcours_to_label_or_404(user, pk: int) -> Parcours:
    parcours = get_parcours_for_user_or_404(user, pk)
    if not has_role(user, Role.EDITORIAL_COMMITTEE) or parcours.status != Status.PUBLISHED:
        raise PermissionDenied
    return parcours


def get_section_to_edit_or_404(user, pk: int) -> Section:
    """A section of a parcours the user may edit (404 if they may not see the parcours)."""
    sections = Section.objects.select_related("parcours").annotate(
        user_may_edit=ExpressionWrapper(
            Q(parcours__in=parcours_editable_by(user).values("pk")), output_field=BooleanField()
        )
    )
    section = get_object_or_404(
        sections.filter(parcours__in=parcours_visible_to(user).values("pk")), pk=pk
    )
    if not section.user_may_edit:
        raise PermissionDenied
    return section


def get_activity_to_edit_or_404(user, pk: int) -> Activity:
    activities = Activity.objects.select_related("section__parcours").annotate(
        user_may_edit=ExpressionWrapper(
            Q(section__parcours__in=parcours_editable_by(user).values("pk")),
            output_field=BooleanField(),
        )
    )
    activity = get_object_or_404(
        activities.filter(section__parcours__in=parcours_visible_to(user).values("pk")), pk=pk
    )
    if not activity.user_may_edit:
        raise PermissionDenied
    return activity


@dataclass(frozen=True)
class ParcoursRights:
    """What a person may do on one parcours, now: the page shows these actions only."""

    edit: bool = False
    submit: bool = False
    duplicate: bool = False
    new_version: bool = False
    archive: bool = False
    review: bool = False
    university_approve: bool = False
    label: bool = False
    see_history: bool = False
    see_trainer_notes: bool = False

    @property
    def any_action(self) -> bool:
        return any(
            (
                self.edit,
                self.submit,
                self.duplicate,
                self.new_version,
                self.archive,
                self.review,
                self.university_approve,
                self.label,
            )
        )


def rights_on(user, parcours: Parcours) -> ParcoursRights:
    """From a parcours fetched by get_parcours_with_rights_or_404: no query."""
    may_edit, may_review = parcours.user_may_edit, parcours.user_may_review
    status = parcours.status
    inspection = may_review and has_role(user, Role.REVIEWER)
    return ParcoursRights(
        edit=may_edit and parcours.is_editable,
        submit=may_edit and status == Status.CONSTRUCTION,
        duplicate=can_design(user),
        new_version=may_edit and status == Status.PUBLISHED,
        archive=may_edit and status == Status.PUBLISHED,
        review=inspection,
        university_approve=(
            may_review
            and not inspection
            and has_role(user, Role.UNIVERSITY_REVIEWER)
            and not parcours.university_approved
        ),
        label=has_role(user, Role.EDITORIAL_COMMITTEE) and status == Status.PUBLISHED,
        # The history carries the reviewers' comments: for the people who make the parcours.
        see_history=may_edit
        or may_review
        or has_role(
            user, Role.REVIEWER, Role.UNIVERSITY_REVIEWER, Role.EDITORIAL_COMMITTEE, Role.ADMIN
        ),
        see_trainer_notes=sees_trainer_notes(user),
    )
