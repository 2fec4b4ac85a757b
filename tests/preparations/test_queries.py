"""The preparation's page (its groups) and a group's page run a fixed number of queries,
whatever the number of groups and members."""

import pytest
from django.urls import reverse

from preau.preparations import services
from tests import factories

pytestmark = pytest.mark.django_db

# The preparation's page, for a trainer who manages the session (groups and forms):
ACTIVITY_QUERIES = [
    "the sign-in session",
    "the user",
    "the viewer's roles (the site menu)",
    "the activity with its section, parcours and session, among the viewer's sessions",
    "the session with may_manage",
    "is the viewer staff of the session",
    "is the viewer enrolled in the session",
    "the groups with their documents",
    "their memberships with their users (prefetch)",
    "the participants without a group (the add and hand forms)",
    "the participants without a group again (the hand form's choices)",
    "unread notifications of the person (the bell in the header)",
]


def _grow(prep, territory, groups: int) -> None:
    people = [factories.teacher(school=territory["caen_school"]) for _i in range(groups * 3)]
    for person in people:
        factories.EnrolmentFactory(session=prep["session"], user=person)
    services.make_random_groups(
        activity=prep["activity"], session=prep["session"], size=3, by=prep["trainer"], seed=1
    )
    # Two newcomers left without a group, as in the first case (Lou): the forms show.
    for _i in range(2):
        factories.EnrolmentFactory(
            session=prep["session"], user=factories.teacher(school=territory["caen_school"])
        )


def test_the_groups_page_runs_the_same_queries_with_2_or_20_groups(
    client, prep, territory, count_queries
):
    client.force_login(prep["trainer"])
    url = reverse("preparations:activity", args=[prep["activity"].pk])
    with count_queries() as few:
        assert client.get(url).status_code == 200
    assert len(few) == len(ACTIVITY_QUERIES), few.sql()

    _grow(prep, territory, 18)

    with count_queries() as many:
        response = client.get(url)
    assert len(response.context["groups"]) > 20
    assert len(many) == len(ACTIVITY_QUERIES), many.sql()


# A group's page (rename, delete), for a trainer who manages the session:
GROUP_QUERIES = [
    "the sign-in session",
    "the user",
    "the viewer's roles (the site menu)",
    "the group with its session and activity, among the sessions the viewer follows",
    "the session with may_manage",
    "the group's members, counted (the deletion's warning)",
    "unread notifications of the person (the bell in the header)",
]


def test_a_groups_page_runs_the_same_queries_with_2_or_20_members(
    client, prep, territory, count_queries
):
    client.force_login(prep["trainer"])
    url = reverse("preparations:group", args=[prep["group"].pk])
    with count_queries() as few:
        assert client.get(url).status_code == 200
    assert len(few) == len(GROUP_QUERIES), few.sql()

    # Ten times more of everything: members in this group, groups beside it, the territory.
    newcomers = [factories.teacher(school=territory["caen_school"]) for _i in range(18)]
    for person in newcomers:
        factories.EnrolmentFactory(session=prep["session"], user=person)
        services.add_member(group=prep["group"], user=person, by=prep["trainer"])
    _grow(prep, territory, 18)
    factories.grow(territory, factor=10)

    with count_queries() as many:
        response = client.get(url)
    assert response.context["members"] == 20
    assert len(many) == len(GROUP_QUERIES), many.sql()
