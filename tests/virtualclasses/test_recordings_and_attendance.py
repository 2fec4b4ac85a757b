"""Recordings (the signed callback, the list, deletion), the meeting-end callback, the
attendance prefilled from who joined, the room's settings, and closed sessions."""

import base64
import datetime
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation

from preau.parcours.models import Activity
from preau.training.models import Attendance, SessionStatus
from preau.virtualclasses import services
from preau.virtualclasses.models import Recording, Room, RoomPresence
from preau.virtualclasses.standin import jwt_hs256

from .conftest import SECRET, _enter, _join

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _recorded_meeting(client, standin, vc):
    """The trainer allows recording, the class is held and ends: a recording is processing."""
    services.update_room(room=vc["room"], by=vc["trainer"], recording_allowed=True)
    _enter(_join(client, vc["trainer"], vc["room"])["Location"])
    services.servers.client_for(vc["session"]).end(vc["room"].bbb_meeting_id)
    return next(iter(standin.recordings))


def _callback(client, token):
    return client.post(reverse("virtualclasses:recording_callback"), {"signed_parameters": token})


def test_recording_ready_with_a_valid_token_lists_it_for_members(client, standin, vc):
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    client.logout()
    token = jwt_hs256({"meeting_id": vc["room"].bbb_meeting_id, "record_id": record_id}, SECRET)
    assert _callback(client, token).status_code == 200
    recording = Recording.objects.get()
    assert recording.record_id == record_id and recording.url.startswith(standin.base_url)
    client.force_login(vc["teacher"])
    page = client.get(reverse("virtualclasses:room", args=[vc["room"].pk])).content.decode()
    assert recording.url in page
    session_page = client.get(reverse("virtualclasses:session", args=[vc["session"].pk]))
    assert recording.url in session_page.content.decode()
    client.force_login(vc["outsider"])
    assert client.get(reverse("virtualclasses:session", args=[vc["session"].pk])).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "a.b.c",
        jwt_hs256({"meeting_id": "MEETING", "record_id": "r1"}, "not-the-secret"),
        jwt_hs256({"meeting_id": "another-room", "record_id": "r1"}, SECRET),
    ],
)  # fmt: skip
def test_a_recording_callback_with_a_bad_signature_is_refused_and_changes_nothing(
    client, standin, vc, token
):
    token = token.replace("MEETING", vc["room"].bbb_meeting_id)
    assert _callback(client, token).status_code == 403
    assert not Recording.objects.exists()


