"""The département's 18-hours summary is in the menu of the pilot team and of the academic
managers (« Heures du département »), and nowhere else."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

ENTRY = "Heures du département"


@pytest.mark.parametrize("who", ["pilot", "manager"])
def test_pilots_and_academic_managers_have_the_entry_in_their_menu(client, cast, who):
    client.force_login(cast[who])
    page = client.get(reverse("portal:home")).content.decode()
    assert ENTRY in page
    assert f'href="{reverse("hours:departements")}"' in page


@pytest.mark.parametrize("who", ["teacher", "trainer", "tutor", "ien", "designer", "nobody"])
def test_other_roles_do_not_have_it(client, cast, who):
    client.force_login(cast[who])
    assert ENTRY not in client.get(reverse("portal:home")).content.decode()


def test_a_pilot_is_taken_to_the_summary_of_their_departement(client, cast, territory):
    client.force_login(cast["pilot"])
    response = client.get(reverse("hours:departements"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "hours:departement", args=[territory["calvados"].code]
    )
    assert "Les 18 heures : Calvados" in response.content.decode()


def test_an_academic_manager_chooses_among_the_departements_of_their_academie(
    client, cast, territory
):
    client.force_login(cast["manager"])
    response = client.get(reverse("hours:departements"))
    page = response.content.decode()
    assert response.status_code == 200
    for departement in ("calvados", "manche"):
        assert reverse("hours:departement", args=[territory[departement].code]) in page


def test_someone_who_pilots_no_departement_gets_a_403(client, cast):
    for who in ("ien", "teacher"):
        client.force_login(cast[who])
        assert client.get(reverse("hours:departements")).status_code == 403


def test_the_departement_page_of_the_territories_links_to_its_summary(client, cast, territory):
    client.force_login(cast["pilot"])
    code = territory["calvados"].code
    page = client.get(reverse("territories:departement", args=[code])).content.decode()
    assert reverse("hours:departement", args=[code]) in page


def test_a_pilot_of_two_departements_chooses_too(client, territory):
    pilot = factories.with_role(Role.PILOT, departement=territory["calvados"])
    factories.with_role(Role.PILOT, user=pilot, departement=territory["manche"])
    client.force_login(pilot)
    assert client.get(reverse("hours:departements")).status_code == 200


def test_the_list_of_departements_costs_the_same_queries_with_10x_more(
    client, cast, assert_fixed_query_count
):
    client.force_login(cast["manager"])
    assert_fixed_query_count(
        reverse("hours:departements"),
        [
            "session",
            "user",
            "roles of the user with their territories",
            "unread notifications of the person (the bell in the header)",
            "the first two départements piloted (one: straight to it)",
            "count of the départements piloted (paginator)",
            "page of départements with their académie",
        ],
    )
