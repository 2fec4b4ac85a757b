"""Virtual class pages: a room (when it opens, whether it runs, « Rejoindre »), its settings,
the session's rooms and recordings, and BigBlueButton's callbacks. Each view reaches its object
through access.py and writes through one service."""

import logging
import urllib.parse

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, selectors, servers, services
from .client import BBBError
from .forms import RoomForm
from .models import Room

logger = logging.getLogger(__name__)

NOT_ANSWERING = gettext_lazy("La classe virtuelle ne répond pas, réessayez dans un instant.")


def _server_error(user, session, error: BBBError) -> str:
    """What a person reads when the server fails: the reason for the session's staff, a calm
    sentence for the participants (the reason is logged by the client)."""
    if access.is_moderator(user, session):
        return _("Le serveur de classe virtuelle a échoué : %(reason)s.") % {"reason": error.reason}
    return str(NOT_ANSWERING)


@require_GET
def meeting_room(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_remote_meeting_or_404(request.user, pk)
    try:
        room = services.ensure_meeting_room(meeting=meeting)
    except ValidationError as refusal:
        messages.info(request, " ".join(refusal.messages))
        return redirect("virtualclasses:session", meeting.session_id)
    return redirect("virtualclasses:room", room.pk)


@require_GET
def activity_room(request: HttpRequest, pk: int) -> HttpResponse:
    activity, session = access.get_activity_and_session_or_404(request.user, pk)
    try:
        room = services.ensure_activity_room(activity=activity, session=session)
    except ValidationError as refusal:
        messages.info(request, " ".join(refusal.messages))
        return redirect("virtualclasses:session", session.pk)
    return redirect("virtualclasses:room", room.pk)


@require_GET
def room(request: HttpRequest, pk: int) -> HttpResponse:
    room = access.get_room_or_404(request.user, pk)
    session = room.session
    moderator = access.is_moderator(request.user, session)
    client = servers.client_for(session)
    configured = client is not None
    when = services.opening(room)
    state = when.state(timezone.now())
    running, error = None, ""
    if configured and state == "open" and not session.is_read_only:
        try:
            running = services.is_running(room)
        except BBBError as failure:
            error = _server_error(request.user, session, failure)
    response = render(
        request,
        "virtualclasses/room.html",
        {
            "room": room,
            "session": session,
            "moderator": moderator,
            "trainer": access.is_trainer(request.user, session),
            "configured": configured,
            "opening": when,
            "state": state,
            "running": running,
            "error": error,
            "recordings": list(room.recordings.all()),
        },
    )
    if client is not None:
        # « Rejoindre » posts here and is redirected to the server: the browser applies the
        # page's form-action to each hop of the redirect (docs/virtual-classes.md).
        response._csp_update = {"form-action": join_origins(client.api_url)}
    return response


def join_origins(api_url: str) -> list[str]:
    """The server's origin; over HTTPS any HTTPS origin, since Scalelite redirects a join to
    the BigBlueButton server that hosts the meeting, whose name Préau cannot know."""
    parts = urllib.parse.urlsplit(api_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return [origin, "https:"] if parts.scheme == "https" else [origin]


@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """Makes this person's join URL now, and sends them there (never printed in a page)."""
    room = access.get_room_or_404(request.user, pk)
    try:
        url = services.join_url(room=room, user=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    except BBBError as failure:
        messages.error(request, _server_error(request.user, room.session, failure))
    else:
        return HttpResponseRedirect(url)
    return redirect("virtualclasses:room", room.pk)


@require_http_methods(["GET", "POST"])
def room_settings(request: HttpRequest, pk: int) -> HttpResponse:
    room = access.get_room_or_404(request.user, pk)
    if not access.is_trainer(request.user, room.session):
        raise PermissionDenied(
            _("Seuls les formateurs de la session règlent ses classes virtuelles.")
        )
    configured = servers.client_for(room.session) is not None
    form = RoomForm(request.POST or None, instance=room, configured=configured)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_room(
                room=Room.objects.get(pk=room.pk), by=request.user, **form.cleaned_data
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Réglages de la classe virtuelle enregistrés."))
            return redirect("virtualclasses:room", room.pk)
    return render(
        request,
        "virtualclasses/room_settings.html",
        {"room": room, "session": room.session, "form": form, "configured": configured},
    )


@require_GET
def session_rooms(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_or_404(request.user, pk)
    services.ensure_session_rooms(session=session)
    return render(
        request,
        "virtualclasses/session_rooms.html",
        {
            "session": session,
            "rooms": selectors.session_rooms(session),
            "trainer": access.is_trainer(request.user, session),
        },
    )


@require_http_methods(["GET", "POST"])
def recording_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recording = access.get_recording_or_404(request.user, pk)
    session = recording.room.session
    if not access.is_trainer(request.user, session):
        raise PermissionDenied(
            _("Seuls les formateurs de la session suppriment ses enregistrements.")
        )
    if request.method == "POST":
        try:
            services.delete_recording(recording=recording, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        except BBBError as failure:
            messages.error(request, _server_error(request.user, session, failure))
        else:
            messages.success(request, _("L’enregistrement est supprimé."))
        return redirect("virtualclasses:room", recording.room_id)
    return render(
        request,
        "virtualclasses/recording_delete.html",
        {"recording": recording, "room": recording.room, "session": session},
    )


# BigBlueButton's callbacks: no session cookie; each is authenticated by a signature.


@login_not_required
@require_GET
def end_callback(request: HttpRequest, token: str) -> HttpResponse:
    """`meta_endCallbackUrl`: the URL carries the room, signed by Préau."""
    try:
        room = services.room_from_end_callback(token)
    except (PermissionDenied, Room.DoesNotExist):
        return HttpResponseForbidden()
    services.meeting_ended(room=room)
    return HttpResponse("OK", content_type="text/plain")


@login_not_required
@csrf_exempt
@require_POST
def recording_callback(request: HttpRequest) -> HttpResponse:
    """`meta_bbb-recording-ready-url`: a form with `signed_parameters`, an HS256 JWT signed by
    the server's shared secret. A bad signature, a recording the server does not list for the
    room or another room's is a 403 and changes nothing; a server that cannot be asked, a 503
    (BigBlueButton calls again)."""
    try:
        services.recording_ready(signed_parameters=request.POST.get("signed_parameters", ""))
    except PermissionDenied:
        logger.warning("Recording-ready callback refused")
        return HttpResponseForbidden()
    except services.SessionArchived:
        return HttpResponse("Gone", status=410, content_type="text/plain")
    except BBBError:
        return HttpResponse("Unavailable", status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")