def _signed(header: dict, payload: dict, secret: str) -> str:
    """A token whose signature is HMAC-SHA256 with the right secret over this header: only what
    the header says differs from a good token."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


def test_a_token_signed_right_but_naming_another_algorithm_is_refused(client, standin, vc):
    """The signature is right (HMAC-SHA256, the server's secret): only `alg` is wrong, so the
    algorithm check is what refuses. The same token saying HS256 is taken."""
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    claims = {"meeting_id": vc["room"].bbb_meeting_id, "record_id": record_id}
    for alg in ("none", "HS512", "hs256", None):
        header = {"typ": "JWT"} if alg is None else {"alg": alg, "typ": "JWT"}
        assert _callback(client, _signed(header, claims, SECRET)).status_code == 403, alg
        assert not Recording.objects.exists(), alg
    assert (
        _callback(client, _signed({"alg": "HS256", "typ": "JWT"}, claims, SECRET)).status_code
        == 200
    )
    assert Recording.objects.filter(record_id=record_id).exists()


def test_a_tampered_payload_is_refused(client, standin, vc):
    good = jwt_hs256({"meeting_id": vc["room"].bbb_meeting_id, "record_id": "r1"}, SECRET)
    head, _body, signature = good.split(".")
    other = jwt_hs256({"meeting_id": vc["room"].bbb_meeting_id, "record_id": "r2"}, SECRET)
    assert _callback(client, f"{head}.{other.split('.')[1]}.{signature}").status_code == 403
    assert not Recording.objects.exists()


def test_an_expired_token_is_refused_and_one_still_valid_is_taken(client, standin, vc):
    """BigBlueButton's token carries no expiry; one that carries `exp` is taken until then."""
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    claims = {"meeting_id": vc["room"].bbb_meeting_id, "record_id": record_id}
    now = datetime.datetime.now(datetime.UTC).timestamp()

    expired = _callback(client, jwt_hs256({**claims, "exp": int(now) - 60}, SECRET))
    assert expired.status_code == 403 and not Recording.objects.exists()
    odd = _callback(client, jwt_hs256({**claims, "exp": "tomorrow"}, SECRET))
    assert odd.status_code == 403 and not Recording.objects.exists()
    valid = _callback(client, jwt_hs256({**claims, "exp": int(now) + 3600}, SECRET))
    assert valid.status_code == 200 and Recording.objects.filter(record_id=record_id).exists()


def _other_room(vc) -> Room:
    from tests import factories

    return services.ensure_meeting_room(
        meeting=factories.MeetingFactory(session=vc["session"], virtual=True)
    )


def test_a_callback_naming_another_room_does_not_move_its_recording(client, standin, vc):
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    room, other = vc["room"], _other_room(vc)
    mine = {"meeting_id": room.bbb_meeting_id, "record_id": record_id}
    assert _callback(client, jwt_hs256(mine, SECRET)).status_code == 200
    # Signed by the same server, for another room: that room's meeting has no such recording.
    theirs = {"meeting_id": other.bbb_meeting_id, "record_id": record_id}
    assert _callback(client, jwt_hs256(theirs, SECRET)).status_code == 403
    assert Recording.objects.get(record_id=record_id).room == room


def test_a_recording_of_another_room_is_refused_and_logged_even_if_the_server_lists_it(
    client, standin, vc, caplog
):
    """Should the server list it for the other room's meeting too (a server's fault), the
    recording stays with the room it was listed for, and the refusal is logged."""
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    room, other = vc["room"], _other_room(vc)
    assert (
        _callback(
            client, jwt_hs256({"meeting_id": room.bbb_meeting_id, "record_id": record_id}, SECRET)
        ).status_code
        == 200
    )
    standin.recordings[record_id].meeting_id = other.bbb_meeting_id
    theirs = {"meeting_id": other.bbb_meeting_id, "record_id": record_id}
    assert _callback(client, jwt_hs256(theirs, SECRET)).status_code == 403
    assert Recording.objects.get(record_id=record_id).room == room
    assert f"recording {record_id} belongs to room {room.pk}" in caplog.text


def test_only_a_recording_the_server_lists_for_the_room_is_listed(
    client, standin, vc, settings, closed_port_url
):
    record_id = _recorded_meeting(client, standin, vc)  # still processing: not listed yet
    claims = {"meeting_id": vc["room"].bbb_meeting_id, "record_id": record_id}
    assert _callback(client, jwt_hs256(claims, SECRET)).status_code == 403
    unknown = {**claims, "record_id": "made-up-recording"}
    assert _callback(client, jwt_hs256(unknown, SECRET)).status_code == 403
    assert not Recording.objects.exists()
    standin.recordings[record_id].published = True
    settings.PREAU_BBB_URL = closed_port_url  # the server cannot be asked: try again later
    assert _callback(client, jwt_hs256(claims, SECRET)).status_code == 503
    assert not Recording.objects.exists()


def test_trainers_delete_recordings_after_confirming(client, standin, vc):
    record_id = _recorded_meeting(client, standin, vc)
    recording = Recording.objects.create(room=vc["room"], record_id=record_id)
    url = reverse("virtualclasses:recording_delete", args=[recording.pk])
    for who in ("tutor", "teacher"):
        client.force_login(vc[who])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    client.force_login(vc["outsider"])
    assert client.post(url).status_code == 404
    client.force_login(vc["trainer"])
    assert "définitivement" in client.get(url).content.decode()
    assert Recording.objects.exists()
    assert client.post(url).status_code == 302
    assert not Recording.objects.exists()
    assert record_id not in standin.recordings


def test_closed_sessions_refuse_settings_deletion_and_joining(client, standin, vc):
    recording = Recording.objects.create(room=vc["room"], record_id="r1")
    session = vc["session"]
    session.status = SessionStatus.CLOSED
    session.save()
    room = Room.objects.get(pk=vc["room"].pk)
    with pytest.raises(ValidationError):
        services.update_room(room=room, by=vc["trainer"], welcome="Bonjour")
    with pytest.raises(ValidationError):
        services.delete_recording(recording=recording, by=vc["trainer"])
    with pytest.raises(ValidationError):
        services.join_url(room=room, user=vc["trainer"])
    session.status = SessionStatus.ARCHIVED
    session.save()
    with pytest.raises(ValidationError):
        services.update_room(room=Room.objects.get(pk=room.pk), by=vc["trainer"], welcome="x")
    client.force_login(vc["teacher"])
    page = client.get(reverse("virtualclasses:room", args=[room.pk])).content.decode()
    assert "sa classe virtuelle est fermée" in page
    assert Recording.objects.filter(pk=recording.pk).exists()
    assert "create" not in standin.calls


def _set_status(session, status):
    session.status = status
    session.save(update_fields=["status"])


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_takes_no_presence_nor_prefills_attendance(
    client, standin, vc, status
):
    """Its attendance is settled: neither the end callback, the poll nor the roll call writes
    who was in the room, and the roll call is not prefilled."""
    room = vc["room"]
    _enter(_join(client, vc["teacher"], room)["Location"])  # in the room, nothing kept yet
    RoomPresence.objects.all().delete()
    _set_status(vc["session"], status)
    room = Room.objects.select_related("session__departement").get(pk=room.pk)
    services.meeting_ended(room=room)
    client.logout()
    end = services.end_callback_url(room).removeprefix("http://localhost:8000")
    assert client.get(end).status_code == 200
    services.is_running(room)
    assert not RoomPresence.objects.exists()
    RoomPresence.objects.create(room=room, user=vc["teacher"])  # noted while it was open
    assert services.attendance_prefill(meeting=vc["meeting"]) == {}


def test_a_recording_called_back_after_the_closing_is_kept_not_after_the_archiving(
    client, standin, vc
):
    """The recording of a meeting the session held is BigBlueButton's work after the end: a
    closed session still lists it; an archived one takes nothing (410: not called again)."""
    record_id = _recorded_meeting(client, standin, vc)
    standin.recordings[record_id].published = True
    token = jwt_hs256({"meeting_id": vc["room"].bbb_meeting_id, "record_id": record_id}, SECRET)
    _set_status(vc["session"], SessionStatus.ARCHIVED)
    assert _callback(client, token).status_code == 410
    assert not Recording.objects.exists()
    _set_status(vc["session"], SessionStatus.CLOSED)
    assert _callback(client, token).status_code == 200
    assert Recording.objects.filter(record_id=record_id, room=vc["room"]).exists()


def test_only_trainers_change_the_settings(client, standin, vc):
    url = reverse("virtualclasses:settings", args=[vc["room"].pk])
    for who, status in (("tutor", 403), ("teacher", 403), ("outsider", 404)):
        client.force_login(vc[who])
        assert client.get(url).status_code == status
    with pytest.raises(PermissionDenied):
        services.update_room(room=vc["room"], by=vc["tutor"], welcome="x")
    client.force_login(vc["trainer"])
    response = client.post(
        url, {"welcome": "Bienvenue à toutes et à tous", "audio_only": "on", "waiting_room": "on"}
    )
    assert response.status_code == 302
    room = Room.objects.get(pk=vc["room"].pk)
    assert room.audio_only and room.waiting_room and not room.recording_allowed
    assert not room.mute_on_start


def test_what_the_server_fixes_at_creation_does_not_change_while_it_holds_the_class(
    client, standin, vc, settings, closed_port_url
):
    """BigBlueButton keeps the settings a meeting was created with until it ends (a second
    create changes nothing): turning recording off meanwhile would hide the participants'
    notice while the meeting records. Refused until it ends; the welcome message may change."""
    room = vc["room"]
    services.update_room(room=room, by=vc["trainer"], recording_allowed=True)
    _join(client, vc["trainer"], room)  # created on the server, nobody in it yet
    fixed = "ne changent qu’une fois qu’elle est terminée"
    for change in (
        {"recording_allowed": False},
        {"waiting_room": True},
        {"mute_on_start": False},
        {"audio_only": True},
    ):
        with pytest.raises(ValidationError, match=fixed):
            services.update_room(room=Room.objects.get(pk=room.pk), by=vc["trainer"], **change)
    _enter(_join(client, vc["trainer"], room)["Location"])  # running
    with pytest.raises(ValidationError, match=fixed):
        services.update_room(
            room=Room.objects.get(pk=room.pk), by=vc["trainer"], recording_allowed=False
        )
    services.update_room(room=Room.objects.get(pk=room.pk), by=vc["trainer"], welcome="Bonjour")
    client.force_login(vc["trainer"])
    page = client.post(
        reverse("virtualclasses:settings", args=[room.pk]),
        {"welcome": "Bonjour", "mute_on_start": "on"},
    )
    assert page.status_code == 200 and fixed in page.content.decode()
    client.force_login(vc["teacher"])
    page = client.get(reverse("virtualclasses:room", args=[room.pk])).content.decode()
    assert "peut être enregistrée" in page  # the notice stays while it records
    services.servers.client_for(vc["session"]).end(room.bbb_meeting_id)
    services.update_room(
        room=Room.objects.get(pk=room.pk), by=vc["trainer"], recording_allowed=False
    )
    assert not Room.objects.get(pk=room.pk).recording_allowed
    settings.PREAU_BBB_URL = closed_port_url  # cannot tell whether it is held: refused
    with pytest.raises(ValidationError, match="ne répond pas"):
        services.update_room(room=Room.objects.get(pk=room.pk), by=vc["trainer"], waiting_room=True)


def test_audioconference_shows_the_dial_in_number_and_pin(client, standin, vc):
    services.update_room(room=vc["room"], by=vc["trainer"], audio_only=True)
    _enter(_join(client, vc["trainer"], vc["room"])["Location"])
    room = Room.objects.get(pk=vc["room"].pk)
    assert room.voice_bridge.isdigit() and room.dial_number
    params = standin.meetings[room.bbb_meeting_id].params
    assert params["lockSettingsDisableCam"] == "true"
    client.force_login(vc["teacher"])
    page = client.get(reverse("virtualclasses:room", args=[room.pk])).content.decode()
    assert "Audioconférence" in page
    assert f"tapez le code {room.voice_bridge}" in page


def test_participants_are_told_before_joining_that_the_class_may_be_recorded(client, standin, vc):
    url = reverse("virtualclasses:room", args=[vc["room"].pk])
    client.force_login(vc["teacher"])
    assert "peut être enregistrée" not in client.get(url).content.decode()
    services.update_room(room=vc["room"], by=vc["trainer"], recording_allowed=True)
    assert "peut être enregistrée" in client.get(url).content.decode()
    _join(client, vc["teacher"], vc["room"])
    assert standin.meetings[vc["room"].bbb_meeting_id].params["record"] == "true"


def test_the_waiting_room_makes_participants_guests(client, standin, vc):
    services.update_room(room=vc["room"], by=vc["trainer"], waiting_room=True)
    assert "guest=true" in _join(client, vc["teacher"], vc["room"])["Location"]
    assert "guest=" not in _join(client, vc["trainer"], vc["room"])["Location"]
    assert standin.meetings[vc["room"].bbb_meeting_id].params["guestPolicy"] == "ASK_MODERATOR"


def test_attendance_is_prefilled_from_who_joined_and_confirmed_by_the_trainer(client, standin, vc):
    meeting = vc["meeting"]
    _enter(_join(client, vc["trainer"], vc["room"])["Location"])
    _enter(_join(client, vc["teacher"], vc["room"])["Location"])
    client.force_login(vc["trainer"])
    url = reverse("training:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    camille = meeting.session.enrolments.get(user=vc["teacher"])
    dominique = meeting.session.enrolments.get(user=vc["classmate"])
    assert "Prérempli d’après la classe virtuelle" in page
    assert (
        f'id="status-{camille.pk}-present"\n                   name="status-{camille.pk}"' in page
        or (_checked(page, camille.pk, "present"))
    )
    assert _checked(page, camille.pk, "present") and _checked(page, dominique.pk, "absent")
    assert not Attendance.objects.exists()  # nothing is recorded before the trainer confirms
    assert set(RoomPresence.objects.values_list("user_id", flat=True)) == {
        vc["trainer"].pk,
        vc["teacher"].pk,
    }
    response = client.post(
        url, {f"status-{camille.pk}": "present", f"status-{dominique.pk}": "absent"}
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        camille.pk: "present",
        dominique.pk: "absent",
    }
    assert "Prérempli" not in client.get(url).content.decode()


def _checked(page: str, pk: int, status: str) -> bool:
    start = page.index(f'id="status-{pk}-{status}"')
    return "checked" in page[start : page.index(">", start)]


def test_no_prefill_when_nobody_joined_the_virtual_class(client, standin, vc):
    client.force_login(vc["trainer"])
    page = client.get(reverse("training:attendance", args=[vc["meeting"].pk])).content.decode()
    assert "Prérempli" not in page and "checked" not in page


def test_the_end_callback_keeps_who_was_there_and_refuses_a_forged_token(client, standin, vc):
    url = services.end_callback_url(vc["room"]).removeprefix("http://localhost:8000")
    client.logout()
    assert client.get(url).status_code == 200
    forged = reverse("virtualclasses:end_callback", args=["forged:token"])
    assert client.get(forged).status_code == 403


def test_an_activity_of_the_sessions_content_has_its_own_room_and_schedule(client, standin, vc):
    session = vc["session"]
    section = session.content.sections.first()
    if section is None:
        from tests import factories

        section = factories.SectionFactory(parcours=session.content)
    activity = Activity.objects.create(
        section=section, kind="virtual_class", title="Échanges sur les rituels"
    )
    client.force_login(vc["teacher"])
    own_page = client.get(reverse("training:participant_session", args=[session.pk]))
    assert reverse("virtualclasses:activity", args=[activity.pk]) in own_page.content.decode()
    response = client.get(reverse("virtualclasses:activity", args=[activity.pk]))
    room = Room.objects.get(activity=activity)
    assert response["Location"] == reverse("virtualclasses:room", args=[room.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.update_room(
        room=room,
        by=vc["trainer"],
        date=tomorrow,
        start_time=datetime.time(17, 0),
        end_time=datetime.time(18, 0),
    )
    page = client.get(response["Location"]).content.decode()
    with translation.override("fr"):
        long_day = formats.date_format(tomorrow, "l j F Y")
    assert f"La salle ouvre le {long_day} à 16:45" in page
    client.force_login(vc["outsider"])
    assert client.get(reverse("virtualclasses:activity", args=[activity.pk])).status_code == 404


def test_a_closed_session_opens_no_new_room(client, standin, vc):
    from tests import factories

    session = vc["session"]
    later = factories.MeetingFactory(session=session, virtual=True)
    session.status = SessionStatus.ARCHIVED
    session.save()
    with pytest.raises(ValidationError):
        services.ensure_meeting_room(meeting=later)
    assert services.ensure_meeting_room(meeting=vc["meeting"]) == vc["room"]  # still there
    client.force_login(vc["teacher"])
    response = client.get(reverse("virtualclasses:meeting", args=[later.pk]))
    assert response["Location"] == reverse("virtualclasses:session", args=[session.pk])
    assert not Room.objects.filter(meeting=later).exists()


def test_the_poll_notes_who_joined_the_rooms_open_now(standin, vc):
    from django.core.management import call_command

    from preau.virtualclasses.client import BBBClient

    client = BBBClient(standin.api_url, SECRET)
    room = vc["room"]
    client.create(room.bbb_meeting_id, "Classe")
    _enter(
        client.join_url(
            room.bbb_meeting_id, "Camille", role="VIEWER", user_id=f"preau-{vc['teacher'].pk}"
        )
    )
    _enter(
        client.join_url(
            room.bbb_meeting_id, "Intrus", role="VIEWER", user_id=f"preau-{vc['outsider'].pk}"
        )
    )
    call_command("poll_virtual_classes", verbosity=0)
    # Only the people of the session are kept; the other session's participant is not.
    assert list(RoomPresence.objects.values_list("user_id", flat=True)) == [vc["teacher"].pk]
    meeting = vc["meeting"]
    meeting.date -= datetime.timedelta(days=1)  # a room not open now is not asked
    meeting.save()
    calls = standin.calls.count("getMeetingInfo")
    assert services.poll_presences() == (0, 0)
    assert standin.calls.count("getMeetingInfo") == calls


@pytest.mark.parametrize("odd", ["preau-²", "preau-٣", "preau-99999999999", "preau-", "autre-7"])
def test_a_user_id_that_names_nobody_in_the_servers_answer_is_ignored(standin, vc, odd):
    """The server's list of attendees is outside input: « preau-² » passes `str.isdigit()`
    but not `int()`, and a number beyond the integer range overflows the database."""
    from preau.virtualclasses.client import BBBClient

    client = BBBClient(standin.api_url, SECRET)
    room = vc["room"]
    client.create(room.bbb_meeting_id, "Classe")
    for user_id in (f"preau-{vc['teacher'].pk}", odd):
        _enter(client.join_url(room.bbb_meeting_id, "Quelqu’un", role="VIEWER", user_id=user_id))
    assert services.is_running(room)
    assert list(RoomPresence.objects.values_list("user_id", flat=True)) == [vc["teacher"].pk]
