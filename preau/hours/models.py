"""Each teacher's ledger of hours: animations pédagogiques and continuing training."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.core.numbers import format_hours
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
        verbose_name = _("animation pédagogique")
        verbose_name_plural = _("animations pédagogiques")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class EntryQuerySet(models.QuerySet):
    def counted(self):
        """Entries that count: a teacher's declaration counts once the IEN validated it."""
        return self.exclude(source=Source.DECLARATION, validated_at__isnull=True)

    def pending(self):
        """Declarations waiting for the IEN: neither validated nor refused."""
        return self.filter(
            source=Source.DECLARATION, validated_at__isnull=True, refused_at__isnull=True
        )


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
    # A correction's reason, or why the IEN refused a declaration: the teacher reads it.
    reason = models.TextField(_("motif"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    # A refused declaration stays in the ledger, uncounted, with the reason the teacher reads.
    refused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne du registre des heures")
        verbose_name_plural = _("lignes du registre des heures")
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
        return f"{self.title} — {format_hours(self.total_hours)}"

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

    class Meta:
        verbose_name = _("règles des 18 heures d’une académie")
        verbose_name_plural = _("règles des 18 heures des académies")

    def __str__(self) -> str:
        return f"{self.academie} : plus de {format_hours(self.min_distance_hours)} à distance"


class HoursReminderSent(models.Model):
    """One row per spring reminder of the 18 hours, so that a teacher gets it once a year."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_reminders_sent"
    )
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel des 18 heures envoyé")
        verbose_name_plural = _("rappels des 18 heures envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_year"], name="hours_reminder_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"hours reminder {self.school_year} for teacher {self.teacher_id}"


class TeacherYearTotals(models.Model):
    """A teacher's counted hours for one school year, summed from the ledger: what the IEN's
    follow-up and the aggregates read instead of summing the entries for every teacher shown.

    The hours services rewrite a teacher-year's row from the ledger in the transaction that
    changes its entries (services.refresh_year_totals); `manage.py hours_totals --check`
    compares every row with the ledger, `--rebuild` rewrites them all. A teacher-year
    without a row (no counted entry yet) reads as zeros.
    """

    # No index of its own: the unique (teacher, school_year) index serves the teacher's rows.
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hours_totals",
        db_index=False,
    )
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    # Counted entries only (EntryQuerySet.counted): a declaration once validated.
    training = models.DecimalField(
        _("formation (présence et distance)"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    training_distance = models.DecimalField(
        _("formation à distance"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    animations = models.DecimalField(
        _("animations pédagogiques"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    union_meetings = models.DecimalField(
        _("réunions syndicales validées"), max_digits=6, decimal_places=1, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("totaux annuels d’un enseignant")
        verbose_name_plural = _("totaux annuels des enseignants")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "school_year"], name="teacher_year_totals_once"
            )
        ]

    def __str__(self) -> str:
        return f"hours totals {self.school_year} of teacher {self.teacher_id}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En préparation")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")


def hours_report_path(report: "HoursReport", filename: str) -> str:
    """A folder of its own per file: the names say the year and scope, the folder cannot be
    guessed (the files leave only through the download view, which checks access)."""
    import uuid

    return f"hours-reports/{report.school_year}/{uuid.uuid4().hex}/{filename}"


class HoursReport(models.Model):
    """The yearly report of the 18 hours (« Rapport annuel des heures »): per circonscription
    of the country (no académie) or of one académie, how many teachers in each status and the
    hours counted. Computed in the background by report.build_report, kept as files."""

    academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hours_reports",
        verbose_name=_("académie"),
        help_text=_("Vide : la France entière."),
    )
    school_year = models.PositiveSmallIntegerField(
        _("année scolaire"), help_text=_("L’année de la rentrée : 2025 pour 2025-2026.")
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    # Percent reached: 100 when done, where it stopped when failed. While the report runs, its
    # live progress is in the cache (report.py: the run reads one snapshot of the database, so
    # it writes nothing there before the end).
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    csv_file = models.FileField(
        _("fichier CSV"), upload_to=hours_report_path, max_length=200, blank=True
    )
    xlsx_file = models.FileField(
        _("fichier Excel"), upload_to=hours_report_path, max_length=200, blank=True
    )
    row_count = models.PositiveIntegerField(_("lignes"), null=True, blank=True)
    teacher_count = models.PositiveIntegerField(_("enseignants"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport annuel des heures")
        verbose_name_plural = _("rapports annuels des heures")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One report at a time per scope and year: a second request waits for the first.
            models.UniqueConstraint(
                fields=["school_year"],
                condition=Q(academie__isnull=True, status__in=["queued", "running"]),
                name="hours_report_one_national_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["academie", "school_year"],
                condition=Q(academie__isnull=False, status__in=["queued", "running"]),
                name="hours_report_one_per_academie_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label} — {self.school_year}-{self.school_year + 1}"

    @property
    def is_running(self) -> bool:
        return self.status in {ReportStatus.QUEUED, ReportStatus.RUNNING}

    @property
    def is_national(self) -> bool:
        return self.academie_id is None

    @property
    def scope_label(self) -> str:
        return str(self.academie) if self.academie_id else str(_("France entière"))

    @property
    def year_label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"
