"""The page listing a session's virtual classes and recordings runs a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from preau.virtualclasses import services
from preau.virtualclasses.models import Recording
from tests import factories

pytestmark = pytest.mark.django_db

# The session's rooms and recordings, for a participant:
SESSION_ROOMS_QUERIES = [
    "the sign-in session",
    "the user",
    "the session, among the sessions the person is a member of",
    "the session's meetings « à distance » without a room yet (none)",
    "the session's « Classe virtuelle » activities without a room yet (none)",
    "is the person a trainer of the session (delete links)",
    "the rooms with their meeting or activity",
    "their recordings (one prefetch)",
    "the person's roles (the site menu)",
    "unread notifications of the person (the bell in the header)",
]


def _grow(session, rooms: int) -> None:
    for i in range(rooms):
        meeting = factories.MeetingFactory(
            session=session, virtual=True, date=session.start_date + datetime.timedelta(days=i)
        )
        room = services.ensure_meeting_room(meeting=meeting)
        Recording.objects.bulk_create(
            Recording(room=room, record_id=f"{room.pk}-{n}", url=f"https://bbb.example/{n}")
            for n in range(3)
        )


def test_the_session_rooms_page_runs_the_same_queries_with_2_or_20_rooms(
    client, cast, territory, count_queries
):
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        participants=[cast["teacher"]],
    )
    client.force_login(cast["teacher"])
    url = reverse("virtualclasses:session", args=[session.pk])
    for total in (2, 20):
        _grow(session, total - session.virtual_rooms.count())
        with count_queries() as ran:
            response = client.get(url)
        assert response.status_code == 200
        assert len(ran) == len(SESSION_ROOMS_QUERIES), ran.sql()
    assert response.content.decode().count("Enregistrement ") == 60
