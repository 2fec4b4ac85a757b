"""People and their roles. A role is an assignment scoped to a territory."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.core.search import by_name
from preau.territories.models import Academie, Circonscription, Departement, School


class Role(models.TextChoices):
    TEACHER = "teacher", _("Professeur des écoles")
    TRAINER = "trainer", _("Formateur")
    TUTOR = "tutor", _("Tuteur")
    DESIGNER = "designer", _("Concepteur")
    REVIEWER = "reviewer", _("Relecteur (inspection)")
    UNIVERSITY_REVIEWER = "university_reviewer", _("Relecteur universitaire")
    EDITORIAL_COMMITTEE = "editorial_committee", _("Comité éditorial national")
    IEN = "ien", _("IEN de circonscription")
    PILOT = "pilot", _("Équipe de pilotage départementale")
    ACADEMIC_MANAGER = "academic_manager", _("Gestionnaire académique")
    ADMIN = "admin", _("Administrateur")


# Which territory each role is scoped to (None: no territory). A teacher's territory is their
# school (User.school); national roles have none.
SCOPE_FIELDS = ("academie", "departement", "circonscription")
ROLE_SCOPE_KINDS: dict[str, set[str | None]] = {
    Role.TEACHER: {None},
    Role.TRAINER: {"circonscription", "departement"},
    Role.TUTOR: {"circonscription", "departement"},
    Role.DESIGNER: {None, "academie"},
    Role.REVIEWER: {None, "academie"},
    Role.UNIVERSITY_REVIEWER: {None, "academie"},
    Role.EDITORIAL_COMMITTEE: {None},
    Role.IEN: {"circonscription"},
    Role.PILOT: {"departement"},
    Role.ACADEMIC_MANAGER: {"academie"},
    Role.ADMIN: {None},
}


def _scope_is(kind: str | None) -> Q:
    return Q(**{f"{field}__isnull": field != kind for field in SCOPE_FIELDS})


def _scope_condition() -> Q:
    condition = Q()
    for role, kinds in ROLE_SCOPE_KINDS.items():
        for kind in sorted(kinds, key=str):
            condition |= Q(role=role) & _scope_is(kind)
    return condition


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)

    def teachers(self):
        return self.filter(roles__role=Role.TEACHER)


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively: we store them lower-cased."""
    return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("école d’affectation"),
    )
    # Working share of a part-time teacher, in percent: their 18 h are prorated by it.
    quotite = models.PositiveSmallIntegerField(
        _("quotité de service (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("actif"), default=True)
    # Created by an HR import for an e-mail nobody had yet (name from GAIA, no password):
    # the person becomes the account's owner at their first sign-in (preau/hr/services.py).
    is_placeholder = models.BooleanField(
        _("compte en attente de première connexion"), default=False
    )
    is_staff = models.BooleanField(_("accès à l’administration technique"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Teachers were promised that no connection time is kept: of a sign-in, Préau keeps the
    # day only (Europe/Paris), written by accounts.services.record_sign_in_day. Django's own
    # `last_login` (a timestamp to the microsecond) is removed; without it, django.contrib.auth
    # does not connect its update_last_login handler.
    last_login = None
    last_login_day = models.DateField(_("jour de la dernière connexion"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = by_name()  # French order (preau/core/search.py)
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(quotite__gte=1, quotite__lte=100), name="user_quotite_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    academie = models.ForeignKey(
        Academie, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    circonscription = models.ForeignKey(
        Circonscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rôle attribué")
        verbose_name_plural = _("rôles attribués")
        constraints = [
            models.CheckConstraint(
                condition=_scope_condition(),
                name="role_scope_matches_role",
            ),
            # Nullable scope columns: coalesce them so that the same role cannot be given twice.
            models.UniqueConstraint(
                "user",
                "role",
                Coalesce("academie", models.Value(0)),
                Coalesce("departement", models.Value(0)),
                Coalesce("circonscription", models.Value(0)),
                name="role_assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.circonscription or self.departement or self.academie
        label = self.get_role_display()
        return f"{label} — {scope}" if scope else str(label)

    @property
    def scope(self):
        return self.circonscription or self.departement or self.academie
