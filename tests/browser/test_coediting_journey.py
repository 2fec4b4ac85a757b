"""Live co-editing through the UI: two members of a group open their preparation in two
browsers (the websocket served by uvicorn, as bin/run does), type at the same time in the same
document, see each other's text and named cursor, and end with identical documents, compared
through the Yjs model (remote carets add names to the screen's text), and in the database."""

import base64
import re
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import expect

from preau.accounts.models import Role
from preau.parcours.models import Activity
from preau.preparations import crdt, selectors, services
from preau.preparations.activities import DEFAULT_TEMPLATE
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

# wait_for_function polls with a timer (polling=100): its default waits for animation frames,
# which a headless Chromium does not paint for a page it holds in the background.

MODEL = "() => window.preauCoedit.ydoc.getXmlFragment('prosemirror').toString()"
CONNECTED = "() => Boolean(window.preauCoedit && window.preauCoedit.provider.wsconnected)"
# The commented passages, as the editor highlights them.
PASSAGE = "#preparation-live .preau-comment-passage"
SELECTED = """() => {
  const { state } = window.preauCoedit.view;
  return state.doc.textBetween(state.selection.from, state.selection.to);
}"""


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

    # « Qui a écrit quoi »: each paragraph marked with its author's colour (the order in which
    # they first wrote gives the colours), the legend names both, the template's headings
    # and the empty paragraphs are not marked; off again, no mark is left.
    colours = {
        a["name"]: a["colour"] for a in selectors.authorship(group["group"].document)["authors"]
    }
    assert set(colours) == {"Camille Arnaud", "Louis Bernard"}
    toggle = page.get_by_role("button", name="Qui a écrit quoi")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#preparation-live .preau-author")).to_have_count(0)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    legend = page.locator("#authorship-legend li")
    expect(legend).to_have_text(sorted(colours, key=colours.get))
    paragraphs = page.locator("#preparation-live p")
    expect(paragraphs.nth(0)).to_have_class(
        re.compile(rf"\bpreau-author-colour-{colours['Camille Arnaud']}\b")
    )
    expect(paragraphs.nth(0)).to_have_attribute("title", "Écrit par Camille Arnaud")
    expect(paragraphs.nth(1)).to_have_class(
        re.compile(rf"\bpreau-author-colour-{colours['Louis Bernard']}\b")
    )
    expect(page.locator("#preparation-live .preau-author")).to_have_count(2)
    expect(page.locator("#authorship-blocks li")).to_have_text(
        [
            "« Compter loin » : écrit par Camille Arnaud",
            "« Trois étapes » : écrit par Louis Bernard",
        ]
    )
    check_accessibility(page)
    # Louis adds to Camille's paragraph, live: she still wrote most of it, both are named.
    other.locator("#preparation-live p").nth(0).click()
    other.keyboard.press("End")
    other.keyboard.type(" !")
    expect(paragraphs.nth(0)).to_have_attribute(
        "title", "Écrit par Camille Arnaud (et Louis Bernard)"
    )
    toggle.click()
    expect(page.locator("#preparation-live .preau-author")).to_have_count(0)
    expect(page.locator("#preparation-live [title]")).to_have_count(0)
    expect(page.locator("#authorship-panel")).to_be_hidden()
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


