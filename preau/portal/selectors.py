"""What the home page shows, per role, in a fixed and small number of queries."""

from django.utils import timezone

from preau.accounts.models import Role
from preau.accounts.selectors import (
    DESIGN_ROLES,
    TRAINING_ROLES,
    is_administrator,
    role_names,
    roles_of,
)
from preau.hours.rules import school_year_of, target_hours
from preau.hours.selectors import pending_declaration_counts, teacher_year
from preau.parcours.access import reviewable_filter
from preau.parcours.models import Parcours
from preau.parcours.selectors import design_dashboard, my_open_access_modules
from preau.territories.models import Circonscription, Departement, School
from preau.territories.selectors import with_circonscription_counts, with_departement_counts
from preau.training.models import SessionStatus
from preau.training.selectors import (
    piloted_session_counts,
    teacher_sessions,
    trainer_dashboard,
    upcoming_events,
)
from preau.training.services import ORGANISER_ROLES

HOME_LIST_SIZE = 5


def forum_news(user) -> list[dict]:
    """The person's sessions with forum posts they have not read (their own markers only)."""
    from preau.forums.selectors import unread_by_session

    return unread_by_session(user)


def home_context(user) -> dict:
    names = role_names(user)
    assignments = roles_of(user)
    context = {
        "is_teacher": Role.TEACHER in names,
        "is_trainer": not names.isdisjoint(TRAINING_ROLES),
        # A tutor follows sessions that others deploy and run (docs/roles.md).
        "can_deploy": not names.isdisjoint(ORGANISER_ROLES),
        "is_designer": not names.isdisjoint(DESIGN_ROLES),
        "is_administrator": is_administrator(user),
        "training_scopes": [a for a in assignments if a.role in TRAINING_ROLES],
        "design_roles": [a for a in assignments if a.role in DESIGN_ROLES],
        "latest_designs": None,  # None: not a designer; []: a designer with no parcours yet
        "review_waiting": None,
    }
    if context["is_teacher"]:
        context["school"] = (
            School.objects.select_related("circonscription", "departement")
            .filter(pk=user.school_id)
            .first()
            if user.school_id
            else None
        )
        context["target_hours"] = target_hours(user.quotite)
        year = school_year_of(timezone.localdate())
        context["hours_assessment"] = teacher_year(user, year)["assessment"]
        context["open_access_modules"] = list(my_open_access_modules(user)[:HOME_LIST_SIZE])
        context["teacher_sessions"] = teacher_sessions(user)
    if context["is_teacher"] or context["is_trainer"]:
        context["upcoming_events"] = upcoming_events(user, limit=HOME_LIST_SIZE)
        context["forum_news"] = forum_news(user)
    if context["is_trainer"]:
        context["trainer_sessions"] = trainer_dashboard(user)[:HOME_LIST_SIZE]
    if Role.DESIGNER in names:
        context["latest_designs"] = list(design_dashboard(user)[:HOME_LIST_SIZE])
    if not names.isdisjoint({Role.REVIEWER, Role.UNIVERSITY_REVIEWER}):
        context["review_waiting"] = Parcours.objects.filter(reviewable_filter(user)).count()
    context["is_editorial"] = Role.EDITORIAL_COMMITTEE in names

    ien_scopes = [a.circonscription_id for a in assignments if a.role == Role.IEN]
    departement_scopes = [a.departement_id for a in assignments if a.role == Role.PILOT]
    academie_scopes = [a.academie_id for a in assignments if a.role == Role.ACADEMIC_MANAGER]
    context["is_piloting"] = bool(
        ien_scopes or departement_scopes or academie_scopes or context["is_administrator"]
    )
    if context["is_piloting"]:
        counts = piloted_session_counts(user)
        context["piloted_sessions"] = [
            {"status": status, "label": label, "count": counts[status]}
            for status, label in SessionStatus.choices
        ]
    if ien_scopes:
        context["piloted_circonscriptions"] = list(
            with_circonscription_counts(Circonscription.objects.filter(pk__in=ien_scopes))
        )
        # The IEN's worklist: union meetings declared in their circonscriptions, to decide.
        pending = pending_declaration_counts(ien_scopes)
        context["pending_declarations"] = [
            {"circonscription": c, "count": pending.get(c.pk, 0)}
            for c in context["piloted_circonscriptions"]
        ]
    if departement_scopes or academie_scopes:
        context["piloted_departements"] = list(
            with_departement_counts(
                Departement.objects.filter(pk__in=departement_scopes)
                | Departement.objects.filter(academie__in=academie_scopes)
            )
        )
    return context
