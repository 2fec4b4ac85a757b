"""Académie → département → circonscription → école."""

import unicodedata

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_uai


class Academie(models.Model):
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[
            RegexValidator(r"^A\d{3}$", _("Le code d’académie s’écrit A suivi de 3 chiffres."))
        ],
    )
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Académie de {self.name}" if not self.name.startswith("Académie") else self.name


class Departement(models.Model):
    # As in the UAI and the school directory: "014", "02A", "971".
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    academie = models.ForeignKey(
        Academie, on_delete=models.PROTECT, related_name="departements", verbose_name=_("académie")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Circonscription(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="circonscriptions",
        verbose_name=_("département"),
    )

    class Meta:
        verbose_name = _("circonscription")
        verbose_name_plural = _("circonscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    uai = models.CharField(_("UAI"), max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=200)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="schools", verbose_name=_("département")
    )
    # The school directory does not say which circonscription a school belongs to: it is
    # set by the académie (or the demo data), and may stay empty for a while after an import.
    circonscription = models.ForeignKey(
        Circonscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("circonscription"),
    )

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})" if self.commune else self.name

    @property
    def kind(self) -> str:
        """« maternelle », « elementaire » or « primaire », as the school's name in the school
        directory says it (« École maternelle Jules Ferry », « Ecole élémentaire… »); "" when
        the name does not say. Préau keeps no other record of the classes a school has."""
        plain = unicodedata.normalize("NFKD", self.name)
        words = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower().split()
        for kind in ("maternelle", "elementaire", "primaire"):
            if kind in words:
                return kind
        return ""
