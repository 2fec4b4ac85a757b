from django.contrib import admin

from preau.core.admin import FoldedSearchMixin

from .models import Academie, Circonscription, Departement, School


@admin.register(Academie)
class AcademieAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "academie"]
    list_select_related = ["academie"]
    search_fields = ["code", "name"]


@admin.register(Circonscription)
class CirconscriptionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "departement"]
    list_select_related = ["departement"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["uai", "name", "commune", "departement", "circonscription"]
    list_select_related = ["departement", "circonscription"]
    search_fields = ["uai", "name", "commune"]
    autocomplete_fields = ["circonscription"]
