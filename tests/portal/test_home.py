import re

import pytest

from preau.accounts.models import Role, User
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
SESSIONS_BY_STATUS = "training sessions of their territories counted by status"


def headings(response) -> list[str]:
    """The h2 of the page: one per space the person works in."""
    return [
        re.sub(r"\s+", " ", h).strip()
        for h in re.findall(r"<h2[^>]*>(.*?)</h2>", response.content.decode(), re.S)
    ]


def test_anonymous_visitor_gets_the_landing_page_inviting_to_sign_in(client, db):
    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Se former entre collègues, à son rythme</h1>" in content
    assert 'href="/compte/connexion/"' in content
    assert "Bonjour" not in content


@pytest.mark.parametrize(
    ("member", "space"),
    [
        ("teacher", "Se former"),
        ("trainer", "Former"),
        ("tutor", "Former"),
        ("designer", "Concevoir"),
        ("reviewer", "Concevoir"),
        ("editorial", "Concevoir"),
        ("ien", "Piloter"),
        ("pilot", "Piloter"),
        ("manager", "Piloter"),
        ("admin", "Piloter"),
    ],
)
def test_each_role_sees_the_heading_of_its_space_and_no_other(client, cast, member, space):
    client.force_login(cast[member])

    response = client.get("/")

    assert response.status_code == 200
    # Teachers, trainers and tutors also get their agenda of meetings and distance windows.
    agenda = ["Mon agenda"] if space in {"Se former", "Former"} else []
    assert headings(response) == [space, *agenda]


def test_person_without_any_role_is_told_so(client, cast):
    client.force_login(cast["nobody"])

    response = client.get("/")

    assert headings(response) == ["Aucun rôle ne vous est encore attribué"]
    assert "Votre gestionnaire académique peut vous en attribuer un." in response.content.decode()


def test_teacher_who_also_trains_sees_both_spaces(client, cast, territory):
    teacher = factories.with_role(
        Role.TRAINER, user=cast["teacher"], circonscription=territory["caen"]
    )
    client.force_login(teacher)

    assert headings(client.get("/")) == ["Se former", "Former", "Mon agenda"]


def test_teacher_home_shows_their_school_and_their_eighteen_hours(client, cast, territory):
    client.force_login(cast["teacher"])

    content = client.get("/").content.decode()

    assert "Bonjour Camille" in content
    assert "École Jules Ferry — Caen" in content
    assert f"UAI {territory['caen_school'].uai}" in content
    assert "circonscription de Caen Nord" in content
    assert "18 h d’animations pédagogiques et de formation continue" in content


@pytest.mark.parametrize(("quotite", "hours"), [(75, "13 h 30"), (50, "9 h"), (80, "14 h 24")])
def test_part_time_teacher_owes_hours_prorated_by_their_quotite(client, territory, quotite, hours):
    client.force_login(factories.teacher(school=territory["caen_school"], quotite=quotite))

    content = client.get("/").content.decode()

    assert f"{hours} d’animations pédagogiques" in content
    assert f"(18 h au prorata de votre quotité de {quotite} %)" in content


def test_teacher_whose_school_was_removed_is_told_who_can_fix_it(client, cast, territory):
    territory["caen_school"].delete()
    client.force_login(User.objects.get(pk=cast["teacher"].pk))

    content = client.get("/").content.decode()

    assert "Aucune école d’affectation n’est renseignée." in content


def test_trainer_home_names_the_territory_they_train_in(client, cast):
    client.force_login(cast["trainer"])

    assert "<li>Formateur — Caen Nord</li>" in client.get("/").content.decode()


def test_ien_home_lists_their_circonscription_with_its_counts(client, cast, territory):
    client.force_login(cast["ien"])

    content = client.get("/").content.decode()

    assert f'href="/piloter/circonscriptions/{territory["caen"].code}/"' in content
    assert "Bayeux" not in content


@pytest.mark.parametrize(("member", "departements"), [("pilot", 1), ("manager", 2)])
def test_departement_pilots_see_the_departements_they_pilot(client, cast, member, departements):
    client.force_login(cast[member])

    content = client.get("/").content.decode()

    assert 'href="/piloter/departements/014/"' in content
    assert ('href="/piloter/departements/050/"' in content) is (departements == 2)


def test_admin_home_links_to_every_territory_and_to_the_technical_admin(client, cast):
    admin = cast["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)

    content = client.get("/").content.decode()

    assert "Tous les territoires" in content
    assert 'href="/admin/"' in content


@pytest.mark.parametrize(
    ("member", "piloting_menu"),
    [("teacher", False), ("trainer", False), ("nobody", False), ("ien", True), ("pilot", True)],
)
def test_piloting_menu_entry_is_shown_to_piloting_roles_only(client, cast, member, piloting_menu):
    client.force_login(cast[member])

    content = client.get("/").content.decode()

    in_menu = re.search(r'class="fr-nav__link"\s+href="/piloter/"', content) is not None
    assert in_menu is piloting_menu


@pytest.mark.parametrize(
    ("member", "queries"),
    [
        (
            "teacher",
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                "their school with its circonscription and département",
                "their hour entries of the school year",
                "their enrolments in sessions still to count this year",
                "the distance minimum of their académie",
                "the open-access modules they joined",
                "their enrolments with sessions and next meeting",
                "their next meetings and current or next distance windows, in one UNION",
                "their sessions with forum posts they have not read, with the counts",
            ],
        ),
        (
            "trainer",
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                "their sessions with the counts and facts their next action is decided from",
                "their next meetings and current or next distance windows, in one UNION",
                "their sessions with forum posts they have not read, with the counts",
            ],
        ),
        ("designer", [SESSION, USER, ROLES, BELL, "their latest parcours with activity counts"]),
        ("reviewer", [SESSION, USER, ROLES, BELL, "how many parcours wait for their review"]),
        (
            "ien",
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                SESSIONS_BY_STATUS,
                "their circonscriptions with counts as subqueries",
                "union-meeting declarations waiting in each of them (one GROUP BY)",
            ],
        ),
        (
            "pilot",
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                SESSIONS_BY_STATUS,
                "their départements with counts as subqueries",
            ],
        ),
        (
            "manager",
            [
                SESSION,
                USER,
                ROLES,
                BELL,
                SESSIONS_BY_STATUS,
                "the départements of their académie, with counts",
            ],
        ),
        ("admin", [SESSION, USER, ROLES, BELL, SESSIONS_BY_STATUS]),
        ("nobody", [SESSION, USER, ROLES, BELL]),
    ],
)
def test_home_page_costs_a_fixed_number_of_queries_per_role(
    client, cast, assert_fixed_query_count, member, queries
):
    client.force_login(cast[member])

    assert_fixed_query_count("/", queries)


def test_landing_page_costs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
