"""Parcours: reusable training paths, their indexation, content, review and versions."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.territories.models import Academie, Departement

from .uploads import validate_new_file, validate_new_image, validate_new_subtitles

STANDARD_DURATIONS = (Decimal(3), Decimal(6), Decimal(9))


class Status(models.TextChoices):
    TEMPLATE = "template", _("Gabarit")
    CONSTRUCTION = "construction", _("En construction")
    REVIEW = "review", _("En relecture")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")
    # The private copy a training session works on (training app): never in a catalogue.
    SESSION_COPY = "session_copy", _("Copie de session")


class Collection(models.TextChoices):
    AUTOFORMATION = "autoformation", _("Autoformation")
    HYBRID = "hybrid", _("Accompagné / hybride")
    COLLABORATIVE = "collaborative", _("Espace collaboratif")
    NETWORK = "network", _("Réseau")
    DISTANCE_PART = "distance_part", _("Volet distant")


class Origin(models.TextChoices):
    NATIONAL = "national", _("National")
    ACADEMIE = "academie", _("Académie")
    DEPARTEMENT = "departement", _("Département")
    ESPE = "espe", _("Espé / Inspé")
    SHARED = "shared", _("Mutualisé")


class Domain(models.TextChoices):
    FRANCAIS = "francais", _("Français")
    MATHEMATIQUES = "mathematiques", _("Mathématiques")
    SCIENCES = "sciences", _("Sciences et technologie")
    EMC = "emc", _("Enseignement moral et civique")
    NUMERIQUE = "numerique", _("Numérique")
    INCLUSIVE = "inclusive", _("École inclusive")
    MATERNELLE = "maternelle", _("École maternelle")
    LANGUES = "langues", _("Langues vivantes")
    ARTS = "arts", _("Arts et culture")
    EPS = "eps", _("Éducation physique et sportive")
    HISTOIRE_GEO = "histoire_geo", _("Histoire et géographie")
    PEDAGOGIE = "pedagogie", _("Pédagogie générale")


class Audience(models.TextChoices):
    CYCLE_1 = "cycle1", _("Cycle 1 (maternelle)")
    CYCLE_2 = "cycle2", _("Cycle 2 (CP-CE2)")
    CYCLE_3 = "cycle3", _("Cycle 3 (CM1-6e)")
    COLLEGE = "college", _("Professeurs de collège (cycle 3)")
    DIRECTORS = "directors", _("Directeurs d’école")
    SPECIALISED = "specialised", _("Enseignants spécialisés")
    TRAINERS = "trainers", _("Formateurs")


class Lineage(models.Model):
    """The line of descent shared by all versions of one parcours, for statistics."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lignée de parcours")
        verbose_name_plural = _("lignées de parcours")

    def __str__(self) -> str:
        return f"Lignée {self.pk}"


class ParcoursQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def open_access(self):
        return self.published().filter(open_access=True)


class ParcoursManager(models.Manager.from_queryset(ParcoursQuerySet)):
    def get_queryset(self):
        return super().get_queryset().exclude(status=Status.SESSION_COPY)


