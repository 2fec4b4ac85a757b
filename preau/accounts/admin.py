from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from preau.core.admin import FoldedSearchMixin
from preau.core.search import by_name

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["academie", "departement", "circonscription"]


@admin.register(User)
class UserAdmin(FoldedSearchMixin, DjangoUserAdmin):
    ordering = by_name()
    list_display = ["email", "last_name", "first_name", "school", "quotite", "is_active"]
    list_select_related = ["school"]
    # Without accents or case, the terms capped (preau/core/admin.py).
    search_fields = ["email", "last_name", "first_name"]
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
