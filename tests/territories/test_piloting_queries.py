"""Each piloting page costs a fixed number of queries, whatever the size of the territory.

Every case loads the page, makes the territory ten times bigger (départements,
circonscriptions, schools and teachers) and loads it again: the count must not move.
"""

import pytest
from django.urls import reverse

# Every signed-in page starts with these.
SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"


@pytest.mark.parametrize("member", ["pilot", "manager", "admin"])
def test_overview_of_departements_costs_six_queries(client, cast, assert_fixed_query_count, member):
    client.force_login(cast[member])

    assert_fixed_query_count(
        reverse("territories:overview"),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "count of the départements piloted (paginator)",
            "page of départements, with académie and counts as subqueries",
        ],
    )


def test_overview_of_an_ien_costs_six_queries(client, cast, assert_fixed_query_count):
    client.force_login(cast["ien"])

    assert_fixed_query_count(
        reverse("territories:overview"),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "count of the circonscriptions piloted (paginator)",
            "page of circonscriptions, with département and counts as subqueries",
        ],
    )


def test_departement_page_costs_seven_queries(client, cast, territory, assert_fixed_query_count):
    client.force_login(cast["pilot"])

    assert_fixed_query_count(
        reverse("territories:departement", args=[territory["calvados"].code]),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the département with its académie, if piloted",
            "count of its circonscriptions (paginator)",
            "page of circonscriptions, with counts as subqueries",
        ],
    )


def test_circonscription_page_costs_seven_queries(
    client, cast, territory, assert_fixed_query_count
):
    client.force_login(cast["ien"])

    assert_fixed_query_count(
        reverse("territories:circonscription", args=[territory["caen"].code]),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the circonscription with its département and académie, if piloted",
            "count of its schools (paginator)",
            "page of schools, with teacher counts as subqueries",
        ],
    )


def test_school_page_costs_seven_queries(client, cast, territory, assert_fixed_query_count):
    client.force_login(cast["ien"])

    assert_fixed_query_count(
        reverse("territories:school", args=[territory["caen_school"].uai]),
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "the school with its circonscription and département, if piloted",
            "count of its teachers (paginator)",
            "page of teachers",
        ],
    )
