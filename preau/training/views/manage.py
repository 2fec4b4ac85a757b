"""The organisers' pages of a session: creation from a parcours, the session page (team,
calendar, participants, settings), enrolment by list or CSV, opening, closing, archiving,
"Mes sessions", and the adaptation of the session's copy of the content.

Every change is a POST that calls one service and redirects. Access goes through access.py:
a session the user neither runs nor follows is a 404, like anything inside it; its tutors
read the session page but get a 403 on every change (access.py, docs/roles.md).
"""

import copy
import re

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from preau.accounts.selectors import has_role
from preau.core.search import by_name
from preau.parcours import content_editor

from .. import access, enrolment_lists, selectors, services
from ..forms import (
    CsvUploadForm,
    DistanceWindowForm,
    EnrolmentConfirmForm,
    MeetingForm,
    PastedListForm,
    PickTeachersForm,
    SessionCreateForm,
    SessionSettingsForm,
    StaffForm,
    sign_lines,
)
from ..models import SessionStatus, StaffRole, TrainingSession

PAGE_SIZE = 20
PICK_PAGE_SIZE = 25
MAX_PICKED = 200  # people ticked at once
ID = re.compile(r"[0-9]{1,10}")


def _session_url(session: TrainingSession, anchor: str = "") -> str:
    return reverse("training:manage", args=[session.pk]) + (f"#{anchor}" if anchor else "")


def _refused(request: HttpRequest, error: ValidationError, to: str) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(to)


def _read_only_error(session: TrainingSession) -> ValidationError:
    if session.status == SessionStatus.ARCHIVED:
        return ValidationError(_("Cette session est archivée : elle ne peut plus être modifiée."))
    return ValidationError(_("Cette session est close : elle ne peut plus être modifiée."))


def _confirm(request: HttpRequest, session: TrainingSession, **context) -> HttpResponse:
    """The confirmation page of a destructive action. Expects page_title, explanation,
    confirm_label, cancel_url; optional details (a list of lines under the explanation)."""
    return render(request, "training/manage/confirm.html", {"session": session, **context})


