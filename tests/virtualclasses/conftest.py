import datetime
import http.server
import socket
import threading
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from preau.virtualclasses import services
from preau.virtualclasses.standin import StandIn
from tests import factories

SECRET = "s3cr3t-de-test-0123456789"


class Clock:
    """The stand-in's clock, moved by hand (meetings' expiry)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, minutes: float):
        self.now += minutes * 60


@pytest.fixture
def standin_clock():
    return Clock()


@pytest.fixture
def standin(settings, standin_clock):
    """The BigBlueButton stand-in on a free loopback port; Préau's settings point at it."""
    fake = StandIn(SECRET, clock=standin_clock, callbacks_in_thread=False)
    server = fake.serve_in_thread()
    settings.PREAU_BBB_URL = fake.api_url
    settings.PREAU_BBB_SECRET = SECRET
    yield fake
    server.shutdown()
    server.server_close()


def _serve(handler_class):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def html_server():
    """A server that answers an HTML page (a proxy's error page, a wrong address)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><html><body><h1>Bienvenue sur nginx</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = _serve(Handler)
    yield f"http://127.0.0.1:{server.server_port}/bigbluebutton/api"
    server.shutdown()
    server.server_close()


@pytest.fixture
def bad_gateway_server():
    """A proxy in front of a server that is down: 502 with an HTML page."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>502 Bad Gateway</body></html>")

        def log_message(self, *args):
            pass

    server = _serve(Handler)
    yield f"http://127.0.0.1:{server.server_port}/bigbluebutton/api"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server():
    """A socket that accepts connections and never answers (a server that hangs)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/bigbluebutton/api"
    sock.close()


@pytest.fixture
def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/bigbluebutton/api"


@pytest.fixture
def vc(cast, territory, frozen_today):
    """An open session of Caen Nord with a meeting « à distance » today from 10:00 to 12:00
    (the suite's clock: Monday 10:00, Paris): its trainer and tutor, Camille and Dominique
    enrolled; and another session with its own participant."""
    t = territory
    classmate = factories.teacher(
        school=t["caen_school"], first_name="Dominique", last_name="Lemaire"
    )
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"], classmate],
    )
    meeting = factories.MeetingFactory(
        session=session,
        virtual=True,
        title="Classe virtuelle de lancement",
        date=frozen_today,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
    )
    outsider = factories.teacher(school=t["caen_school"], first_name="Sacha")
    factories.TrainingSessionFactory(open=True, circonscription=t["caen"], participants=[outsider])
    room = services.ensure_meeting_room(meeting=meeting)
    return {
        "session": session,
        "meeting": meeting,
        "room": room,
        "classmate": classmate,
        "outsider": outsider,
        **cast,
    }


def _join(client, user, room):
    client.force_login(user)
    return client.post(reverse("virtualclasses:join", args=[room.pk]))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _enter(url: str) -> str:
    """Follows a join URL to the stand-in's room page, as the browser does."""
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
    except urllib.error.HTTPError as answer:
        location = answer.headers["Location"]
        answer.close()
    with urllib.request.urlopen(location) as page:
        return page.read().decode()