class Parcours(models.Model):
    lineage = models.ForeignKey(Lineage, on_delete=models.PROTECT, related_name="versions")
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derivatives",
        verbose_name=_("issu de"),
    )
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.CONSTRUCTION
    )
    # Set at publication: YY_ORIGIN_SHORTTITLE_VERSION; stable afterwards.
    matricule = models.CharField(_("matricule"), max_length=60, unique=True, null=True, blank=True)

    # Indexation
    title = models.CharField(_("titre"), max_length=200)
    short_title = models.CharField(
        _("titre court"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+$",
                _("Le titre court s’écrit en majuscules et chiffres, sans espace ni accent."),
            )
        ],
        help_text=_("Sert au matricule, par exemple ALGOCODAGE."),
    )
    objectives = models.TextField(_("objectifs"), blank=True)
    description = models.TextField(_("description"), blank=True)
    collection = models.CharField(
        _("collection"), max_length=20, choices=Collection.choices, blank=True
    )
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices, blank=True)
    keywords = models.CharField(
        _("mots-clés"), max_length=300, blank=True, help_text=_("Séparés par des virgules.")
    )
    duration_hours = models.DecimalField(
        _("durée annoncée (h)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(99))],
    )
    presence_hours = models.DecimalField(
        _("heures en présence"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    distance_hours = models.DecimalField(
        _("heures à distance"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    rhythm = models.CharField(
        _("rythme"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : 1 h 30 par semaine pendant 3 semaines."),
    )
    accompaniment = models.CharField(_("accompagnement"), max_length=200, blank=True)
    origin = models.CharField(_("origine"), max_length=16, choices=Origin.choices, blank=True)
    academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours",
        verbose_name=_("académie"),
        help_text=_("Académie qui publie le parcours ; vide pour un parcours national."),
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours",
        verbose_name=_("département"),
    )
    authors = models.CharField(_("auteurs"), max_length=300, blank=True)
    contact = models.EmailField(_("contact"), blank=True)
    version = models.CharField(_("version"), max_length=10, default="1.0")
    version_notes = models.TextField(_("notes de version"), blank=True)
    thumbnail = models.ImageField(
        _("vignette"),
        upload_to="parcours/thumbnails/",
        blank=True,
        validators=[validate_new_image],
    )
    thumbnail_alt = models.CharField(
        _("texte alternatif de la vignette"), max_length=200, blank=True
    )

    # Open-access module ("libre accès"): any signed-in teacher may join.
    open_access = models.BooleanField(_("module en libre accès"), default=False)
    enrolment_key = models.CharField(_("clé d’inscription"), max_length=40, blank=True)

    national_label = models.BooleanField(_("label national"), default=False)
    university_approved = models.BooleanField(_("validé par un universitaire"), default=False)
    validated_by = models.CharField(_("validé par"), max_length=300, blank=True)

    designers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="designed_parcours",
        blank=True,
        verbose_name=_("concepteurs"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    # Session copies belong to their training session and are reached through it (or through
    # `all_objects`): leaving them out by default keeps them out of every catalogue and list.
    objects = ParcoursManager()
    all_objects = ParcoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "academie"], name="parcours_status_academie")]
        constraints = [
            models.CheckConstraint(
                condition=Q(presence_hours__gte=0) | Q(presence_hours__isnull=True),
                name="parcours_presence_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(distance_hours__gte=0) | Q(distance_hours__isnull=True),
                name="parcours_distance_hours_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(matricule__isnull=False),
                name="parcours_published_has_matricule",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        """A published or archived parcours is frozen: changes go into a new version. A session
        copy is the trainers' to adapt (the training app checks the session is not closed)."""
        return self.status in {Status.TEMPLATE, Status.CONSTRUCTION, Status.SESSION_COPY}

    @property
    def has_standard_duration(self) -> bool:
        return self.duration_hours in STANDARD_DURATIONS

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def audience_codes(self) -> list[str]:
        """Target audiences, read from prefetched rows when there are any."""
        return [row.audience for row in self.target_audiences.all()]

    def get_audiences_display(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels[code] for code in self.audience_codes]


class TargetAudience(models.Model):
    """One of the (several) audiences a parcours is meant for."""

    parcours = models.ForeignKey(
        Parcours, on_delete=models.CASCADE, related_name="target_audiences"
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = _("public visé")
        verbose_name_plural = _("publics visés")
        ordering = ["audience"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "audience"], name="parcours_audience_once")
        ]
        indexes = [models.Index(fields=["audience", "parcours"], name="audience_parcours")]

    def __str__(self) -> str:
        return self.get_audience_display()


class Section(models.Model):
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def activity_upload_to(instance, filename: str) -> str:
    # A random folder per file: the stored name reveals nothing and cannot be guessed.
    return f"parcours/activities/{uuid.uuid4().hex}/{filename}"


class Activity(models.Model):
    """One step of a section. Its kind (see activities.py) says which fields it uses."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("type"), max_length=32)
    title = models.CharField(_("titre"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    body = models.TextField(_("contenu"), blank=True)  # sanitised HTML
    file = models.FileField(
        _("fichier"),
        upload_to=activity_upload_to,
        blank=True,
        max_length=300,
        validators=[validate_new_file],
    )
    url = models.URLField(_("adresse"), blank=True, max_length=500)
    subtitles = models.FileField(
        _("sous-titres (WebVTT)"),
        upload_to=activity_upload_to,
        blank=True,
        max_length=300,
        validators=[validate_new_subtitles],
    )

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_spec(self):
        from .activities import get_kind

        return get_kind(self.kind)


class Event(models.Model):
    """The history of a parcours: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Création")
        SUBMITTED = "submitted", _("Soumis à la relecture")
        CHANGES_REQUESTED = "changes_requested", _("Renvoyé en construction")
        APPROVED = "approved", _("Approuvé par l’inspection")
        UNIVERSITY_APPROVED = "university_approved", _("Approuvé par un universitaire")
        PUBLISHED = "published", _("Publié")
        ARCHIVED = "archived", _("Archivé")
        LABELLED = "labelled", _("Label national accordé")
        UNLABELLED = "unlabelled", _("Label national retiré")
        NEW_VERSION = "new_version", _("Nouvelle version créée")
        DUPLICATED = "duplicated", _("Dupliqué")

    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement d’un parcours")
        verbose_name_plural = _("événements des parcours")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        when = f" — {self.created_at:%d/%m/%Y %H:%M}" if self.created_at else ""
        return f"{self.get_action_display()}{when}"


class OpenAccessMembership(models.Model):
    """A teacher who joined an open-access module."""

    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_access_modules"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # The member marked the module « terminé » for themself: a fact without a date, that
    # credits no hours and that nobody else sees (not trainers, piloting, exports, the admin).
    done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participation à un module en libre accès")
        verbose_name_plural = _("participations aux modules en libre accès")
        constraints = [
            models.UniqueConstraint(fields=["parcours", "user"], name="open_access_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.parcours}"