# "Mes sessions" and creation ------------------------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, *services.SESSION_ROLES):
        raise PermissionDenied
    status = request.GET.get("etat", "")
    if status not in SessionStatus.values:
        status = ""
    page = Paginator(selectors.managed_sessions(user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": SessionStatus.choices,
        "can_deploy": has_role(user, *services.ORGANISER_ROLES),
    }
    return render(request, "training/manage/list.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, parcours_pk: int) -> HttpResponse:
    user = request.user
    parcours = access.get_parcours_to_deploy_or_404(user, parcours_pk)
    form = SessionCreateForm(request.POST or None, user=user, initial={"title": parcours.title})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                source=parcours,
                by=user,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                capacity=form.cleaned_data["capacity"],
                **form.owner_kwargs(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Session créée, en préparation. Complétez son calendrier et inscrivez les "
                    "participants, puis ouvrez-la."
                ),
            )
            return redirect(_session_url(session))
    return render(request, "training/manage/create.html", {"parcours": parcours, "form": form})


# The session page ----------------------------------------------------------------------------


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session page, for those who run it and its tutors (who follow it: the page shows
    them no action that changes the session)."""
    session = access.get_session_to_follow_or_404(request.user, pk)
    return _session_page(request, session)


def _session_page(
    request: HttpRequest, session: TrainingSession, staff_form: StaffForm | None = None
) -> HttpResponse:
    facts = selectors.session_page(session)
    in_preparation = session.status == SessionStatus.PREPARATION
    context = {
        "session": session,
        **facts,
        "problems": services.opening_problems(session) if in_preparation else [],
        "today": timezone.localdate(),
        "ended": session.end_date < timezone.localdate(),
        "staff_form": staff_form or StaffForm(),
        # Those who run the session change it while it is not closed; its tutors never do.
        "editable": session.may_manage and not session.is_read_only,
        "can_adapt_content": session.may_manage and not session.is_read_only,
        # The steps table is for the session's own trainers and tutors (from the staff loaded).
        "follows_steps": any(member.user_id == request.user.pk for member in facts["staff"]),
        "history": selectors.session_history(session),
        # Forums are for the session's team and participants, not for those who pilot it.
        "in_team": any(member.user_id == request.user.pk for member in facts["staff"]),
        # Shared logbook entries are for the session's own trainers only (docs/logbook.md).
        "reads_logbooks": any(
            member.user_id == request.user.pk and member.role == StaffRole.TRAINER
            for member in facts["staff"]
        ),
    }
    return render(request, "training/manage/session.html", context)


@require_http_methods(["GET", "POST"])
def session_settings(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    if session.is_read_only:
        return _refused(request, _read_only_error(session), _session_url(session))
    # The form works on a copy: a refused input never shows as saved elsewhere on the page.
    form = SessionSettingsForm(request.POST or None, instance=copy.copy(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session=session, by=request.user, **form.settings_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Paramètres de la session enregistrés."))
            return redirect(_session_url(session, "parametres"))
    return render(request, "training/manage/settings.html", {"session": session, "form": form})


# Team --------------------------------------------------------------------------------------------


@require_POST
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    form = StaffForm(request.POST, session=session)
    if form.is_valid():
        member = form.cleaned_data["user"]
        try:
            services.add_staff(
                session=session, user=member, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("%(name)s fait partie de l’équipe de la session.")
                % {"name": member.get_full_name()},
            )
            return redirect(_session_url(session, "equipe"))
    return _session_page(request, session, staff_form=form)


@require_http_methods(["GET", "POST"])
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_staff_to_manage_or_404(request.user, pk)
    session, name = member.session, member.user.get_full_name()
    if request.method == "POST":
        try:
            services.remove_staff(session=session, user=member.user, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _session_url(session, "equipe"))
        messages.success(request, _("%(name)s a quitté l’équipe de la session.") % {"name": name})
        if not access.may_manage(request.user, session):
            return redirect("training:manage_list")
        return redirect(_session_url(session, "equipe"))
    return _confirm(
        request,
        session,
        page_title=_("Retirer %(name)s de l’équipe") % {"name": name},
        explanation=_(
            "%(name)s ne verra plus cette session, sauf si son rôle le lui permet par ailleurs."
        )
        % {"name": name},
        confirm_label=_("Retirer de l’équipe"),
        cancel_url=_session_url(session, "equipe"),
    )


# Calendar: presence meetings and distance windows ---------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    initial = {"date": session.start_date}
    return _phase_form(request, session, MeetingForm(request.POST or None, initial=initial))


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_to_manage_or_404(request.user, pk)
    form = MeetingForm(request.POST or None, instance=copy.copy(meeting))
    return _phase_form(request, meeting.session, form, meeting)


@require_http_methods(["GET", "POST"])
def window_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    initial = {"starts_on": session.start_date, "ends_on": session.end_date}
    return _phase_form(request, session, DistanceWindowForm(request.POST or None, initial=initial))


@require_http_methods(["GET", "POST"])
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_distance_window_to_manage_or_404(request.user, pk)
    form = DistanceWindowForm(request.POST or None, instance=copy.copy(window))
    return _phase_form(request, window.session, form, window)


def _phase_form(request: HttpRequest, session, form, phase=None) -> HttpResponse:
    """Adds or changes a meeting (MeetingForm) or a distance window (DistanceWindowForm)."""
    if session.is_read_only:
        return _refused(request, _read_only_error(session), _session_url(session))
    is_meeting = isinstance(form, MeetingForm)
    if request.method == "POST" and form.is_valid():
        try:
            if is_meeting and phase:
                services.update_meeting(meeting=phase, by=request.user, **form.meeting_data())
            elif is_meeting:
                services.add_meeting(session=session, by=request.user, **form.meeting_data())
            elif phase:
                services.update_distance_window(window=phase, by=request.user, **form.window_data())
            else:
                services.add_distance_window(session=session, by=request.user, **form.window_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Réunion enregistrée.") if is_meeting else _("Période à distance enregistrée."),
            )
            return redirect(_session_url(session, "calendrier"))
    context = {"session": session, "form": form, "phase": phase, "is_meeting": is_meeting}
    return render(request, "training/manage/phase_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_to_manage_or_404(request.user, pk)
    session = meeting.session
    if request.method == "POST":
        try:
            services.delete_meeting(meeting=meeting, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _session_url(session, "calendrier"))
        messages.success(request, _("Réunion supprimée."))
        return redirect(_session_url(session, "calendrier"))
    marked = meeting.attendances.count()
    return _confirm(
        request,
        session,
        page_title=_("Supprimer la réunion du %(date)s")
        % {"date": meeting.date.strftime("%d/%m/%Y")},
        explanation=ngettext(
            "La présence déjà relevée pour %(n)s participant à cette réunion sera effacée.",
            "Les présences déjà relevées pour %(n)s participants à cette réunion seront effacées.",
            marked,
        )
        % {"n": marked}
        if marked
        else _("Aucune présence n’a été relevée à cette réunion."),
        confirm_label=_("Supprimer la réunion"),
        cancel_url=_session_url(session, "calendrier"),
    )


@require_http_methods(["GET", "POST"])
def window_delete(request: HttpRequest, pk: int) -> HttpResponse:
    window = access.get_distance_window_to_manage_or_404(request.user, pk)
    session = window.session
    if request.method == "POST":
        try:
            services.delete_distance_window(window=window, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _session_url(session, "calendrier"))
        messages.success(request, _("Période à distance supprimée."))
        return redirect(_session_url(session, "calendrier"))
    return _confirm(
        request,
        session,
        page_title=_("Supprimer la période à distance « %(w)s »") % {"w": window},
        explanation=_("La période disparaîtra du calendrier des participants."),
        confirm_label=_("Supprimer la période"),
        cancel_url=_session_url(session, "calendrier"),
    )


# Participants ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """A pasted list or a CSV file goes to a preview of every line's fate; nothing is written
    until the preview is confirmed."""
    session = access.get_session_to_manage_or_404(request.user, pk)
    if session.status not in {SessionStatus.PREPARATION, SessionStatus.OPEN}:
        return _refused(
            request,
            ValidationError(_("Cette session est close : on ne peut plus s’y inscrire.")),
            _session_url(session, "participants"),
        )
    uploading = request.method == "POST" and request.POST.get("mode") == "fichier"
    pasted = PastedListForm(request.POST if request.method == "POST" and not uploading else None)
    upload = CsvUploadForm(*((request.POST, request.FILES) if uploading else ()))
    form = upload if uploading else pasted
    if request.method == "POST" and form.is_valid():
        return _preview(request, session, form.cleaned_data["lines"])
    context = {"session": session, "pasted": pasted, "upload": upload}
    return render(request, "training/manage/enrol.html", context)


def _preview(
    request: HttpRequest, session: TrainingSession, lines: list[enrolment_lists.Line]
) -> HttpResponse:
    """The fate of every line, and the signed lines to confirm (enrol_confirm)."""
    fates = services.preview_enrolment(
        session, [(li.email, li.group) for li in lines], [li.number for li in lines]
    )
    context = {
        "session": session,
        "fates": fates,
        "to_enrol": sum(1 for f in fates if f.fate == "enrol"),
        "to_wait": sum(1 for f in fates if f.fate == "wait"),
        "rejected": sum(1 for f in fates if not f.accepted),
        "confirm_form": EnrolmentConfirmForm(
            initial={"lines": sign_lines(session, lines)}, session=session
        ),
    }
    return render(request, "training/manage/enrol_preview.html", context)


def _picked_ids(request: HttpRequest) -> list[int]:
    """The ids ticked (`choisis`), in order, once each; anything but an id is a 400."""
    values = request.POST.getlist("choisis")
    if not all(ID.fullmatch(value) for value in values):
        raise BadRequest("choisis: ids only")
    return list(dict.fromkeys(int(value) for value in values))


@require_http_methods(["GET", "POST"])
def enrol_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Organisers tick teachers of the session's territory, found by name or school, on as
    many pages as needed (the ids ticked on the other pages travel in hidden fields); « Vérifier
    la sélection » leads to the same preview and confirmation as a pasted list. Searching and
    turning pages are POSTs too, so that the ticks travel with them; with htmx, only the
    results are replaced."""
    session = access.get_session_to_manage_or_404(request.user, pk)
    if session.status not in {SessionStatus.PREPARATION, SessionStatus.OPEN}:
        return _refused(
            request,
            ValidationError(_("Cette session est close : on ne peut plus s’y inscrire.")),
            _session_url(session, "participants"),
        )
    posted = request.method == "POST"
    form = PickTeachersForm(request.POST if posted else None)
    picked = _picked_ids(request) if posted else []
    valid = form.is_valid() if posted else False
    if valid and request.POST.get("action") == "verifier":
        if not picked:
            form.add_error(None, _("Cochez au moins une personne à inscrire."))
        elif len(picked) > MAX_PICKED:
            form.add_error(
                None,
                _("Vous avez coché %(n)s personnes : inscrivez-en au plus %(max)s à la fois.")
                % {"n": len(picked), "max": MAX_PICKED},
            )
        else:
            emails = selectors.teachers_session_may_enrol(session).filter(pk__in=picked)
            emails = emails.order_by(*by_name(), "pk").values_list("email", flat=True)
            group = form.cleaned_data["group"].strip()
            lines = [enrolment_lists.Line(n, e, group) for n, e in enumerate(emails, start=1)]
            if lines:
                return _preview(request, session, lines)
            form.add_error(None, _("Aucune des personnes cochées ne peut plus être inscrite."))
    q = form.cleaned_data.get("q", "") if valid else ""
    ids = selectors.enrolment_candidate_ids(session, q)
    page = Paginator(ids, PICK_PAGE_SIZE).get_page(request.POST.get("page"))
    on_page = list(page.object_list)
    page.object_list = selectors.enrolment_candidates(on_page)
    context = {
        "session": session,
        "form": form,
        "page": page,
        "pick_url": reverse("training:manage_enrol_pick", args=[session.pk]),
        "q": q,
        "picked": set(picked),
        "picked_elsewhere": [pk for pk in picked if pk not in set(on_page)],
        "picked_count": len(picked),
    }
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    template = "training/manage/enrol_pick.html"
    return render(request, f"{template}#results" if fragment else template, context)


@require_POST
def enrol_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    form = EnrolmentConfirmForm(request.POST, session=session)
    if not form.is_valid():
        for error in form.errors.get("lines", []):
            messages.error(request, error)
        return redirect("training:manage_enrol", session.pk)
    lines = form.cleaned_data["lines"]
    try:
        fates = services.confirm_enrolment(
            session=session,
            lines=[(li.email, li.group) for li in lines],
            line_numbers=[li.number for li in lines],
            by=request.user,
        )
    except ValidationError as error:
        return _refused(request, error, _session_url(session, "participants"))
    enrolled = sum(1 for f in fates if f.fate == "enrol")
    waiting = sum(1 for f in fates if f.fate == "wait")
    rejected = len(fates) - enrolled - waiting
    summary = [
        ngettext(
            "%(n)s personne inscrite (invitation envoyée par courriel).",
            "%(n)s personnes inscrites (invitations envoyées par courriel).",
            enrolled,
        )
        % {"n": enrolled}
    ]
    if waiting:
        summary.append(
            ngettext("%(n)s en liste d’attente.", "%(n)s en liste d’attente.", waiting)
            % {"n": waiting}
        )
    if rejected:
        summary.append(
            ngettext("%(n)s ligne écartée.", "%(n)s lignes écartées.", rejected) % {"n": rejected}
        )
    messages.success(request, " ".join(summary))
    return redirect(_session_url(session, "participants"))


@require_http_methods(["GET", "POST"])
def unenrol(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access.get_enrolment_to_manage_or_404(request.user, pk)
    session, name = enrolment.session, enrolment.user.get_full_name()
    if request.method == "POST":
        try:
            promoted = services.unenrol(enrolment=enrolment, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _session_url(session, "participants"))
        messages.success(request, _("%(name)s est désinscrit de la session.") % {"name": name})
        if promoted:
            messages.success(
                request,
                _("%(name)s passe de la liste d’attente aux inscrits ; un courriel l’en informe.")
                % {"name": promoted.user.get_full_name()},
            )
        return redirect(_session_url(session, "participants"))
    waiting = enrolment.status == "waiting"
    return _confirm(
        request,
        session,
        page_title=(
            _("Retirer %(name)s de la liste d’attente") if waiting else _("Désinscrire %(name)s")
        )
        % {"name": name},
        explanation=_("La personne ne sera plus attendue à cette session.")
        if waiting
        else _(
            "Sa place ira à la première personne de la liste d’attente, s’il y en a une, qui "
            "en sera informée par courriel. Les présences relevées pour elle seront effacées."
        ),
        confirm_label=_("Retirer") if waiting else _("Désinscrire"),
        cancel_url=_session_url(session, "participants"),
    )


# Lifecycle -----------------------------------------------------------------------------------


@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    try:
        services.open_session(session=session, by=request.user)
    except ValidationError as error:
        messages.error(request, _("La session n’a pas été ouverte :"))
        return _refused(request, error, _session_url(session, "a-faire"))
    messages.success(request, _("Session ouverte : les participants y ont accès."))
    return redirect(_session_url(session))


@require_http_methods(["GET", "POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.close_session(
                session=session,
                by=request.user,
                before_end_confirmed=request.POST.get("avant_la_fin") == "1",
            )
        except ValidationError as error:
            return _refused(request, error, _session_url(session))
        messages.success(request, _("Session close."))
        return redirect(_session_url(session))
    if session.status != SessionStatus.OPEN:
        return _refused(
            request,
            ValidationError(_("Seule une session ouverte peut être close.")),
            _session_url(session),
        )
    unattested = services.unattested_count(session)
    early_warning = services.closing_early_warning(session)
    details = [
        _(
            "Une fois close, plus rien de la session ne change : présences, calendrier, "
            "contenu, équipe, inscriptions et attestations."
        )
    ]
    if unattested:
        details.append(
            ngettext(
                "%(n)s participant n’est pas encore attesté : il ne pourra plus l’être ni "
                "obtenir son attestation de formation.",
                "%(n)s participants ne sont pas encore attestés : ils ne pourront plus l’être "
                "ni obtenir leur attestation de formation.",
                unattested,
            )
            % {"n": unattested}
        )
    else:
        details.append(_("Tous les participants inscrits sont attestés."))
    return _confirm(
        request,
        session,
        page_title=_("Clore « %(t)s »") % {"t": session.title},
        explanation=" ".join(details),
        unattested=unattested,
        warning=early_warning,
        # The confirmation of a closing before the end date, after the warning was shown.
        hidden={"avant_la_fin": "1"} if early_warning else {},
        confirm_label=_("Clore la session avant sa date de fin")
        if early_warning
        else _("Clore la session"),
        cancel_url=_session_url(session),
    )


@require_http_methods(["GET", "POST"])
def session_archive(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_to_manage_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.archive_session(session=session, by=request.user)
        except ValidationError as error:
            return _refused(request, error, _session_url(session))
        messages.success(request, _("Session archivée : elle ne peut plus être modifiée."))
        return redirect(_session_url(session))
    return _confirm(
        request,
        session,
        page_title=_("Archiver « %(t)s »") % {"t": session.title},
        explanation=_(
            "La session ne pourra plus être modifiée. Les participants gardent l’accès à son "
            "contenu et à leur attestation."
        ),
        confirm_label=_("Archiver la session"),
        cancel_url=_session_url(session),
    )


# Content adaptation: the session's own copy of the parcours -------------------------------------
# The parcours' editor (parcours/content_editor.py) pointed at the copy, which is reached only
# through a session the user manages (access.py).

# The URL patterns point at editor.content, editor.section_add…
editor = content_editor.editor_views(
    content_editor.Owner(
        name="session",
        url_prefix="training:manage_",
        template_dir="training/manage",
        get_owner=access.get_session_to_manage_or_404,
        get_section=access.get_content_section_to_adapt_or_404,
        get_activity=access.get_content_activity_to_adapt_or_404,
        owner_of=lambda parcours: parcours.training_session,
        content_of=lambda session: session.content,
        check=services.check_content_adaptable,
        refused_url=_session_url,
        delete_section_text=_lazy(
            "La section et ses %(n)s activité(s) seront supprimées de cette session, fichiers "
            "compris. Le parcours d’origine n’est pas modifié."
        ),
        delete_activity_text=_lazy(
            "L’activité et ses fichiers seront supprimés de cette session. Le parcours "
            "d’origine n’est pas modifié."
        ),
        confirm_context={"in_content": True},
    )
)
