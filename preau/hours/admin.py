from django.contrib import admin

from .models import Animation, Entry, HoursPolicy


@admin.register(HoursPolicy)
class HoursPolicyAdmin(admin.ModelAdmin):
    """Where an académie sets the minimum of training hours at distance."""

    list_display = ["academie", "min_distance_hours"]
    list_select_related = ["academie"]


@admin.register(Animation)
class AnimationAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "circonscription", "presence_hours", "distance_hours"]
    list_select_related = ["circonscription"]
    search_fields = ["title"]
    date_hierarchy = "date"


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger changes through the application, where every change is traced."""

    list_display = ["teacher", "school_year", "date", "kind", "source", "title"]
    list_select_related = ["teacher"]
    list_filter = ["school_year", "kind", "source"]
    search_fields = ["teacher__email", "teacher__last_name", "title"]
    raw_id_fields = ["teacher", "session", "animation", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
