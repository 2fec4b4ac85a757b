"""Each teacher's ledger of hours: animations pédagogiques and continuing training."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.territories.models import Academie, Circonscription

MAX_ENTRY_HOURS = Decimal(30)


class Kind(models.TextChoices):
    TRAINING = "training", _("Formation continue")
    ANIMATION = "animation", _("Animation pédagogique")
    UNION_MEETING = "union_meeting", _("Réunion d’information syndicale")


class Source(models.TextChoices):
    SESSION = "session", _("Session attestée")
    ANIMATION = "animation", _("Animation enregistrée")
    CORRECTION = "correction", _("Correction manuelle")
    DECLARATION = "declaration", _("Déclaration de l’enseignant")


class Animation(models.Model):
    """A conference or workshop recorded once for a list of attendees."""

    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date"))
    presence_hours = models.DecimalField(
        _("heures en présence"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    distance_hours = models.DecimalField(
        _("heures à distance"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    circonscription = models.ForeignKey(
        Circonscription, on_delete=models.PROTECT, related_name="animations"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class EntryQuerySet(models.QuerySet):
    def counted(self):
        """Entries that count: a teacher's declaration counts once the IEN validated it."""
        return self.exclude(source=Source.DECLARATION, validated_at__isnull=True)


class Entry(models.Model):
    """A line of a teacher's ledger for one school year (1 September – 31 August)."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hour_entries"
    )
    school_year = models.PositiveSmallIntegerField(
        _("année scolaire"), help_text=_("L’année de la rentrée : 2026 pour 2026-2027.")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("origine"), max_length=16, choices=Source.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    presence_hours = models.DecimalField(
        _("heures en présence"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(-MAX_ENTRY_HOURS), MaxValueValidator(MAX_ENTRY_HOURS)],
    )
    distance_hours = models.DecimalField(
        _("heures à distance"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(-MAX_ENTRY_HOURS), MaxValueValidator(MAX_ENTRY_HOURS)],
    )
    # Where the hours were earned: a teacher who changes circonscription mid-year appears in
    # both, each with the hours earned there.
    circonscription = models.ForeignKey(
        Circonscription, on_delete=models.PROTECT, null=True, related_name="hour_entries"
    )
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_entries",
    )
    animation = models.ForeignKey(
        Animation, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    reason = models.TextField(_("motif"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        indexes = [
            models.Index(fields=["teacher", "school_year"], name="entry_teacher_year"),
            models.Index(
                fields=["circonscription", "school_year"], name="entry_circonscription_year"
            ),
        ]
        constraints = [
            # A session credits a teacher once.
            models.UniqueConstraint(
                fields=["teacher", "session"],
                condition=Q(session__isnull=False),
                name="entry_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["teacher", "animation"],
                condition=Q(animation__isnull=False),
                name="entry_once_per_animation",
            ),
            models.CheckConstraint(
                condition=Q(source="correction")
                | (Q(presence_hours__gte=0) & Q(distance_hours__gte=0)),
                name="entry_only_corrections_remove_hours",
            ),
            models.CheckConstraint(
                condition=Q(presence_hours__gte=-30, presence_hours__lte=30)
                & Q(distance_hours__gte=-30, distance_hours__lte=30),
                name="entry_hours_within_30",
            ),
            models.CheckConstraint(
                condition=~Q(source="correction") | ~Q(reason=""),
                name="entry_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.total_hours} h"

    @property
    def total_hours(self) -> Decimal:
        return self.presence_hours + self.distance_hours


class HoursPolicy(models.Model):
    """An académie's settings for the 18 hours."""

    academie = models.OneToOneField(Academie, on_delete=models.CASCADE, related_name="hours_policy")
    # Training at distance must exceed this (0: any distance part at all).
    min_distance_hours = models.DecimalField(
        _("minimum d’heures de formation à distance"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
    )

    def __str__(self) -> str:
        return f"{self.academie}: > {self.min_distance_hours} h à distance"


class HoursReminderSent(models.Model):
    """One row per spring reminder of the 18 hours, so that a teacher gets it once a year."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_reminders_sent"
    )
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_year"], name="hours_reminder_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"hours reminder {self.school_year} for teacher {self.teacher_id}"
