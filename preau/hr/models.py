"""What the HR applications (GAIA, then SOFIA) say, and how it is tied to platform sessions.

- `HrImport`: one upload (three GAIA files of a day, or a SOFIA plan), from preview to report.
- `Staged*` and `ImportProblem`: the rows read from the files, checked in SQL; staged rows live
  only between the preview and the confirmation, problems stay with the import's report.
- `HrSession`, `HrTrainer`, `HrTrainee`: the académie's current picture, as last imported.
- `HrLink`: a platform session fed by one or more HR sessions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.territories.models import Academie
from preau.training.models import TrainingSession


class ImportKind(models.TextChoices):
    GAIA = "gaia", _("GAIA : les trois fichiers du jour")
    SOFIA = "sofia", _("SOFIA : plan et sessions")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente d’analyse")
    PREVIEWING = "previewing", _("Analyse en cours")
    PREVIEWED = "previewed", _("À confirmer")
    REFUSED = "refused", _("Refusé")
    APPLYING = "applying", _("Application en cours")
    APPLIED = "applied", _("Appliqué")
    CANCELLED = "cancelled", _("Abandonné")
    FAILED = "failed", _("Échec : rien n’a été modifié")


class HrImport(models.Model):
    academie = models.ForeignKey(
        Academie, on_delete=models.PROTECT, related_name="hr_imports", verbose_name=_("académie")
    )
    kind = models.CharField(_("type"), max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    day = models.DateField(_("date des fichiers"), null=True, blank=True)
    # {kind: {"name": original name, "path": storage path, "lines": count}}; the files are
    # deleted from the storage once the import is applied, cancelled or refused.
    files = models.JSONField(default=dict)
    # Counts of the preview, then of what was applied; see services.Summary.
    summary = models.JSONField(default=dict)
    refusal = models.TextField(_("motif du refus"), blank=True)
    # The background task applying the import (Django's tasks API), to tell a queued apply
    # from one whose worker died.
    task_id = models.CharField(max_length=64, blank=True)
    # SHA-256 of the files, in a fixed order: the same files of a day twice are one import.
    checksum = models.CharField(max_length=64, blank=True)
    # Why a day older than the last applied one was imported anyway (empty: it was not).
    forced_reason = models.TextField(_("motif de l’import d’un jour ancien"), blank=True)
    # Applied as a full picture of the académie (no shrink guard held anything back, or the
    # removals it held were confirmed): only such imports are a baseline for the guard.
    full_picture = models.BooleanField(default=False)
    removals_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removals_confirmed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import RH")
        verbose_name_plural = _("imports RH")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["academie", "kind", "status"], name="hr_import_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.academie} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in {
            ImportStatus.QUEUED,
            ImportStatus.PREVIEWING,
            ImportStatus.APPLYING,
        }

    @property
    def rejected_count(self) -> int:
        return self.summary.get("rejected", 0)

    # Key of `summary` set once the import's names and rejected lines were deleted (abandoned,
    # or older than PREAU_HR_PREVIEW_RETENTION_DAYS): its counts stay.
    NAMES_PURGED = "names_purged"

    @property
    def names_purged(self) -> bool:
        return bool(self.summary.get(self.NAMES_PURGED))


class HeldRemoval(models.Model):
    """A removal the shrink guard held back: applied only when a manager confirms the list,
    kept otherwise (the trainee stays enrolled, the trainer on the module)."""

    class Kind(models.TextChoices):
        TRAINEE = "trainee", _("stagiaire")
        TRAINER = "trainer", _("formateur")
        SESSION = "session", _("session")

    hr_import = models.ForeignKey(HrImport, on_delete=models.CASCADE, related_name="held")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    trainee = models.ForeignKey(
        "HrTrainee", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    trainer = models.ForeignKey(
        "HrTrainer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hr_session = models.ForeignKey(
        "HrSession", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Who or what, as it read when held: « Léa Martin <lea.martin@…> — session 900001 ».
    label = models.CharField(max_length=600)

    class Meta:
        verbose_name = _("retrait retenu")
        verbose_name_plural = _("retraits retenus")
        ordering = ["kind", "label", "pk"]
        indexes = [models.Index(fields=["hr_import", "kind"], name="hr_held_removal_kind")]

    def __str__(self) -> str:
        return self.label


class ImportProblem(models.Model):
    hr_import = models.ForeignKey(HrImport, on_delete=models.CASCADE, related_name="problems")
    file = models.CharField(max_length=20)
    line = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    excerpt = models.CharField(max_length=200, blank=True)
    # The session a rejected Formations line was about, when it could be read: that session is
    # neither created nor considered gone on the basis of this import.
    session_code = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("ligne rejetée d’un import")
        verbose_name_plural = _("lignes rejetées des imports")
        ordering = ["file", "line", "pk"]

    def __str__(self) -> str:
        return f"{self.file} {self.line}: {self.reason}"

    @property
    def file_label(self) -> str:
        return {"sofia": "SOFIA"}.get(self.file, self.file.capitalize())


class StagedSession(models.Model):
    hr_import = models.ForeignKey(HrImport, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField()
    dispositif_code = models.CharField(max_length=10)
    dispositif_title = models.CharField(max_length=300, blank=True)
    module_code = models.BigIntegerField()
    module_title = models.CharField(max_length=300, blank=True)
    session_code = models.CharField(max_length=20)
    group = models.CharField(max_length=2, blank=True)
    starts_on = models.DateField()
    start_time = models.TimeField(null=True)
    ends_on = models.DateField()
    end_time = models.TimeField(null=True)
    place_type = models.CharField(max_length=1, blank=True)
    place = models.CharField(max_length=300, blank=True)
    modality = models.CharField(max_length=100, blank=True)
    uai = models.CharField(max_length=8, blank=True)
    capacity = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("session lue dans un import")
        verbose_name_plural = _("sessions lues dans les imports")
        indexes = [
            models.Index(fields=["hr_import", "session_code"], name="hr_staged_session_code")
        ]

    def __str__(self) -> str:
        return self.session_code


class StagedPerson(models.Model):
    """A line of Intervenants (a module's trainer) or Stagiaires (a session's trainee)."""

    hr_import = models.ForeignKey(HrImport, on_delete=models.CASCADE, related_name="+")
    file = models.CharField(max_length=20)
    line = models.PositiveIntegerField()
    module_code = models.BigIntegerField(null=True)  # Intervenants
    session_code = models.CharField(max_length=20, blank=True)  # Stagiaires
    last_name = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150)
    email = models.CharField(max_length=254)
    # The address under which the person is one account (domain aliases resolved).
    canonical_email = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("personne lue dans un import")
        verbose_name_plural = _("personnes lues dans les imports")
        indexes = [
            models.Index(fields=["hr_import", "session_code"], name="hr_staged_person_session"),
            models.Index(fields=["hr_import", "module_code"], name="hr_staged_person_module"),
            models.Index(fields=["hr_import", "canonical_email"], name="hr_staged_person_email"),
        ]

    def __str__(self) -> str:
        return self.email


class HrSession(models.Model):
    """A GAIA (or SOFIA) session of the académie: dispositif → module → session (group)."""

    academie = models.ForeignKey(Academie, on_delete=models.PROTECT, related_name="+")
    session_code = models.CharField(_("session"), max_length=20)
    dispositif_code = models.CharField(_("dispositif"), max_length=10)
    dispositif_title = models.CharField(_("intitulé du dispositif"), max_length=300, blank=True)
    module_code = models.BigIntegerField(_("module"))
    module_title = models.CharField(_("intitulé du module"), max_length=300, blank=True)
    group = models.CharField(_("groupe"), max_length=2, blank=True)
    starts_on = models.DateField(_("début"))
    start_time = models.TimeField(null=True, blank=True)
    ends_on = models.DateField(_("fin"))
    end_time = models.TimeField(null=True, blank=True)
    place_type = models.CharField(max_length=1, blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    modality = models.CharField(_("modalité"), max_length=100, blank=True)
    uai = models.CharField(_("UAI"), max_length=8, blank=True)
    capacity = models.PositiveIntegerField(_("capacité"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=ImportKind.choices)
    # No longer in the last import of its source: kept for its links and history.
    gone_since = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session GAIA")
        verbose_name_plural = _("sessions GAIA")
        ordering = ["starts_on", "dispositif_code", "module_code", "session_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "session_code"], name="hr_session_once_per_academie"
            )
        ]
        indexes = [models.Index(fields=["academie", "module_code"], name="hr_session_module")]

    def __str__(self) -> str:
        return f"{self.dispositif_code} / {self.module_code} / {self.session_code}" + (
            f" / groupe {self.group}" if self.group else ""
        )

    # The fields an import may change, compared to decide whether a session changed.
    DATA_FIELDS = (
        "dispositif_code",
        "dispositif_title",
        "module_code",
        "module_title",
        "group",
        "starts_on",
        "start_time",
        "ends_on",
        "end_time",
        "place_type",
        "place",
        "modality",
        "uai",
        "capacity",
    )


class HrTrainer(models.Model):
    """An Intervenant: a trainer of a GAIA module."""

    academie = models.ForeignKey(Academie, on_delete=models.PROTECT, related_name="+")
    module_code = models.BigIntegerField()
    email = models.CharField(max_length=254)  # canonical
    last_name = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("formateur GAIA")
        verbose_name_plural = _("formateurs GAIA")
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "module_code", "email"], name="hr_trainer_once_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.module_code})"


class HrTrainee(models.Model):
    """A Stagiaire: a person GAIA enrolled in one of its sessions."""

    hr_session = models.ForeignKey(HrSession, on_delete=models.CASCADE, related_name="trainees")
    email = models.CharField(max_length=254)  # canonical
    last_name = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("stagiaire GAIA")
        verbose_name_plural = _("stagiaires GAIA")
        constraints = [
            models.UniqueConstraint(
                fields=["hr_session", "email"], name="hr_trainee_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class HrLink(models.Model):
    """A platform session fed by an HR session: its trainees are enrolled at each import."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="hr_links")
    hr_session = models.ForeignKey(HrSession, on_delete=models.CASCADE, related_name="links")
    unenrol_missing = models.BooleanField(
        _("désinscrire les stagiaires retirés de GAIA"),
        default=False,
        help_text=_("Sinon, ils restent inscrits et sont signalés au formateur, qui décide."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien avec une session GAIA")
        verbose_name_plural = _("liens avec des sessions GAIA")
        ordering = ["hr_session__session_code"]
        constraints = [
            models.UniqueConstraint(fields=["session", "hr_session"], name="hr_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} ← {self.hr_session}"


class ImportLock(models.Model):
    """One row per académie: the import applying there, and the heartbeat its worker writes
    while it works. Taken with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; a heartbeat
    older than PREAU_HR_HEARTBEAT_STALE_SECONDS means the worker died: the import is marked
    interrupted and the académie is free again (services.mark_interrupted)."""

    academie = models.OneToOneField(Academie, on_delete=models.CASCADE, related_name="+")
    hr_import = models.ForeignKey(
        HrImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holder = models.CharField(max_length=200, blank=True)  # host:pid of the worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verrou d’import d’une académie")
        verbose_name_plural = _("verrous d’import des académies")

    def __str__(self) -> str:
        return f"{self.academie}: {self.hr_import_id or '—'}"
