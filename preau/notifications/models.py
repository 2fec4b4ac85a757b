"""Notifications: one record per person and event, read in the notification centre and, when
the person's preference says so, e-mailed (services.notify writes them, emails.py renders the
e-mail from the record)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(is_read=False)

    def pending_digest(self) -> "NotificationQuerySet":
        return self.filter(email_state=Notification.EmailState.PENDING)


class Notification(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Nouvelle annonce")
        REPLY = "reply", _("Réponse dans une discussion suivie")
        MENTION = "mention", _("Mention")
        ENROLMENT = "enrolment", _("Inscription")
        PROMOTED = "promoted", _("Place obtenue (liste d’attente)")
        ATTESTATION = "attestation", _("Attestation disponible")
        REVIEW_ASKED = "review_asked", _("Relecture demandée")
        REVIEW_DECIDED = "review_decided", _("Relecture rendue")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire de fin de session")
        PREPARATION_PROPOSED = "prep_proposed", _("Préparation proposée au parcours")

    class EmailState(models.TextChoices):
        NONE = "none", _("pas d’e-mail")
        PENDING = "pending", _("en attente du résumé quotidien")
        SENT = "sent", _("envoyé")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"), blank=True)
    # The page to open, relative to the site (« /formations/mes-sessions/12/ »).
    url = models.CharField(_("lien"), max_length=500)
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    # A signed link that stops this stream without signing in (given by the caller).
    unsubscribe_url = models.CharField(_("lien de désabonnement"), max_length=500, blank=True)
    # Read or not: a fact the recipient alone sees. When it was read is never stored.
    is_read = models.BooleanField(_("lue"), default=False)
    # The time of the event (a post written, a decision taken), never of anyone's reading.
    created = models.DateTimeField(_("date"), default=timezone.now)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [
            # The list page (newest first) and the purge.
            models.Index(fields=["recipient", "-created", "-id"], name="notif_recipient_newest"),
            # The bell's count of unread notifications.
            models.Index(
                fields=["recipient"], condition=Q(is_read=False), name="notif_recipient_unread"
            ),
            # The daily digest: only the rows still waiting for it.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(email_state="pending"),
                name="notif_pending_digest",
            ),
            models.Index(fields=["created"], name="notif_created"),
        ]

    def __str__(self) -> str:
        return self.title


class ForumEmail(models.TextChoices):
    EACH = "each", _("À chaque message")
    DIGEST = "digest", _("Un résumé par jour")
    NONE = "none", _("Aucun e-mail")


class EmailPreference(models.Model):
    """How a person gets the e-mails of forum notifications; no row means the default (each
    message). The other kinds are always e-mailed at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_preference",
    )
    forum_email = models.CharField(
        _("e-mails des forums"), max_length=10, choices=ForumEmail.choices, default=ForumEmail.EACH
    )
    # The day (Europe/Paris) of the last digest sent: at most one digest a day.
    last_digest_on = models.DateField(_("dernier résumé envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("préférence d’e-mail")
        verbose_name_plural = _("préférences d’e-mail")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.forum_email}"
