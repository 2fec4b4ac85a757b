"""Attendance at presence meetings, signing sheets, attestation and certificates.

Those who run a session (its trainers, and those who pilot its territory) and its tutors mark
attendance, print signing sheets and read the certificates; only those who run it attest
participants (a tutor gets a 403). A participant downloads their own certificate. Access goes
through access.py: anything else is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from preau.core.params import id_param, ids_param, parse_int

from .. import access, selectors, services
from ..models import AttendanceStatus, AttestationRule, Meeting
from ..pdf import pdf_response, render_pdf

STATUS_FIELD = "status-"  # one radio group per participant: status-<enrolment id>
# The choices of the roll call, each with its DSFR icon.
STATUS_ICONS = {
    AttendanceStatus.PRESENT: "check-line",
    AttendanceStatus.ABSENT: "close-line",
    AttendanceStatus.EXCUSED: "mail-line",
}


def _posted_statuses(data) -> dict[int, str]:
    statuses = {}
    for key, value in data.items():
        if key.startswith(STATUS_FIELD):
            try:
                statuses[parse_int(key[len(STATUS_FIELD) :], lo=1)] = value
            except ValueError:
                continue  # designates no enrolment
    return statuses


def _attendance_context(meeting: Meeting, **extra) -> dict:
    session = meeting.session
    return {
        "meeting": meeting,
        "session": meeting.session,
        # Each row posts here: reversed once, not once per participant.
        "attendance_url": reverse("training:attendance", args=[meeting.pk]),
        # Labels as text once, not translated again in each row.
        "statuses": [
            (value, str(label), STATUS_ICONS[value]) for value, label in AttendanceStatus.choices
        ],
        # Closed or archived, or a meeting still to come: nothing to note (services refuse).
        "read_only": session.is_read_only or meeting.date > timezone.localdate(),
        "to_come": meeting.date > timezone.localdate(),
        "oob": False,
        "prefilled": 0,
        "error": "",
        **extra,
    }


# Attendance ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call of a meeting. A tap on a status posts that one participant (htmx) and gets
    back their row and the counts; without JavaScript the form posts every row at once."""
    meeting = access.get_meeting_to_follow_or_404(request.user, pk)
    if request.method == "POST":
        statuses = _posted_statuses(request.POST)
        error = ""
        try:
            services.record_attendance(meeting=meeting, by=request.user, statuses=statuses)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if request.htmx:
            participants = list(selectors.participants_at_meeting(meeting).filter(pk__in=statuses))
            if not participants:
                return HttpResponseBadRequest()
            for participant in participants:
                participant.prefill = None
            context = _attendance_context(
                meeting,
                participants=participants,
                counts=selectors.attendance_counts(meeting),
                oob=True,
                error=error,
            )
            return render(request, "training/attendance/meeting.html#update", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Présences enregistrées."))
        return redirect("training:attendance", meeting.pk)
    participants = list(selectors.participants_at_meeting(meeting))
    prefilled = _prefill_from_virtual_class(meeting, participants)
    context = _attendance_context(
        meeting,
        participants=participants,
        prefilled=prefilled,
        # The page lists every participant: counted from the rows, not by a query again.
        counts=selectors.attendance_counts_of(participants),
        meetings=meeting.session.meetings.order_by("date", "start_time", "pk"),
    )
    return render(request, "training/attendance/meeting.html", context)


def _prefill_from_virtual_class(meeting: Meeting, participants) -> int:
    """A meeting « à distance » held in Préau's virtual class: the participants not yet noted
    get `prefill`, « présent » if they joined it and « absent » otherwise (joined or not, no
    time: docs/virtual-classes.md), checked in the form for the trainer to confirm. Returns
    how many are prefilled."""
    prefill = {}
    if meeting.remote and not meeting.session.is_read_only:
        from preau.virtualclasses.services import attendance_prefill

        prefill = attendance_prefill(meeting=meeting)
    count = 0
    for participant in participants:
        participant.prefill = None if participant.attendance else prefill.get(participant.pk)
        count += participant.prefill is not None
    return count


@require_POST
def attendance_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_to_follow_or_404(request.user, pk)
    try:
        marked = services.mark_all_present(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s participant marqué présent. Notez maintenant les absents et les excusés.",
                "%(n)s participants marqués présents. Notez maintenant les absents et les excusés.",
                marked,
            )
            % {"n": marked},
        )
    return redirect("training:attendance", meeting.pk)


