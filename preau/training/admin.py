from django.contrib import admin

from preau.core.admin import FoldedSearchMixin

from .models import Enrolment, Meeting, SessionStaff, TrainingSession


class FrozenWhenClosed:
    """A closed or archived session changes no more (docs/attendance.md), in the admin too:
    its page, its inlines and its enrolments are shown read-only."""

    @staticmethod
    def _session_of(obj):
        if isinstance(obj, TrainingSession):
            return obj
        return getattr(obj, "session", None)

    def _frozen(self, obj) -> bool:
        session = self._session_of(obj)
        return session is not None and session.is_read_only

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._frozen(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class StaffInline(FrozenWhenClosed, admin.TabularInline):
    model = SessionStaff
    extra = 0
    raw_id_fields = ["user"]


class MeetingInline(FrozenWhenClosed, admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(FoldedSearchMixin, FrozenWhenClosed, admin.ModelAdmin):
    list_display = ["title", "status", "start_date", "end_date", "circonscription", "departement"]
    list_select_related = ["circonscription", "departement"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["source", "content", "created_by"]
    inlines = [StaffInline, MeetingInline]


@admin.register(Enrolment)
class EnrolmentAdmin(FoldedSearchMixin, FrozenWhenClosed, admin.ModelAdmin):
    list_display = ["user", "session", "status", "source", "completed_at"]
    list_select_related = ["user", "session"]
    list_filter = ["status", "source"]
    search_fields = ["user__email", "user__last_name", "session__title"]
    raw_id_fields = ["user", "session", "attested_by"]
