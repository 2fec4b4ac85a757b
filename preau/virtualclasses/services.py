"""Writes and calls to BigBlueButton for the virtual classes (docs/virtual-classes.md).

Rooms are created on BigBlueButton at the first « Rejoindre » (create is idempotent there); the
join URL is made for one person at the moment they click, never printed in a page. Closed and
archived sessions refuse every write (settings, recordings) and every join.
"""

import base64
import binascii
import contextlib
import datetime
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core.params import parse_ids
from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    Meeting,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
)

from . import servers
from .client import BBBError
from .models import Recording, Room, RoomPresence

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
# « Rejoindre » is active from this long before the start, and until this long after the end.
OPENS_BEFORE = datetime.timedelta(minutes=15)
CLOSES_AFTER = datetime.timedelta(minutes=30)
END_CALLBACK_SALT = "virtualclasses.end-callback"
USER_ID_PREFIX = "preau-"

ROOM_SETTINGS = (
    "welcome",
    "recording_allowed",
    "waiting_room",
    "mute_on_start",
    "audio_only",
    "external_url",
    "date",
    "start_time",
    "end_time",
)


# Rooms -------------------------------------------------------------------------------------


def ensure_meeting_room(*, meeting: Meeting) -> Room:
    """The room of a meeting « à distance » (made the first time it is asked for; never in a
    closed or archived session, where nothing is made any more)."""
    room = Room.objects.filter(meeting=meeting).first()
    if room is None:
        _refuse_if_read_only(meeting.session)
        room, _created = Room.objects.get_or_create(
            meeting=meeting, defaults={"session_id": meeting.session_id}
        )
    return room


def ensure_activity_room(*, activity, session: TrainingSession) -> Room:
    room = Room.objects.filter(activity=activity).first()
    if room is None:
        _refuse_if_read_only(session)
        room, _created = Room.objects.get_or_create(
            activity=activity, defaults={"session": session}
        )
    return room


