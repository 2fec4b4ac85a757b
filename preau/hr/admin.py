from django.contrib import admin

from .models import HrImport, HrLink, HrSession


@admin.register(HrImport)
class HrImportAdmin(admin.ModelAdmin):
    """Read-mostly: an administrator may mark an import stuck on the embedded database
    (SQLite, where a dead worker cannot be detected) as failed, by changing its status."""

    list_display = ["created_at", "academie", "kind", "day", "status"]
    list_filter = ["kind", "status", "academie"]
    fields = ["academie", "kind", "day", "status", "refusal", "created_at", "applied_at"]
    readonly_fields = ["academie", "kind", "day", "created_at", "applied_at"]


@admin.register(HrSession)
class HrSessionAdmin(admin.ModelAdmin):
    list_display = [
        "session_code",
        "dispositif_code",
        "module_code",
        "group",
        "starts_on",
        "academie",
    ]
    list_filter = ["academie", "source"]
    search_fields = ["session_code", "dispositif_code", "module_title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HrLink)
class HrLinkAdmin(admin.ModelAdmin):
    list_display = ["session", "hr_session", "unenrol_missing", "created_at"]
    raw_id_fields = ["session", "hr_session", "created_by"]
