"""The carnet de bord: a teacher's private logbook (domain.md §5-§6, docs/logbook.md).

Entries belong to their author alone. Nothing counts them, nothing asks for them, and no other
person reads one, except the trainers of the session an entry is tied to, once its author has
chosen to share it (« valoriser »). The model is not registered in the Django admin, and no
export of the project reads it.

Time: an entry carries the day it is about (`written_on`, a date the teacher may change), never
a time of day: no trace of when or how long a teacher wrote (tests/core/test_privacy_promises).
"""

import re
import uuid
from html import unescape

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from preau.parcours.models import Section
from preau.parcours.uploads import validate_new_file
from preau.training.models import TrainingSession

# A body is sanitised HTML; beyond this it is refused (a 10 MB paste is no entry).
BODY_MAX_CHARS = 50_000
TITLE_MAX_CHARS = 200
ATTACHMENTS_MAX = 10
PAGE_SIZE = 20
_BLOCK_END = re.compile(r"<(?:br|/p|/li|/h\d|/blockquote|/div|/pre)\b[^>]*>", re.IGNORECASE)


def attachment_upload_to(instance, filename: str) -> str:
    # A random folder per file: the stored name reveals nothing and cannot be guessed.
    return f"logbook/{uuid.uuid4().hex}/{filename}"


def plain_text(body: str) -> str:
    """The text without its markup, blocks kept apart by a space (« calme. Ce qui »)."""
    return " ".join(unescape(strip_tags(_BLOCK_END.sub(" ", body or ""))).split())


def untie_and_unshare(collector, field, sub_objs, using) -> None:
    """A deleted session leaves its participants' entries in their logbooks, tied to nothing
    and shared with nobody (a shared entry needs a session: the check constraint)."""
    # Unshared first: the collector runs one UPDATE per field, in this order.
    collector.add_field_update(field.model._meta.get_field("shared"), False, sub_objs)
    collector.add_field_update(field, None, sub_objs)


class EntryQuerySet(models.QuerySet):
    def of(self, user) -> "EntryQuerySet":
        """A person's own entries: the only door to an entry for its author."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Entry(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logbook_entries"
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX_CHARS)
    body = models.TextField(_("texte"))  # sanitised HTML (parcours/sanitize.py)
    # The body without its markup, written with it (services): what the search box reads, so
    # that « strong » or « href » find no entry.
    text = models.TextField(default="", editable=False)
    # The day the entry is about, chosen by its author (today by default): a date, no time.
    written_on = models.DateField(_("date"), default=timezone.localdate)
    # Optionally tied to a session the author takes part in, and to one section of its content.
    session = models.ForeignKey(
        TrainingSession,
        on_delete=untie_and_unshare,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("étape"),
    )
    # Shared with the trainers of `session` (« valoriser »): the author's choice, undone at will.
    shared = models.BooleanField(_("valorisée"), default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du carnet de bord")
        verbose_name_plural = _("entrées du carnet de bord")
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["owner", "-written_on", "-id"], name="logbook_owner_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared=False) | models.Q(session__isnull=False),
                name="logbook_shared_needs_session",
            )
        ]

    def __str__(self) -> str:
        return f"logbook entry {self.pk}"

    @property
    def excerpt(self) -> str:
        return self.text or plain_text(self.body)


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("fichier"),
        upload_to=attachment_upload_to,
        max_length=300,
        validators=[validate_new_file],
    )

    class Meta:
        verbose_name = _("pièce jointe du carnet de bord")
        verbose_name_plural = _("pièces jointes du carnet de bord")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of logbook entry {self.entry_id}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
