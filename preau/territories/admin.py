from django.contrib import admin

from .models import Academie, Circonscription, Departement, School


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "academie"]
    list_select_related = ["academie"]
    search_fields = ["code", "name"]


@admin.register(Circonscription)
class CirconscriptionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement"]
    list_select_related = ["departement"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "commune", "departement", "circonscription"]
    list_select_related = ["departement", "circonscription"]
    search_fields = ["uai", "name", "commune"]
    autocomplete_fields = ["circonscription"]
