"""The sessions of a territory, for those who pilot it: the IEN of the circonscription, the
pilot team of the département, the academic managers of the académie. They see participation
(enrolled, waiting, completed), never activity inside a session."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from preau.training.models import SessionStatus
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
NOT_PILOTS = ["teacher", "trainer", "tutor", "designer", "reviewer", "editorial", "nobody"]


def piloting_url() -> str:
    return reverse("training:piloting")


def circonscription_url(circonscription) -> str:
    return reverse("training:piloting_circonscription", args=[circonscription.code])


def departement_url(departement) -> str:
    return reverse("training:piloting_departement", args=[departement.code])


def get_as(client, user, url, data=None):
    client.force_login(user)
    return client.get(url, data)


def titles(response) -> set[str]:
    return {session.title for session in response.context["page"].object_list}


@pytest.fixture
def sessions(territory, cast):
    """One session per territory: Caen Nord (with participants), Bayeux, the Calvados itself,
    Saint-Lô (Manche)."""
    t = territory
    caen = factories.TrainingSessionFactory(
        open=True,
        title="Fluence en lecture — Caen Nord",
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
    )
    factories.EnrolmentFactory.create_batch(3, session=caen)
    factories.EnrolmentFactory.create_batch(2, session=caen, attested=True)
    factories.EnrolmentFactory(session=caen, waiting=True)
    factories.EnrolmentFactory(
        session=caen, user=factories.teacher(first_name="Zéphyrine", last_name="Participante")
    )
    return {
        "caen": caen,
        "bayeux": factories.TrainingSessionFactory(
            title="Calcul mental — Bayeux", circonscription=t["bayeux"]
        ),
        "calvados": factories.TrainingSessionFactory(
            closed=True,
            title="Direction d’école — Calvados",
            circonscription=None,
            departement=t["calvados"],
        ),
        "saint_lo": factories.TrainingSessionFactory(
            archived=True, title="Chorale — Saint-Lô", circonscription=t["saint_lo"]
        ),
    }


# Who sees what -----------------------------------------------------------------------------


def test_ien_sees_the_sessions_of_their_circonscription_with_participation_counts(
    client, cast, territory, sessions
):
    response = get_as(client, cast["ien"], circonscription_url(territory["caen"]))

    assert response.status_code == 200
    assert titles(response) == {"Fluence en lecture — Caen Nord"}
    content = response.content.decode()
    assert "Sessions de la circonscription de Caen Nord" in content
    row = response.context["page"].object_list[0]
    assert (row.enrolled_count, row.waiting_count, row.completed_count) == (6, 1, 2)
    assert cast["trainer"].get_full_name() in content
    assert f'href="{reverse("training:manage", args=[sessions["caen"].pk])}"' in content
    assert cast["tutor"].get_full_name() not in content  # trainers only
    assert "Ouverte" in content


def test_ien_sees_no_name_of_participant_nor_anything_of_their_activity(
    client, cast, territory, sessions
):
    content = get_as(client, cast["ien"], circonscription_url(territory["caen"])).content.decode()

    main = content[content.index("<main") : content.index("</main>")]
    # Names no other person of the fixtures can get by chance (factories draw French names).
    assert "Participante" not in main and "Zéphyrine" not in main
    for word in ("Présent", "Absent", "connexion", "Dernière"):
        assert word not in main


def test_ien_of_another_circonscription_cannot_see_them(client, cast, territory, sessions):
    assert get_as(
        client, cast["other_ien"], circonscription_url(territory["caen"])
    ).status_code == (404)
    response = get_as(client, cast["other_ien"], piloting_url())
    assert titles(response) == {"Calcul mental — Bayeux"}


def test_ien_overview_lists_their_circonscription_only_not_the_departement_sessions(
    client, cast, sessions
):
    assert titles(get_as(client, cast["ien"], piloting_url())) == {"Fluence en lecture — Caen Nord"}


def test_pilot_sees_the_sessions_of_the_departement_and_its_circonscriptions(
    client, cast, territory, sessions
):
    response = get_as(client, cast["pilot"], departement_url(territory["calvados"]))

    assert titles(response) == {
        "Fluence en lecture — Caen Nord",
        "Calcul mental — Bayeux",
        "Direction d’école — Calvados",
    }
    assert "Calvados (département)" in response.content.decode()
    assert (
        get_as(client, cast["pilot"], circonscription_url(territory["bayeux"])).status_code == 200
    )
    assert get_as(client, cast["pilot"], departement_url(territory["manche"])).status_code == 404
    assert get_as(
        client, cast["pilot"], circonscription_url(territory["saint_lo"])
    ).status_code == (404)


@pytest.mark.parametrize("member", ["manager", "admin"])
def test_academic_manager_and_admin_see_every_session_of_the_academie(
    client, cast, sessions, member
):
    assert len(titles(get_as(client, cast[member], piloting_url()))) == 4


def test_a_manager_of_another_academie_sees_none(client, sessions):
    other = factories.with_role(Role.ACADEMIC_MANAGER, academie=factories.AcademieFactory())

    assert titles(get_as(client, other, piloting_url())) == set()


@pytest.mark.parametrize("member", NOT_PILOTS)
def test_people_who_pilot_nothing_are_refused_the_overview(client, cast, sessions, member):
    assert get_as(client, cast[member], piloting_url()).status_code == 403


@pytest.mark.parametrize("member", NOT_PILOTS)
def test_people_who_pilot_nothing_get_404_on_a_territory(client, cast, territory, sessions, member):
    assert get_as(client, cast[member], circonscription_url(territory["caen"])).status_code == 404
    assert get_as(client, cast[member], departement_url(territory["calvados"])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, territory):
    url = circonscription_url(territory["caen"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# Filter, pagination, links -----------------------------------------------------------------


def test_sessions_are_filtered_by_status(client, cast, sessions):
    client.force_login(cast["manager"])

    assert titles(client.get(piloting_url(), {"status": SessionStatus.CLOSED})) == {
        "Direction d’école — Calvados"
    }
    archived = client.get(piloting_url(), {"status": SessionStatus.ARCHIVED})
    assert titles(archived) == {"Chorale — Saint-Lô"}
    assert "Tous les états" in archived.content.decode()
    assert len(titles(client.get(piloting_url(), {"status": "nimporte"}))) == 4


def test_pages_hold_fifty_sessions_and_page_links_keep_the_filter(client, cast, territory):
    for _n in range(51):
        factories.TrainingSessionFactory(circonscription=territory["caen"])
    client.force_login(cast["ien"])

    response = client.get(circonscription_url(territory["caen"]), {"status": "preparation"})

    assert len(response.context["page"].object_list) == 50
    assert "?status=preparation&amp;page=2" in response.content.decode()
    assert (
        len(
            client.get(circonscription_url(territory["caen"]), {"page": 2})
            .context["page"]
            .object_list
        )
        == 1
    )


def test_empty_territory_says_so(client, cast, territory):
    content = get_as(client, cast["ien"], circonscription_url(territory["caen"])).content.decode()

    assert "Aucune session de formation n’a encore été créée sur ce territoire." in content


def test_territory_pages_link_to_their_sessions(client, cast, territory):
    caen, calvados = territory["caen"], territory["calvados"]

    circonscription_page = get_as(
        client, cast["ien"], reverse("territories:circonscription", args=[caen.code])
    )
    departement_page = get_as(
        client, cast["pilot"], reverse("territories:departement", args=[calvados.code])
    )

    assert f'href="{circonscription_url(caen)}"' in circonscription_page.content.decode()
    assert f'href="{departement_url(calvados)}"' in departement_page.content.decode()


# Query counts ------------------------------------------------------------------------------


def add_sessions(circonscription, count: int) -> None:
    """`count` sessions with two trainers, a tutor and participants in every state."""
    for _n in range(count):
        session = factories.TrainingSessionFactory(open=True, circonscription=circonscription)
        factories.SessionStaffFactory.create_batch(2, session=session)
        factories.SessionStaffFactory(session=session, role="tutor")
        factories.EnrolmentFactory.create_batch(2, session=session)
        factories.EnrolmentFactory(session=session, attested=True)
        factories.EnrolmentFactory(session=session, waiting=True)


@pytest.fixture
def assert_same_queries_with_10x_sessions(client, territory, count_queries):
    def check(url: str, queries: list[str]) -> None:
        for count in (3, 27):  # 3, then 30 sessions: all on one page
            add_sessions(territory["caen"], count)
            with count_queries() as ran:
                response = client.get(url)
            assert response.status_code == 200
            assert response.context["page"].paginator.count == {3: 3, 27: 30}[count]
            expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
            assert len(ran) == len(queries), (
                f"{url} with {count} more sessions: {len(ran)} queries instead of "
                f"{len(queries)}.\nExpected:\n{expected}\n\nRan:\n{ran.sql()}"
            )

    return check


def test_circonscription_sessions_cost_eight_queries_whatever_their_number(
    client, cast, territory, assert_same_queries_with_10x_sessions
):
    client.force_login(cast["ien"])

    assert_same_queries_with_10x_sessions(
        circonscription_url(territory["caen"]),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the circonscription with its département and académie, if piloted",
            "count of its sessions (paginator)",
            "page of sessions, with territory, parcours and counts as subqueries",
            "trainers of the sessions of the page, with their user",
        ],
    )


def test_departement_sessions_cost_eight_queries_whatever_their_number(
    client, cast, territory, assert_same_queries_with_10x_sessions
):
    client.force_login(cast["pilot"])

    assert_same_queries_with_10x_sessions(
        departement_url(territory["calvados"]),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the département with its académie, if piloted",
            "count of its sessions (paginator)",
            "page of sessions, with territory, parcours and counts as subqueries",
            "trainers of the sessions of the page, with their user",
        ],
    )


def test_overview_of_sessions_costs_seven_queries_whatever_their_number(
    client, cast, assert_same_queries_with_10x_sessions
):
    client.force_login(cast["manager"])

    assert_same_queries_with_10x_sessions(
        piloting_url(),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "count of the sessions piloted (paginator)",
            "page of sessions, with territory, parcours and counts as subqueries",
            "trainers of the sessions of the page, with their user",
        ],
    )


def test_a_closed_session_is_said_close_not_fermer(client, cast, territory, sessions):
    """Django's own catalogue translates a bare "Close" as "Fermer": the label has a context."""
    response = get_as(client, cast["pilot"], departement_url(territory["calvados"]))

    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    assert "Close" in main and "Fermer" not in main


def test_piloted_session_counts_by_status_for_a_home_page_card(
    cast, sessions, django_assert_num_queries
):
    from preau.training.selectors import piloted_session_counts

    with django_assert_num_queries(2):  # roles of the user, then the counts
        counts = piloted_session_counts(cast["pilot"])

    assert counts == {"preparation": 1, "open": 1, "closed": 1, "archived": 0}
    assert piloted_session_counts(cast["ien"]) == {
        "preparation": 0, "open": 1, "closed": 0, "archived": 0,
    }  # fmt: skip
