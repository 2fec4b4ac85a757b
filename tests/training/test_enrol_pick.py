"""Organisers pick participants among the teachers of the session's territory: a search by
name or school (case and accents aside), ticks kept across pages, then the same preview and
confirmation as a pasted list."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from preau.training import selectors
from preau.training.models import Enrolment
from preau.training.views.manage import PICK_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"


@pytest.fixture
def session(territory, cast):
    return factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


@pytest.fixture
def people(territory, cast):
    """Teachers of Caen Nord (the cast's Camille, Élodie Gérard, Noé Lefèvre at another school),
    a teacher of Bayeux, and the cast's trainer and tutor of Caen Nord."""
    pasteur = factories.SchoolFactory(
        circonscription=territory["caen"], name="École élémentaire Pasteur"
    )
    cast["teacher"].last_name = "Moreau"  # not a random name that a search below would find
    cast["teacher"].save(update_fields=["last_name"])
    return {
        "camille": cast["teacher"],
        "elodie": factories.teacher(
            school=territory["caen_school"], first_name="Élodie", last_name="Gérard"
        ),
        "noe": factories.teacher(school=pasteur, first_name="Noé", last_name="Lefèvre"),
        "bayeux": factories.teacher(school=territory["bayeux_school"], last_name="Bayeusain"),
    }


def url(session) -> str:
    return reverse("training:manage_enrol_pick", args=[session.pk])


def listed(response) -> list:
    return list(response.context["page"].object_list)


def test_the_list_holds_the_teachers_of_the_territory_not_yet_in_the_session(
    trainer_client, session, people, cast
):
    factories.EnrolmentFactory(session=session, user=people["camille"])

    response = trainer_client.get(url(session))

    assert response.status_code == 200
    assert set(listed(response)) == {people["elodie"], people["noe"]}
    page = response.content.decode()
    assert "Gérard" in page and "École élémentaire Pasteur" in page
    assert "Bayeusain" not in page


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("gerard", {"elodie"}),
        ("ELODIE GÉRARD", {"elodie"}),
        ("lefevre", {"noe"}),
        ("pasteur", {"noe"}),
        ("jules ferry", {"camille", "elodie"}),
        ("ecole", {"camille", "elodie", "noe"}),
        ("gerard pasteur", set()),
        ("bayeusain", set()),
    ],
)
def test_search_by_name_or_school_forgives_case_and_accents(session, people, q, found):
    ids = selectors.enrolment_candidate_ids(session, q)
    assert set(ids) == {people[name].pk for name in found}


def test_only_the_first_ten_words_of_a_search_count(session, people):
    q = " ".join(["gerard"] * 10 + ["mot-absent"])
    assert selectors.enrolment_candidate_ids(session, q) == [people["elodie"].pk]


def test_an_overlong_search_is_an_error_on_the_form_not_a_crash(trainer_client, session, people):
    response = trainer_client.post(url(session), {"q": "x" * 201, "action": "chercher"})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_a_null_byte_in_the_search_is_a_bad_request_not_a_crash(trainer_client, session, people):
    response = trainer_client.post(url(session), {"q": "gér\x00ard", "action": "chercher"})
    assert response.status_code == 400  # a NUL byte anywhere: refused by RejectNulBytesMiddleware


