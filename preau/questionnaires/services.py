"""Writes of the questionnaires: templates and copies, the designers' edits, answering.

Every answer is sent once, in one transaction that also updates the maintained aggregate
(OptionCount, Questionnaire.answered). A satisfaction answer is written without its author
(SatisfactionAnswer) and, beside it, the « a répondu » marker (SatisfactionMarker): both with
random ids, nothing shared.
"""

import json
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from preau.parcours.models import Activity, Parcours, Status
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from .models import (
    DATA,
    TEXT_ANSWERED,
    OptionCount,
    PositioningResponse,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    SatisfactionAnswer,
    SatisfactionDraft,
    SatisfactionMarker,
)

# Activity kind code → purpose of its questionnaire.
KIND_PURPOSE = {"positioning": Purpose.POSITIONING, "satisfaction": Purpose.SATISFACTION}
TEXT_MAX_CHARS = 5_000


# Templates and copies ----------------------------------------------------------------------


def national_template(purpose: str) -> Questionnaire:
    """The national template of a purpose (created on first use from the data files)."""
    template = Questionnaire.objects.filter(
        purpose=purpose, activity__isnull=True, session__isnull=True
    ).first()
    if template is not None:
        return template
    with transaction.atomic():
        if purpose == Purpose.SATISFACTION:
            data = json.loads((DATA / "satisfaction_default.json").read_text(encoding="utf-8"))
        else:
            data = {
                "title": "Auto-positionnement",
                "intro": (
                    "Situez-vous par rapport à chacun des objectifs du parcours. Vos réponses "
                    "ne sont lues que par vous : personne d’autre ne voit vos réponses, ni les "
                    "formateurs, ni l’inspection. Vous pourrez comparer votre positionnement "
                    "au début et à la fin du parcours."
                ),
                "questions": [],
            }
        template = Questionnaire.objects.create(
            purpose=purpose, title=data["title"], intro=data["intro"]
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=template,
                position=position,
                kind=q["kind"],
                text=q["text"],
                options="\n".join(q.get("options", [])),
            )
            for position, q in enumerate(data["questions"])
        )
    return template


def objective_lines(parcours: Parcours) -> list[str]:
    """The parcours' objectives, one per line (list marks removed)."""
    lines = []
    for line in parcours.objectives.splitlines():
        line = line.strip().lstrip("-•*–").strip()
        if line:
            lines.append(line[:500])
    return lines


def _copy_questions(source: Questionnaire, target: Questionnaire) -> None:
    Question.objects.bulk_create(
        Question(
            questionnaire=target,
            position=q.position,
            kind=q.kind,
            text=q.text,
            options=q.options,
            key=q.key,
            objective=q.objective,
            competence=q.competence,
        )
        for q in source.questions.all()
    )


def _new_for_activity(activity: Activity) -> Questionnaire:
    purpose = KIND_PURPOSE[activity.kind]
    template = national_template(purpose)
    questionnaire = Questionnaire.objects.create(
        purpose=purpose,
        title=activity.title,
        intro=template.intro,
        activity=activity,
        session=_session_of_activity(activity),
    )
    if purpose == Purpose.SATISFACTION:
        _copy_questions(template, questionnaire)
    else:
        # The self-positioning template is built from the parcours' objectives: one item on
        # the 4-level scale per objective (the designer may add référentiel items).
        objectives = objective_lines(activity.section.parcours) or [activity.section.parcours.title]
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                position=position,
                kind=QuestionKind.SCALE,
                text=objective,
                objective=objective,
            )
            for position, objective in enumerate(objectives)
        )
    return questionnaire


def _session_of_activity(activity: Activity) -> TrainingSession | None:
    parcours = activity.section.parcours
    if parcours.status != Status.SESSION_COPY:
        return None
    return TrainingSession.objects.filter(content_id=parcours.pk).first()


def questionnaire_for_activity(activity: Activity) -> Questionnaire:
    """The questionnaire of a « positioning » or « satisfaction » activity, created from its
    template the first time it is needed; the session it belongs to is recorded then."""
    questionnaire = Questionnaire.objects.filter(activity=activity).first()
    if questionnaire is None:
        try:
            with transaction.atomic():
                return _new_for_activity(activity)
        except IntegrityError:  # created meanwhile by another request
            return Questionnaire.objects.get(activity=activity)
    if questionnaire.session_id is None:
        session = _session_of_activity(activity)
        if session is not None:
            questionnaire.session = session
            questionnaire.save(update_fields=["session"])
    return questionnaire


def copy_questionnaire(source: Activity, target: Activity) -> None:
    """The activity kinds' copy hook (parcours.services._copy_content): a new version, a
    duplicate or a session's copy gets the same questions, with the same keys, and no answer."""
    original = Questionnaire.objects.filter(activity=source).first()
    if original is None:
        return
    copy = Questionnaire.objects.create(
        purpose=original.purpose, title=original.title, intro=original.intro, activity=target
    )
    _copy_questions(original, copy)


