"""A Yjs client in Python (pycrdt) speaking y-websocket's protocol to the real consumer through
Channels' WebsocketCommunicator: what a browser tab does, minus the screen."""

import json

from asgiref.testing import ApplicationCommunicator
from channels.routing import URLRouter
from pycrdt import Decoder, Doc, Encoder

from preau.preparations import crdt
from preau.preparations.consumers import (
    MESSAGE_AWARENESS,
    MESSAGE_QUERY_AWARENESS,
    MESSAGE_SYNC,
    SYNC_STEP1,
    SYNC_STEP2,
    SYNC_UPDATE,
    sync_message,
)
from preau.preparations.routing import websocket_urlpatterns


class WebsocketCommunicator(ApplicationCommunicator):
    """Channels' WebsocketCommunicator, reduced: `channels.testing` imports daphne (for its
    live-server test case), which Préau does not install (uvicorn serves the sockets)."""

    def __init__(self, application, path: str, headers=None):
        self.scope = {
            "type": "websocket",
            "path": path,
            "query_string": b"",
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, self.scope)

    async def connect(self, timeout: float = 1):
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if text_data is not None:
            await self.send_input({"type": "websocket.receive", "text": text_data})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

    async def disconnect(self, code: int = 1000, timeout: float = 1):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def url(document) -> str:
    return f"/ws/preparations/{document.pk}/"


def app():
    return URLRouter(websocket_urlpatterns)


def awareness_message(client_id: int, clock: int, state: dict | None) -> bytes:
    inner = Encoder()
    inner.write_var_uint(1)
    inner.write_var_uint(client_id)
    inner.write_var_uint(clock)
    inner.write_var_string(json.dumps(state))
    payload = inner.to_bytes()
    outer = Encoder()
    outer.write_var_uint(MESSAGE_AWARENESS)
    outer.write_var_uint(len(payload))
    outer.stream.append(payload)
    return outer.to_bytes()


def parse_awareness(message: bytes) -> dict[int, object]:
    decoder = Decoder(message)
    assert decoder.read_var_uint() == MESSAGE_AWARENESS
    inner = Decoder(decoder.read_message())
    states = {}
    for _i in range(inner.read_var_uint()):
        client, _clock = inner.read_var_uint(), inner.read_var_uint()
        states[client] = json.loads(inner.read_var_string())
    return states


class YClient:
    def __init__(self, user, document, doc: Doc | None = None):
        self.user = user
        self.document = document
        self.doc = doc or Doc()
        self.comm = None
        self.closed_code = None
        self.closed_reason = ""
        self.awareness: list[dict] = []
        self.sent_updates: list[bytes] = []
        self.doc.observe(self._on_change)
        self._muted = False
        self.received = 0
        self.relayed: list[bytes] = []  # the updates the server relayed (SYNC_UPDATE)

    def _on_change(self, event):
        # Local edits are sent while connected; remote ones (applied while muted) are not.
        if not self._muted:
            self.sent_updates.append(event.update)
            if self.comm is not None and self.closed_code is None:
                self._outbox.append(sync_message(SYNC_UPDATE, event.update))

    async def connect(self) -> bool:
        self._outbox: list[bytes] = []
        self.comm = WebsocketCommunicator(app(), url(self.document))
        self.comm.scope["user"] = self.user
        connected, _sub = await self.comm.connect()
        if not connected:
            return False
        self.closed_code = None
        # What y-websocket does on open: its sync request.
        await self.comm.send_to(bytes_data=sync_message(SYNC_STEP1, self.doc.get_state()))
        return True

    async def flush(self) -> None:
        while self._outbox and self.closed_code is None:
            await self.comm.send_to(bytes_data=self._outbox.pop(0))

    async def pump(self, timeout: float = 0.2) -> None:
        """Reads (and answers) what the server sent until it has been quiet for `timeout`
        (generous by default: the server's database work runs on a loaded machine)."""
        await self.flush()
        while self.comm is not None and self.closed_code is None:
            # (receive_output's timeout would cancel the application: look first.)
            if await self.comm.receive_nothing(timeout):
                return
            message = await self.comm.receive_output(1)
            if message["type"] == "websocket.close":
                self.closed_code = message.get("code")
                self.closed_reason = message.get("reason") or ""
                return
            await self._handle(message["bytes"])
            await self.flush()

    async def _handle(self, data: bytes) -> None:
        self.received += 1
        decoder = Decoder(data)
        kind = decoder.read_var_uint()
        if kind == MESSAGE_SYNC:
            subtype = decoder.read_var_uint()
            payload = decoder.read_message()
            if subtype == SYNC_STEP1:
                await self.comm.send_to(
                    bytes_data=sync_message(SYNC_STEP2, self.doc.get_update(payload))
                )
            elif subtype in (SYNC_STEP2, SYNC_UPDATE) and payload != crdt.EMPTY_UPDATE:
                if subtype == SYNC_UPDATE:
                    self.relayed.append(payload)
                self._muted = True
                try:
                    self.doc.apply_update(payload)
                finally:
                    self._muted = False
        elif kind == MESSAGE_AWARENESS:
            self.awareness.append(parse_awareness(data))
        elif kind == MESSAGE_QUERY_AWARENESS:
            pass

    async def send(self, data: bytes) -> None:
        await self.comm.send_to(bytes_data=data)

    async def disconnect(self) -> None:
        if self.comm is not None:
            await self.comm.disconnect()
        self.comm = None
        self.closed_code = self.closed_code or 1000

    async def close_code(self, timeout: float = 1) -> int | None:
        """The code the server closed with (after it accepted)."""
        message = await self.comm.receive_output(timeout)
        assert message["type"] == "websocket.close", message
        self.closed_code = message.get("code")
        return self.closed_code

    def type(self, text: str, block: int = 1, index: int = 0) -> None:
        """Types `text` in the `block`-th block's text, at `index` (UTF-8 bytes in pycrdt)."""
        node = crdt.fragment(self.doc).children[block]
        node.children[0].insert(index, text)

    @property
    def html(self) -> str:
        return crdt.to_html(self.doc)


async def online(*clients: YClient) -> None:
    """Connects each client and reads the server's first messages (its sync)."""
    for client in clients:
        await client.connect()
        await client.pump()


async def settle(clients, quiet_rounds: int = 2, max_rounds: int = 400) -> None:
    """Pumps every client in turn until a few whole rounds bring no message at all and every
    client holds the same document. Quiet rounds alone are not enough on a loaded machine (a
    relay may take longer than a round's timeouts): waiting for agreement too removes that
    race, and a document that never converges still ends the wait (max_rounds) and fails the
    caller's comparison."""
    quiet = 0
    for _round in range(max_rounds):
        before = sum(c.received for c in clients)
        for client in clients:
            if client.comm is not None:
                await client.pump(timeout=0.05)
        quiet = quiet + 1 if sum(c.received for c in clients) == before else 0
        if quiet >= quiet_rounds and len({client.html for client in clients}) == 1:
            return