def test_a_pasted_numbered_list_with_an_odd_start_is_saved(page, live_sockets, group):
    """`<ol start="x">` (pasted from a web page) got the order NaN in the editor, the server
    refused the change and the editor stopped sending: what was typed next was lost to the
    server. Now an odd start is read as 1, and a whole number is kept."""
    document = group["group"].document
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(f"/sessions/preparations/documents/{document.pk}/")
    page.wait_for_function(CONNECTED, polling=100)
    page.locator("#preparation-live p").nth(0).click()

    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData("text/html",
            '<ol start="x"><li>chercher</li></ol><p>puis</p><ol start="4"><li>comparer</li></ol>');
          document.querySelector("#preparation-live .ProseMirror").dispatchEvent(
            new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }"""
    )
    page.keyboard.type(" ensuite")

    page.wait_for_function(f"() => ({MODEL})().includes('ensuite')", polling=100)
    deadline = time.monotonic() + 10
    while "ensuite" not in crdt.to_text(services.load(document)):
        assert time.monotonic() < deadline, "the pasted list never reached the database"
        time.sleep(0.1)
    html = crdt.to_html(services.load(document))
    assert "<ol><li><p>chercher</p></li></ol>" in html
    assert '<ol start="4"><li><p>comparer' in html
    assert page.evaluate("() => window.preauCoedit.provider.wsconnected")


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
    # The passage is highlighted in the editor (a decoration around exactly « loin »).
    expect(page.locator(PASSAGE)).to_have_text("loin")
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
    # Both highlight « loin », not the words typed before it (recomputed from the anchors).
    expect(page.locator(PASSAGE)).to_have_text("loin")
    expect(other.locator(PASSAGE)).to_have_text("loin")

    other.click("#commentaires >> text=Résolu")
    expect(other.locator("#commentaires")).to_contain_text("Résolu par Louis Bernard")
    comment.refresh_from_db()
    assert comment.resolved
    # Resolved: no longer highlighted, there and in Camille's browser (told of the change, it
    # reloads its list of comments).
    expect(other.locator(PASSAGE)).to_have_count(0)
    expect(page.locator("#commentaires")).to_contain_text("Résolu par Louis Bernard")
    expect(page.locator(PASSAGE)).to_have_count(0)
    # While she types a comment, a change elsewhere is offered, not forced (nothing lost).
    page.fill("#comment-body", "Un brouillon")
    other.click("#commentaires >> text=Rouvrir")
    expect(page.locator("#comment-refresh")).to_be_visible()
    expect(page.locator("#comment-body")).to_have_value("Un brouillon")
    page.click("#comment-refresh")
    expect(page.locator(PASSAGE)).to_have_text("loin")
    expect(page.locator("#comment-refresh")).to_be_hidden()
    comment.refresh_from_db()
    assert not comment.resolved
    other_context.close()

    # The comparison of the version named before Louis wrote with the document now.
    page.goto(f"/sessions/preparations/documents/{document.pk}/comparer/")
    expect(page.locator("ins").first).to_contain_text("Savoir")
    check_accessibility(page)


def _wait_stored(document, text):
    """Until the words typed are in the database (the server checks a comment's anchors
    against what it holds; on a loaded machine the relay can lag the keyboard)."""
    deadline = time.monotonic() + 10
    while text not in crdt.to_text(services.load(document)):
        assert time.monotonic() < deadline, "the words typed never reached the database"
        time.sleep(0.1)


def test_a_comment_s_thread_from_highlight_to_deletion(page, live_sockets, group):
    """Camille comments « loin »: highlighted in the editor; « Voir le passage » (keyboard)
    selects it; she replies, resolves (the highlight goes), reopens (it is back); she deletes
    the words (« passage supprimé », no highlight), undoes (highlighted again); deletes her
    reply on the page that asks without JavaScript, then the comment, confirmed in place."""
    from preau.preparations.models import Comment, Reply

    document = group["group"].document
    url = f"/sessions/preparations/documents/{document.pk}/"
    sign_in(page, group["camille"].email, PASSWORD)
    page.goto(url)
    page.wait_for_function(CONNECTED, polling=100)
    expect(page.locator("#commentaires-vide")).to_contain_text("Aucun commentaire")
    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Compter loin")
    _wait_stored(document, "Compter loin")
    page.keyboard.down("Shift")
    for _ in "loin":
        page.keyboard.press("ArrowLeft")
    page.keyboard.up("Shift")
    # (ProseMirror reads the selection after the keys: the form shows it once it has it.)
    expect(page.locator("#comment-passage")).to_contain_text("« loin »")
    page.fill("#comment-body", "Jusqu’où ?")
    page.click("text=Commenter le passage")
    expect(page.locator(PASSAGE)).to_have_text("loin")
    pk = Comment.objects.get().pk
    item = page.locator(f"#commentaire-{pk}")

    # « Voir le passage », from the keyboard: the passage selected in the editor, highlighted more.
    page.focus(f"#commentaire-{pk} [data-comment-show]")
    expect(page.locator(PASSAGE)).to_have_class(re.compile("preau-comment-passage--active"))
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({SELECTED})() === 'loin'", polling=100)
    assert page.evaluate("document.activeElement.classList.contains('ProseMirror')")
    expect(item).to_have_class(re.compile("preau-comment--here"))  # the cursor is in it

    # A reply; the keyboard stays in the reply box.
    item.locator("summary").click()
    page.fill(f"#reponse-texte-{pk}", "Jusqu’à 100")
    page.click("text=Envoyer la réponse")
    expect(item).to_contain_text("Jusqu’à 100")
    expect(page.locator(f"#reponse-texte-{pk}")).to_be_focused()
    assert Reply.objects.get().body == "Jusqu’à 100"

    # Resolved: the highlight goes, the focus is on « Rouvrir »; reopened with Enter: back.
    page.click(f"#resoudre-{pk}")
    expect(item).to_contain_text("Résolu par Camille Arnaud")
    expect(page.locator(PASSAGE)).to_have_count(0)
    expect(page.locator(f"#rouvrir-{pk}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(item).to_contain_text("Commentaire rouvert.")
    expect(page.locator(PASSAGE)).to_have_text("loin")

    # The passage deleted: no highlight, « passage supprimé »; undone: highlighted again.
    gone = item.locator("[data-comment-gone]")
    expect(gone).to_be_hidden()
    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.press("End")
    for _ in "loin":
        page.keyboard.press("Backspace")
    expect(gone).to_be_visible()
    expect(gone).to_have_text("passage supprimé")
    expect(page.locator(PASSAGE)).to_have_count(0)
    expect(item).to_contain_text("« loin »")  # its quote stays
    page.keyboard.press("Control+z")
    expect(page.locator(PASSAGE)).to_have_text("loin")
    expect(gone).to_be_hidden()
    check_accessibility(page)

    # Without JavaScript, deleting asks on a page of its own.
    reply = Reply.objects.get()
    page.goto(f"/sessions/preparations/reponses/{reply.pk}/supprimer/")
    expect(page.locator("main")).to_contain_text("Supprimer cette réponse ? C’est définitif.")
    check_accessibility(page)
    page.click("text=Supprimer la réponse")
    expect(page.locator(".fr-alert--success")).to_contain_text("Réponse supprimée.")
    assert not Reply.objects.exists()

    # With it, in place: « Supprimer », then the confirmation (the focus on it), then gone.
    page.wait_for_function(CONNECTED, polling=100)
    page.click(f"#commentaire-{pk} >> text=Supprimer")
    expect(item).to_contain_text("Supprimer ce commentaire ? C’est définitif.")
    expect(item.get_by_role("button", name="Supprimer le commentaire")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#commentaires")).to_contain_text("Commentaire supprimé.")
    expect(page.locator(PASSAGE)).to_have_count(0)
    assert not Comment.objects.exists()


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


def test_signing_out_empties_the_offline_cache(page, settings, group):
    """Clear-Site-Data: "storage" on the sign-out (preau/accounts/views.py): the document's
    offline copy in IndexedDB is gone, for the next person at a shared computer."""
    blocked = "ws://localhost:9"  # no websocket needed: the cache is written as one types
    settings.PREAU_LIVE_URL = blocked
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "connect-src": ["'self'", blocked]}
    settings.CONTENT_SECURITY_POLICY = policy
    document = group["group"].document
    camille = group["camille"]
    sign_in(page, camille.email, PASSWORD)
    page.goto(f"/sessions/preparations/documents/{document.pk}/")
    page.wait_for_function("() => Boolean(window.preauCoedit?.offlineCache?.synced)", polling=100)
    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Gardé dans ce navigateur")
    page.wait_for_timeout(300)
    databases = "async () => (await indexedDB.databases()).map((d) => d.name)"
    cache = f"preau-preparation-{document.pk}-{camille.pk}"
    assert cache in page.evaluate(databases)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    assert not [name for name in page.evaluate(databases) if name.startswith("preau-")]


def test_a_full_document_says_so_and_forgets_the_refused_change(
    page, settings, live_sockets, group
):
    """The document's cap reached while typing live: the websocket closes with 4413 and the
    server's message as its reason, which the editor shows; the offline cache, which holds
    the refused change, is emptied (else every reload would send it again)."""
    document = group["group"].document
    document.refresh_from_db()
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = document.stored_bytes + 400
    camille = group["camille"]
    sign_in(page, camille.email, PASSWORD)
    page.goto(f"/sessions/preparations/documents/{document.pk}/")
    page.wait_for_function(CONNECTED, polling=100)
    page.wait_for_function("() => Boolean(window.preauCoedit.offlineCache?.synced)", polling=100)
    databases = "async () => (await indexedDB.databases()).map((d) => d.name)"
    cache = f"preau-preparation-{document.pk}-{camille.pk}"
    assert cache in page.evaluate(databases)

    page.locator("#preparation-live p").nth(0).click()
    page.keyboard.type("Un objectif écrit lettre par lettre jusqu’à remplir le document.")

    expect(page.locator("#preparation-status")).to_contain_text(
        "Ce document est plein", timeout=15_000
    )
    deadline = time.monotonic() + 10
    while cache in page.evaluate(databases) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert cache not in page.evaluate(databases)
    document.refresh_from_db()
    assert document.stored_bytes <= settings.PREAU_PREP_MAX_DOCUMENT_BYTES


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
