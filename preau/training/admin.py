from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from preau.core.admin import FoldedSearchMixin

from .models import Enrolment, Meeting, SessionStaff, TrainingSession


class FrozenWhenClosed:
    """A closed or archived session changes no more (docs/attendance.md), in the admin too:
    its page, its inlines and its enrolments are shown read-only, and a form that would add
    or move a row into it (an enrolment, a section of its content) is refused. Subclasses say
    how a row reaches its session (`_session_of`: parcours/admin.py for the content)."""

    @staticmethod
    def _session_of(obj):
        if isinstance(obj, TrainingSession):
            return obj
        return getattr(obj, "session", None)

    def _frozen(self, obj) -> bool:
        session = self._session_of(obj)
        return session is not None and session.is_read_only

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        frozen = self._frozen

        class RefusesAClosedSession(form):
            def _post_clean(self):
                super()._post_clean()  # the instance now holds the values of the form
                # A session's own form may close it (its status): only a row joining one.
                if not isinstance(self.instance, TrainingSession) and frozen(self.instance):
                    self.add_error(
                        None,
                        ValidationError(
                            _("Cette session est close ou archivée : elle ne change plus."),
                            code="read_only",
                        ),
                    )

        return RefusesAClosedSession

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
