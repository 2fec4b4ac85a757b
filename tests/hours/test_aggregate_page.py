"""The pilot team's page of the 18 hours: a département in aggregate, through HTTP."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from preau.hours import services
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"


def url(territory, year=2025):
    return reverse("hours:departement", args=[territory["calvados"].code]) + f"?annee={year}"


@pytest.fixture
def animation(cast, territory):
    teachers = [cast["teacher"], *factories.teachers_at(territory["caen_school"], 3)]
    services.record_animation(
        by=cast["ien"],
        circonscription=territory["caen"],
        title="Conférence",
        date=datetime.date(2025, 11, 5),
        presence_hours=D(3),
        attendees=teachers,
    )


def test_the_pilot_of_the_departement_sees_its_circonscriptions_in_aggregate(
    client, cast, territory, animation
):
    client.force_login(cast["pilot"])

    response = client.get(url(territory))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Caen Nord" in page and "Bayeux" in page
    assert "Saint-Lô" not in page  # Manche
    assert "12,0" in page  # 4 teachers × 3 h in Caen Nord, French decimals
    assert cast["teacher"].last_name not in page  # counts only, no names
    caen = territory["caen"]
    follow_up = reverse("hours:circonscription", args=[caen.code]) + "?annee=2025"
    # Caen Nord: 4 teachers missing training (animations only), 12 h; then the département.
    assert (
        f'<tr><th scope="row"><a href="{follow_up}">Caen Nord</a></th>'
        "<td>4</td><td>0</td><td>0</td><td>4</td><td>0</td><td>0</td><td>12,0</td></tr>"
    ) in re.sub(r">\s+<", "><", page)


@pytest.mark.parametrize("member", ["manager", "admin"])
def test_those_above_the_pilot_team_see_the_departement_too(client, cast, territory, member):
    client.force_login(cast[member])

    assert client.get(url(territory)).status_code == 200


@pytest.mark.parametrize("member", ["ien", "teacher", "trainer", "nobody"])
def test_others_get_a_404(client, cast, territory, member):
    client.force_login(cast[member])

    assert client.get(url(territory)).status_code == 404


def test_the_pilot_of_another_departement_gets_a_404(client, territory):
    other = factories.with_role("pilot", departement=territory["manche"])
    client.force_login(other)

    assert client.get(url(territory)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, territory):
    response = client.get(url(territory))

    assert response.status_code == 302


def test_the_page_costs_seven_queries_whatever_the_size(
    client, cast, territory, animation, assert_fixed_query_count
):
    client.force_login(cast["pilot"])

    assert_fixed_query_count(
        url(territory),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the département with its académie, if piloted",
            "its circonscriptions",
            "teachers in each status and hours, per circonscription (one GROUP BY)",
        ],
    )
