"""A local stand-in of BigBlueButton's API, for the tests and the demo (docs/virtual-classes.md).

Not a mock: it behaves as the documented server does (../shared/bbb.md). Every answer of the API
is HTTP 200 with XML `returncode`/`messageKey`; the checksum is verified over the raw query
(SHA-1, 256, 384 or 512, told by its length); `create` is idempotent (`duplicateWarning`) and
refuses another meeting's passwords (`idNotUnique`); `join` answers a 302 to a page « salle de
démonstration » that shows who is in the room; a meeting nobody joined expires after
`meetingExpireIfNoUserJoinedInMinutes` (5), one left empty after
`meetingExpireWhenLastUserLeftInMinutes` (1), on an injectable clock; the end and
recording-ready callbacks are sent (the latter with an HS256 JWT signed by the shared secret).
A back-office (/backoffice/) adds attendees and phone callers and makes recordings ready.

Standard library only: `python -m preau.virtualclasses.standin --port 8090 --secret …`
(bin/bbb-standin), or `StandIn(secret).serve_in_thread()` in the tests.
"""

import argparse
import base64
import hashlib
import hmac
import html
import json
import random
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

ALGORITHMS = {40: hashlib.sha1, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
DIAL_NUMBER = "+33 1 84 88 00 00"
ROLE_NAMES = {"MODERATOR": "modérateur", "VIEWER": "participant"}


def jwt_hs256(payload: dict, secret: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


@dataclass
class Attendee:
    user_id: str
    full_name: str
    role: str
    phone: bool = False


@dataclass
class Meeting:
    meeting_id: str
    name: str
    internal_id: str
    params: dict
    create_time: int
    voice_bridge: str
    created_at: float
    attendees: dict = field(default_factory=dict)  # session token -> Attendee
    joined_once: bool = False
    empty_since: float | None = None

    @property
    def running(self) -> bool:
        return self.joined_once and bool(self.attendees)


@dataclass
class StandInRecording:
    record_id: str
    meeting_id: str
    name: str
    ready_url: str
    published: bool = False


class StandIn:
    def __init__(self, secret: str, clock=time.monotonic, callbacks_in_thread=True):
        self.secret = secret
        self.clock = clock
        self.callbacks_in_thread = callbacks_in_thread
        self.meetings: dict[str, Meeting] = {}
        self.recordings: dict[str, StandInRecording] = {}
        self.calls: list[str] = []  # the API calls received, by name (tests read them)
        self.callbacks: list[tuple[str, str]] = []  # (url, outcome) of the callbacks sent
        self.outbox: list[tuple[str, dict | None]] = []  # callbacks to send, once unlocked
        self.base_url = ""
        self.lock = threading.RLock()

    # Serving ---------------------------------------------------------------------------------

    def serve_in_thread(self, host="127.0.0.1", port=0):
        server = make_server(host, port, self, server_class=_Server, handler_class=_QuietHandler)
        self.base_url = f"http://{host}:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return server

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/bigbluebutton/api"

    def __call__(self, environ, start_response):
        if not self.base_url:
            self.base_url = f"http://{environ['HTTP_HOST']}"
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self.lock:
            self.expire()
            if path.startswith("/bigbluebutton/api/"):
                status, headers, body = self.api(path.removeprefix("/bigbluebutton/api/"), query)
            elif path.startswith("/salle/"):
                status, headers, body = self.room_page(environ, path.removeprefix("/salle/"))
            elif path.startswith("/backoffice"):
                status, headers, body = self.backoffice(environ)
            elif path == "/bigbluebutton/api":
                status, headers, body = self.xml("SUCCESS", extra="<version>3.0</version>")
            else:
                status, headers, body = "404 Not Found", [("Content-Type", "text/plain")], b""
        # Outside the lock: Préau, called back, may call the stand-in in turn.
        self.flush()
        start_response(status, headers)
        return [body]

    # The API ---------------------------------------------------------------------------------

    def xml(self, code, key="", message="", extra=""):
        parts = [f"<returncode>{code}</returncode>", extra]
        if key:
            parts.append(f"<messageKey>{key}</messageKey><message>{escape(message)}</message>")
        body = f"<response>{''.join(parts)}</response>".encode()
        return "200 OK", [("Content-Type", "text/xml; charset=utf-8")], body

    def failed(self, key, message):
        return self.xml("FAILED", key, message)

    def checksum_ok(self, call: str, query: str) -> bool:
        raw, _, checksum = query.rpartition("checksum=")
        if not checksum or (raw and not raw.endswith("&")):
            return False
        raw = raw.removesuffix("&")
        algorithm = ALGORITHMS.get(len(checksum))
        if algorithm is None or "&" in checksum:
            return False
        expected = algorithm(f"{call}{raw}{self.secret}".encode()).hexdigest()
        return hmac.compare_digest(expected, checksum.lower())

    def api(self, call: str, query: str):
        self.calls.append(call)
        if not self.checksum_ok(call, query):
            return self.failed("checksumError", "You did not pass the checksum security check")
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        handler = getattr(self, "api_" + call, None)
        if handler is None:
            return self.failed("unsupportedRequest", "This request is not supported.")
        return handler(params)

    def api_create(self, p):
        meeting_id, name = p.get("meetingID", ""), p.get("name", "")
        if not (2 <= len(meeting_id) <= 256) or "," in meeting_id or not name:
            return self.failed("validationError", "You must provide a valid name and meetingID.")
        passwords = {k: p[k] for k in ("attendeePW", "moderatorPW") if k in p}
        existing = self.meetings.get(meeting_id)
        if existing:
            if any(existing.params.get(k) != v for k, v in passwords.items()):
                return self.failed("idNotUnique", "A meeting already exists with that meeting ID.")
            return self.xml(
                "SUCCESS",
                "duplicateWarning",
                "This conference was already in existence and may currently be in progress.",
                self.meeting_xml(existing),
            )
        bridge = p.get("voiceBridge") or self.free_voice_bridge()
        if any(m.voice_bridge == bridge for m in self.meetings.values()):
            return self.failed("nonUniqueVoiceBridge", "The selected voice bridge is in use.")
        create_ms = int(time.time() * 1000)
        meeting = Meeting(
            meeting_id=meeting_id,
            name=name,
            internal_id=f"{hashlib.sha1(meeting_id.encode()).hexdigest()}-{create_ms}",
            params={"attendeePW": secrets.token_hex(4), "moderatorPW": secrets.token_hex(4), **p},
            create_time=create_ms,
            voice_bridge=bridge,
            created_at=self.clock(),
        )
        self.meetings[meeting_id] = meeting
        return self.xml("SUCCESS", extra=self.meeting_xml(meeting))

    def free_voice_bridge(self) -> str:
        taken = {m.voice_bridge for m in self.meetings.values()}
        while (bridge := f"{random.randint(10000, 99999)}") in taken:
            pass
        return bridge

    def meeting_xml(self, m: Meeting, attendees=False) -> str:
        parts = [
            f"<meetingName>{escape(m.name)}</meetingName>",
            f"<meetingID>{escape(m.meeting_id)}</meetingID>",
            f"<internalMeetingID>{m.internal_id}</internalMeetingID>",
            f"<createTime>{m.create_time}</createTime>",
            f"<voiceBridge>{m.voice_bridge}</voiceBridge>",
            f"<dialNumber>{escape(m.params.get('dialNumber', DIAL_NUMBER))}</dialNumber>",
            f"<attendeePW>{m.params['attendeePW']}</attendeePW>",
            f"<moderatorPW>{m.params['moderatorPW']}</moderatorPW>",
            f"<running>{str(m.running).lower()}</running>",
            f"<hasUserJoined>{str(m.joined_once).lower()}</hasUserJoined>",
            "<hasBeenForciblyEnded>false</hasBeenForciblyEnded>",
        ]
        if attendees:
            people = list(m.attendees.values())
            parts += [
                f"<participantCount>{len(people)}</participantCount>",
                f"<voiceParticipantCount>{sum(a.phone for a in people)}</voiceParticipantCount>",
                f"<moderatorCount>{sum(a.role == 'MODERATOR' for a in people)}</moderatorCount>",
                "<attendees>",
                *(
                    f"<attendee><userID>{escape(a.user_id)}</userID>"
                    f"<fullName>{escape(a.full_name)}</fullName><role>{a.role}</role>"
                    f"<isListeningOnly>false</isListeningOnly>"
                    f"<hasJoinedVoice>{str(a.phone).lower()}</hasJoinedVoice>"
                    f"<clientType>{'dial-in-user' if a.phone else 'HTML5'}</clientType>"
                    "</attendee>"
                    for a in people
                ),
                "</attendees>",
            ]
        return "".join(parts)

    def api_join(self, p):
        meeting = self.meetings.get(p.get("meetingID", ""))
        role = p.get("role", "").upper()
        if role not in ("MODERATOR", "VIEWER"):
            password = p.get("password")
            role = {
                meeting.params["moderatorPW"] if meeting else None: "MODERATOR",
                meeting.params["attendeePW"] if meeting else None: "VIEWER",
            }.get(password, "")
        redirect = p.get("errorRedirectUrl") or (meeting.params.get("logoutURL") if meeting else "")
        if meeting is None or not p.get("fullName") or not role:
            key, message = (
                ("notFound", "We could not find a meeting with that meeting ID")
                if meeting is None
                else ("invalidPassword", "You either did not supply a password or it is wrong")
            )
            if redirect:
                errors = json.dumps([{"key": key, "message": message}])
                location = f"{redirect}?{urllib.parse.urlencode({'errors': errors})}"
                return "302 Found", [("Location", location)], b""
            return self.failed(key, message)
        token = secrets.token_hex(8)
        user_id = p.get("userID") or f"w_{secrets.token_hex(4)}"
        meeting.attendees[token] = Attendee(user_id, p["fullName"], role)
        meeting.joined_once = True
        meeting.empty_since = None
        return "302 Found", [("Location", f"{self.base_url}/salle/{token}")], b""

    def api_isMeetingRunning(self, p):
        if "meetingID" not in p:
            return self.failed("missingParamMeetingID", "You must specify a meeting ID.")
        meeting = self.meetings.get(p["meetingID"])
        running = bool(meeting and meeting.running)
        return self.xml("SUCCESS", extra=f"<running>{str(running).lower()}</running>")

    def api_getMeetingInfo(self, p):
        meeting = self.meetings.get(p.get("meetingID", ""))
        if meeting is None:
            return self.failed("notFound", "We could not find a meeting with that meeting ID")
        return self.xml("SUCCESS", extra=self.meeting_xml(meeting, attendees=True))

    def api_end(self, p):
        meeting = self.meetings.get(p.get("meetingID", ""))
        if meeting is None:
            return self.failed("notFound", "We could not find a meeting with that meeting ID")
        self.end_meeting(meeting)
        return self.xml(
            "SUCCESS", "sentEndMeetingRequest", "A request to end the meeting was sent."
        )

    def api_getRecordings(self, p):
        wanted_meetings = set(filter(None, p.get("meetingID", "").split(",")))
        wanted_records = set(filter(None, p.get("recordID", "").split(",")))
        found = [
            r
            for r in self.recordings.values()
            if (not wanted_meetings or r.meeting_id in wanted_meetings)
            and (not wanted_records or r.record_id in wanted_records)
            and r.published
        ]
        if not found:
            return self.xml(
                "SUCCESS", "noRecordings", "There are no recordings for the meeting(s).",
                "<recordings></recordings>",
            )  # fmt: skip
        items = "".join(
            f"<recording><recordID>{r.record_id}</recordID><meetingID>{escape(r.meeting_id)}"
            f"</meetingID><name>{escape(r.name)}</name><published>true</published>"
            f"<state>published</state><playback><format><type>presentation</type>"
            f"<url>{self.base_url}/salle/lecture/{r.record_id}</url></format></playback>"
            "</recording>"
            for r in found
        )
        return self.xml("SUCCESS", extra=f"<recordings>{items}</recordings>")

    def api_deleteRecordings(self, p):
        ids = [i for i in p.get("recordID", "").split(",") if i]
        if not ids:
            return self.failed("missingParamRecordID", "You must specify a recordID.")
        if not any(i in self.recordings for i in ids):
            return self.failed("notFound", "We could not find recordings")
        for i in ids:
            self.recordings.pop(i, None)
        return self.xml("SUCCESS", extra="<deleted>true</deleted>")

    # Meetings' life --------------------------------------------------------------------------

    def expire(self):
        """Ends the meetings nobody joined in time, and those left empty too long."""
        now = self.clock()
        for meeting in list(self.meetings.values()):
            if not meeting.joined_once:
                limit = float(meeting.params.get("meetingExpireIfNoUserJoinedInMinutes", 5))
                if now - meeting.created_at >= limit * 60:
                    self.end_meeting(meeting)
            elif meeting.empty_since is not None:
                limit = float(meeting.params.get("meetingExpireWhenLastUserLeftInMinutes", 1))
                if now - meeting.empty_since >= limit * 60:
                    self.end_meeting(meeting)

    def leave(self, token: str):
        for meeting in self.meetings.values():
            if meeting.attendees.pop(token, None) and not meeting.attendees:
                meeting.empty_since = self.clock()

    def end_meeting(self, meeting: Meeting):
        self.meetings.pop(meeting.meeting_id, None)
        recorded = meeting.params.get("record") == "true" and meeting.joined_once
        if recorded:
            self.recordings[meeting.internal_id] = StandInRecording(
                meeting.internal_id,
                meeting.meeting_id,
                meeting.name,
                meeting.params.get("meta_bbb-recording-ready-url", ""),
            )
        end_url = meeting.params.get("meta_endCallbackUrl")
        if end_url:
            query = urllib.parse.urlencode(
                {"meetingID": meeting.meeting_id, "recordingmarks": str(recorded).lower()}
            )
            self.send(end_url + ("&" if "?" in end_url else "?") + query)

    def make_recording_ready(self, record_id: str):
        recording = self.recordings[record_id]
        recording.published = True
        if recording.ready_url:
            token = jwt_hs256(
                {"meeting_id": recording.meeting_id, "record_id": record_id}, self.secret
            )
            self.send(recording.ready_url, {"signed_parameters": token})

    def send(self, url: str, form: dict | None = None):
        self.outbox.append((url, form))

    def flush(self):
        """Sends the callbacks waiting in the outbox (in a thread each, unless told not to)."""
        with self.lock:
            outbox, self.outbox = self.outbox, []
        for url, form in outbox:
            if self.callbacks_in_thread:
                threading.Thread(target=self._deliver, args=(url, form), daemon=True).start()
            else:
                self._deliver(url, form)

    def _deliver(self, url: str, form: dict | None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with urllib.request.urlopen(url, data=data, timeout=10) as answer:
                outcome = str(answer.status)
        except urllib.error.HTTPError as error:
            outcome = str(error.code)
        except OSError as error:
            outcome = f"error: {error}"
        self.callbacks.append((url, outcome))

    def recording_ready(self, record_id: str):
        """Back-office, for the tests: the recording is processed; BigBlueButton calls back."""
        with self.lock:
            self.make_recording_ready(record_id)
        self.flush()

    # Pages -----------------------------------------------------------------------------------

    def page(self, title: str, body: str, status="200 OK"):
        document = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto}"
            "li{margin:.3rem 0}</style></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
        )
        return status, [("Content-Type", "text/html; charset=utf-8")], document.encode()

    def room_page(self, environ, token: str):
        if token.endswith("/quitter") and environ["REQUEST_METHOD"] == "POST":
            meeting = self.meeting_of(token.removesuffix("/quitter"))
            self.leave(token.removesuffix("/quitter"))
            back = meeting.params.get("logoutURL", "/") if meeting else "/"
            return "303 See Other", [("Location", back)], b""
        meeting = self.meeting_of(token)
        if meeting is None:
            return self.page("Salle de démonstration", "<p>Cette réunion est terminée.</p>")
        me = meeting.attendees[token]
        people = "".join(
            f"<li>{html.escape(a.full_name)} ({ROLE_NAMES[a.role]}"
            f"{', au téléphone' if a.phone else ''})</li>"
            for a in meeting.attendees.values()
        )
        body = (
            "<p>Ceci n’est pas BigBlueButton : c’est le serveur de démonstration de Préau.</p>"
            f"<p>Réunion : <strong>{html.escape(meeting.name)}</strong></p>"
            f"<p>Vous êtes <strong>{html.escape(me.full_name)}</strong>, "
            f"{ROLE_NAMES[me.role]}.</p>"
            f'<h2>Dans la salle</h2><ul id="dans-la-salle">{people}</ul>'
            f'<form method="post" action="/salle/{token}/quitter">'
            '<button type="submit">Quitter la salle</button></form>'
        )
        return self.page("Salle de démonstration", body)

    def meeting_of(self, token: str) -> Meeting | None:
        return next((m for m in self.meetings.values() if token in m.attendees), None)

    def backoffice(self, environ):
        if environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode()))
            action = form.get("action")
            meeting = self.meetings.get(form.get("meeting", ""))
            if action == "attendee" and meeting:
                meeting.attendees[secrets.token_hex(8)] = Attendee(
                    form.get("user_id") or f"w_{secrets.token_hex(4)}",
                    form.get("name") or "Participant",
                    form.get("role", "VIEWER").upper(),
                    phone=form.get("phone") == "1",
                )
                meeting.joined_once, meeting.empty_since = True, None
            elif action == "end" and meeting:
                self.end_meeting(meeting)
            elif action == "ready" and form.get("record") in self.recordings:
                self.make_recording_ready(form["record"])
            elif action == "reset":
                self.meetings.clear()
                self.recordings.clear()
            return "303 See Other", [("Location", "/backoffice/")], b""
        rows = []
        for m in self.meetings.values():
            people = ", ".join(html.escape(a.full_name) for a in m.attendees.values()) or "—"
            rows.append(
                f"<li><strong>{html.escape(m.name)}</strong> "
                f"({'en cours' if m.running else 'créée'}, code {m.voice_bridge}) : {people}"
                f'<form method="post"><input type="hidden" name="meeting" '
                f'value="{html.escape(m.meeting_id)}"><input type="hidden" name="action" '
                'value="attendee"><label>Nom <input name="name"></label> <label>userID '
                '<input name="user_id"></label> <label><input type="checkbox" name="phone" '
                'value="1"> au téléphone</label> <button>Faire entrer</button></form>'
                f'<form method="post"><input type="hidden" name="meeting" '
                f'value="{html.escape(m.meeting_id)}"><button name="action" value="end">'
                "Terminer la réunion</button></form></li>"
            )
        records = "".join(
            f"<li>{html.escape(r.name)} : {'disponible' if r.published else 'en traitement'}"
            + (
                ""
                if r.published
                else '<form method="post"><input type="hidden" name="record" '
                f'value="{r.record_id}"><button name="action" value="ready">'
                "Rendre disponible</button></form>"
            )
            + "</li>"
            for r in self.recordings.values()
        )
        body = (
            f"<h2>Réunions</h2><ul>{''.join(rows) or '<li>Aucune</li>'}</ul>"
            f"<h2>Enregistrements</h2><ul>{records or '<li>Aucun</li>'}</ul>"
            f"<h2>Rappels envoyés</h2><ul>"
            + "".join(f"<li>{html.escape(u)} → {html.escape(o)}</li>" for u, o in self.callbacks)
            + "</ul>"
        )
        return self.page("Serveur de démonstration : back-office", body)


class _Server(ThreadingMixIn, WSGIServer):
    # One thread a request: a callback to Préau may call the stand-in back while it is sent.
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass  # no access log (docs/privacy.md)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Stand-in of BigBlueButton's API (demo, tests).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args(argv)
    standin = StandIn(args.secret)
    server = make_server(
        args.host, args.port, standin, server_class=_Server, handler_class=_QuietHandler
    )
    standin.base_url = f"http://{args.host}:{args.port}"
    print(f"BigBlueButton (démonstration) : {standin.api_url}  back-office : /backoffice/")
    server.serve_forever()


if __name__ == "__main__":
    main()
