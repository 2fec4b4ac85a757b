"""Technical administration of parcours. Day-to-day changes go through the application's pages
(and their services), which keep the history; the admin is for support and repairs."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist

from preau.core.admin import FoldedSearchMixin
from preau.training.admin import FrozenWhenClosed

from .models import (
    Activity,
    Event,
    Lineage,
    OpenAccessMembership,
    Parcours,
    Section,
    TargetAudience,
)
from .sanitize import clean_html


class FrozenWithItsSession(FrozenWhenClosed):
    """A session's content is its private copy of a parcours: once the session is closed or
    archived, the copy, its audiences, sections and activities change no more, in the admin
    too (as the session itself: training/admin.py)."""

    @staticmethod
    def _session_of(obj):
        if isinstance(obj, Activity):
            obj = obj.section if obj.section_id else None
        if isinstance(obj, Section | TargetAudience):
            obj = obj.parcours if obj.parcours_id else None
        if not isinstance(obj, Parcours) or obj.pk is None:
            return None
        try:
            return obj.training_session
        except ObjectDoesNotExist:  # a parcours, not a session's copy
            return None


class ActivityAdminForm(forms.ModelForm):
    """The admin writes activity bodies too: they are cleaned like the editor's. Its uploads
    are checked by the model fields' validators (uploads.py), as the application's are."""

    url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Activity
        fields = ["section", "kind", "title", "position", "body", "file", "url", "subtitles"]

    def clean_body(self) -> str:
        return clean_html(self.cleaned_data.get("body", ""))


class TargetAudienceInline(FrozenWithItsSession, admin.TabularInline):
    model = TargetAudience
    extra = 0


class SectionInline(FrozenWithItsSession, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Parcours)
class ParcoursAdmin(FoldedSearchMixin, FrozenWithItsSession, admin.ModelAdmin):
    list_display = [
        "title",
        "matricule",
        "status",
        "version",
        "academie",
        "origin",
        "duration_hours",
        "national_label",
        "open_access",
        "updated_at",
    ]
    list_filter = ["status", "national_label", "open_access", "origin", "collection", "domain"]
    list_select_related = ["academie"]
    search_fields = ["title", "short_title", "matricule", "keywords", "authors"]
    date_hierarchy = "updated_at"
    raw_id_fields = [
        "lineage",
        "derived_from",
        "designers",
        "created_by",
        "academie",
        "departement",
    ]
    readonly_fields = ["created_at", "updated_at", "published_at"]
    inlines = [TargetAudienceInline, SectionInline, EventInline]


class ActivityInline(FrozenWithItsSession, admin.StackedInline):
    model = Activity
    form = ActivityAdminForm
    extra = 0
    fields = ["position", "kind", "title", "body", "file", "url", "subtitles"]


@admin.register(Section)
class SectionAdmin(FoldedSearchMixin, FrozenWithItsSession, admin.ModelAdmin):
    list_display = ["title", "parcours", "position"]
    list_select_related = ["parcours"]
    search_fields = ["title", "parcours__title", "parcours__matricule"]
    raw_id_fields = ["parcours"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(FoldedSearchMixin, FrozenWithItsSession, admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ["title", "kind", "section", "position"]
    list_filter = ["kind"]
    list_select_related = ["section"]
    search_fields = ["title", "section__title", "section__parcours__title"]
    raw_id_fields = ["section"]


@admin.register(Event)
class EventAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Read-only: the history of a parcours is what happened; nobody rewrites or erases it,
    in the application or here."""

    list_display = ["created_at", "parcours", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["parcours", "actor"]
    search_fields = ["parcours__title", "parcours__matricule", "comment", "actor__email"]
    raw_id_fields = ["parcours", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Lineage)
class LineageAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at"]


@admin.register(OpenAccessMembership)
class OpenAccessMembershipAdmin(FoldedSearchMixin, admin.ModelAdmin):
    # `done` (the member marked the module « terminé ») is theirs alone: never shown here.
    fields = ["parcours", "user"]
    list_display = ["parcours", "user", "joined_at"]
    list_select_related = ["parcours", "user"]
    search_fields = ["parcours__title", "user__email"]
    raw_id_fields = ["parcours", "user"]