def test_htmx_search_returns_only_the_results(trainer_client, session, people):
    response = trainer_client.post(url(session), {"q": "lefevre"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lefèvre" in page and "Gérard" not in page
    assert "<h1>" not in page


def test_htmx_turns_pages_of_the_results(trainer_client, session, territory, people):
    factories.teachers_at(territory["caen_school"], PICK_PAGE_SIZE)
    response = trainer_client.post(url(session), {"page": "2"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Page 2 sur 2" in page and "Page précédente" in page
    assert f'data-hx-post="{url(session)}"' in page


def test_ticks_on_other_pages_travel_in_hidden_fields(trainer_client, session, territory, people):
    factories.teachers_at(territory["caen_school"], PICK_PAGE_SIZE)
    first_page = trainer_client.get(url(session))
    ticked = listed(first_page)[0]

    response = trainer_client.post(url(session), {"page": "2", "choisis": [str(ticked.pk)]})

    page = response.content.decode()
    assert ticked not in listed(response)
    assert f'<input type="hidden" name="choisis" value="{ticked.pk}">' in page
    assert "1 coché" in page


def test_ticked_teachers_go_to_the_preview_then_are_enrolled(
    trainer_client, session, people, django_capture_on_commit_callbacks
):
    ticked = [str(people["elodie"].pk), str(people["noe"].pk)]

    response = trainer_client.post(
        url(session), {"choisis": ticked, "group": "G2", "action": "verifier"}
    )

    assert response.status_code == 200
    assert [(f.user, f.fate, f.group) for f in response.context["fates"]] == [
        (people["elodie"], "enrol", "G2"),
        (people["noe"], "enrol", "G2"),
    ]
    assert not Enrolment.objects.exists()
    signed = response.context["confirm_form"]["lines"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            reverse("training:manage_enrol_confirm", args=[session.pk]),
            {"lines": signed},
            follow=True,
        )
    assert "2 personnes inscrites" in response.content.decode()
    assert set(session.enrolments.values_list("user", "group")) == {
        (people["elodie"].pk, "G2"),
        (people["noe"].pk, "G2"),
    }


def test_an_id_outside_the_territory_is_never_enrolled(trainer_client, session, people, cast):
    response = trainer_client.post(
        url(session),
        {"choisis": [str(people["bayeux"].pk), str(cast["tutor"].pk)], "action": "verifier"},
    )
    assert "fates" not in response.context
    assert "Aucune des personnes cochées ne peut plus être inscrite." in response.content.decode()


def test_verifying_with_nothing_ticked_says_so(trainer_client, session, people):
    response = trainer_client.post(url(session), {"action": "verifier"})
    assert "Cochez au moins une personne à inscrire." in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "1\x00", "12345678901", "-1", "²"])
def test_a_ticked_value_that_is_not_an_id_is_a_bad_request(trainer_client, session, bad):
    response = trainer_client.post(url(session), {"choisis": [bad], "action": "verifier"})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["trainer", "ien", "pilot", "manager", "admin"])
def test_the_organisers_of_the_session_may_pick(client, session, cast, who):
    client.force_login(cast[who])
    assert client.get(url(session)).status_code == 200


@pytest.mark.parametrize("who", ["other_trainer", "other_ien", "teacher"])
def test_anyone_else_gets_a_404(client, session, cast, territory, who):
    others = {
        "other_trainer": factories.with_role(Role.TRAINER, circonscription=territory["caen"]),
        "other_ien": cast["other_ien"],
        "teacher": cast["teacher"],
    }
    client.force_login(others[who])
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), {"action": "verifier"}).status_code == 404


def test_a_closed_session_refuses_picking(trainer_client, territory, cast):
    closed = factories.TrainingSessionFactory(
        closed=True, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    response = trainer_client.get(url(closed), follow=True)
    assert "on ne peut plus s’y inscrire" in response.content.decode()


PICK_QUERIES = [
    SESSION,
    USER,
    ROLES,
    BELL,
    "the session with its parcours, copy and territory, if the user manages it",
    "the ids, names and schools of the territory's teachers not in the session",
    "the teachers of the page, with their schools",
]


def test_the_pick_page_costs_the_same_with_10x_more_teachers(
    trainer_client, session, people, assert_fixed_query_count
):
    assert_fixed_query_count(url(session), PICK_QUERIES)


def test_the_preview_of_the_ticked_teachers_is_in_french_order(trainer_client, session, territory):
    names = ["Guyot", "Zoé", "Étienne", "Gérard"]
    ticked = [
        factories.teacher(school=territory["caen_school"], first_name="Ada", last_name=name)
        for name in names
    ]

    response = trainer_client.post(
        url(session), {"choisis": [str(t.pk) for t in ticked], "action": "verifier"}
    )

    listed = [f.user.last_name for f in response.context["fates"]]
    assert listed == ["Étienne", "Gérard", "Guyot", "Zoé"]
