from django.contrib import admin

from .models import Enrolment, Meeting, SessionStaff, TrainingSession


class StaffInline(admin.TabularInline):
    model = SessionStaff
    extra = 0
    raw_id_fields = ["user"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "start_date", "end_date", "circonscription", "departement"]
    list_select_related = ["circonscription", "departement"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["source", "content", "created_by"]
    inlines = [StaffInline, MeetingInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "source", "completed_at"]
    list_select_related = ["user", "session"]
    list_filter = ["status", "source"]
    search_fields = ["user__email", "user__last_name", "session__title"]
    raw_id_fields = ["user", "session", "attested_by"]
