"""The websocket of a preparation document: the Yjs sync protocol (y-websocket's framing) with
the database as the source of truth.

On connect the server sends its sync request (so that the client uploads what it typed
offline) and asks the peers to re-send their cursors. A client's sync request is answered
from the document rebuilt from the stored updates; each update is checked, stored (with who
writes with the editors whose first items it carries: « qui a écrit quoi »), then relayed
to the other connections of the document (through the channel layer: in memory, or Redis
when several processes serve). Cursors (awareness) are relayed to every connection,
the sender's included (y-websocket drops a socket that hears nothing for 30 s), and a
departing person's cursors are removed.

The updates stored elsewhere reach the sockets without the channel layer too: the pages'
process (gunicorn: HTTP saves, restored versions) shares no in-memory layer with the ASGI
process that holds the sockets. Each process keeps a `Room` per open document, which reads the
document's rows it has not sent yet (after each update received, and every
PREAU_LIVE_POLL_SECONDS while sockets are open) and sends them to its sockets.

Refusals accept then close with a 44xx code: a handshake refused before `accept` makes
y-websocket retry forever."""

import asyncio
import json
import logging
import threading
import time
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pycrdt import Decoder, Encoder

from . import crdt, services
from .access import get_document_or_404

if TYPE_CHECKING:
    from .models import DocumentUpdate

logger = logging.getLogger(__name__)

MESSAGE_SYNC = 0
MESSAGE_AWARENESS = 1
MESSAGE_QUERY_AWARENESS = 3
SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE = 0, 1, 2

# Close codes (docs/preparations.md).
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_FOUND = 4404  # no such document, or not one of the person's
CLOSE_READ_ONLY = 4403  # closed or archived session, or no longer a member
CLOSE_BAD_MESSAGE = 4400  # not the sync protocol, or an update that is not one
CLOSE_TOO_LARGE = 4413  # an update larger than 1 MB, or one the document has no room for
# A close frame's reason holds 123 bytes of UTF-8 at most (RFC 6455).
REASON_MAX_BYTES = 123

# A frame is one message: an update and a few bytes of framing.
MESSAGE_MAX_BYTES = crdt.UPDATE_MAX_BYTES + 64


class BadMessage(ValueError):
    pass


class AccessLost(Exception):
    """The person may no longer write the document (close code in `code`)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _read_var_uint(decoder: Decoder) -> int:
    try:
        return decoder.read_var_uint()
    except (IndexError, RuntimeError) as error:
        raise BadMessage from error


def _read_payload(decoder: Decoder) -> bytes:
    try:
        payload = decoder.read_message()
    except (IndexError, RuntimeError) as error:
        raise BadMessage from error
    if payload is None:
        raise BadMessage
    return bytes(payload)


def sync_message(subtype: int, payload: bytes) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(MESSAGE_SYNC)
    encoder.write_var_uint(subtype)
    encoder.write_var_uint(len(payload))
    encoder.stream.append(payload)
    return encoder.to_bytes()


def awareness_entries(payload: bytes) -> list[tuple[int, int, str]]:
    """[(client id, clock, state as JSON)] of an awareness update (y-protocols' encoding)."""
    decoder = Decoder(payload)
    entries = []
    for _i in range(_read_var_uint(decoder)):
        client, clock = _read_var_uint(decoder), _read_var_uint(decoder)
        try:
            state = _read_payload(decoder).decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadMessage from error
        entries.append((client, clock, state))
    return entries


def awareness_message(entries: list[tuple[int, int, str]]) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    for client, clock, state in entries:
        encoder.write_var_uint(client)
        encoder.write_var_uint(clock)
        encoder.write_var_string(state)
    return bytes([MESSAGE_AWARENESS]) + _framed(encoder.to_bytes())


def awareness_removal(clients: dict[int, int]) -> bytes:
    """The awareness message that says these clients left (state `null`, next clock)."""
    return awareness_message([(client, clock + 1, "null") for client, clock in clients.items()])


# Cursors: one of 8 colours per person (editor.css); a socket speaks for a few client ids
# (one per tab, a new one after a reload), each held by one person in the room.
COLOURS = 8
CLIENTS_PER_SOCKET = 4
CURSOR_MAX_CHARS = 2000


def _cursor(state: str):
    """The cursor (y-prosemirror's `cursor`: two relative positions as JSON) of a client's
    awareness state, or None. The rest of the state is the server's to write."""
    if len(state) > CURSOR_MAX_CHARS * 2:
        return None
    try:
        cursor = json.loads(state).get("cursor")
    except (ValueError, AttributeError, RecursionError):
        return None
    if not isinstance(cursor, dict) or len(json.dumps(cursor)) > CURSOR_MAX_CHARS:
        return None
    return cursor


def _comments_count(state: str):
    """The count of comment changes a browser announces in its awareness state (editor.js:
    the others reload their list when it moves), or None. A small integer, nothing else."""
    if len(state) > CURSOR_MAX_CHARS * 2:
        return None
    try:
        count = json.loads(state).get("comments")
    except (ValueError, AttributeError, RecursionError):
        return None
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count < 10**6:
        return None
    return count


def _framed(payload: bytes) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(payload))
    encoder.stream.append(payload)
    return encoder.to_bytes()


