"""Who may open which piloting page: the one who may, the colleague who partly may, the stranger.

A detail page that the user may not see answers 404, exactly like a code that does not exist,
so that nobody learns which territories exist by trying codes.
"""

import re

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from tests import factories

STRANGERS = ["teacher", "trainer", "tutor", "designer", "reviewer", "editorial", "nobody"]


def overview_url() -> str:
    return reverse("territories:overview")


def departement_url(departement) -> str:
    return reverse("territories:departement", args=[departement.code])


def circonscription_url(circonscription) -> str:
    return reverse("territories:circonscription", args=[circonscription.code])


def school_url(school) -> str:
    return reverse("territories:school", args=[school.uai])


def get_as(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def without_csrf_token(response) -> str:
    """The page as the user sees it, minus the CSRF token that changes with every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def other_academie():
    """Bretagne, with one of each territory, that nobody of the cast pilots."""
    finistere = factories.DepartementFactory(
        code="029",
        name="Finistère",
        academie=factories.AcademieFactory(code="A014", name="Rennes"),
    )
    quimper = factories.CirconscriptionFactory(name="Quimper", departement=finistere)
    return {
        "departement": finistere,
        "circonscription": quimper,
        "school": factories.SchoolFactory(circonscription=quimper, commune="Quimper"),
    }


@pytest.mark.parametrize("page", ["overview", "departement", "circonscription", "school"])
def test_anonymous_visitor_of_a_piloting_page_is_sent_to_the_sign_in_page(client, territory, page):
    url = {
        "overview": overview_url(),
        "departement": departement_url(territory["calvados"]),
        "circonscription": circonscription_url(territory["caen"]),
        "school": school_url(territory["caen_school"]),
    }[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# Overview -----------------------------------------------------------------------------------


@pytest.mark.parametrize("member", STRANGERS)
def test_overview_is_forbidden_to_people_who_pilot_nothing(client, cast, member):
    response = get_as(client, cast[member], overview_url())

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_ien_overview_lists_their_circonscription_and_no_other(client, cast, territory):
    response = get_as(client, cast["ien"], overview_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert circonscription_url(territory["caen"]) in content
    assert "Bayeux" not in content and "Saint-Lô" not in content


def test_neighbouring_ien_overview_lists_their_own_circonscription_only(client, cast, territory):
    response = get_as(client, cast["other_ien"], overview_url())

    content = response.content.decode()
    assert circonscription_url(territory["bayeux"]) in content
    assert "Caen Nord" not in content


def test_pilot_overview_lists_their_departement_and_no_other(client, cast, territory):
    response = get_as(client, cast["pilot"], overview_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert departement_url(territory["calvados"]) in content
    assert "Manche" not in content


def test_academic_manager_overview_lists_the_departements_of_their_academie_only(
    client, cast, territory, other_academie
):
    response = get_as(client, cast["manager"], overview_url())

    content = response.content.decode()
    assert departement_url(territory["calvados"]) in content
    assert departement_url(territory["manche"]) in content
    assert "Finistère" not in content


def test_admin_overview_lists_every_departement(client, cast, territory, other_academie):
    response = get_as(client, cast["admin"], overview_url())

    content = response.content.decode()
    for departement in [territory["calvados"], territory["manche"], other_academie["departement"]]:
        assert departement_url(departement) in content


def test_superuser_without_the_admin_role_pilots_like_an_admin(client, territory):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)

    response = get_as(client, superuser, departement_url(territory["manche"]))

    assert response.status_code == 200


# Département --------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["pilot", "manager", "admin"])
def test_departement_page_lists_its_circonscriptions_to_those_who_pilot_it(
    client, cast, territory, member
):
    response = get_as(client, cast[member], departement_url(territory["calvados"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Calvados (014)</h1>" in content
    assert circonscription_url(territory["caen"]) in content
    assert circonscription_url(territory["bayeux"]) in content


def test_pilot_of_the_calvados_cannot_see_the_manche(client, cast, territory):
    response = get_as(client, cast["pilot"], departement_url(territory["manche"]))

    assert response.status_code == 404


def test_academic_manager_cannot_see_a_departement_of_another_academie(
    client, cast, other_academie
):
    response = get_as(client, cast["manager"], departement_url(other_academie["departement"]))

    assert response.status_code == 404


@pytest.mark.parametrize("member", [*STRANGERS, "ien"])
def test_departement_page_is_not_found_for_those_who_do_not_pilot_it(
    client, cast, territory, member
):
    # An IEN pilots their circonscription, not the whole département around it.
    response = get_as(client, cast[member], departement_url(territory["calvados"]))

    assert response.status_code == 404


# Circonscription ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["ien", "pilot", "manager", "admin"])
def test_circonscription_page_lists_its_schools_to_those_who_pilot_it(
    client, cast, territory, member
):
    response = get_as(client, cast[member], circonscription_url(territory["caen"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Circonscription de Caen Nord</h1>" in content
    assert school_url(territory["caen_school"]) in content
    assert school_url(territory["bayeux_school"]) not in content


def test_ien_cannot_see_a_circonscription_of_another_ien(client, cast, territory):
    client.force_login(cast["other_ien"])

    assert client.get(circonscription_url(territory["bayeux"])).status_code == 200
    assert client.get(circonscription_url(territory["caen"])).status_code == 404


def test_pilot_of_the_calvados_cannot_see_a_circonscription_of_the_manche(client, cast, territory):
    client.force_login(cast["pilot"])

    assert client.get(circonscription_url(territory["bayeux"])).status_code == 200
    assert client.get(circonscription_url(territory["saint_lo"])).status_code == 404


def test_academic_manager_cannot_see_a_circonscription_of_another_academie(
    client, cast, other_academie
):
    url = circonscription_url(other_academie["circonscription"])

    assert get_as(client, cast["manager"], url).status_code == 404


@pytest.mark.parametrize("member", STRANGERS)
def test_circonscription_page_is_not_found_for_those_who_pilot_nothing(
    client, cast, territory, member
):
    response = get_as(client, cast[member], circonscription_url(territory["caen"]))

    assert response.status_code == 404


# School -------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["ien", "pilot", "manager", "admin"])
def test_school_page_lists_its_teachers_to_those_who_pilot_it(client, cast, territory, member):
    factories.teacher(school=territory["bayeux_school"], last_name="Ailleurs")

    response = get_as(client, cast[member], school_url(territory["caen_school"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>École Jules Ferry</h1>" in content
    assert f"<td>{cast['teacher'].last_name}</td>" in content
    assert "Ailleurs" not in content


def test_school_page_does_not_list_the_staff_who_are_not_teachers(client, cast, territory):
    factories.with_role(
        Role.TRAINER,
        user=factories.UserFactory(school=territory["caen_school"], role=False, last_name="Cpc"),
        circonscription=territory["caen"],
    )

    response = get_as(client, cast["ien"], school_url(territory["caen_school"]))

    assert "Cpc" not in response.content.decode()


def test_ien_cannot_see_a_school_of_another_circonscription(client, cast, territory):
    client.force_login(cast["other_ien"])

    assert client.get(school_url(territory["bayeux_school"])).status_code == 200
    assert client.get(school_url(territory["caen_school"])).status_code == 404


def test_pilot_of_the_calvados_cannot_see_a_school_of_the_manche(client, cast, territory):
    client.force_login(cast["pilot"])

    assert client.get(school_url(territory["bayeux_school"])).status_code == 200
    assert client.get(school_url(territory["saint_lo_school"])).status_code == 404


def test_academic_manager_cannot_see_a_school_of_another_academie(client, cast, other_academie):
    response = get_as(client, cast["manager"], school_url(other_academie["school"]))

    assert response.status_code == 404


def test_school_not_yet_in_a_circonscription_is_seen_by_the_pilot_not_by_the_ien(
    client, cast, territory
):
    # Freshly imported from the directory: the académie has not placed it yet.
    school = factories.SchoolFactory(circonscription=None, departement=territory["calvados"])

    assert get_as(client, cast["pilot"], school_url(school)).status_code == 200
    assert get_as(client, cast["ien"], school_url(school)).status_code == 404


def test_school_page_accepts_the_uai_in_lower_case(client, cast, territory):
    url = reverse("territories:school", args=[territory["caen_school"].uai.lower()])

    assert get_as(client, cast["ien"], url).status_code == 200


@pytest.mark.parametrize("member", STRANGERS)
def test_school_page_is_not_found_for_those_who_pilot_nothing(client, cast, territory, member):
    # The teacher of the school included: piloting pages are not for them.
    response = get_as(client, cast[member], school_url(territory["caen_school"]))

    assert response.status_code == 404


# A forbidden object looks like a missing one --------------------------------------------------


@pytest.mark.parametrize(
    ("member", "forbidden", "missing"),
    [
        ("pilot", lambda t: departement_url(t["manche"]), "/piloter/departements/099/"),
        ("ien", lambda t: circonscription_url(t["bayeux"]), "/piloter/circonscriptions/NOPE/"),
        ("ien", lambda t: school_url(t["saint_lo_school"]), "/piloter/ecoles/0750654D/"),
        ("teacher", lambda t: school_url(t["caen_school"]), "/piloter/ecoles/0750654D/"),
        ("nobody", lambda t: departement_url(t["calvados"]), "/piloter/departements/099/"),
    ],
    ids=["departement", "circonscription", "school", "teacher-school", "nobody-departement"],
)
def test_forbidden_territory_answers_exactly_like_a_missing_one(
    client, cast, territory, member, forbidden, missing
):
    client.force_login(cast[member])

    refused = client.get(forbidden(territory))
    absent = client.get(missing)

    assert refused.status_code == absent.status_code == 404
    assert without_csrf_token(refused) == without_csrf_token(absent)
    assert "Page introuvable" in without_csrf_token(refused)
