"""Questionnaires placed in a parcours: self-positioning (auto-positionnement) and the closing
satisfaction questionnaire, on one engine (questions of a few kinds).

Privacy (domain.md §6, docs/privacy.md):
- a self-positioning response (PositioningResponse) is its author's only: no view, export or
  admin page shows it to anyone else; the session's team sees per-question counts of the group,
  only from PREAU_MIN_GROUP_FOR_AGGREGATES answers (OptionCount);
- a satisfaction answer (SatisfactionAnswer) has no user key, no time, a random id; the « a
  répondu » marker (SatisfactionMarker) holds the person and nothing of the answers, with a
  random id too: nothing joins the two.
"""

import json
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.parcours.models import Activity, Lineage
from preau.training.models import TrainingSession

DATA = Path(__file__).parent / "data"


@cache
def referentiel() -> list[dict]:
    """The 2013 référentiel des compétences des métiers du professorat et de l'éducation:
    its 14 competences common to all (CC1-CC14) and 5 common to all teachers (P1-P5)."""
    return json.loads((DATA / "referentiel_2013.json").read_text(encoding="utf-8"))


def competence_choices() -> list[tuple[str, str]]:
    return [(c["code"], f"{c['code']} — {c['label']}") for c in referentiel()]


# The self-positioning scale (issue #18): from « je ne maîtrise pas » to « … accompagner ».
SCALE_LEVELS = (
    "Je ne maîtrise pas",
    "Je maîtrise en partie",
    "Je maîtrise",
    "Je maîtrise et je peux accompagner",
)


class Purpose(models.TextChoices):
    POSITIONING = "positioning", _("Auto-positionnement")
    SATISFACTION = "satisfaction", _("Questionnaire de satisfaction")


class Questionnaire(models.Model):
    """The questions of one placed activity (`activity`), of a session's default closing
    questionnaire (no activity, `session` set: its content holds no satisfaction questionnaire),
    or a national template (neither). `session` is the session whose answers it collects (set
    for the questionnaire of an activity of a session's content too)."""

    purpose = models.CharField(_("usage"), max_length=16, choices=Purpose.choices)
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(_("présentation"), blank=True)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire",
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
    )
    # Answers sent (maintained in the transaction of each answer, never counted again).
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(activity__isnull=True, session__isnull=False),
                name="questionnaire_one_default_closing_per_session",
            ),
            models.UniqueConstraint(
                fields=["purpose"],
                condition=Q(activity__isnull=True, session__isnull=True),
                name="questionnaire_one_national_template_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national_template(self) -> bool:
        return self.activity_id is None and self.session_id is None

    @property
    def is_default_closing(self) -> bool:
        return self.activity_id is None and self.session_id is not None

    @property
    def is_satisfaction(self) -> bool:
        return self.purpose == Purpose.SATISFACTION


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Échelle (4 niveaux)")
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiple")
    SHORT_TEXT = "short_text", _("Réponse courte")
    LONG_TEXT = "long_text", _("Réponse longue")
    HEADING = "heading", _("Titre de partie")


CHOICE_KINDS = {QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
# The option number counted for a free-text question that was answered.
TEXT_ANSWERED = -1


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("intitulé"), max_length=500)
    options = models.TextField(
        _("réponses proposées"),
        blank=True,
        help_text=_("Une par ligne (choix unique ou multiple)."),
    )
    # Kept by every copy (a session's, a new version's): the results of a parcours add up
    # the answers to « the same question » across all its sessions and versions.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    # Self-positioning: the objective of the parcours the item places the teacher against,
    # and optionally a competence of the 2013 référentiel (its code, e.g. « P3 »).
    objective = models.CharField(_("objectif visé"), max_length=500, blank=True)
    competence = models.CharField(_("compétence du référentiel 2013"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["key"], name="question_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        if self.kind == QuestionKind.SCALE:
            return list(SCALE_LEVELS)
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_heading(self) -> bool:
        return self.kind == QuestionKind.HEADING

    @property
    def competence_label(self) -> str:
        return dict(competence_choices()).get(self.competence, "")


class OptionCount(models.Model):
    """The maintained aggregate: how many sent answers chose each option of a question (or, for
    a free text, `option` TEXT_ANSWERED: how many wrote something). Updated in the transaction
    of the answer; the results pages read these rows, never the answers. The session, lineage
    and key are copied here so that a parcours' or a territory's results are one GROUP BY."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="counts")
    option = models.SmallIntegerField()
    count = models.PositiveIntegerField(default=0)
    key = models.UUIDField()
    lineage = models.ForeignKey(Lineage, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)

    class Meta:
        verbose_name = _("décompte d’une réponse proposée")
        verbose_name_plural = _("décomptes des réponses proposées")
        constraints = [
            models.UniqueConstraint(fields=["question", "option"], name="option_count_once"),
        ]
        indexes = [
            models.Index(
                fields=["lineage", "purpose", "key", "option"],
                include=["count"],
                name="option_count_lineage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} for option {self.option} of question {self.question_id}"


class PositioningResponse(models.Model):
    """One teacher's self-positioning in one questionnaire: a draft until sent, then frozen.
    Its author's only (no time kept, not in the admin, not exported)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="positioning_responses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # {question id (str): option number, list of option numbers, or text}
    answers = models.JSONField(default=dict)
    sent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("auto-positionnement d’un enseignant")
        verbose_name_plural = _("auto-positionnements des enseignants")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "user"], name="positioning_once"),
        ]

    def __str__(self) -> str:
        return f"positioning {self.pk}"


class SatisfactionDraft(models.Model):
    """What a participant has typed in the satisfaction questionnaire before sending it: theirs
    only, deleted in the transaction that sends the answers."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("brouillon de questionnaire de satisfaction")
        verbose_name_plural = _("brouillons de questionnaires de satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="satisfaction_draft_once"
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class SatisfactionAnswer(models.Model):
    """One answer to one question of a satisfaction questionnaire. Anonymous by construction: no
    user, no time, a random id (no sequence to compare with the marker's), and no link between
    the answers of one person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.JSONField(default=list)  # option numbers
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("réponse anonyme")
        verbose_name_plural = _("réponses anonymes")
        ordering = ["id"]  # random: never the order of writing

    def __str__(self) -> str:
        return "réponse anonyme"


class SatisfactionMarker(models.Model):
    """« A répondu »: the person has sent the questionnaire (they cannot send it twice, and are
    not reminded). Nothing of the answers, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("« a répondu » au questionnaire")
        verbose_name_plural = _("« a répondu » aux questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "user"], name="satisfaction_once"),
        ]

    def __str__(self) -> str:
        return "a répondu"


class SatisfactionReminder(models.Model):
    """The one reminder a participant gets after the session's last meeting (sent once)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("rappel du questionnaire de fin")
        verbose_name_plural = _("rappels du questionnaire de fin")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="satisfaction_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"reminder of session {self.session_id}"
