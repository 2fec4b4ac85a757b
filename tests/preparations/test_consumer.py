"""The websocket of a document, through the real consumer (Channels' WebsocketCommunicator):
sync, relay, cursors, refusals, bad frames. Each test runs its async part in one event loop
(async_to_sync), whose database calls come back to the test's thread and transaction."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from preau.preparations import crdt, services
from preau.preparations.consumers import (
    CLOSE_BAD_MESSAGE,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_SIGNED_IN,
    CLOSE_READ_ONLY,
    CLOSE_TOO_LARGE,
    SYNC_UPDATE,
    close_reason,
    sync_message,
)
from preau.preparations.models import DocumentUpdate

from .conftest import close, typed
from .yclient import WebsocketCommunicator, YClient, app, awareness_message, online, url

pytestmark = pytest.mark.django_db


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


def _count(document) -> int:
    return DocumentUpdate.objects.filter(document=document).count()


load_html = sync_to_async(lambda document: crdt.to_html(services.load(document)))


def test_a_late_joiner_gets_the_stored_document_with_no_peer_online(prep):
    services.record_update(
        document=prep["document"], update=typed(prep["document"], "Compter"), by=prep["teacher"]
    )

    async def scenario():
        client = YClient(prep["classmate"], prep["document"])
        assert await client.connect()
        await client.pump()
        assert client.html == await load_html(prep["document"])
        assert "<p>Compter</p>" in client.html
        await client.disconnect()

    run(scenario)


def test_two_members_see_each_other_type_and_the_database_keeps_it(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()

        camille.type("Objectif : ")
        await camille.pump()
        await dominique.pump()
        dominique.type("problèmes ", block=3)
        await dominique.pump()
        await camille.pump()

        assert "Objectif : " in dominique.html and "problèmes " in camille.html
        assert camille.html == dominique.html == await load_html(prep["document"])
        await camille.disconnect()
        await dominique.disconnect()

    run(scenario)


async def _offline_edit(prep) -> tuple[YClient, YClient]:
    """Camille types « écrit dans le train » offline, after a first visit; Dominique is
    online."""
    camille = YClient(prep["teacher"], prep["document"])
    await online(camille)
    await camille.disconnect()
    camille.type("écrit dans le train")  # offline: nothing sent
    dominique = YClient(prep["classmate"], prep["document"])
    await online(dominique)
    return camille, dominique


def test_offline_edits_are_uploaded_on_reconnection(prep):
    """The server's sync request on connect makes the client send what it typed offline."""

    async def scenario():
        camille, dominique = await _offline_edit(prep)
        assert "écrit dans le train" not in dominique.html

        await camille.connect()
        await camille.pump()
        await dominique.pump()

        assert "écrit dans le train" in dominique.html
        assert "écrit dans le train" in await load_html(prep["document"])
        await camille.disconnect()
        await dominique.disconnect()

    run(scenario)


def test_a_keystroke_sent_before_the_offline_edits_is_kept_and_the_socket_stays_open(prep):
    """Back online, the editor answers the server's sync request with what it typed offline;
    a keystroke typed before that answer depends on the offline text, which the server does
    not have yet. It was refused (4400) and the editor stopped sending: now the server stores
    what it can and the answer brings the rest (the convergence property test found it)."""

    async def scenario():
        camille, dominique = await _offline_edit(prep)

        await camille.connect()
        camille.type(" puis en classe", index=len("écrit dans le train".encode()))
        await camille.flush()  # before reading the server's sync request
        assert await sync_to_async(_count)(prep["document"]) == 1  # nothing of it integrates
        await camille.pump()
        await dominique.pump()

        assert camille.closed_code is None
        expected = "<p>écrit dans le train puis en classe</p>"
        assert expected in dominique.html
        assert camille.html == dominique.html == await load_html(prep["document"])
        await camille.disconnect()
        await dominique.disconnect()

    run(scenario)


def test_cursors_are_relayed_to_everyone_and_removed_when_one_leaves(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()
        position = {"anchor": {"type": None, "tname": "prosemirror", "item": None, "assoc": 0}}
        cursor = {"user": {"name": "Camille", "colour": 3}, "cursor": position}

        await camille.send(awareness_message(42, 1, cursor))
        await camille.pump()
        await dominique.pump()

        # The sender hears its own cursor too (y-websocket drops a silent socket after 30 s);
        # the name and colour are the server's.
        teacher = prep["teacher"]
        who = {"name": teacher.get_full_name(), "colour": teacher.pk % 8}
        assert {42: {"user": who, "cursor": position}} in camille.awareness
        assert {42: {"user": who, "cursor": position}} in dominique.awareness
        await camille.disconnect()
        await dominique.pump()
        assert dominique.awareness[-1] == {42: None}
        await dominique.disconnect()

    run(scenario)


def test_an_empty_update_is_neither_stored_nor_relayed(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()
        heard = dominique.received
        await camille.send(sync_message(SYNC_UPDATE, crdt.EMPTY_UPDATE))
        await camille.pump()
        await dominique.pump()
        assert camille.closed_code is None
        assert dominique.received == heard
        await camille.disconnect()
        await dominique.disconnect()

    run(scenario)
    assert _count(prep["document"]) == 1


# Refusals: accepted, then closed with a 44xx code (y-websocket retries a refused handshake) ---


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "admin", "nobody"])
def test_strangers_other_groups_and_the_ien_are_refused(prep, person):
    async def scenario():
        client = YClient(prep[person], prep["document"])
        assert await client.connect()
        assert await client.close_code() == CLOSE_NOT_FOUND

    run(scenario)


