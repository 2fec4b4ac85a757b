"""Questionnaire pages: answering (draft, send once), one's own self-positioning (chart, table,
downloads), the questions' editor, and the results of a session, a parcours and a territory
(aggregates only). Each view reaches its object through access.py and writes through one
service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from preau.core.exports import BOM, CsvWriter, spreadsheet
from preau.parcours.models import Lineage

from . import access, selectors, services
from .forms import QuestionForm, answers_from_post
from .models import PositioningResponse, SatisfactionDraft, SatisfactionMarker


def _errors(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def activity(request: HttpRequest, pk: int) -> HttpResponse:
    """A questionnaire activity: a participant answers it, the session's team reads its
    results, a designer adapts its questions."""
    from preau.parcours.models import Activity, Status

    # Another kind of activity (a page, a forum) has no questionnaire: a 404, not a KeyError.
    spec = get_object_or_404(
        Activity.objects.select_related("section__parcours").filter(kind__in=access.KINDS), pk=pk
    )
    if spec.section.parcours.status != Status.SESSION_COPY:
        access.check_may_edit(request.user, spec)
        questionnaire = services.questionnaire_for_activity(spec)
        return redirect("questionnaires:edit", pk=questionnaire.pk)
    spec, session, role = access.get_session_activity_or_404(request.user, pk)
    if role == "results":
        return redirect("questionnaires:session_results", pk=session.pk)
    questionnaire = services.questionnaire_of_activity_to_open(spec, session)
    if questionnaire is None:
        return _never_opened(request, session, spec.title)
    return redirect("questionnaires:answer", pk=questionnaire.pk)


def closing(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's closing satisfaction questionnaire, for its participants."""
    session = access.get_participant_session_or_404(request.user, pk)
    questionnaire = services.closing_questionnaire_to_open(session)
    if questionnaire is None:
        return _never_opened(request, session, _("Questionnaire de fin de session"))
    return redirect("questionnaires:answer", pk=questionnaire.pk)


def _never_opened(request, session, title: str) -> HttpResponse:
    """A closed or archived session's questionnaire that nobody opened while it was open: it is
    not made now (nothing is written in such a session)."""
    return render(request, "questionnaires/never_opened.html", {"session": session, "title": title})


def _saved_answers(questionnaire, user) -> tuple[dict, bool]:
    """What the person answered so far, and whether it is sent."""
    if questionnaire.is_satisfaction:
        if SatisfactionMarker.objects.filter(questionnaire=questionnaire, user=user).exists():
            return {}, True
        draft = SatisfactionDraft.objects.filter(questionnaire=questionnaire, user=user).first()
        return (draft.answers if draft else {}), False
    response = PositioningResponse.objects.filter(questionnaire=questionnaire, user=user).first()
    return (response.answers if response else {}), bool(response and response.sent)


def _items(questionnaire, answers: dict) -> list[dict]:
    items = []
    for question in questionnaire.questions.all():
        value = answers.get(str(question.pk))
        chosen = value if isinstance(value, list) else ([value] if isinstance(value, int) else [])
        items.append(
            {
                "question": question,
                "options": [
                    (number, label, number in chosen)
                    for number, label in enumerate(question.option_list)
                ],
                "text": value if isinstance(value, str) else "",
            }
        )
    return items


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_to_answer_or_404(request.user, pk)
    session = questionnaire.session
    if request.method == "POST":
        answers = answers_from_post(questionnaire, request.POST)
        sending = request.POST.get("action") == "envoyer"
        try:
            if sending:
                services.send(questionnaire=questionnaire, by=request.user, answers=answers)
            else:
                services.save_draft(questionnaire=questionnaire, by=request.user, answers=answers)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
            return redirect("questionnaires:answer", pk=questionnaire.pk)
        if not sending:
            messages.success(request, _("Brouillon enregistré : vous pourrez reprendre plus tard."))
        elif questionnaire.is_satisfaction:
            messages.success(request, _("Merci ! Vos réponses anonymes sont envoyées."))
        else:
            messages.success(request, _("Votre positionnement est enregistré."))
            return redirect("questionnaires:mine", pk=session.pk)
        return redirect("questionnaires:answer", pk=questionnaire.pk)
    answers, sent = _saved_answers(questionnaire, request.user)
    return render(
        request,
        "questionnaires/answer.html",
        {
            "questionnaire": questionnaire,
            "session": session,
            "items": _items(questionnaire, answers),
            "sent": sent,
            "writable": session.status == "open",
        },
    )


