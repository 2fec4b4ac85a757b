"""Cursors (awareness) as the server relays them: the name and colour come from the database,
not from the client; a socket speaks only for the client ids it holds (another person's are
dropped); nothing else of a client's state is relayed."""

import pytest
from asgiref.sync import async_to_sync

from .yclient import YClient, awareness_message

pytestmark = pytest.mark.django_db


def _who(user) -> dict:
    return {"name": user.get_full_name(), "colour": user.pk % 8}


def test_a_forged_name_and_colour_are_replaced_by_the_persons_own(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()
        forged = {
            "user": {"name": "Formatrice <img src=x onerror=alert(1)>", "colour": "0 evil"},
            "cursor": {"anchor": None, "head": None},
            "script": "alert(1)",
        }

        await camille.send(awareness_message(42, 1, forged))
        await camille.pump()
        await dominique.pump()

        relayed = {42: {"user": _who(prep["teacher"]), "cursor": forged["cursor"]}}
        assert dominique.awareness[-1] == relayed
        await camille.disconnect()
        await dominique.disconnect()

    async_to_sync(scenario)()


def test_a_client_id_held_by_another_person_is_dropped(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()
        await camille.send(awareness_message(42, 1, {"user": {}}))
        await camille.pump()
        await dominique.pump()
        heard = len(camille.awareness)

        # Dominique speaks for Camille's client id: to move or remove her cursor.
        await dominique.send(awareness_message(42, 2, None))
        await dominique.send(awareness_message(43, 1, {"user": {}}))
        await dominique.pump()
        await camille.pump()

        assert camille.awareness[heard:] == [{43: {"user": _who(prep["classmate"])}}]
        await dominique.disconnect()
        await camille.pump()
        # Leaving removes her own cursor, not Camille's.
        assert camille.awareness[-1] == {43: None}
        await camille.disconnect()

    async_to_sync(scenario)()


def test_a_socket_speaks_for_a_few_client_ids_only(prep):
    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        await camille.connect()
        await camille.pump()
        for client in range(1, 11):
            await camille.send(awareness_message(client, 1, {"user": {}}))
        await camille.pump()

        assert sorted(c for states in camille.awareness for c in states) == [1, 2, 3, 4]
        await camille.disconnect()

    async_to_sync(scenario)()


def test_a_reloaded_tab_hands_its_client_id_over_to_the_new_socket(prep):
    async def scenario():
        before = YClient(prep["teacher"], prep["document"])
        after = YClient(prep["teacher"], prep["document"])
        await before.connect()
        await before.pump()
        await before.send(awareness_message(42, 1, {"user": {}}))
        await before.pump()
        await after.connect()
        await after.pump()

        await after.send(awareness_message(42, 2, {"user": {}}))
        await after.pump()
        assert after.awareness[-1] == {42: {"user": _who(prep["teacher"])}}
        await before.disconnect()
        await after.pump()
        assert {42: None} not in after.awareness  # not removed by the old socket leaving
        await after.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    ("sent", "relayed"),
    [(3, 3), (0, 0), ("3", None), (-1, None), (True, None), (10**6, None), ({"x": 1}, None)],
)
def test_the_count_of_comment_changes_is_relayed_when_it_is_a_small_number(prep, sent, relayed):
    """editor.js announces each comment change by a count in its awareness state, and the
    others reload their list when it moves: the count is relayed, anything else dropped."""

    async def scenario():
        camille = YClient(prep["teacher"], prep["document"])
        dominique = YClient(prep["classmate"], prep["document"])
        await camille.connect()
        await dominique.connect()
        await camille.pump()
        await dominique.pump()

        await camille.send(awareness_message(42, 1, {"user": {}, "comments": sent}))
        await camille.pump()
        await dominique.pump()

        expected = {"user": _who(prep["teacher"])}
        if relayed is not None:
            expected["comments"] = relayed
        assert dominique.awareness[-1] == {42: expected}
        await camille.disconnect()
        await dominique.disconnect()

    async_to_sync(scenario)()
