"""Training sessions: a published parcours deployed to one group of teachers."""

import re
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from preau.parcours.models import Parcours
from preau.territories.models import Circonscription, Departement


def new_code() -> str:
    """A feed token: 16 URL-safe characters, unguessable."""
    return secrets.token_urlsafe(12)


# Certificate codes are read on paper and typed by hand: 16 characters of Crockford's base 32
# (digits and capitals without I, L, O, U: 80 random bits), printed in groups of four.
CERTIFICATE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CERTIFICATE_CODE_LENGTH = 16
# What a reader may type instead: lower case, spaces and dashes of any kind (the groups of the
# printed code, a copy from a PDF), and the letters that look like digits.
_TYPED_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Codes given before this format (16 URL-safe characters, case-sensitive) stay verifiable as
# printed.
_LEGACY_CODE = re.compile(r"[A-Za-z0-9_-]{16}")


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))


def certificate_code_lookups(typed: str) -> list[str]:
    """The stored codes a typed code may be: « ab-cd 12… » → « ABCD12… » (case, spaces and
    dashes aside, O read as 0, I and L as 1), and a code of the earlier format exactly as
    printed. Nothing for input that cannot be a code (too long, a NUL byte…): the only place
    where typed codes are normalised."""
    typed = (typed or "")[:64]
    lookups = []
    code = _TYPED_SEPARATORS.sub("", typed).upper().translate(_LOOKALIKES)
    if len(code) == CERTIFICATE_CODE_LENGTH and all(c in CERTIFICATE_ALPHABET for c in code):
        lookups.append(code)
    if _LEGACY_CODE.fullmatch(typed.strip()) and typed.strip() not in lookups:
        lookups.append(typed.strip())
    return lookups


class SessionStatus(models.TextChoices):
    PREPARATION = "preparation", _("En préparation")
    OPEN = "open", _("Ouverte")
    # With a context: Django's own French catalogue translates a bare "Close" as "Fermer".
    CLOSED = "closed", pgettext_lazy("session status", "Close")
    ARCHIVED = "archived", _("Archivée")


class AttestationRule(models.TextChoices):
    ALL_MEETINGS = (
        "all_meetings",
        _("Toutes les réunions en présence suivies ou excusées, et le travail à distance fait"),
    )
    TRAINER_DECISION = "trainer_decision", _("Sur décision du formateur")


class SelfEnrolmentScope(models.TextChoices):
    """Which teachers may enrol themselves in a session: by default those of its own
    territory; its organisers may open it wider."""

    TERRITORY = (
        "territory",
        _("Les enseignants de son territoire (sa circonscription, ou son département)"),
    )
    DEPARTEMENT = "departement", _("Les enseignants de son département")
    ACADEMIE = "academie", _("Les enseignants de son académie")
    EVERYONE = "everyone", _("Tous les enseignants, de toutes les académies")


class TrainingSessionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=SessionStatus.OPEN)

    def in_offre_de_formation(self, today):
        """Open sessions teachers may enrol in themselves, today."""
        return self.open().filter(
            Q(self_enrolment=True)
            & (Q(enrolment_opens_on__isnull=True) | Q(enrolment_opens_on__lte=today))
            & (Q(enrolment_closes_on__isnull=True) | Q(enrolment_closes_on__gte=today))
        )


