"""The stand-in behaves as the documented BigBlueButton does (../shared/bbb.md)."""

import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from preau.virtualclasses.client import BBBClient, BBBError
from preau.virtualclasses.standin import jwt_hs256

from .conftest import SECRET


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _follow_join(url: str) -> str:
    """Opens a join URL, returns the room page the 302 leads to."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(url)
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
        redirect.close()
        assert redirect.code == 302
    with urllib.request.urlopen(location) as page:
        return page.read().decode()


@pytest.fixture
def receiver():
    """Records the callbacks the stand-in sends."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(("GET", self.path, ""))
            self.send_response(200)
            self.end_headers()

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append(("POST", self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def test_every_api_answer_is_http_200_even_when_failed(standin):
    url = BBBClient(standin.api_url, "wrong").url("getMeetingInfo", {"meetingID": "x"})
    with urllib.request.urlopen(url) as answer:
        assert answer.status == 200
        assert b"<messageKey>checksumError</messageKey>" in answer.read()


def test_a_checksum_over_other_parameters_is_refused(standin):
    url = BBBClient(standin.api_url, SECRET).url("getMeetingInfo", {"meetingID": "x"})
    tampered = url.replace("meetingID=x", "meetingID=y")
    with urllib.request.urlopen(tampered) as answer:
        assert b"checksumError" in answer.read()


def test_join_leads_to_a_demonstration_room_showing_who_is_in(standin):
    client = BBBClient(standin.api_url, SECRET)
    client.create("salle", "Maths au cycle 2")
    _follow_join(client.join_url("salle", "Paul Formateur", role="MODERATOR", user_id="p1"))
    page = _follow_join(client.join_url("salle", "Anne Martin", role="viewer", user_id="p2"))
    assert "Salle de démonstration" in page
    assert "Paul Formateur (modérateur)" in page and "Anne Martin (participant)" in page


def test_join_of_an_unknown_meeting_is_not_found(standin):
    url = BBBClient(standin.api_url, SECRET).join_url("nulle", "A", role="VIEWER", user_id="1")
    with urllib.request.urlopen(url) as answer:
        assert b"<messageKey>notFound</messageKey>" in answer.read()


def test_a_meeting_nobody_joins_expires_after_five_minutes(standin, standin_clock):
    client = BBBClient(standin.api_url, SECRET)
    client.create("salle", "Classe")
    standin_clock.advance(4.9)
    client.get_meeting_info("salle")
    standin_clock.advance(0.2)
    with pytest.raises(BBBError) as error:
        client.get_meeting_info("salle")
    assert error.value.key == "notFound"


def test_a_meeting_left_empty_expires_after_a_minute(standin, standin_clock):
    client = BBBClient(standin.api_url, SECRET)
    client.create("salle", "Classe")
    _follow_join(client.join_url("salle", "Anne", role="VIEWER", user_id="p2"))
    token = next(iter(standin.meetings["salle"].attendees))
    standin_clock.advance(30)  # someone in the room: no expiry
    assert client.is_meeting_running("salle")
    request = urllib.request.Request(f"{standin.base_url}/salle/{token}/quitter", data=b"")
    with pytest.raises(urllib.error.HTTPError) as left:
        urllib.request.build_opener(_NoRedirect).open(request)
    left.value.close()
    assert left.value.code == 303
    assert not client.is_meeting_running("salle")
    standin_clock.advance(1)
    with pytest.raises(BBBError):
        client.get_meeting_info("salle")


def test_end_calls_back_and_a_recording_becomes_ready_with_a_signed_token(standin, receiver):
    base, received = receiver
    client = BBBClient(standin.api_url, SECRET)
    client.create(
        "salle",
        "Classe",
        record=True,
        **{
            "meta_endCallbackUrl": f"{base}/fin?salle=1",
            "meta_bbb-recording-ready-url": f"{base}/enregistrement",
        },
    )
    _follow_join(client.join_url("salle", "Anne", role="VIEWER", user_id="p2"))
    assert client.end("salle").message_key == "sentEndMeetingRequest"
    assert received[0][:2] == ("GET", "/fin?salle=1&meetingID=salle&recordingmarks=true")
    assert client.get_recordings("salle") == []  # still processing
    record_id = next(iter(standin.recordings))
    standin.recording_ready(record_id)
    method, path, body = received[1]
    token = urllib.parse.parse_qs(body)["signed_parameters"][0]
    assert (method, path) == ("POST", "/enregistrement")
    assert token == jwt_hs256({"meeting_id": "salle", "record_id": record_id}, SECRET)
    (recording,) = client.get_recordings("salle")
    assert recording["record_id"] == record_id and recording["url"]
    assert client.delete_recordings(record_id)
    assert client.get_recordings("salle") == []


def test_backoffice_lets_a_phone_caller_in(standin):
    client = BBBClient(standin.api_url, SECRET)
    client.create("salle", "Classe")
    form = urllib.parse.urlencode(
        {"action": "attendee", "meeting": "salle", "name": "Téléphone", "phone": "1"}
    ).encode()
    with urllib.request.urlopen(f"{standin.base_url}/backoffice/", data=form) as page:
        assert "Téléphone" in page.read().decode()
    info = client.get_meeting_info("salle")
    assert info.text("voiceParticipantCount") == "1"
    assert info.text("running") == "true"
