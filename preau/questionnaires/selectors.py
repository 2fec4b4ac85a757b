"""Reads of the questionnaires: a teacher's own self-positioning (before/after), and the
results of a group, read from the maintained aggregate (OptionCount), never from the answers,
and only from PREAU_MIN_GROUP_FOR_AGGREGATES answers up.

No answer may be isolated by comparing two results: a satisfaction questionnaire's results
are shown once its session is closed or archived (no more answers: refreshing the page between
the 5th and the 6th answer would give the 6th person's answers), and the results across
sessions (a parcours, a territory) add up only closed or archived sessions each of whose
satisfaction questionnaires reaches the threshold on its own (a total minus the sessions shown
elsewhere would otherwise give a small session's answers)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Sum

from preau.parcours.models import Activity
from preau.training.models import SessionStatus, TrainingSession

from .models import (
    TEXT_ANSWERED,
    OptionCount,
    PositioningResponse,
    Purpose,
    Question,
    Questionnaire,
    SatisfactionAnswer,
)

COMMENTS_SHOWN = 60
# Sessions that take no more answers: their satisfaction results may be shown.
FINISHED = (SessionStatus.CLOSED, SessionStatus.ARCHIVED)


def min_group() -> int:
    return settings.PREAU_MIN_GROUP_FOR_AGGREGATES


def aggregable_sessions(sessions):
    """The sessions among `sessions` whose satisfaction answers may enter a result across
    sessions: closed or archived (they take no more answers), and each of their satisfaction
    questionnaires reaching the threshold on its own (or unanswered)."""
    small = Questionnaire.objects.filter(
        purpose=Purpose.SATISFACTION,
        session__isnull=False,
        answered__gt=0,
        answered__lt=min_group(),
    )
    return sessions.filter(status__in=FINISHED).exclude(pk__in=small.values("session"))


# A teacher's own self-positioning ----------------------------------------------------------


def positioning_activities(session) -> list[Activity]:
    """The self-positioning activities of a session's content, in the order of the content."""
    return list(
        Activity.objects.filter(section__parcours_id=session.content_id, kind="positioning")
        .select_related("questionnaire")
        .order_by("section__position", "section__pk", "position", "pk")
    )


@dataclass
class ChartRow:
    label: str
    competence: str
    levels: list  # per questionnaire: level 1..4, or None when not answered


@dataclass
class Chart:
    columns: list[str]
    rows: list[ChartRow]
    levels: list[str]

    @property
    def has_answers(self) -> bool:
        return any(level for row in self.rows for level in row.levels)


def own_positioning(session, user) -> Chart:
    """The person's own sent self-positionings in the session, item by item (an objective, a
    competence or a question of the same wording is one row), one column per questionnaire."""
    from .models import SCALE_LEVELS

    questionnaires = [
        a.questionnaire for a in positioning_activities(session) if hasattr(a, "questionnaire")
    ]
    responses = {
        r.questionnaire_id: r.answers
        for r in PositioningResponse.objects.filter(
            user=user, questionnaire__in=questionnaires, sent=True
        )
    }
    questions = Question.objects.filter(questionnaire__in=questionnaires, kind="scale").order_by(
        "questionnaire", "position", "pk"
    )
    rows: dict[str, ChartRow] = {}
    index = {q.pk: i for i, q in enumerate(questionnaires)}
    for question in questions:
        ident = question.objective or question.competence or question.text
        row = rows.setdefault(
            ident,
            ChartRow(question.text, question.competence, [None] * len(questionnaires)),
        )
        value = responses.get(question.questionnaire_id, {}).get(str(question.pk))
        if isinstance(value, int):
            row.levels[index[question.questionnaire_id]] = value + 1
    return Chart([q.title for q in questionnaires], list(rows.values()), list(SCALE_LEVELS))


# Results of a group -------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    options: list[tuple[str, int, int]] = field(default_factory=list)  # label, count, percent
    written: int = 0  # free text: how many wrote something


@dataclass
class Results:
    title: str
    purpose: str
    answered: int
    sessions: int = 1
    questions: list[QuestionResult] = field(default_factory=list)
    comments: dict = field(default_factory=dict)  # question key -> texts (satisfaction only)
    # The questionnaire of an activity of the session's content that nobody answered yet: its
    # questions may still be adapted by those who run the session.
    adaptable_id: int | None = None
    # A session's satisfaction questionnaire: shown at the session's closing (`finished`).
    at_closing: bool = False
    finished: bool = True
    # Across sessions: closed sessions whose questionnaires each reach the threshold only.
    across_sessions: bool = False

    @property
    def shown(self) -> bool:
        return self.finished and self.answered >= min_group()


def _results(
    title, purpose, answered, questions, counts, comments=None, sessions=1, **rules
) -> Results:
    results = Results(title, purpose, answered, sessions, **rules)
    if not results.shown:
        return results  # nothing of the answers leaves this function below the threshold
    for question in questions:
        if question.is_heading:
            continue
        by_option = counts.get(question.key, {})
        result = QuestionResult(question, written=by_option.get(TEXT_ANSWERED, 0))
        for number, label in enumerate(question.option_list if question.is_choice else []):
            n = by_option.get(number, 0)
            result.options.append((label, n, round(100 * n / answered) if answered else 0))
        results.questions.append(result)
    results.comments = comments or {}
    return results


def _comments(answers) -> dict:
    """Free-text answers, in the order of their random ids: unrelated to who wrote them or when
    (a shuffle that the same page shows the same way every time)."""
    comments: dict = {}
    for key, text in answers.order_by("id").values_list("question__key", "text")[
        : COMMENTS_SHOWN * 4
    ]:
        bucket = comments.setdefault(key, [])
        if len(bucket) < COMMENTS_SHOWN:
            bucket.append(text)
    return comments