class TrainingSession(models.Model):
    source = models.ForeignKey(
        Parcours,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("parcours d’origine"),
        help_text=_("La version publiée du parcours dont la session est issue."),
    )
    # A private copy of the source's content, that trainers may adapt.
    content = models.OneToOneField(
        Parcours, on_delete=models.PROTECT, related_name="training_session"
    )
    title = models.CharField(_("titre"), max_length=200)
    status = models.CharField(
        _("état"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PREPARATION
    )
    circonscription = models.ForeignKey(
        Circonscription,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("circonscription"),
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("département"),
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    # Hours credited flat-rate to each attested participant, from the parcours's indexation.
    presence_hours = models.DecimalField(_("heures en présence"), max_digits=4, decimal_places=1)
    distance_hours = models.DecimalField(_("heures à distance"), max_digits=4, decimal_places=1)
    self_enrolment = models.BooleanField(_("auto-inscription"), default=False)
    self_enrolment_scope = models.CharField(
        _("auto-inscription ouverte à"),
        max_length=12,
        choices=SelfEnrolmentScope.choices,
        default=SelfEnrolmentScope.TERRITORY,
    )
    enrolment_opens_on = models.DateField(_("inscriptions à partir du"), null=True, blank=True)
    enrolment_closes_on = models.DateField(_("inscriptions jusqu’au"), null=True, blank=True)
    enrolment_key = models.CharField(_("clé d’inscription"), max_length=40, blank=True)
    show_participant_names = models.BooleanField(
        _("les participants voient les noms des autres participants"), default=False
    )
    attestation_rule = models.CharField(
        _("règle d’attestation"),
        max_length=20,
        choices=AttestationRule.choices,
        default=AttestationRule.ALL_MEETINGS,
    )
    # An option of the rule: every step (section) of the content ticked done by the
    # participant themself (StepDone); with « sur décision du formateur », the only condition.
    attestation_requires_steps = models.BooleanField(
        _("toutes les étapes cochées"),
        default=False,
        help_text=_(
            "La règle demande aussi que le participant ait coché « J’ai terminé cette étape » "
            "pour chaque étape du contenu."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["status", "start_date"], name="session_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read_only(self) -> bool:
        """Closed or archived: nothing of the session changes any more (attendance, calendar,
        content, team, enrolments, attestations); docs/attendance.md."""
        return self.status in {SessionStatus.CLOSED, SessionStatus.ARCHIVED}

    @property
    def self_enrolment_reach(self) -> str:
        """Whose self-enrolment is open, said after « enseignants »: « de la circonscription
        Caen Nord », « du département Calvados (014) », « de l’académie de Normandie »; ""
        when it is open to every teacher."""
        scope = self.self_enrolment_scope
        if scope == SelfEnrolmentScope.EVERYONE:
            return ""
        if scope == SelfEnrolmentScope.ACADEMIE:
            return str(_("de l’académie de %(name)s") % {"name": self.departement.academie.name})
        if scope == SelfEnrolmentScope.DEPARTEMENT or not self.circonscription_id:
            return str(_("du département %(name)s") % {"name": self.departement})
        return str(_("de la circonscription %(name)s") % {"name": self.circonscription})

    @property
    def can_attest(self) -> bool:
        """Completion is attested before closing, never after."""
        return self.status == SessionStatus.OPEN

    @property
    def total_hours(self):
        return self.presence_hours + self.distance_hours


class StaffRole(models.TextChoices):
    TRAINER = "trainer", _("Formateur")
    TUTOR = "tutor", _("Tuteur")


class SessionStaff(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_staff"
    )
    role = models.CharField(max_length=10, choices=StaffRole.choices, default=StaffRole.TRAINER)

    class Meta:
        verbose_name = _("membre de l’équipe d’une session")
        verbose_name_plural = _("membres des équipes des sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class DistanceWindow(models.Model):
    """A period of distance work."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="distance_windows"
    )
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))

    class Meta:
        verbose_name = _("période à distance")
        verbose_name_plural = _("périodes à distance")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="window_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.starts_on} – {self.ends_on}"


class Meeting(models.Model):
    """A presence meeting, in a school or as a virtual class slot ("à distance")."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    remote = models.BooleanField(_("à distance (classe virtuelle)"), default=False)
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("réunion en présence")
        verbose_name_plural = _("réunions en présence")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(remote=True) | ~Q(place_name=""), name="meeting_has_a_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.date:%d/%m/%Y}"

    @property
    def place(self) -> str:
        if self.remote:
            return str(_("À distance"))
        return ", ".join(part for part in (self.place_name, self.address) if part)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Inscrit")
    WAITING = "waiting", _("Sur liste d’attente")


class EnrolmentSource(models.TextChoices):
    TRAINER = "trainer", _("Inscrit par un formateur")
    SELF = "self", _("Auto-inscription")
    HR = "hr", _("Application RH (GAIA/SOFIA)")


class Enrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    source = models.CharField(
        max_length=10, choices=EnrolmentSource.choices, default=EnrolmentSource.TRAINER
    )
    group = models.CharField(_("groupe"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Attestation ("Terminé"), by a trainer; the certificate's verification code goes with it.
    completed_at = models.DateTimeField(null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    certificate_code = models.CharField(max_length=24, unique=True, null=True, blank=True)
    # The school at the time of the attestation, for the certificate: a teacher who moves
    # keeps a certificate that names the school where they were trained.
    attested_school_name = models.CharField(max_length=200, blank=True)
    attested_school_commune = models.CharField(max_length=100, blank=True)
    attested_school_uai = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="enrolment_once_per_session"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(status=EnrolmentStatus.ENROLLED),
                name="only_enrolled_are_attested",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="enrolment_user_status"),
            # Places taken in a session (enrolled count): an index-only scan, 4–5 ms instead
            # of 18–28 ms for a session of 24,000 participants (docs/performance.md).
            models.Index(fields=["session", "status"], name="enrolment_session_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"

    @property
    def is_attested(self) -> bool:
        return self.completed_at is not None

    @property
    def certificate_code_display(self) -> str:
        """The code as printed: « ABCD-EFGH-JKMN-PQRS » (a code of the earlier format as is)."""
        code = self.certificate_code or ""
        if len(code) != CERTIFICATE_CODE_LENGTH or any(c not in CERTIFICATE_ALPHABET for c in code):
            return code
        return "-".join(code[i : i + 4] for i in range(0, CERTIFICATE_CODE_LENGTH, 4))

    @property
    def certificate_school(self):
        """The school the certificate names: the one at the attestation, else (attested
        before it was recorded) the current one."""
        if self.attested_school_uai:
            return SimpleNamespace(
                name=self.attested_school_name,
                commune=self.attested_school_commune,
                uai=self.attested_school_uai,
            )
        return self.user.school

    def can_leave(self, today) -> bool:
        """The participant may leave the waiting list while the session runs, or withdraw
        from a session they enrolled in themselves before it starts; never once attested, nor
        from a closed or archived session. An enrolment made by a trainer or the HR
        application is undone by the trainer: it is part of the teacher's training plan."""
        if self.is_attested or self.session.status in {
            SessionStatus.CLOSED,
            SessionStatus.ARCHIVED,
        }:
            return False
        if self.status == EnrolmentStatus.WAITING:
            return True
        return self.source == EnrolmentSource.SELF and today < self.session.start_date


class StepDone(models.Model):
    """A step (a section of the session's content) that the participant ticked done themself.

    A fact, never a time: no date of any kind (domain.md §6). The participant and the session's
    trainers and tutors see it; nobody else. A section removed from the content takes its ticks
    with it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="ticked_steps")
    section = models.ForeignKey(
        "parcours.Section", on_delete=models.CASCADE, related_name="+", verbose_name=_("étape")
    )

    class Meta:
        verbose_name = _("étape terminée")
        verbose_name_plural = _("étapes terminées")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "section"], name="step_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: section {self.section_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excusé")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("présence à une réunion")
        verbose_name_plural = _("présences aux réunions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrolment"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.meeting_id}: {self.status}"


class CalendarFeed(models.Model):
    """The secret of a person's private iCalendar feed; renewing it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=32, unique=True, default=new_code)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("flux d’agenda")
        verbose_name_plural = _("flux d’agenda")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class SessionEvent(models.Model):
    """The history of a session: who did what, when, and why. An attestation given before the
    training is over keeps the reason the trainer gave (docs/attendance.md)."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Session ouverte")
        ATTESTED = "attested", _("Participants attestés")
        ATTESTED_EARLY = (
            "attested_early",
            _("Participants attestés avant la fin de la formation"),
        )
        ATTESTATION_WITHDRAWN = "attestation_withdrawn", _("Attestation retirée")
        CLOSED = "closed", _("Session close")
        CLOSED_EARLY = "closed_early", _("Session close avant sa date de fin")
        ARCHIVED = "archived", _("Session archivée")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    # What the action concerned, written by the service: "3 participants : …", a date.
    detail = models.TextField(blank=True)
    # The reason the person gave, when the rule asks for one.
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement d’une session")
        verbose_name_plural = _("événements des sessions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["session", "-created_at"], name="session_event_recent")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.session_id})"


class ReminderSent(models.Model):
    """One row per reminder sent, so that a reminder is never sent twice for the same event."""

    class Kind(models.TextChoices):
        OPEN_SESSION = "open_session", _("Ouvrir la session")
        CLOSE_SESSION = "close_session", _("Attester et clore la session")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What makes the event unique: the date for a one-off reminder, the ISO week for a weekly one.
    key = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel envoyé aux formateurs")
        verbose_name_plural = _("rappels envoyés aux formateurs")
        constraints = [
            models.UniqueConstraint(fields=["session", "kind", "key"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} for session {self.session_id}"
