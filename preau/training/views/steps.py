"""« Étape terminée »: a participant ticks the steps (sections) of their session's content done
(htmx swaps the step and the progress bar; without JavaScript the form posts and the page
comes back), and the session's trainers and tutors see, per participant, which steps are
ticked: never when (domain.md §6)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import access, selectors, services
from ..models import SessionStatus

PAGE_SIZE = 50
DONE_VALUES = {"1": True, "0": False}


@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment, section = access.get_step_to_tick_or_404(request.user, pk)
    done = DONE_VALUES.get(request.POST.get("done", ""))
    if done is None:
        return HttpResponseBadRequest()
    error = ""
    try:
        services.mark_step(enrolment=enrolment, section=section, done=done)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        url = reverse("training:participant_session", args=[enrolment.session_id])
        return redirect(f"{url}#etape-{section.pk}")
    session = enrolment.session
    return render(
        request,
        "training/participant/_steps.html#tick",
        {
            "section": section,
            "done_sections": selectors.done_section_ids(enrolment),
            "steps_open": session.status == SessionStatus.OPEN and not error,
            "progress": selectors.steps_progress(enrolment),
            "oob": True,
            "error": error,
        },
    )


@require_GET
def steps_table(request: HttpRequest, pk: int) -> HttpResponse:
    """Per participant, the steps they ticked (a check or nothing), for the session's trainers
    and tutors."""
    session = access.get_session_to_follow_steps_or_404(request.user, pk)
    steps = selectors.content_steps(session)
    page = Paginator(selectors.steps_participants(session), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    participants = list(page.object_list)
    ticked = selectors.ticks_of(session, participants)
    for participant in participants:
        participant.ticks = [(participant.pk, step["pk"]) in ticked for step in steps]
    page.object_list = participants
    return render(
        request,
        "training/manage/steps.html",
        {"session": session, "steps": steps, "page": page},
    )
