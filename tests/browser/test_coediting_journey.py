"""Live co-editing through the UI: two members of a group open their preparation in two
browsers (the websocket served by uvicorn, as bin/run does), type at the same time in the same
document, see each other's text and named cursor, and end with identical documents, compared
through the Yjs model (remote carets add names to the screen's text), and in the database."""

import base64
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import expect

from preau.accounts.models import Role
from preau.parcours.models import Activity
from preau.preparations import crdt, services
from preau.preparations.activities import DEFAULT_TEMPLATE
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

# wait_for_function polls with a timer (polling=100): its default waits for animation frames,
# which a headless Chromium does not paint for a page it holds in the background.

MODEL = "() => window.preauCoedit.ydoc.getXmlFragment('prosemirror').toString()"
CONNECTED = "() => Boolean(window.preauCoedit && window.preauCoedit.provider.wsconnected)"


@pytest.fixture
def live_sockets(transactional_db, settings):
    """config.asgi served by uvicorn in a thread of the test process (the test database is
    the live server's), and the pages told to open their websockets there."""
    from config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application,
            host="127.0.0.1",
            port=port,
            ws="wsproto",
            lifespan="off",
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    # The live server's host, so that the browser sends its session cookie.
    url = f"ws://localhost:{port}"
    settings.PREAU_LIVE_URL = url
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "connect-src": ["'self'", url]}
    settings.CONTENT_SECURITY_POLICY = policy
    yield url
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def group(territory):
    caen = territory["caen"]
    trainer = factories.with_role(Role.TRAINER, circonscription=caen)
    school = territory["caen_school"]
    camille = factories.teacher(school=school, first_name="Camille", last_name="Arnaud")
    louis = factories.teacher(school=school, first_name="Louis", last_name="Bernard")
    session = factories.TrainingSessionFactory(
        open=True,
        title="Résoudre des problèmes au CE1",
        circonscription=caen,
        trainers=[trainer],
        participants=[camille, louis],
    )
    section = session.content.sections.first() or factories.SectionFactory(parcours=session.content)
    activity = Activity.objects.create(
        section=section, kind="preparation", title="Préparer une séance", body=DEFAULT_TEMPLATE
    )
    group = services.create_group(
        activity=activity,
        session=session,
        name="Jules Ferry",
        members=[camille, louis],
        by=trainer,
    )
    return {"group": group, "camille": camille, "louis": louis}


def test_two_members_type_at_once_and_end_identical(page, browser, live_sockets, group):
    url = f"/sessions/preparations/documents/{group['group'].document.pk}/"
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(url)
    page.wait_for_function(CONNECTED, polling=100)
    check_accessibility(page)

    other_context = browser.new_context(base_url=page.url.split("/sessions/")[0], locale="fr-FR")
    other = other_context.new_page()
    sign_in(other, group["louis"].email, PASSWORD)
    other.goto(url)
    other.wait_for_function(CONNECTED, polling=100)

    # Camille writes under « Objectifs », Louis under « Déroulé en étapes », key by key in turn.
    page.locator("#preparation-live p").nth(0).click()
    other.locator("#preparation-live p").nth(1).click()
    for mine, theirs in zip("Compter loin", "Trois étapes", strict=True):
        page.keyboard.type(mine)
        other.keyboard.type(theirs)

    page.wait_for_function(f"() => ({MODEL})().includes('Trois étapes')", polling=100)
    other.wait_for_function(f"() => ({MODEL})().includes('Compter loin')", polling=100)
    assert page.evaluate(MODEL) == other.evaluate(MODEL)
    # Each sees the other's cursor, with the name.
    expect(other.locator(".preau-coedit-name", has_text="Camille Arnaud")).to_be_visible()
    expect(page.locator(".preau-coedit-name", has_text="Louis Bernard")).to_be_visible()

    # What the database holds is what both screens hold.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        stored = crdt.to_text(services.load(group["group"].document))
        if "Compter loin" in stored and "Trois étapes" in stored:
            break
        time.sleep(0.1)
    assert stored.startswith("Objectifs\nCompter loin\nDéroulé en étapes\nTrois étapes\n")
    other_context.close()


def test_without_websockets_the_document_is_saved_through_plain_http(page, settings, group):
    """A proxy that blocks websockets: the editor still opens from the page, and what is typed
    reaches the database through the plain-HTTP save (the same checks and storage)."""
    blocked = "ws://localhost:9"  # nothing listens there
    settings.PREAU_LIVE_URL = blocked
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "connect-src": ["'self'", blocked]}
    settings.CONTENT_SECURITY_POLICY = policy
    document = group["group"].document
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(f"/sessions/preparations/documents/{document.pk}/")

    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Sans le direct")

    expect(page.locator("#preparation-status")).to_contain_text("Enregistré", timeout=10_000)
    stored = crdt.to_text(services.load(document))
    assert stored.startswith("Objectifs\nSans le direct\n")


