"""An open socket does not outlive its person's access: a member taken out of the group, an
enrolment cancelled, a person deactivated or signed out stops receiving the document's updates
and cannot ask for it whole. Access is read again at each sync request, every
PREAU_LIVE_ACCESS_SECONDS, and at once when a revocation is announced (remove_member,
unenrol)."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from preau.preparations import services
from preau.preparations.consumers import (
    CLOSE_NOT_SIGNED_IN,
    CLOSE_READ_ONLY,
    SYNC_STEP1,
    sync_message,
)
from preau.preparations.models import Membership
from preau.training import services as training_services
from preau.training.models import Enrolment

from .yclient import WebsocketCommunicator, YClient, url


@pytest.fixture
def slow_checks(settings):
    """No periodic check within a test: what closes the socket is the event under test."""
    settings.PREAU_LIVE_ACCESS_SECONDS = 3600


@pytest.fixture
def quick_checks(settings):
    settings.PREAU_LIVE_POLL_SECONDS = 0.05
    settings.PREAU_LIVE_ACCESS_SECONDS = 0.05


async def _closed_with(client, seconds: float = 3) -> int | None:
    for _i in range(int(seconds / 0.05)):
        await client.pump(timeout=0.05)
        if client.closed_code is not None:
            return client.closed_code
    return None


@pytest.mark.django_db(transaction=True)  # the revocation is announced once committed
def test_a_member_taken_out_of_the_group_is_closed_at_once(prep, slow_checks):
    async def scenario():
        dominique = YClient(prep["classmate"], prep["document"])
        camille = YClient(prep["teacher"], prep["document"])
        await dominique.connect()
        await camille.connect()
        await dominique.pump()
        await camille.pump()
        await sync_to_async(services.remove_member)(
            group=prep["group"], user=prep["classmate"], by=prep["trainer"]
        )

        assert await _closed_with(dominique) == CLOSE_READ_ONLY
        # The others stay, and what they type no longer reaches the one taken out.
        camille.type("après son départ")
        await camille.pump()
        await dominique.pump()
        assert camille.closed_code is None
        assert "après son départ" not in dominique.html
        await camille.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_enrolment_closes_the_socket_at_once(prep, slow_checks):
    async def scenario():
        dominique = YClient(prep["classmate"], prep["document"])
        await dominique.connect()
        await dominique.pump()
        enrolment = await sync_to_async(Enrolment.objects.get)(
            session=prep["session"], user=prep["classmate"]
        )
        await sync_to_async(training_services.unenrol)(enrolment=enrolment, by=prep["trainer"])

        assert await _closed_with(dominique) == CLOSE_READ_ONLY

    async_to_sync(scenario)()


@pytest.mark.django_db
def test_a_sync_request_after_losing_access_closes_the_socket(prep, slow_checks):
    """Taken out by another process (no announcement reaches this one): the next request for
    the whole document is refused."""

    async def scenario():
        dominique = YClient(prep["classmate"], prep["document"])
        await dominique.connect()
        await dominique.pump()
        await sync_to_async(
            Membership.objects.filter(group=prep["group"], user=prep["classmate"]).delete
        )()
        before = dominique.received
        await dominique.send(sync_message(SYNC_STEP1, b"\x00"))
        await dominique.pump()
        assert dominique.closed_code == CLOSE_READ_ONLY
        assert dominique.received == before  # no document sent

    async_to_sync(scenario)()


@pytest.mark.django_db
@pytest.mark.parametrize("loss", ["taken out", "deactivated"])
def test_access_is_checked_again_while_the_socket_is_quiet(prep, quick_checks, loss):
    async def scenario():
        dominique = YClient(prep["classmate"], prep["document"])
        await dominique.connect()
        await dominique.pump()
        if loss == "taken out":
            await sync_to_async(
                Membership.objects.filter(group=prep["group"], user=prep["classmate"]).delete
            )()
        else:
            prep["classmate"].is_active = False
            await sync_to_async(prep["classmate"].save)(update_fields=["is_active"])

        code = await _closed_with(dominique)
        assert code == (CLOSE_READ_ONLY if loss == "taken out" else CLOSE_NOT_SIGNED_IN)

    async_to_sync(scenario)()


@pytest.mark.django_db
def test_a_member_who_keeps_access_stays_connected(prep, quick_checks):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump(timeout=0.5)  # ten checks
        assert camille.closed_code is None
        await camille.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db
def test_signing_out_closes_the_socket(client, prep, settings, quick_checks):
    """Through config.asgi (the session cookie): the session deleted at sign-out, the socket
    opened with it closes, 4401."""
    from config.asgi import application

    client.force_login(prep["teacher"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def scenario():
        socket = WebsocketCommunicator(
            application,
            url(prep["document"]),
            headers=[(b"origin", b"http://localhost"), (b"cookie", cookie.encode())],
        )
        connected, _sub = await socket.connect()
        assert connected
        await socket.receive_output(1)  # the server's sync request
        await sync_to_async(client.logout)()
        for _i in range(60):
            message = await socket.receive_output(1)
            if message["type"] == "websocket.close":
                break
        assert message == {"type": "websocket.close", "code": CLOSE_NOT_SIGNED_IN}

    async_to_sync(scenario)()
