from django.contrib import admin

from preau.core.admin import FoldedSearchMixin

from .models import HrImport, HrLink, HrSession, ImportLock


@admin.register(HrImport)
class HrImportAdmin(admin.ModelAdmin):
    """Read-mostly. A dead worker is detected by its heartbeat (docs/hr.md, Recovery); an
    administrator may still mark an import failed by changing its status."""

    list_display = ["created_at", "academie", "kind", "day", "status", "full_picture"]
    list_filter = ["kind", "status", "academie"]
    fields = [
        "academie",
        "kind",
        "day",
        "status",
        "refusal",
        "forced_reason",
        "full_picture",
        "created_at",
        "applied_at",
        "removals_confirmed_at",
    ]
    readonly_fields = [
        "academie",
        "kind",
        "day",
        "forced_reason",
        "full_picture",
        "created_at",
        "applied_at",
        "removals_confirmed_at",
    ]


@admin.register(ImportLock)
class ImportLockAdmin(admin.ModelAdmin):
    """The académie's lock, to see who holds it and when it last beat (read-only)."""

    list_display = ["academie", "hr_import", "holder", "heartbeat_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HrSession)
class HrSessionAdmin(FoldedSearchMixin, admin.ModelAdmin):
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