def test_a_signed_out_visitor_is_refused(prep):
    from django.contrib.auth.models import AnonymousUser

    async def scenario():
        client = YClient(AnonymousUser(), prep["document"])
        assert await client.connect()
        assert await client.close_code() == CLOSE_NOT_SIGNED_IN

    run(scenario)


def test_a_document_id_of_another_group_is_refused(prep):
    async def scenario():
        client = YClient(prep["teacher"], prep["other_document"])
        assert await client.connect()
        assert await client.close_code() == CLOSE_NOT_FOUND

    run(scenario)


def test_a_closed_session_refuses_the_socket(prep):
    close(prep["session"])

    async def scenario():
        client = YClient(prep["teacher"], prep["document"])
        assert await client.connect()
        assert await client.close_code() == CLOSE_READ_ONLY

    run(scenario)


def test_a_session_closed_while_typing_stops_the_writes(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        await sync_to_async(close)(prep["session"])
        camille.type("après la clôture")
        await camille.pump(timeout=1)  # (a loaded machine)
        assert camille.closed_code == CLOSE_READ_ONLY

    run(scenario)
    assert _count(prep["document"]) == 1


@pytest.mark.parametrize(
    "frame",
    [
        b"\x00",
        b"\x00\x02",
        b"\x00\x02\x05abc",  # says five bytes, holds three
        b"\x00\x02\x07forged!",
        b"\x00\x07\x00",  # no such sync message
        b"\x09",  # no such message
        b"\x01\x05\x01",  # a truncated awareness
    ],
)
def test_a_forged_frame_closes_the_socket_and_nothing_is_stored(prep, frame):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        await camille.send(frame)
        await camille.pump()
        assert camille.closed_code == CLOSE_BAD_MESSAGE

    run(scenario)
    assert _count(prep["document"]) == 1


def test_a_text_frame_is_refused(prep):
    async def scenario():
        comm = WebsocketCommunicator(app(), url(prep["document"]))
        comm.scope["user"] = prep["teacher"]
        await comm.connect()
        await comm.receive_output(1)  # the server's sync request
        await comm.send_to(text_data="bonjour")
        while (message := await comm.receive_output(1))["type"] != "websocket.close":
            pass
        assert message["code"] == CLOSE_BAD_MESSAGE

    run(scenario)


def test_a_50_mb_paste_is_refused_and_nothing_stored(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        camille.type("x" * 50_000_000)
        await camille.pump(timeout=1)
        assert camille.closed_code == CLOSE_TOO_LARGE

    run(scenario)
    assert _count(prep["document"]) == 1


def test_an_update_the_document_has_no_room_for_is_refused_with_the_reason(prep, settings):
    document = prep["document"]
    document.refresh_from_db()
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = document.stored_bytes + 200

    async def scenario():
        camille = YClient(prep["teacher"], document)
        await camille.connect()
        await camille.pump()
        camille.type("Une phrase qui tient. ")
        await camille.pump()
        assert camille.closed_code is None
        camille.type("Un paragraphe trop long pour la place qui reste. " * 10)
        await camille.pump(timeout=1)
        assert camille.closed_code == CLOSE_TOO_LARGE
        return camille.closed_reason

    reason = run(scenario)

    # The service's message whole (the editor shows it), within a close frame's 123 bytes.
    assert reason.startswith("Ce document est plein (0,")
    assert reason.endswith(" Mo au plus) : cette modification n’a pas été enregistrée.")
    assert _count(document) == 2
    assert "trop long" not in crdt.to_text(services.load(document))


def test_the_asgi_application_refuses_a_foreign_origin_and_reads_the_session_cookie(
    client, prep, settings
):
    """config.asgi: AllowedHostsOriginValidator (403 on the handshake for a foreign Origin),
    then AuthMiddlewareStack reads who connects from the Django session cookie."""
    from config.asgi import application

    client.force_login(prep["teacher"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def scenario():
        foreign = WebsocketCommunicator(
            application,
            url(prep["document"]),
            headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie.encode())],
        )
        connected, _code = await foreign.connect()
        assert not connected

        ours = WebsocketCommunicator(
            application,
            url(prep["document"]),
            headers=[(b"origin", b"http://localhost"), (b"cookie", cookie.encode())],
        )
        connected, _sub = await ours.connect()
        assert connected
        first = await ours.receive_output(1)
        assert first["type"] == "websocket.send"  # the server's sync request, not a close
        await ours.disconnect()

    run(scenario)


@pytest.mark.django_db(transaction=True)  # the relay waits for the commit
def test_an_http_save_reaches_those_editing_live(client, prep):
    """A member behind a proxy that blocks websockets saves through HTTP: the update is relayed
    to the document's websockets at once, not at their next reconnection."""
    import base64
    import json

    from django.urls import reverse

    update = typed(prep["document"], "par HTTP")
    client.force_login(prep["teacher"])

    async def scenario():
        dominique = YClient(prep["classmate"], prep["document"])
        await dominique.connect()
        await dominique.pump()
        response = await sync_to_async(client.post)(
            reverse("preparations:update", args=[prep["document"].pk]),
            json.dumps({"update": base64.b64encode(update).decode(), "state": ""}),
            content_type="application/json",
        )
        assert response.status_code == 200
        await dominique.pump()
        assert "<p>par HTTP</p>" in dominique.html
        await dominique.disconnect()

    run(scenario)


def test_a_close_reason_is_cut_to_123_bytes_on_a_character_boundary():
    reason = close_reason("é" * 100)  # 200 bytes

    assert reason == "é" * 61 and len(reason.encode()) == 122
