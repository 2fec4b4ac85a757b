"""Forums of a training session: its announcements, and the discussion forums placed in its
content (activity kind « Forum de discussion », one forum per session's copy of the activity).

Privacy (domain.md §6): a person's read position is the id of the last post they reached in a
thread (ReadMark), never a time; nobody but that person ever sees it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.parcours.models import Activity
from preau.parcours.uploads import validate_new_file
from preau.training.models import TrainingSession

# A post's body is sanitised HTML; beyond this it is refused (a 10 MB paste is no message).
BODY_MAX_CHARS = 20_000
EDIT_MINUTES = 30
PAGE_SIZE = 25


def attachment_upload_to(instance, filename: str) -> str:
    # A random folder per file: the stored name reveals nothing and cannot be guessed.
    return f"forums/{uuid.uuid4().hex}/{filename}"


class Forum(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENTS = "announcements", _("Annonces")
        DISCUSSION = "discussion", _("Discussion")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="forums")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The session's copy of the « Forum de discussion » activity; none for the announcements.
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="forum"
    )

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["kind", "pk"]  # « announcements » sorts before « discussion »
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(kind="announcements"),
                name="forum_one_announcements_per_session",
            ),
            models.CheckConstraint(
                condition=Q(kind="announcements", activity__isnull=True)
                | Q(kind="discussion", activity__isnull=False),
                name="forum_discussion_has_activity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.kind == self.Kind.ANNOUNCEMENTS:
            return str(_("Annonces"))
        return self.activity.title

    @property
    def is_announcements(self) -> bool:
        return self.kind == self.Kind.ANNOUNCEMENTS


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("titre"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pinned = models.BooleanField(_("épinglée"), default=False)
    locked = models.BooleanField(_("verrouillée"), default=False)
    # The id of its latest post: threads sort by it (recent activity first) without a time.
    last_post_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-pinned", "-last_post_id", "-pk"]
        indexes = [models.Index(fields=["forum", "-pinned", "-last_post_id"], name="thread_recent")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))  # sanitised HTML
    quote = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attachment = models.FileField(
        _("pièce jointe"),
        upload_to=attachment_upload_to,
        blank=True,
        max_length=300,
        validators=[validate_new_file],
    )
    # When it was posted: shown with the post, and the start of its author's 30 minutes to
    # edit it. Not a trace of reading (REVIEWED_TIME_FIELDS).
    created = models.DateTimeField(auto_now_add=True)
    # Only the fact that it was changed after posting (« modifié »), not when.
    edited = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("motif"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["pk"]
        # Unread counts read (thread, id > position) with the author and the hidden flag from
        # the index alone on PostgreSQL (an index-only scan), not from the table.
        indexes = [
            models.Index(
                fields=["thread", "id"], include=["author", "hidden"], name="post_thread_id"
            )
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"

    @property
    def session(self):
        return self.thread.forum.session


class ReadMark(models.Model):
    """How far a person has got in a thread: the id of the last post they were shown. No time;
    shown to nobody else, used in no figure."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_post_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("position de lecture")
        verbose_name_plural = _("positions de lecture")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="readmark_once"),
        ]

    def __str__(self) -> str:
        return f"read mark of {self.user_id} in thread {self.thread_id}"


class Subscription(models.Model):
    """A person follows a thread, or a whole forum (every new thread and reply)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True, forum__isnull=False)
                | Q(thread__isnull=False, forum__isnull=True),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="subscription_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "forum"],
                condition=Q(forum__isnull=False),
                name="subscription_forum_once",
            ),
        ]

    def __str__(self) -> str:
        target = f"thread {self.thread_id}" if self.thread_id else f"forum {self.forum_id}"
        return f"subscription of {self.user_id} to {target}"