@require_GET
def signing_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's signing sheet (feuille d'émargement), to print: one row per participant."""
    meeting = access.get_meeting_to_follow_or_404(request.user, pk)
    session = meeting.session
    context = {
        "meeting": meeting,
        "session": session,
        "source": session.source,
        "trainers": selectors.trainers_of(session),
        "participants": selectors.participants_at_meeting(meeting),
    }
    pdf = render_pdf("training/attendance/signing_sheet.html", context)
    name = f"emargement-{slugify(session.title)[:60]}-{meeting.date:%Y-%m-%d}.pdf"
    return pdf_response(pdf, name)


# Attestation ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attestation(request: HttpRequest, pk: int) -> HttpResponse:
    """Who completed the session ("Terminé"): the rule is shown, the trainer decides."""
    session = access.get_session_to_manage_or_404(request.user, pk)
    if request.method == "POST":
        if "rule" in request.POST:
            ids = list(selectors.unattested_satisfying_rule(session))
        elif (one := id_param(request.POST, "one")) is not None:
            ids = [one]
        else:
            ids = sorted(ids_param(request.POST, "selected"))
        try:
            attested = services.attest(
                session=session,
                by=request.user,
                enrolment_ids=ids,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if attested:
                message = ngettext(
                    "%(n)s participant attesté : son attestation est téléchargeable.",
                    "%(n)s participants attestés : leurs attestations sont téléchargeables.",
                    attested,
                )
                messages.success(request, message % {"n": attested})
            else:
                messages.info(request, _("Aucun participant à attester dans cette sélection."))
        return redirect("training:attestation", session.pk)
    participants = list(selectors.enrolments_for_attestation(session))
    end, today = services.training_end(session), timezone.localdate()
    context = {
        "session": session,
        "participants": participants,
        "meetings_total": participants[0].meetings_total if participants else None,
        "meetings_to_come": (
            participants[0].meetings_total - participants[0].meetings_held if participants else 0
        ),
        # Before the training is over, attesting asks for a reason (services.attest).
        "early": None if end.is_past(today) else end.explanation(today),
        "reason_max_length": services.REASON_MAX_LENGTH,
        # The rule is checked by Préau (meetings, steps), or left to the trainer alone.
        "rule_is_checked": session.attestation_rule == AttestationRule.ALL_MEETINGS
        or session.attestation_requires_steps,
        "show_steps": session.attestation_requires_steps
        and access.may_read_steps(request.user, session),
        "attested_count": sum(1 for p in participants if p.is_attested),
        "satisfying_count": sum(1 for p in participants if p.satisfies_rule and not p.is_attested),
    }
    return render(request, "training/attendance/attestation.html", context)


@require_POST
def withdraw_attestation(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = access.get_enrolment_to_manage_or_404(request.user, pk)
    try:
        services.withdraw_attestation(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("L’attestation de %(name)s est retirée ; son code de vérification ne vaut plus.")
            % {"name": enrolment.user},
        )
    return redirect("training:attestation", enrolment.session_id)


# Certificates ----------------------------------------------------------------------------------


@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance certificate of an attested participant (PDF), for them and the session's
    organisers."""
    enrolment = access.get_certificate_or_404(request.user, pk)
    session = enrolment.session
    verify_url = request.build_absolute_uri(
        reverse("training:verify_code", args=[enrolment.certificate_code])
    )
    context = {
        "enrolment": enrolment,
        "person": enrolment.user,
        "school": enrolment.certificate_school,
        "session": session,
        "source": session.source,
        "trainers": selectors.trainers_of(session),
        "verify_url": verify_url,
        "verify_home": request.build_absolute_uri(reverse("training:verify")),
    }
    pdf = render_pdf("training/certificates/certificate.html", context)
    name = f"attestation-{slugify(enrolment.user.get_full_name())}-{slugify(session.title)}"
    return pdf_response(pdf, f"{name[:80]}.pdf")