def _closing_activity(session: TrainingSession) -> Activity | None:
    return (
        Activity.objects.filter(section__parcours_id=session.content_id, kind="satisfaction")
        .order_by("section__position", "section__pk", "position", "pk")
        .first()
    )


def closing_questionnaire(session: TrainingSession) -> Questionnaire:
    """The satisfaction questionnaire that ends the session: the first one its content holds
    (the parcours gave its own), else the session's copy of the national default."""
    activity = _closing_activity(session)
    if activity is not None:
        return questionnaire_for_activity(activity)
    existing = Questionnaire.objects.filter(session=session, activity__isnull=True).first()
    if existing is not None:
        return existing
    template = national_template(Purpose.SATISFACTION)
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                purpose=Purpose.SATISFACTION,
                title=template.title,
                intro=template.intro,
                session=session,
            )
            _copy_questions(template, questionnaire)
            return questionnaire
    except IntegrityError:
        return Questionnaire.objects.get(session=session, activity__isnull=True)


# What a participant opens: made on first use while the session is open; in a closed or
# archived session nothing is written (None: the questionnaire was never opened).


def questionnaire_of_activity_to_open(
    activity: Activity, session: TrainingSession
) -> Questionnaire | None:
    if session.is_read_only:
        return Questionnaire.objects.filter(activity=activity, session=session).first()
    return questionnaire_for_activity(activity)


def closing_questionnaire_to_open(session: TrainingSession) -> Questionnaire | None:
    if not session.is_read_only:
        return closing_questionnaire(session)
    activity = _closing_activity(session)
    found = Questionnaire.objects.filter(session=session)
    if activity is not None:
        return found.filter(activity=activity).first()
    return found.filter(activity__isnull=True).first()


# Designers' edits ---------------------------------------------------------------------------


def _check_editable(questionnaire: Questionnaire) -> None:
    from preau.parcours.services import check_editable

    if questionnaire.activity_id is None:
        raise PermissionDenied(_("Ce questionnaire ne se modifie pas ici."))
    check_editable(questionnaire.activity.section.parcours)
    if questionnaire.answered or (
        questionnaire.is_satisfaction
        and SatisfactionMarker.objects.filter(questionnaire=questionnaire).exists()
    ):
        raise ValidationError(
            _("Des participants ont déjà répondu : les questions ne peuvent plus changer.")
        )
    if PositioningResponse.objects.filter(questionnaire=questionnaire).exists():
        raise ValidationError(
            _("Des participants ont commencé à répondre : les questions ne peuvent plus changer.")
        )


@transaction.atomic
def add_question(
    *,
    questionnaire: Questionnaire,
    by,
    kind: str,
    text: str,
    options: str = "",
    objective: str = "",
    competence: str = "",
) -> Question:
    _check_editable(questionnaire)
    text = text.strip()
    if not text:
        raise ValidationError(_("Écrivez l’intitulé de la question."))
    question = Question(
        questionnaire=questionnaire,
        kind=QuestionKind(kind),
        text=text[:500],
        options=options.strip(),
        objective=objective.strip()[:500],
        competence=competence,
    )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and (
        len(question.option_list) < 2
    ):
        raise ValidationError(_("Proposez au moins deux réponses, une par ligne."))
    last = questionnaire.questions.order_by("-position").values_list("position", flat=True)
    question.position = (last.first() or 0) + 1
    question.save()
    return question


@transaction.atomic
def delete_question(*, question: Question, by) -> None:
    _check_editable(question.questionnaire)
    question.delete()


# Answering ----------------------------------------------------------------------------------


def check_may_answer(questionnaire: Questionnaire, user) -> TrainingSession:
    """The session of the questionnaire, if the person may answer it now: enrolled (not
    waiting) in a session that is open. Closed and archived sessions take no answer."""
    session = questionnaire.session
    if session is None:
        raise PermissionDenied(_("Ce questionnaire n’appartient à aucune session."))
    if not Enrolment.objects.filter(
        session=session, user=user, status=EnrolmentStatus.ENROLLED
    ).exists():
        raise PermissionDenied(_("Seuls les participants de la session répondent."))
    if session.status != SessionStatus.OPEN:
        raise ValidationError(
            _("La session est %(status)s : le questionnaire ne reçoit plus de réponse.")
            % {"status": session.get_status_display().lower()}
        )
    return session


def clean_answers(questionnaire: Questionnaire, raw: dict) -> dict[str, object]:
    """Keeps the answers to the questionnaire's questions only, of the right shape: an option
    number (scale, single), a list of them (multiple), a text (free text)."""
    answers: dict[str, object] = {}
    for question in questionnaire.questions.all():
        value = raw.get(str(question.pk))
        if value in (None, "", []):
            continue
        count = len(question.option_list)
        if question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE):
            if isinstance(value, int) and 0 <= value < count:
                answers[str(question.pk)] = value
        elif question.kind == QuestionKind.MULTIPLE:
            if isinstance(value, list):
                chosen = sorted({v for v in value if isinstance(v, int) and 0 <= v < count})
                if chosen:
                    answers[str(question.pk)] = chosen
        elif question.is_text and isinstance(value, str) and value.strip():
            answers[str(question.pk)] = value.strip()[:TEXT_MAX_CHARS]
    return answers