def close_reason(message: str) -> str:
    """`message` cut to fit a close frame (on a character's boundary)."""
    return message.encode()[:REASON_MAX_BYTES].decode("utf-8", "ignore")


def room_of(document_pk: int) -> str:
    return f"preparation-{document_pk}"


def relay_from_http(document_pk: int, update: bytes, update_id: int) -> None:
    """Sends an update stored by a plain-HTTP save to the document's websockets, through the
    channel layer: at once where the layer is shared (Redis, or the one process of the dev
    server); otherwise the rooms read it from the database within PREAU_LIVE_POLL_SECONDS."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async_to_sync(get_channel_layer().group_send)(
        room_of(document_pk), update_event(update, update_id)
    )


def update_event(update: bytes, update_id: int) -> dict:
    """The channel layer's message announcing a stored update to the rooms (consumers.relay):
    each room sends it to all its sockets once, whichever of its sockets' copies comes first.
    A channel layer drops a message for a socket whose queue is full (channels' `capacity`,
    silently, in `group_send`): the room's sockets still get it if any one of them received
    the event, and from the database at the room's next read otherwise."""
    return {"type": "relay", "update": update, "update_id": update_id}


def revoke(document_pks, user_pk: int) -> None:
    """Tells the sockets of these documents to check at once whether this person may still
    write them (a member taken out of a group, an enrolment cancelled). Reaches the sockets
    where the channel layer is shared (Redis, or one process); elsewhere each socket checks
    every PREAU_LIVE_ACCESS_SECONDS anyway."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    for pk in document_pks:
        try:
            async_to_sync(layer.group_send)(room_of(pk), {"type": "revoke", "user": user_pk})
        except Exception:  # (the layer away: the sockets' own checks close them)
            logger.warning("revocation not relayed", exc_info=True)


# An update committed late (a smaller id than one already read) is still caught this long.
SETTLE_SECONDS = 30


# After an update a socket brings, its room reads the database too, at most this often (its
# timer reads the rest).
CATCH_UP_SECONDS = 0.25


def _unsent_rows(room: "Room") -> list[tuple[int, bytes]]:
    """The document's stored rows the room has not sent, in id order, marked sent. Runs in the
    database thread, which also stores the rows of this process's sockets (marked sent as they
    are stored): reads and stores come one after the other, and no two reads send a row."""
    from .models import DocumentUpdate

    room.last_read = time.monotonic()
    with room.sent_lock:
        floor, sent = room.floor, set(room.sent)
    rows = DocumentUpdate.objects.filter(document_id=room.document_pk, pk__gt=floor)
    new = set(rows.values_list("pk", flat=True)) - sent
    with room.sent_lock:
        new -= room.sent
        room.sent |= new
        room.settle()
    if not new:
        return []
    return [
        (pk, bytes(data))
        for pk, data in rows.filter(pk__in=new).order_by("pk").values_list("pk", "data")
    ]


class Room:
    """The sockets of one document in this process, and which of its stored updates they have
    been sent (or had already: those stored before the room opened are in their sync). Ids
    grow, but one may commit after a larger one: ids below `floor` (the largest id read
    SETTLE_SECONDS ago) are settled, those above are compared with `sent`."""

    rooms: dict[tuple[asyncio.AbstractEventLoop, int], "Room"] = {}

    def __init__(self, document_pk: int):
        self.document_pk = document_pk
        self.consumers: set[DocumentConsumer] = set()
        self.sent: set[int] = set()
        self.sent_lock = threading.Lock()  # (read and written from the database thread too)
        self.floor = 0
        self.reads: list[tuple[float, int]] = []  # (when, largest id sent) of each read
        self.last_read = 0.0
        self.task: asyncio.Task | None = None
        self.compaction_checked = time.monotonic()
        self.cursors: dict[int, DocumentConsumer] = {}  # awareness client id → its socket

    def claim(self, client: int, consumer: "DocumentConsumer") -> bool:
        """Whether this socket may speak for this awareness client id: no other person's
        socket holds it (another socket of the same person hands it over: a reload)."""
        holder = self.cursors.get(client)
        if holder is not consumer:
            if holder is not None and holder.scope["user"].pk != consumer.scope["user"].pk:
                return False
            held = sum(1 for socket in self.cursors.values() if socket is consumer)
            if held >= CLIENTS_PER_SOCKET:
                return False
            self.cursors[client] = consumer
        return True

    def release(self, consumer: "DocumentConsumer") -> set[int]:
        """Forgets the client ids this socket held; returns them."""
        held = {client for client, socket in self.cursors.items() if socket is consumer}
        for client in held:
            del self.cursors[client]
        return held

    @classmethod
    async def join(cls, consumer: "DocumentConsumer", document_pk: int) -> "Room":
        key = (asyncio.get_running_loop(), document_pk)
        room = cls.rooms.get(key)
        if room is None:
            room = cls.rooms[key] = cls(document_pk)
            # (In the database thread, before any read of the room's: see _unsent_rows.)
            await database_sync_to_async(_open)(room)
            room.task = asyncio.create_task(room._poll())
        room.consumers.add(consumer)
        return room

    def leave(self, consumer: "DocumentConsumer") -> bool:
        """Forgets the socket; True when it was the room's last (the room closes)."""
        self.consumers.discard(consumer)
        if self.consumers:
            return False
        Room.rooms.pop((asyncio.get_running_loop(), self.document_pk), None)
        # (Left from the room's own timer, a socket it closed: the timer ends by itself, not
        # cancelled while that socket still closes.)
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()
        return True

    def take(self, update_id: int) -> bool:
        """Marks the update sent; False if it was already (or is settled)."""
        with self.sent_lock:
            if update_id <= self.floor or update_id in self.sent:
                return False
            self.sent.add(update_id)
            return True

    async def catch_up(self) -> None:
        """Sends the sockets the document's stored updates they lack."""
        await self.send(await database_sync_to_async(_unsent_rows)(self))

    async def send(self, rows: list[tuple[int, bytes]], skip=None) -> None:
        """Sends each row's update to the room's sockets (but `skip`, the one it came from),
        directly: no channel layer's queue between them, which could drop it."""
        for _pk, data in rows:
            message = sync_message(SYNC_UPDATE, data)
            for consumer in list(self.consumers):
                if consumer.closing or consumer is skip:
                    continue
                try:
                    await consumer.send(bytes_data=message)
                except Exception:  # (a socket closing meanwhile)
                    logger.info("a socket left during a catch-up", exc_info=True)

    def settle(self) -> None:
        """(Under sent_lock.) Ids read more than SETTLE_SECONDS ago are settled."""
        now = time.monotonic()
        self.reads.append((now, max(self.sent, default=self.floor)))
        while self.reads and self.reads[0][0] < now - SETTLE_SECONDS:
            self.floor = max(self.floor, self.reads.pop(0)[1])
        self.sent = {pk for pk in self.sent if pk > self.floor}

    async def _poll(self) -> None:
        interval = getattr(settings, "PREAU_LIVE_POLL_SECONDS", 2)
        if not interval:
            return
        while True:
            await asyncio.sleep(interval)
            try:
                await self.catch_up()
                for consumer in list(self.consumers):
                    await consumer.check_access_if_due()
            except Exception:  # (the database away a moment: the next read catches up)
                logger.warning("room catch-up failed", exc_info=True)
            if not self.consumers:
                return
            every = getattr(settings, "PREAU_PREP_COMPACT_CHECK_SECONDS", 600)
            if time.monotonic() - self.compaction_checked >= every:
                # (A document edited for hours is compacted while its editors stay.)
                self.compaction_checked = time.monotonic()
                await database_sync_to_async(_compact_if_due_later)(self.document_pk)


