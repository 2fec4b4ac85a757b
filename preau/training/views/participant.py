"""The teachers' side of sessions: the sessions of the offre de formation (search, enrol with
the key when there is one, leave the waiting list or withdraw before the start), the session
page of a participant, their sessions, and « Mon agenda » (the private iCalendar feed's
address, which they may renew).

The search page serves the whole page and, for htmx, only its results (django-template-
partials), like the open-access modules of the same offre (parcours.views.catalogue).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from dsfr.forms import DsfrBaseForm

from preau.accounts.models import Role
from preau.accounts.selectors import has_role
from preau.core.search import SearchField, SearchTerms, by_name
from preau.parcours.models import Audience, Domain
from preau.parcours.selectors import DURATION_BANDS

from .. import selectors, services
from ..access import get_offre_session_or_404, get_participation_or_404
from ..models import EnrolmentStatus, SessionStatus, TrainingSession

PAGE_SIZE = 10
UPCOMING_ON_AGENDA = 10


def _blank(choices) -> list[tuple[str, str]]:
    return [("", gettext_lazy("Tous")), *choices]


class SessionSearchForm(DsfrBaseForm):
    """The filters of the sessions, read from the query string; invalid values are ignored.
    Field names are those of the open-access modules' search, so that a search carries over
    from one list to the other."""

    q = SearchField(
        label=gettext_lazy("Rechercher"),
        help_text=gettext_lazy("Mots du titre, des mots-clés, des objectifs ou de la description"),
    )
    duration = forms.ChoiceField(
        label=gettext_lazy("Heures créditées"),
        required=False,
        choices=_blank([(code, label) for code, (label, _q) in DURATION_BANDS.items()]),
    )
    domain = forms.ChoiceField(
        label=gettext_lazy("Domaine"), required=False, choices=_blank(Domain.choices)
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Public"), required=False, choices=_blank(Audience.choices)
    )

    def search_terms(self) -> SearchTerms:
        self.is_valid()
        return self.cleaned_data.get("q") or SearchTerms()

    def filters(self) -> selectors.SessionFilters:
        self.is_valid()
        data = self.cleaned_data
        return selectors.SessionFilters(
            q=self.search_terms().text,
            duration=data.get("duration", ""),
            domain=data.get("domain", ""),
            audience=data.get("audience", ""),
        )


class EnrolForm(DsfrBaseForm):
    key = forms.CharField(
        label=gettext_lazy("Clé d’inscription"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Communiquée par l’équipe qui organise la session"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    despite_audience = forms.BooleanField(
        label=gettext_lazy("Je m’inscris tout de même"), required=False
    )

    def __init__(self, *args, session: TrainingSession, audience_warning: str = "", **kwargs):
        # One form per session on the list page: ids must not repeat.
        kwargs.setdefault("auto_id", f"session-{session.pk}-%s")
        super().__init__(*args, **kwargs)
        # Why the session may not be for this teacher (services.audience_warning): shown with
        # a box to tick, which self_enrol() requires.
        self.audience_warning = audience_warning
        if not audience_warning:
            del self.fields["despite_audience"]
        if session.enrolment_key:
            self.fields["key"].required = True
            self.fields["key"].error_messages["required"] = _(
                "Saisissez la clé d’inscription de cette session."
            )


# Offre de formation: sessions open to enrolment -------------------------------------------


@vary_on_headers("HX-Request")
def offre(request: HttpRequest) -> HttpResponse:
    form = SessionSearchForm(request.GET)
    filters = form.filters()
    sessions = selectors.search_offre_sessions(request.user, filters, timezone.localdate())
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for session in page.object_list:
        # Only a session with a key shows a field; the others only a button (_enrol.html).
        session.enrol_form = EnrolForm(session=session) if session.enrolment_key else None
    # htmx restoring a page from its history needs the whole page, not the fragment.
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    template = "training/participant/offre.html"
    return render(
        request,
        f"{template}#results" if fragment else template,
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "fragment": fragment,
            "may_enrol": has_role(request.user, Role.TEACHER),
            "action": reverse("training:offre"),
        },
    )


def _offre_session_page(request: HttpRequest, session: TrainingSession, form: EnrolForm):
    return render(
        request,
        "training/participant/offre_session.html",
        {
            "session": session,
            "enrol_form": form,
            "may_enrol": has_role(request.user, Role.TEACHER),
        },
    )


def _audience_warning(request: HttpRequest, session: TrainingSession) -> str:
    if not has_role(request.user, Role.TEACHER):
        return ""
    return services.audience_warning(session=session, user=request.user)


def offre_session(request: HttpRequest, pk: int) -> HttpResponse:
    """A session of the offre on its own page: to share it, and to show enrolment errors and
    the warning of a session whose audience does not match the teacher's school."""
    session = get_offre_session_or_404(request.user, pk, timezone.localdate())
    if session.my_status:
        return redirect("training:participant_session", pk=session.pk)
    form = EnrolForm(session=session, audience_warning=_audience_warning(request, session))
    return _offre_session_page(request, session, form)