def test_a_comment_on_a_passage_follows_it_through_the_others_edits(
    page, browser, live_sockets, group
):
    """Camille selects words she wrote and comments them; Louis then writes before them in
    the same paragraph: the stored anchors still designate the same words; Louis resolves."""
    from preau.preparations.models import Comment

    document = group["group"].document
    url = f"/sessions/preparations/documents/{document.pk}/"
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(url)
    page.wait_for_function(CONNECTED, polling=100)
    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Compter loin")
    page.wait_for_function("() => window.preauCoedit.provider.synced", polling=100)
    # The server checks that an anchor names characters it holds: wait until the words typed
    # are stored (on a loaded machine the relay can lag the keyboard).
    deadline = time.monotonic() + 10
    while "Compter loin" not in crdt.to_text(services.load(document)):
        assert time.monotonic() < deadline, "the words typed never reached the database"
        time.sleep(0.1)
    # Selects « loin » with the keyboard (shift + arrows), then comments it.
    page.keyboard.down("Shift")
    for _ in "loin":
        page.keyboard.press("ArrowLeft")
    page.keyboard.up("Shift")
    expect(page.locator("#comment-passage")).to_contain_text("« loin »")
    page.fill("#comment-body", "Jusqu’où ?")
    page.click("text=Commenter le passage")
    expect(page.locator("#commentaires")).to_contain_text("Jusqu’où ?")
    check_accessibility(page)
    comment = Comment.objects.get()
    assert (comment.quote, comment.author) == ("loin", group["camille"])

    services.name_version(document=document, name="Avant Louis", by=group["camille"])

    other_context = browser.new_context(base_url=page.url.split("/sessions/")[0], locale="fr-FR")
    other = other_context.new_page()
    sign_in(other, group["louis"].email, PASSWORD)
    other.goto(url)
    other.wait_for_function(CONNECTED, polling=100)
    other.wait_for_function(f"() => ({MODEL})().includes('Compter loin')", polling=100)
    other.locator("#preparation-live p").nth(0).click()
    other.keyboard.press("Home")
    other.keyboard.type("Savoir ")
    page.wait_for_function(f"() => ({MODEL})().includes('Savoir Compter loin')", polling=100)

    anchors = [
        base64.b64encode(bytes(comment.start)).decode(),
        base64.b64encode(bytes(comment.end)).decode(),
    ]
    assert page.evaluate("([s, e]) => window.preauCoedit.passage(s, e)", anchors) == "loin"
    assert other.evaluate("([s, e]) => window.preauCoedit.passage(s, e)", anchors) == "loin"

    other.click("#commentaires >> text=Résolu")
    expect(other.locator("#commentaires")).to_contain_text("Résolu par Louis Bernard")
    comment.refresh_from_db()
    assert comment.resolved
    other_context.close()

    # The comparison of the version named before Louis wrote with the document now.
    page.goto(f"/sessions/preparations/documents/{document.pk}/comparer/")
    expect(page.locator("ins").first).to_contain_text("Savoir")
    check_accessibility(page)


def test_offline_edits_survive_a_reload_and_reach_the_server_once_back(page, settings, group):
    """The server unreachable (no websocket, every HTTP save fails): what is typed stays in
    the browser's offline cache (IndexedDB), is still there after a reload of the page, and
    reaches the database once the server answers again."""
    blocked = "ws://localhost:9"  # nothing listens there
    settings.PREAU_LIVE_URL = blocked
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "connect-src": ["'self'", blocked]}
    settings.CONTENT_SECURITY_POLICY = policy
    document = group["group"].document
    sign_in(page, group["camille"].email, PASSWORD)
    page.route("**/modifier/", lambda route: route.abort("internetdisconnected"))
    url = f"/sessions/preparations/documents/{document.pk}/"
    page.goto(url)
    cache_synced = "() => Boolean(window.preauCoedit?.offlineCache?.synced)"
    page.wait_for_function(cache_synced, polling=100)

    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Écrit hors ligne")
    expect(page.locator("#preparation-status")).to_contain_text("Hors ligne", timeout=10_000)
    # Written to IndexedDB as it is typed (y-indexeddb stores each update at once).
    page.wait_for_timeout(300)
    page.reload()
    page.wait_for_function(cache_synced, polling=100)

    assert "Écrit hors ligne" in page.evaluate(MODEL)  # from the offline cache, not the server
    assert "Écrit hors ligne" not in crdt.to_text(services.load(document))

    page.unroute("**/modifier/")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        stored = crdt.to_text(services.load(document))
        if "Écrit hors ligne" in stored:
            break
        time.sleep(0.2)
    assert stored.startswith("Objectifs\nÉcrit hors ligne\n")
    # Nothing typed twice by the merge of the cache with the server's copy.
    assert stored.count("Écrit hors ligne") == 1


def test_what_a_dead_websocket_swallowed_is_saved_by_the_http_fallback(page, live_sockets, group):
    """The websocket looks connected but its frames go nowhere (a proxy that drops them), then
    it closes and cannot reconnect: the plain-HTTP save sends everything the server lacks,
    not only what is typed after the websocket went down, before saying « Enregistré »."""
    import re

    document = group["group"].document
    link = {"drop": False, "refuse": False, "routes": []}

    def through(ws):
        if link["refuse"]:
            ws.close(code=3000)
            return
        server = ws.connect_to_server()
        ws.on_message(lambda message: None if link["drop"] else server.send(message))
        link["routes"].append(ws)

    page.route_web_socket(re.compile(r"/ws/preparations/"), through)
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(f"/sessions/preparations/documents/{document.pk}/")
    page.wait_for_function(CONNECTED, polling=100)
    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Compter ")
    deadline = time.monotonic() + 10
    while "Compter " not in crdt.to_text(services.load(document)):
        assert time.monotonic() < deadline, "the live websocket did not store the first words"
        time.sleep(0.1)

    link["drop"] = True
    page.keyboard.type("jusqu’à cent")
    page.wait_for_timeout(500)
    assert "cent" not in crdt.to_text(services.load(document))
    # The socket closes and does not come back. (y-websocket is told not to reconnect: a
    # socket Playwright refuses is seen open first, which would make it flap every 100 ms.)
    link["refuse"] = True
    page.evaluate("() => { window.preauCoedit.provider.shouldConnect = false; }")
    link["routes"][-1].close(code=3000)

    expect(page.locator("#preparation-status")).to_contain_text("Enregistré", timeout=15_000)
    stored = crdt.to_text(services.load(document))
    assert stored.startswith("Objectifs\nCompter jusqu’à cent\n")
    assert stored.count("jusqu’à cent") == 1