def _tally(questionnaire: Questionnaire, session: TrainingSession, answers: dict) -> None:
    """The maintained aggregate, in the caller's transaction (the questionnaire row is locked:
    two answers at once count one after the other)."""
    lineage_id = Parcours.all_objects.filter(pk=session.source_id).values_list(
        "lineage_id", flat=True
    )[0]
    for question in questionnaire.questions.all():
        value = answers.get(str(question.pk))
        if value is None:
            continue
        if question.is_text:
            options = [TEXT_ANSWERED]
        elif isinstance(value, list):
            options = value
        else:
            options = [value]
        for option in options:
            updated = OptionCount.objects.filter(question=question, option=option).update(
                count=F("count") + 1
            )
            if not updated:
                OptionCount.objects.create(
                    question=question,
                    option=option,
                    count=1,
                    key=question.key,
                    lineage_id=lineage_id,
                    session=session,
                    purpose=questionnaire.purpose,
                )
    Questionnaire.objects.filter(pk=questionnaire.pk).update(answered=F("answered") + 1)


def _lock(questionnaire: Questionnaire) -> Questionnaire:
    return (
        Questionnaire.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=questionnaire.pk)
    )


@transaction.atomic
def save_draft(*, questionnaire: Questionnaire, by, answers: dict) -> None:
    """Keeps what the participant has answered so far (theirs only), without sending it. Takes
    the lock `send` takes: a draft saved while the same person's answers are being sent waits,
    then is refused (otherwise it would be written after `send` deleted the draft, keeping the
    person beside their answers for good, or overwrite a self-positioning just sent)."""
    questionnaire = _lock(questionnaire)
    check_may_answer(questionnaire, by)
    answers = clean_answers(questionnaire, answers)
    if questionnaire.is_satisfaction:
        if SatisfactionMarker.objects.filter(questionnaire=questionnaire, user=by).exists():
            raise ValidationError(_("Vous avez déjà envoyé vos réponses à ce questionnaire."))
        SatisfactionDraft.objects.update_or_create(
            questionnaire=questionnaire, user=by, defaults={"answers": answers}
        )
        return
    response, _created = PositioningResponse.objects.get_or_create(
        questionnaire=questionnaire, user=by
    )
    if response.sent:
        raise ValidationError(_("Vous avez déjà envoyé ce positionnement."))
    response.answers = answers
    response.save(update_fields=["answers"])


@transaction.atomic
def send(*, questionnaire: Questionnaire, by, answers: dict) -> None:
    """Sends the answers, once. Self-positioning: the person's response is frozen. Satisfaction:
    the answers are written without their author, in random order with random ids, and the
    « a répondu » marker beside them; the draft is deleted."""
    questionnaire = _lock(questionnaire)
    session = check_may_answer(questionnaire, by)
    answers = clean_answers(questionnaire, answers)
    if not answers:
        raise ValidationError(_("Répondez à au moins une question avant d’envoyer."))
    record(questionnaire=questionnaire, session=session, by=by, answers=answers)


def record(*, questionnaire: Questionnaire, session: TrainingSession, by, answers: dict) -> None:
    """The writes of a sent answer, in the caller's transaction, once its checks are done
    (send; the demo seed writes past sessions' answers through it)."""
    if questionnaire.is_satisfaction:
        if SatisfactionMarker.objects.filter(questionnaire=questionnaire, user=by).exists():
            raise ValidationError(_("Vous avez déjà envoyé vos réponses à ce questionnaire."))
        rows = []
        for question in questionnaire.questions.all():
            value = answers.get(str(question.pk))
            if value is None:
                continue
            if question.is_text:
                rows.append(SatisfactionAnswer(question=question, text=value))
            else:
                rows.append(
                    SatisfactionAnswer(
                        question=question, choices=value if isinstance(value, list) else [value]
                    )
                )
        random.SystemRandom().shuffle(rows)
        SatisfactionAnswer.objects.bulk_create(rows)
        SatisfactionMarker.objects.create(questionnaire=questionnaire, user=by)
        SatisfactionDraft.objects.filter(questionnaire=questionnaire, user=by).delete()
    else:
        response, _created = PositioningResponse.objects.select_for_update().get_or_create(
            questionnaire=questionnaire, user=by
        )
        if response.sent:
            raise ValidationError(_("Vous avez déjà envoyé ce positionnement."))
        response.answers, response.sent = answers, True
        response.save(update_fields=["answers", "sent"])
    _tally(questionnaire, session, answers)