def session_results(session, *, positioning: bool = True) -> list[Results]:
    """Every questionnaire of a session that has questions: its aggregate once enough answered.
    Self-positioning (left out unless `positioning`: for the session's trainers and tutors
    only): the group's distribution per item (never a score, a mean, a name); no free text.
    Satisfaction: distributions and free-text comments."""
    questionnaires = Questionnaire.objects.filter(session=session)
    if not positioning:
        questionnaires = questionnaires.exclude(purpose=Purpose.POSITIONING)
    questionnaires = list(
        questionnaires.order_by("activity__section__position", "activity__position", "pk")
    )
    finished = session.status in FINISHED
    shown = [
        q.pk
        for q in questionnaires
        if q.answered >= min_group() and (finished or not q.is_satisfaction)
    ]
    counts: dict = {}
    for question_id, option, n in OptionCount.objects.filter(
        question__questionnaire__in=shown
    ).values_list("question_id", "option", "count"):
        counts.setdefault(question_id, {})[option] = n
    questions: dict = {}
    for question in Question.objects.filter(questionnaire__in=shown):
        questions.setdefault(question.questionnaire_id, []).append(question)
    satisfaction = [q.pk for q in questionnaires if q.pk in shown and q.is_satisfaction]
    comments = (
        _comments(
            SatisfactionAnswer.objects.filter(question__questionnaire__in=satisfaction).exclude(
                text=""
            )
        )
        if satisfaction
        else {}
    )
    results = []
    for questionnaire in questionnaires:
        own = questions.get(questionnaire.pk, [])
        by_key = {q.key: counts.get(q.pk, {}) for q in own}
        result = _results(
            questionnaire.title,
            questionnaire.purpose,
            questionnaire.answered,
            own,
            by_key,
            {q.key: comments[q.key] for q in own if q.key in comments},
            at_closing=questionnaire.is_satisfaction,
            finished=finished or not questionnaire.is_satisfaction,
        )
        if questionnaire.activity_id and not questionnaire.answered:
            result.adaptable_id = questionnaire.pk
        results.append(result)
    return results


def _latest_questions(keys) -> list[Question]:
    """One question per key, its latest wording, in the order of its questionnaire."""
    latest = (
        Question.objects.filter(key__in=keys)
        .order_by()
        .values("key")
        .annotate(last=Max("pk"))
        .values("last")
    )
    return list(Question.objects.filter(pk__in=latest).order_by("position", "pk"))


def satisfaction_results(lineage, sessions=None, title: str = "") -> Results:
    """The closing questionnaires of every session of every version of a parcours (its
    lineage), or of those among `sessions` (a territory's): « 124 réponses dans 9 sessions »,
    distributions per question and comments. Only closed or archived sessions whose
    questionnaires reach PREAU_MIN_GROUP_FOR_AGGREGATES answers on their own count (the rule
    of `aggregable_sessions`)."""
    answered_in = Questionnaire.objects.filter(
        purpose=Purpose.SATISFACTION, session__source__lineage=lineage, answered__gt=0
    )
    if sessions is not None:
        answered_in = answered_in.filter(session__in=sessions)
    # Every answered questionnaire of the lineage, then those that count. The counts and the
    # comments leave out the sessions that do not count (few: the open ones, the small ones),
    # as a list: through a subquery the planner guessed half the rows left out, and sorted
    # every comment instead of reading them in the order of their ids.
    rows = list(answered_in.values_list("pk", "session_id", "answered", "session__status"))
    small = {session for _pk, session, n, _status in rows if n < min_group()}
    counted = [
        (pk, session, n)
        for pk, session, n, status in rows
        if status in FINISHED and session not in small
    ]
    left_out = {session for _pk, session, _n, _status in rows} - {s for _pk, s, _n in counted}
    answered = sum(n for _pk, _session, n in counted)
    sessions_counted = len({session for _pk, session, _n in counted})
    if answered < min_group():
        return Results(
            title, Purpose.SATISFACTION, answered, sessions_counted, across_sessions=True
        )
    counts_rows = OptionCount.objects.filter(lineage=lineage, purpose=Purpose.SATISFACTION)
    if sessions is not None:
        counts_rows = counts_rows.filter(session__in=sessions)
    counts: dict = {}
    for key, option, n in (
        counts_rows.exclude(session__in=left_out)
        .order_by()
        .values("key", "option")
        .annotate(n=Sum("count"))
        .values_list("key", "option", "n")
    ):
        counts.setdefault(key, {})[option] = n
    questions = _latest_questions(list(counts))
    text_keys = [q.key for q in questions if q.is_text]
    answers = (
        SatisfactionAnswer.objects.filter(
            question__questionnaire__in=answered_in, question__key__in=text_keys
        )
        .exclude(question__questionnaire__session__in=left_out)
        .exclude(text="")
    )
    return _results(
        title,
        Purpose.SATISFACTION,
        answered,
        questions,
        counts,
        _comments(answers) if text_keys else {},
        sessions=sessions_counted,
        across_sessions=True,
    )


def territory_lineages(sessions):
    """The parcours (lineages) whose sessions among `sessions` collected satisfaction answers
    that count (`aggregable_sessions`), with how many answers in how many sessions."""
    return (
        Questionnaire.objects.filter(
            purpose=Purpose.SATISFACTION,
            session__in=aggregable_sessions(TrainingSession.objects.filter(pk__in=sessions)),
            answered__gt=0,
        )
        .order_by()
        .values("session__source__lineage")
        .annotate(
            answers=Sum("answered"),
            sessions=Count("session", distinct=True),
            title=Max("session__source__title"),
        )
        .order_by("-answers")
    )
