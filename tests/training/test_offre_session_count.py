"""The offre de parcours tells trainers how much each parcours has been used: the number of
sessions made from any of its versions (its lineage), computed in the page's own query."""

import csv
import io

import pytest
from django.urls import reverse

from preau.parcours import services as parcours_services
from preau.parcours.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
OFFRE = reverse("parcours:offre")


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


@pytest.fixture
def fluence(territory, cast):
    """Version 1.0 deployed in two sessions, then version 2.0 (published, the 1.0 archived)
    deployed in one more; and another parcours never deployed."""
    old = factories.ParcoursFactory(
        published=True, title="Fluence en lecture", academie=territory["academie"]
    )
    factories.TrainingSessionFactory.create_batch(2, source=old)
    factories.TrainingSessionFactory(source=old, archived=True)
    draft = parcours_services.create_new_version(parcours=old, by=cast["designer"])
    draft.status = Status.PUBLISHED
    draft.matricule = "26_A070_FLUENCE_2.0"
    draft.save(update_fields=["status", "matricule"])
    old.status = Status.ARCHIVED
    old.save(update_fields=["status"])
    factories.TrainingSessionFactory(source=draft)
    factories.ParcoursFactory(
        published=True, title="Jamais déployé", academie=territory["academie"]
    )
    return draft


def test_offre_counts_the_sessions_of_every_version_of_a_parcours(trainer_client, fluence):
    response = trainer_client.get(OFFRE)

    counts = {p.title: p.session_count for p in response.context["page"].object_list}
    assert counts == {"Fluence en lecture": 4, "Jamais déployé": 0}
    content = response.content.decode()
    assert "Déployé en 4 sessions, toutes versions confondues" in content
    assert "Aucune session pour l’instant" in content


def test_offre_says_one_session_in_the_singular(trainer_client, territory):
    parcours = factories.ParcoursFactory(published=True, academie=territory["academie"])
    factories.TrainingSessionFactory(source=parcours)

    content = trainer_client.get(OFFRE).content.decode()

    assert "Déployé en 1 session, toutes versions confondues" in content


def test_csv_export_and_print_page_carry_the_number_of_sessions(trainer_client, fluence):
    raw = b"".join(trainer_client.get(reverse("parcours:offre_csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))

    assert rows[0][-1] == "sessions"
    assert {row[1]: row[-1] for row in rows[1:]} == {
        "Fluence en lecture": "4",
        "Jamais déployé": "0",
    }
    printed = trainer_client.get(reverse("parcours:offre_print")).content.decode()
    assert "Déployé en 4 sessions" in printed


def test_open_access_catalogue_for_teachers_shows_no_session_count(client, cast, territory):
    module = factories.ParcoursFactory(open_access_module=True, academie=territory["academie"])
    factories.TrainingSessionFactory(source=module)
    client.force_login(cast["teacher"])

    content = client.get(reverse("parcours:formation")).content.decode()

    assert module.title in content and "Déployé en" not in content


def test_offre_query_count_does_not_grow_with_sessions(trainer_client, territory, count_queries):
    """The same six queries as tests/parcours/test_catalogue.py pins, with 2 then 20 parcours
    that have sessions."""
    queries = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "count of the parcours found (paginator)",
        "page of parcours, with their académie and number of sessions (subquery)",
        "audiences of the parcours of the page",
    ]
    for count in (2, 18):
        for _n in range(count):
            parcours = factories.ParcoursFactory(published=True, academie=territory["academie"])
            factories.TrainingSessionFactory.create_batch(2, source=parcours)
        with count_queries() as ran:
            response = trainer_client.get(OFFRE)
        assert response.status_code == 200
        assert all(p.session_count == 2 for p in response.context["page"].object_list)
        assert len(ran) == len(queries), ran.sql()
