from django.contrib import admin

from preau.core.admin import FoldedSearchMixin

from .models import Animation, Entry, HoursPolicy, HoursReport


@admin.register(HoursPolicy)
class HoursPolicyAdmin(admin.ModelAdmin):
    """Where an académie sets the minimum of training hours at distance."""

    list_display = ["academie", "min_distance_hours"]
    list_select_related = ["academie"]


@admin.register(Animation)
class AnimationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """No deletion here: it would remove the attendees' ledger lines without their yearly
    totals (hours/services.py keeps both in step)."""

    list_display = ["title", "date", "circonscription", "presence_hours", "distance_hours"]
    list_select_related = ["circonscription"]
    search_fields = ["title"]
    date_hierarchy = "date"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(FoldedSearchMixin, admin.ModelAdmin):
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


@admin.register(HoursReport)
class HoursReportAdmin(admin.ModelAdmin):
    """Read-only: reports are asked on their page (or by `manage.py hours_report`). Deleting
    one here deletes its files too."""

    list_display = ["created_at", "school_year", "academie", "status", "requested_by", "row_count"]
    list_select_related = ["academie", "requested_by"]
    list_filter = ["status", "school_year"]
    raw_id_fields = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        _delete_files([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _delete_files(list(queryset))
        super().delete_queryset(request, queryset)


def _delete_files(reports) -> None:
    for report in reports:
        for file in (report.csv_file, report.xlsx_file):
            if file:
                file.storage.delete(file.name)
