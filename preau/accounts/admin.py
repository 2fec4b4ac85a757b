from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from preau.core.search import by_name, parse

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["academie", "departement", "circonscription"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = by_name()
    list_display = ["email", "last_name", "first_name", "school", "quotite", "is_active"]
    list_select_related = ["school"]
    # Names without accents or case (preau/core/search.py); the terms capped.
    search_fields = ["email", "last_name__folded", "first_name__folded"]
    autocomplete_fields = ["school"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "school", "quotite"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser", "last_login_day"]}),
    ]
    readonly_fields = ["last_login_day"]
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "password1", "password2"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, parse(search_term).text)