@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_offre_session_or_404(request.user, pk, timezone.localdate())
    if session.my_status:  # enrolling twice (a double click, a second tab) changes nothing
        return redirect("training:participant_session", pk=session.pk)
    warning = _audience_warning(request, session)
    form = EnrolForm(request.POST, session=session, audience_warning=warning)
    if form.is_valid():
        try:
            enrolment = services.self_enrol(
                session=session,
                user=request.user,
                key=form.cleaned_data["key"],
                despite_audience=form.cleaned_data.get("despite_audience", False),
            )
        except ValidationError as error:
            if error.code == "audience":  # the warning is shown above the box to tick
                form.add_error(
                    "despite_audience",
                    _("Cochez « Je m’inscris tout de même » pour vous inscrire à cette session."),
                )
            else:
                form.add_error("key" if error.code == "wrong_key" else None, error)
    if form.errors:
        return _offre_session_page(request, session, form)
    if enrolment.status == EnrolmentStatus.WAITING:
        messages.info(
            request,
            _(
                "La session « %(title)s » est complète : vous êtes sur sa liste d’attente. "
                "Vous recevrez un courriel si une place se libère."
            )
            % {"title": session.title},
        )
    else:
        messages.success(
            request,
            _(
                "Vous êtes inscrit à la session « %(title)s ». Un courriel vous en confirme "
                "les dates, avec un fichier à ajouter à votre agenda."
            )
            % {"title": session.title},
        )
    return redirect("training:participant_session", pk=session.pk)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST leaves the waiting list or withdraws."""
    enrolment = get_participation_or_404(request.user, pk)
    session = enrolment.session
    if request.method == "GET":
        return render(
            request,
            "training/participant/leave.html",
            {
                "enrolment": enrolment,
                "session": session,
                "may_leave": enrolment.can_leave(timezone.localdate()),
            },
        )
    try:
        services.leave_session(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:participant_session", pk=session.pk)
    if enrolment.status == EnrolmentStatus.WAITING:
        text = _("Vous avez quitté la liste d’attente de la session « %(title)s ».")
    else:
        text = _("Vous êtes désinscrit de la session « %(title)s ».")
    messages.success(request, text % {"title": session.title})
    return redirect("training:offre")


# The participant's pages --------------------------------------------------------------------


def session_unread_count(session, user) -> int:
    from preau.forums.selectors import session_unread_count

    return session_unread_count(session, user)


def participant_session(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's view of their session: calendar, their own attendance and status, the
    content (never the trainer notes), the trainers; the other participants' names only when
    the trainer chose to show them."""
    enrolment = get_participation_or_404(request.user, pk)
    session = enrolment.session
    enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    reads_content = enrolled and session.status != SessionStatus.PREPARATION
    sees_names = enrolled and session.show_participant_names
    sections = selectors.session_content_for_participant(session) if reads_content else None
    return render(
        request,
        "training/participant/session.html",
        {
            "enrolment": enrolment,
            "session": session,
            "today": timezone.localdate(),
            "meetings": selectors.meetings_with_attendance(enrolment),
            "windows": session.distance_windows.order_by("starts_on", "pk"),
            "staff": session.staff.select_related("user")
            .only("session", "role", "user__first_name", "user__last_name", "user__email")
            .order_by("role", *by_name("user__"), "pk"),
            "reads_content": reads_content,
            "sections": sections,
            "show_trainer_notes": False,
            **(_steps_context(enrolment, sections) if reads_content else {}),
            "participant_names": selectors.participant_names(session) if sees_names else None,
            "participant_count": None if sees_names else selectors.enrolled_count(session),
            "may_leave": enrolment.can_leave(timezone.localdate()),
            "forum_unread": (
                session_unread_count(session, request.user) if reads_content else None
            ),
        },
    )


def _steps_context(enrolment, sections) -> dict:
    """« Étape terminée »: the tick under each step of the content and the progress bar; the
    sections are loaded here, once, for the content and for the count."""
    sections = list(sections)
    done = selectors.done_section_ids(enrolment)
    return {
        "sections": sections,
        "section_footer": "training/participant/_steps.html#step",
        "done_sections": done,
        "steps_open": enrolment.session.status == SessionStatus.OPEN,
        "progress": selectors.StepsProgress(
            done=sum(1 for section in sections if section.pk in done), total=len(sections)
        ),
        "oob": False,
        "error": "",
    }


def my_sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/participant/my_sessions.html",
        {"teacher_sessions": selectors.teacher_sessions(request.user)},
    )


# Mon agenda: the private calendar feed ------------------------------------------------------


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("training:calendar_feed", args=[token]))


def agenda(request: HttpRequest) -> HttpResponse:
    """The address of the person's feed (its token is made on the first visit), how to add it
    to a calendar application, and their next events."""
    feed = services.calendar_feed_for(user=request.user)
    url = _feed_url(request, feed.token)
    return render(
        request,
        "training/participant/agenda.html",
        {
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "events": selectors.upcoming_events(request.user, limit=UPCOMING_ON_AGENDA),
        },
    )


@require_http_methods(["GET", "POST"])
def agenda_renew(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation, POST gives a new address and revokes the old one."""
    if request.method == "GET":
        return render(request, "training/participant/agenda_renew.html")
    services.renew_calendar_feed(user=request.user)
    messages.success(
        request,
        _(
            "Nouvelle adresse créée : l’ancienne ne fonctionne plus. Remplacez-la dans vos "
            "applications d’agenda."
        ),
    )
    return redirect("training:agenda")
