"""Counts per territory for the piloting pages, computed by the database.

Each count is a correlated subquery, so that adding one never multiplies the rows of another
and every listing stays a single query whatever the number of schools or teachers.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from preau.accounts.models import User

from .models import Circonscription, Departement, School


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    counted = (
        queryset.filter(**{group_by: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_departement_counts(departements: QuerySet[Departement]) -> QuerySet[Departement]:
    return departements.select_related("academie").annotate(
        circonscription_count=_count(Circonscription.objects.all(), "departement"),
        school_count=_count(School.objects.all(), "departement"),
        teacher_count=_count(User.objects.teachers(), "school__departement"),
    )


def with_circonscription_counts(
    circonscriptions: QuerySet[Circonscription],
) -> QuerySet[Circonscription]:
    return circonscriptions.select_related("departement").annotate(
        school_count=_count(School.objects.all(), "circonscription"),
        teacher_count=_count(User.objects.teachers(), "school__circonscription"),
    )


def with_school_counts(schools: QuerySet[School]) -> QuerySet[School]:
    return schools.annotate(teacher_count=_count(User.objects.teachers(), "school"))
