"""Piloting pages: territories with their schools and teachers, as far as the user pilots."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preau.accounts.models import Role
from preau.accounts.selectors import PILOTING_ROLES, has_role
from preau.core.search import by_name

from . import access
from .selectors import with_circonscription_counts, with_departement_counts, with_school_counts

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, *PILOTING_ROLES):
        raise PermissionDenied
    if has_role(user, Role.PILOT, Role.ACADEMIC_MANAGER, Role.ADMIN):
        departements = access.departements_piloted_by(user).order_by("code")
        page = _page(request, with_departement_counts(departements))
        return render(request, "territories/overview.html", {"departement_page": page})
    # An IEN pilots circonscriptions, not départements.
    circonscriptions = access.circonscriptions_piloted_by(user).order_by("name")
    page = _page(request, with_circonscription_counts(circonscriptions))
    return render(request, "territories/overview.html", {"circonscription_page": page})


def departement_detail(request: HttpRequest, code: str) -> HttpResponse:
    departement = access.get_departement_for_user_or_404(request.user, code)
    circonscriptions = with_circonscription_counts(departement.circonscriptions.order_by("name"))
    return render(
        request,
        "territories/departement_detail.html",
        {"departement": departement, "page": _page(request, circonscriptions)},
    )


def circonscription_detail(request: HttpRequest, code: str) -> HttpResponse:
    circonscription = access.get_circonscription_for_user_or_404(request.user, code)
    schools = with_school_counts(circonscription.schools.order_by("name"))
    return render(
        request,
        "territories/circonscription_detail.html",
        {"circonscription": circonscription, "page": _page(request, schools)},
    )


def school_detail(request: HttpRequest, uai: str) -> HttpResponse:
    school = access.get_school_for_user_or_404(request.user, uai)
    teachers = school.staff.filter(roles__role=Role.TEACHER).order_by(*by_name(), "pk")
    return render(
        request,
        "territories/school_detail.html",
        {"school": school, "page": _page(request, teachers)},
    )
