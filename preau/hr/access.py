"""Who may import HR files and link sessions, as SQL filters.

- an academic manager imports the files of their académie(s), reads its import history and
  its GAIA sessions; an administrator, of every académie;
- whoever runs a platform session (its staff, its IEN, pilot team, academic manager: see
  training.access) links it to the GAIA sessions of its académie and exports its attendance.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from preau.accounts.models import Role, RoleAssignment
from preau.accounts.selectors import has_role, is_administrator
from preau.territories.models import Academie
from preau.training.access import get_session_to_manage_or_404

from .models import HrImport, HrLink, HrSession

IMPORT_ROLES = (Role.ACADEMIC_MANAGER, Role.ADMIN)


def academies_for_import(user) -> QuerySet[Academie]:
    if is_administrator(user):
        return Academie.objects.all()
    return Academie.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user, role=Role.ACADEMIC_MANAGER).values(
            "academie"
        )
    )


def require_importer(user) -> None:
    if not has_role(user, *IMPORT_ROLES):
        raise PermissionDenied


def imports_visible_to(user) -> QuerySet[HrImport]:
    return HrImport.objects.filter(academie__in=academies_for_import(user))


def get_import_or_404(user, pk: int) -> HrImport:
    require_importer(user)
    return get_object_or_404(imports_visible_to(user).select_related("academie"), pk=pk)


def hr_sessions_visible_to(user) -> QuerySet[HrSession]:
    return HrSession.objects.filter(academie__in=academies_for_import(user))


def get_hr_session_for_manager_or_404(user, pk: int) -> HrSession:
    require_importer(user)
    return get_object_or_404(hr_sessions_visible_to(user), pk=pk)


def get_session_to_link_or_404(user, pk: int):
    """A platform session its organisers link to GAIA (training.access decides who)."""
    return get_session_to_manage_or_404(user, pk)


def get_link_to_manage_or_404(user, pk: int) -> HrLink:
    link = get_object_or_404(HrLink.objects.select_related("hr_session", "session"), pk=pk)
    get_session_to_manage_or_404(user, link.session_id)
    return link
