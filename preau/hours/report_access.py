"""Who may ask for a yearly hours report, and who reads it, as SQL filters.

- an administrator asks for the national report, or an académie's, and reads them all;
- an academic manager asks for the report of their académie(s) and reads the reports of their
  académie(s), whoever asked; never the national one (it holds every académie's figures);
- anybody else (pilot team, IEN, teacher…) gets a 403 on the page; a report out of scope is a
  404, as on the other piloting pages.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment
from preau.accounts.selectors import has_role, is_administrator
from preau.territories.models import Academie

from .models import HoursReport

REPORT_ROLES = (Role.ACADEMIC_MANAGER, Role.ADMIN)


def can_use_reports(user) -> bool:
    """From the roles loaded once per request (no query)."""
    return has_role(user, *REPORT_ROLES)


def require_reporter(user) -> None:
    if not can_use_reports(user):
        raise PermissionDenied


def academies_for_reports(user) -> QuerySet[Academie]:
    if is_administrator(user):
        return Academie.objects.all()
    return Academie.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.ACADEMIC_MANAGER).values(
            "academie"
        )
    )


def may_request(user, academie: Academie | None) -> bool:
    """The national report (academie None): administrators; an académie's: administrators
    and its academic managers."""
    if is_administrator(user):
        return True
    if academie is None or not has_role(user, Role.ACADEMIC_MANAGER):
        return False
    return academies_for_reports(user).filter(pk=academie.pk).exists()


def reports_visible_to(user) -> QuerySet[HoursReport]:
    if is_administrator(user):
        return HoursReport.objects.all()
    if not has_role(user, Role.ACADEMIC_MANAGER):
        return HoursReport.objects.none()
    return HoursReport.objects.filter(academie__in=academies_for_reports(user))


def get_report_for_user_or_404(user, pk: int) -> HoursReport:
    require_reporter(user)
    return get_object_or_404(
        reports_visible_to(user).select_related("academie", "requested_by"), pk=pk
    )