def ensure_session_rooms(*, session: TrainingSession) -> None:
    """Makes the rooms of the session's meetings « à distance » and « Classe virtuelle »
    activities that have none yet (two queries when all exist; nothing in a closed session)."""
    if session.is_read_only:
        return
    from preau.parcours.models import Activity

    meetings = Meeting.objects.filter(session=session, remote=True, virtual_room__isnull=True)
    activities = Activity.objects.filter(
        section__parcours_id=session.content_id, kind="virtual_class", virtual_room__isnull=True
    )
    Room.objects.bulk_create(
        [Room(session=session, meeting_id=pk) for pk in meetings.values_list("pk", flat=True)]
        + [Room(session=session, activity_id=pk) for pk in activities.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def _refuse_if_read_only(session: TrainingSession) -> None:
    if session.is_read_only:
        raise ValidationError(
            _("Cette session est close : cette classe virtuelle n’a jamais été ouverte.")
        )


def _require_writable_by_trainer(room: Room, by) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=room.session_id)
    if session.is_read_only:
        raise ValidationError(_("Cette session est close ou archivée : rien n’y change plus."))
    if not SessionStaff.objects.filter(session=session, user=by, role=StaffRole.TRAINER).exists():
        raise PermissionDenied(
            _("Seuls les formateurs de la session règlent ses classes virtuelles.")
        )
    return session


# What BigBlueButton takes on create only: a create for a meeting it holds already changes
# nothing (duplicateWarning), so a change made meanwhile would be shown here (a recording notice
# gone) while the meeting goes on with the settings it started with.
SETTINGS_FIXED_ONCE_CREATED = ("recording_allowed", "waiting_room", "mute_on_start", "audio_only")


def _refuse_while_held(room: Room) -> None:
    client = servers.client_for(room.session)
    if client is None:
        return
    try:
        held = client.meeting_exists(room.bbb_meeting_id)
    except BBBError:
        raise ValidationError(
            _(
                "Le serveur de classe virtuelle ne répond pas : impossible de vérifier que la "
                "classe n’est pas en cours. Réessayez dans un instant."
            )
        ) from None
    if held:
        raise ValidationError(
            _(
                "La classe virtuelle est en cours (ou ouverte sur le serveur) : l’enregistrement, "
                "la salle d’attente, les micros coupés à l’entrée et l’audioconférence ne "
                "changent qu’une fois qu’elle est terminée, car le serveur garde les réglages du "
                "début jusqu’à la fin."
            )
        )


@transaction.atomic
def update_room(*, room: Room, by, **fields) -> Room:
    _require_writable_by_trainer(room, by)
    unknown = set(fields) - set(ROOM_SETTINGS)
    if unknown:
        raise ValueError(f"Not room settings: {sorted(unknown)}")
    stored = Room.objects.get(pk=room.pk)
    if any(
        name in fields and fields[name] != getattr(stored, name)
        for name in SETTINGS_FIXED_ONCE_CREATED
    ):
        _refuse_while_held(room)
    for name, value in fields.items():
        setattr(room, name, value)
    if room.meeting_id:  # a meeting's room follows the meeting's schedule
        room.date = room.start_time = room.end_time = None
    elif (room.start_time or room.end_time) and not room.date:
        raise ValidationError(_("Indiquez la date de la classe virtuelle."))
    elif room.start_time and room.end_time and room.end_time <= room.start_time:
        raise ValidationError(_("La fin doit venir après le début."))
    room.save()
    return room


# When a room opens -------------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    """When « Rejoindre » is active: `starts`/`ends` aware (Europe/Paris), None when the room
    has no schedule (an activity's room without a date: open while the session is open)."""

    starts: datetime.datetime | None
    ends: datetime.datetime | None

    @property
    def opens(self):
        return self.starts - OPENS_BEFORE if self.starts else None

    @property
    def closes(self):
        return self.ends + CLOSES_AFTER if self.ends else None

    def state(self, now: datetime.datetime) -> str:
        """ "open", "early" (before `opens`) or "over" (after `closes`)."""
        if self.opens and now < self.opens:
            return "early"
        if self.closes and now > self.closes:
            return "over"
        return "open"


def opening(room: Room) -> Opening:
    if room.meeting_id:
        day, start, end = room.meeting.date, room.meeting.start_time, room.meeting.end_time
    else:
        day, start, end = room.date, room.start_time, room.end_time
    if day is None:
        return Opening(None, None)
    starts = datetime.datetime.combine(day, start or datetime.time(0), tzinfo=PARIS)
    ends = datetime.datetime.combine(day, end or datetime.time(23, 59), tzinfo=PARIS)
    return Opening(starts, ends)


# Joining -----------------------------------------------------------------------------------


def _site(path: str) -> str:
    return settings.PREAU_SITE_URL.rstrip("/") + path


def end_callback_url(room: Room) -> str:
    token = signing.dumps(room.pk, salt=END_CALLBACK_SALT)
    return _site(reverse("virtualclasses:end_callback", args=[token]))


def _create_params(room: Room) -> dict:
    params = {
        "record": room.recording_allowed,
        "autoStartRecording": False,
        "allowStartStopRecording": room.recording_allowed,
        "welcome": room.welcome or _("Bienvenue dans la classe virtuelle."),
        "muteOnStart": room.mute_on_start,
        "guestPolicy": "ASK_MODERATOR" if room.waiting_room else "ALWAYS_ACCEPT",
        "logoutURL": _site(reverse("virtualclasses:room", args=[room.pk])),
        "meta_endCallbackUrl": end_callback_url(room),
        "meta_bbb-recording-ready-url": _site(reverse("virtualclasses:recording_callback")),
    }
    if room.audio_only:
        # Nobody shares a webcam: viewers are locked out of it, moderators keep theirs off.
        params["lockSettingsDisableCam"] = True
        params["webcamsOnlyForModerator"] = True
    if room.voice_bridge:
        params["voiceBridge"] = room.voice_bridge
    return params


def join_url(*, room: Room, user, now: datetime.datetime | None = None) -> str:
    """Creates the room on the server if needed, and returns a join URL for this person only.
    Raises ValidationError (French) when the room may not be joined now, BBBError when the
    server fails."""
    session = room.session
    moderator = SessionStaff.objects.filter(session=session, user=user).exists()
    if session.is_read_only:
        raise ValidationError(_("Cette session est close : sa classe virtuelle est fermée."))
    enrolled = Enrolment.objects.filter(session=session, user=user, status=EnrolmentStatus.ENROLLED)
    if not moderator and (session.status != SessionStatus.OPEN or not enrolled.exists()):
        raise PermissionDenied
    when = opening(room)
    state = when.state(now or timezone.now())
    if state == "early":
        raise ValidationError(
            _("La classe virtuelle ouvre le %(day)s à %(time)s.")
            % {
                "day": when.opens.astimezone(PARIS).strftime("%d/%m/%Y"),
                "time": when.opens.astimezone(PARIS).strftime("%H:%M"),
            }
        )
    if state == "over":
        raise ValidationError(_("Cette classe virtuelle est terminée."))
    client = servers.client_for(session)
    if client is None:
        raise ValidationError(_("Classe virtuelle non configurée."))
    answer = client.create(room.bbb_meeting_id, room.name, **_create_params(room))
    dial, bridge = answer.text("dialNumber"), answer.text("voiceBridge")
    if (dial, bridge) != (room.dial_number, room.voice_bridge):
        # The server may assign another PIN than the one asked (Scalelite, BBB): keep its own.
        room.dial_number, room.voice_bridge = dial, bridge
        room.save(update_fields=["dial_number", "voice_bridge"])
    return client.join_url(
        room.bbb_meeting_id,
        user.get_full_name() or user.get_username(),
        role="MODERATOR" if moderator else "VIEWER",
        user_id=f"{USER_ID_PREFIX}{user.pk}",
        guest=room.waiting_room and not moderator,
    )


def is_running(room: Room) -> bool:
    """Whether the room is running now, and who of the session is in it (kept as « venu »).
    Raises BBBError; False without a server."""
    client = servers.client_for(room.session)
    if client is None:
        return False
    ids = client.attendee_user_ids(room.bbb_meeting_id)
    if not room.session.is_read_only:  # closed or archived: no presence is written any more
        _keep_presences(room, ids)
    return bool(ids)


def refresh_presences(room: Room) -> None:
    """Best effort: who is in the room now joins the room's presences."""
    with contextlib.suppress(BBBError):
        is_running(room)


def _keep_presences(room: Room, user_ids: set[str]) -> None:
    # The ids come from the server's answer (outside input: another application sharing the
    # server joins with its own user ids): only « preau-<a valid id> » names someone.
    pks = parse_ids(
        value.removeprefix(USER_ID_PREFIX) for value in user_ids if value.startswith(USER_ID_PREFIX)
    )
    if not pks:
        return
    members = set(
        Enrolment.objects.filter(
            session_id=room.session_id, user_id__in=pks, status=EnrolmentStatus.ENROLLED
        ).values_list("user_id", flat=True)
    ) | set(
        SessionStaff.objects.filter(session_id=room.session_id, user_id__in=pks).values_list(
            "user_id", flat=True
        )
    )
    RoomPresence.objects.bulk_create(
        [RoomPresence(room=room, user_id=pk) for pk in sorted(members)], ignore_conflicts=True
    )


def rooms_open_now(now: datetime.datetime) -> list[Room]:
    """The rooms whose « Rejoindre » is active now, in open sessions (those a poll looks at)."""
    today = now.astimezone(PARIS).date()
    candidates = (
        Room.objects.filter(session__status=SessionStatus.OPEN)
        .filter(models.Q(meeting__date=today) | models.Q(date=today))
        .select_related("session__departement", "meeting")
    )
    return [room for room in candidates if opening(room).state(now) == "open"]


def poll_presences(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Asks the server who is in each room open now and keeps who of the session joined
    (joined or not, nothing else). Returns (rooms asked, rooms that failed)."""
    rooms, failed = rooms_open_now(now or timezone.now()), 0
    for room in rooms:
        try:
            is_running(room)
        except BBBError:
            failed += 1
    return len(rooms), failed


def room_from_end_callback(token: str) -> Room:
    try:
        pk = signing.loads(token, salt=END_CALLBACK_SALT)
    except signing.BadSignature:
        raise PermissionDenied from None
    return Room.objects.select_related("session__departement", "meeting").get(pk=pk)


def meeting_ended(*, room: Room) -> None:
    """BigBlueButton says the meeting ended: a last look at who was in it (a server that keeps
    the meeting a moment after its end still lists them; otherwise the presences noted while it
    ran stand)."""
    if room.session.is_read_only:
        return  # closed or archived: its attendance is settled, no presence is written
    refresh_presences(room)


class SessionArchived(Exception):
    """A recording called back for a room of an archived session: not listed (the view answers
    410, which tells BigBlueButton not to call again)."""


# Recordings --------------------------------------------------------------------------------


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_jwt(token: str, secret: str) -> dict:
    """The payload of an HS256 JWT signed with `secret`; PermissionDenied otherwise."""
    try:
        head, body, signature = token.split(".")
        header = json.loads(_b64(head))
        expected = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        if header.get("alg") != "HS256" or not hmac.compare_digest(expected, _b64(signature)):
            raise PermissionDenied
        payload = json.loads(_b64(body))
    except (ValueError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise PermissionDenied from None
    if not isinstance(payload, dict):
        raise PermissionDenied
    # BigBlueButton's recording-ready token carries no expiry; one that does is refused once
    # expired (a replayed callback then changes nothing, though it would only list it again).
    expiry = payload.get("exp")
    if expiry is not None and (
        not isinstance(expiry, int | float) or expiry < timezone.now().timestamp()
    ):
        raise PermissionDenied
    return payload


def _unverified_payload(token: str) -> dict:
    try:
        payload = json.loads(_b64(token.split(".")[1]))
    except (ValueError, IndexError, binascii.Error, UnicodeDecodeError):
        raise PermissionDenied from None
    if not isinstance(payload, dict):
        raise PermissionDenied
    return payload


@transaction.atomic
def recording_ready(*, signed_parameters: str) -> Recording:
    """BigBlueButton's recording-ready callback: the JWT is checked with the secret of the
    server of the room it names (PermissionDenied: nothing changes), then the recording is
    listed for the session's members if the server lists it for that room's meeting and it is
    no other room's (PermissionDenied otherwise; BBBError when the server cannot be asked)."""
    claimed = _unverified_payload(signed_parameters)
    room = (
        Room.objects.select_related("session__departement")
        .filter(bbb_meeting_id=str(claimed.get("meeting_id", "")))
        .first()
    )
    client = servers.client_for(room.session) if room else None
    if client is None:
        raise PermissionDenied
    payload = verified_jwt(signed_parameters, client.secret)
    record_id = str(payload.get("record_id", ""))[:128]
    if payload.get("meeting_id") != room.bbb_meeting_id or not record_id:
        raise PermissionDenied
    # A closed session still takes the recording of a meeting it held (BigBlueButton processes
    # it after the end, and no meeting of a closed session can be joined); an archived one
    # takes nothing any more.
    if room.session.status == SessionStatus.ARCHIVED:
        logger.warning("Recording-ready callback refused: the session is archived")
        raise SessionArchived
    # Listed only if the room's server lists it for the room's meeting (BBBError: the server
    # could not be asked; the view answers 503 and BigBlueButton calls again).
    found = {r["record_id"]: r for r in client.get_recordings(room.bbb_meeting_id)}
    if record_id not in found:
        logger.warning("Recording-ready callback refused: the server lists no such recording")
        raise PermissionDenied
    existing = Recording.objects.select_for_update().filter(record_id=record_id).first()
    if existing is not None and existing.room_id != room.pk:
        logger.warning(
            "Recording-ready callback refused: recording %s belongs to room %s, not room %s",
            record_id,
            existing.room_id,
            room.pk,
        )
        raise PermissionDenied
    url = found[record_id]["url"]
    recording, _created = Recording.objects.update_or_create(
        record_id=record_id, room=room, defaults={"url": url} if url else {}
    )
    return recording


@transaction.atomic
def delete_recording(*, recording: Recording, by) -> None:
    room = recording.room
    _require_writable_by_trainer(room, by)
    client = servers.client_for(room.session)
    if client is not None:
        try:
            client.delete_recordings(recording.record_id)
        except BBBError as error:
            if error.key != "notFound":  # already gone from the server: forget it here too
                raise
    recording.delete()


# Attendance --------------------------------------------------------------------------------


def attendance_prefill(*, meeting: Meeting) -> dict[int, str]:
    """For the roll call of a meeting « à distance »: « présent » for each participant who
    joined its virtual class, « absent » for the others; empty when nobody joined it (a class
    held elsewhere). Only joined or not: BigBlueButton's times are never read."""
    room = Room.objects.filter(meeting=meeting).select_related("session__departement").first()
    if room is None or room.session.is_read_only:  # closed or archived: no prefill
        return {}
    if opening(room).state(timezone.now()) == "open":  # the server is asked only then
        refresh_presences(room)
    joined = set(room.presences.values_list("user_id", flat=True))
    if not joined:
        return {}
    enrolments = Enrolment.objects.filter(
        session_id=meeting.session_id, status=EnrolmentStatus.ENROLLED
    ).values_list("pk", "user_id")
    return {pk: ("present" if user_id in joined else "absent") for pk, user_id in enrolments}