def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own self-positioning in the session: chart and table, before and after."""
    session = access.get_participant_session_or_404(request.user, pk)
    chart = selectors.own_positioning(session, request.user)
    return render(
        request,
        "questionnaires/mine.html",
        {"session": session, "chart": chart, "svg": _svg(chart)},
    )


def _svg(chart) -> str:
    return render_to_string(
        "questionnaires/partials/chart.svg", {"chart": chart, **_geometry(chart)}
    )


def _geometry(chart) -> dict:
    columns = max(len(chart.columns), 1)
    bar, gap = 14, 10
    row_height = columns * bar + gap
    rows = []
    for i, row in enumerate(chart.rows):
        top = 30 + i * row_height
        bars = [
            {
                "y": top + j * bar,
                "width": (level or 0) * 80,
                "level": level,
                "column": j,
            }
            for j, level in enumerate(row.levels)
        ]
        rows.append({"label": row.label, "y": top, "bars": bars, "number": i + 1})
    return {
        "rows_geometry": rows,
        "height": 40 + len(chart.rows) * row_height,
        "width": 60 + 4 * 80 + 20,
        "ticks": [{"x": 40 + n * 80, "n": n} for n in range(5)],
    }


def mine_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The person's own chart (SVG) or table (CSV), to keep (e.g. for a career interview)."""
    session = access.get_participant_session_or_404(request.user, pk)
    chart = selectors.own_positioning(session, request.user)
    name = f"auto-positionnement-{slugify(session.title)[:40]}"
    if fmt == "svg":
        response = HttpResponse(_svg(chart), content_type="image/svg+xml")
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
        return response
    writer = CsvWriter()
    lines = [BOM, writer.row([_("Objectif"), _("Compétence"), *chart.columns])]
    for row in chart.rows:
        lines.append(
            writer.row(
                [
                    row.label,
                    row.competence,
                    *[chart.levels[level - 1] if level else "" for level in row.levels],
                ]
            )
        )
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access.get_questionnaire_to_edit_or_404(request.user, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(questionnaire=questionnaire, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Question ajoutée."))
        return redirect("questionnaires:edit", pk=questionnaire.pk)
    parcours = questionnaire.activity.section.parcours
    return render(
        request,
        "questionnaires/edit.html",
        {
            "questionnaire": questionnaire,
            "parcours": parcours,
            "questions": questionnaire.questions.all(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_to_edit_or_404(request.user, pk)
    questionnaire = question.questionnaire
    if request.method == "POST":
        try:
            services.delete_question(question=question, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Question supprimée."))
        return redirect("questionnaires:edit", pk=questionnaire.pk)
    return render(
        request,
        "questionnaires/question_delete.html",
        {"question": question, "questionnaire": questionnaire},
    )


def session_results(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_read_results_or_404(request.user, pk)
    positioning = access.may_read_positioning_results(request.user, session)
    return render(
        request,
        "questionnaires/session_results.html",
        {
            "session": session,
            "results": selectors.session_results(session, positioning=positioning),
            "positioning_hidden": not positioning,
            "minimum": selectors.min_group(),
        },
    )


def parcours_results(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = access.get_parcours_for_results_or_404(request.user, pk)
    results = selectors.satisfaction_results(parcours.lineage, title=parcours.title)
    return render(
        request,
        "questionnaires/parcours_results.html",
        {"parcours": parcours, "results": results, "minimum": selectors.min_group()},
    )


def _export_rows(results) -> list[list]:
    rows = []
    for item in results.questions:
        if item.question.is_text:
            rows.append([item.question.text, _("(réponse libre rédigée)"), item.written, None])
        for label, count, percent in item.options:
            rows.append([item.question.text, label, count, percent])
    return rows


def parcours_results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The aggregate (counts per option) as CSV or xlsx; never an answer, never a comment."""
    parcours = access.get_parcours_for_results_or_404(request.user, pk)
    results = selectors.satisfaction_results(parcours.lineage, title=parcours.title)
    header = [_("Question"), _("Réponse"), _("Nombre"), _("Pourcentage")]
    rows = _export_rows(results) if results.shown else []
    name = f"satisfaction-{slugify(parcours.matricule or parcours.title)[:50]}"
    if fmt == "xlsx":
        response = HttpResponse(
            spreadsheet(_("Satisfaction"), header, rows, number_format="0"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    writer = CsvWriter(places=0)
    response = StreamingHttpResponse(
        [BOM, writer.row(header), *(writer.row(row) for row in rows)],
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def territory_results(request: HttpRequest) -> HttpResponse:
    sessions = access.piloted_sessions(request.user)
    return render(
        request,
        "questionnaires/territory_results.html",
        {
            "lineages": list(selectors.territory_lineages(sessions)),
            "minimum": selectors.min_group(),
        },
    )


def territory_parcours_results(request: HttpRequest, pk: int) -> HttpResponse:
    """One parcours' satisfaction in the sessions of the person's territory only (the threshold
    applies to the territory's answers: no filtering down to a small group)."""
    sessions = access.piloted_sessions(request.user)
    lineage = get_object_or_404(Lineage, pk=pk)
    results = selectors.satisfaction_results(lineage, sessions=sessions)
    latest = lineage.versions.order_by("-pk").first()
    return render(
        request,
        "questionnaires/territory_parcours_results.html",
        {"results": results, "parcours": latest, "minimum": selectors.min_group()},
    )