def _compact_if_due_later(document_pk: int) -> None:
    """(In the database thread.) Enqueues the document's compaction when it is due, for a
    worker (tasks.compact_document): one count here, the merge elsewhere. A failure is logged,
    never raised: the sockets go on, and the next check or the command compacts it."""
    from .tasks import compact_document

    try:
        if services.compaction_due(document_pk):
            compact_document.enqueue(document_pk)
    except Exception:
        logger.warning("compaction of document %s not enqueued", document_pk, exc_info=True)


def _open(room: Room) -> None:
    """The rows stored before the room opens are in its sockets' sync: taken as sent."""
    from .models import DocumentUpdate

    ids = DocumentUpdate.objects.filter(document_id=room.document_pk).values_list("pk", flat=True)
    with room.sent_lock:
        room.sent |= set(ids)


class DocumentConsumer(AsyncWebsocketConsumer):
    document = None
    room: Room | None = None
    closing = False

    async def connect(self):
        await self.accept()
        self.awareness: dict[int, int] = {}
        # The editors (Yjs client ids) whose author this connection noted already: their
        # later first-items updates need no database lookup (services.record_update).
        self.noted_clients: set[int] = set()
        self.access_checked = time.monotonic()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        try:
            self.document = await self._get_document(user, self.scope["url_route"]["kwargs"]["pk"])
        except Http404:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if self.document.group.session.is_read_only:
            await self.close(code=CLOSE_READ_ONLY)
            self.document = None
            return
        self.group = room_of(self.document.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Before the sync: an update stored from now on is either in it or sent by the room.
        self.room = await Room.join(self, self.document.pk)
        state = await self._server_state()
        await self.send(bytes_data=sync_message(SYNC_STEP1, state))
        await self._relay(bytes([MESSAGE_QUERY_AWARENESS]), to_self=False)

    async def close(self, code=None, reason=None):
        self.closing = True
        await self._leave_room()
        await super().close(code=code, reason=reason)

    # Access, checked again while the socket is open: at each update stored, at each sync
    # request, every PREAU_LIVE_ACCESS_SECONDS (the room's timer), and at once when a
    # revocation is announced. Lost: closed, 4403 (4401 signed out or deactivated).

    async def check_access_if_due(self) -> None:
        every = getattr(settings, "PREAU_LIVE_ACCESS_SECONDS", 10)
        if not self.closing and time.monotonic() - self.access_checked >= every:
            await self.check_access()

    async def check_access(self) -> None:
        self.access_checked = time.monotonic()
        code = await database_sync_to_async(self._access_lost)()
        if code is not None and not self.closing:
            await self.close(code=code)

    async def revoke(self, event):
        if event.get("user") == self.scope["user"].pk and self.document is not None:
            await self.check_access()

    def _access_lost(self) -> int | None:
        """None while the person may still write the document, otherwise the close code."""
        user = self._current_user()
        if user is None:
            return CLOSE_NOT_SIGNED_IN
        try:
            document = get_document_or_404(user, self.document.pk)
        except Http404:
            return CLOSE_READ_ONLY
        return CLOSE_READ_ONLY if document.group.session.is_read_only else None

    def _current_user(self):
        """The person as the database has them now: signed out (their session deleted or
        expired), deactivated or their password changed elsewhere: None."""
        from django.contrib.auth import get_user, get_user_model

        connected = self.scope["user"]
        session = self.scope.get("session")
        key = getattr(session, "session_key", None) if session is not None else None
        if key:
            from importlib import import_module
            from types import SimpleNamespace

            store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
            user = get_user(SimpleNamespace(session=store))
            return user if user.is_authenticated and user.pk == connected.pk else None
        # (No session in the scope: tests that set the user themselves.)
        return get_user_model().objects.filter(pk=connected.pk, is_active=True).first()

    async def _leave_room(self) -> None:
        if self.room is not None:
            room, self.room = self.room, None
            # (Cursors handed over to another socket of the person are theirs to remove.)
            held = room.release(self)
            self.awareness = {c: k for c, k in self.awareness.items() if c in held}
            if room.leave(self):
                # The last editor of this process left: a good time to compact.
                await database_sync_to_async(_compact_if_due_later)(room.document_pk)

    async def disconnect(self, code):
        await self._leave_room()
        if self.document is None:
            return
        if self.awareness:
            await self._relay(awareness_removal(self.awareness), to_self=False)
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if self.document is None:
            return
        if bytes_data is None:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        if len(bytes_data) > MESSAGE_MAX_BYTES:
            await self.close(code=CLOSE_TOO_LARGE)
            return
        try:
            await self._handle(bytes_data)
        except BadMessage:
            await self.close(code=CLOSE_BAD_MESSAGE)
        except ValidationError as error:
            codes = {getattr(error, "code", None)}
            # The service's French message goes as the close frame's reason (the editor
            # shows it).
            reason = close_reason(" ".join(error.messages))
            if codes & {"too_large", "document_full"}:
                await self.close(code=CLOSE_TOO_LARGE, reason=reason)
            elif "invalid" in codes:
                await self.close(code=CLOSE_BAD_MESSAGE, reason=reason)
            else:  # the session was closed meanwhile
                await self.close(code=CLOSE_READ_ONLY, reason=reason)
        except PermissionDenied:
            await self.close(code=CLOSE_READ_ONLY)
        except AccessLost as lost:
            await self.close(code=lost.code)

    async def _handle(self, message: bytes) -> None:
        decoder = Decoder(message)
        kind = _read_var_uint(decoder)
        if kind == MESSAGE_SYNC:
            subtype = _read_var_uint(decoder)
            payload = _read_payload(decoder)
            if subtype == SYNC_STEP1:
                answer = await self._answer_sync(payload)
                await self.send(bytes_data=sync_message(SYNC_STEP2, answer))
            elif subtype in (SYNC_STEP2, SYNC_UPDATE):
                stored, others = await self._store(payload)
                if stored is not None:
                    # What was stored, which may be less than the payload (record_update): to
                    # this process's other sockets by the room (marked sent by _store), to the
                    # other processes' rooms through the channel layer.
                    row = (stored.pk, bytes(stored.data))
                    if self.room is not None:
                        await self.room.send([row], skip=self)
                    await self.channel_layer.group_send(self.group, update_event(row[1], row[0]))
                if others and self.room is not None:
                    await self.room.send(others)  # (stored elsewhere meanwhile)
            else:
                raise BadMessage
        elif kind == MESSAGE_AWARENESS:
            entries = self._own_cursors(awareness_entries(_read_payload(decoder)))
            if entries:
                await self._relay(awareness_message(entries), to_self=True)
        elif kind == MESSAGE_QUERY_AWARENESS:
            await self._relay(message, to_self=False)
        else:
            raise BadMessage

    def _own_cursors(self, entries: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """The awareness entries this socket may relay, as the server writes them: client ids
        it holds only (others are dropped), the person's name and colour from the database
        (not the client's), the cursor's two positions, the count of comment changes and
        nothing else."""
        user = self.scope["user"]
        who = {"name": user.get_full_name(), "colour": user.pk % COLOURS}
        kept = []
        for client, clock, state in entries:
            if self.room is None or not self.room.claim(client, self):
                continue
            if state != "null":
                cursor, comments = _cursor(state), _comments_count(state)
                state = json.dumps(
                    {
                        "user": who,
                        **({"cursor": cursor} if cursor else {}),
                        **({"comments": comments} if comments is not None else {}),
                    }
                )
            self.awareness[client] = clock
            kept.append((client, clock, state))
        return kept

    async def _relay(self, data: bytes, *, to_self: bool) -> None:
        """Cursors and awareness requests to the document's sockets, through the channel layer
        (a full queue drops one: the next cursor move replaces it). Updates go by the rooms."""
        await self.channel_layer.group_send(
            self.group,
            {"type": "relay", "data": data, "sender": None if to_self else self.channel_name},
        )

    async def relay(self, event):
        if "update_id" in event:
            # A stored update: the room sends it to all its sockets, once (update_event).
            if self.room is not None and self.room.take(event["update_id"]):
                await self.room.send([(event["update_id"], event["update"])])
            return
        if event["sender"] != self.channel_name and not self.closing:
            await self.send(bytes_data=event["data"])

    @database_sync_to_async
    def _get_document(self, user, pk):
        return get_document_or_404(user, pk)

    @database_sync_to_async
    def _server_state(self) -> bytes:
        return services.load(self.document).get_state()

    @database_sync_to_async
    def _answer_sync(self, state_vector: bytes) -> bytes:
        # (The whole document goes out: the person's access is read again first.)
        self.access_checked = time.monotonic()
        code = self._access_lost()
        if code is not None:
            raise AccessLost(code)
        try:
            crdt.read_state_vector(state_vector)  # strictly, before pycrdt sees it
            return crdt.update_since(services.load(self.document), state_vector)
        except crdt.InvalidUpdate as error:
            raise BadMessage from error

    @database_sync_to_async
    def _store(self, update: bytes) -> tuple["DocumentUpdate | None", list[tuple[int, bytes]]]:
        """The stored row (None: nothing stored), and the rows stored elsewhere
        that the room has not sent yet (read in the same trip to the database thread)."""
        # The person's access and the session's state are read again at each update: a member
        # taken out of the group, or a session closed, stops writing at once.
        try:
            document = get_document_or_404(self.scope["user"], self.document.pk)
        except Http404 as error:
            raise PermissionDenied from error
        row = services.record_update(
            document=document,
            update=update,
            by=self.scope["user"],
            known_clients=self.noted_clients,
        )
        room = self.room
        if row is not None and room is not None:
            # Marked here, before the room's next read of the database (same thread): the
            # consumer sends it to the other sockets (_handle), the room's read does not.
            room.take(row.pk)
        others = []
        if room is not None and time.monotonic() - room.last_read >= CATCH_UP_SECONDS:
            others = _unsent_rows(room)
        return row, others
