"""Searching the GAIA sessions (the managers' list, a session's link candidates) forgives
accents and case, and a query cannot hurt: capped, NUL bytes and odd digits answered in 200."""

import pytest

from preau.core.search import MAX_WORDS
from preau.hr.models import HrSession
from tests import factories

LIST = "/rh/sessions-gaia/"


@pytest.fixture
def gaia_sessions(territory):
    def create(code, dispositif_title, module_title, place):
        return HrSession.objects.create(
            academie=territory["academie"],
            session_code=code,
            dispositif_code="26A0700001",
            dispositif_title=dispositif_title,
            module_code=int(code),
            module_title=module_title,
            place=place,
            starts_on="2026-10-01",
            ends_on="2026-10-01",
            source="gaia",
        )

    return [
        create("101", "Évaluer au cycle 2", "Évaluation des élèves", "École Jules Ferry, Évreux"),
        create("102", "Numérique éducatif", "ÉCRANS ET ÉLÈVES", "Collège Léon Blum, Caen"),
        create("103", "Mathématiques", "Fractions", "Lycée Malherbe, Caen"),
    ]


def codes(response) -> list[str]:
    assert response.status_code == 200
    return [s.session_code for s in response.context["page_obj"].object_list]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("evaluation", ["101"]),
        ("EVALUATION", ["101"]),
        ("évaluation", ["101"]),
        ("evreux", ["101"]),
        ("eleves", ["101", "102"]),
        ("Élèves", ["101", "102"]),
        ("numerique", ["102"]),
        ("leon blum", ["102"]),
        ("ecole ferry", ["101"]),
        ("103", ["103"]),
    ],
)
def test_the_gaia_sessions_list_forgives_accents_and_case(
    client, cast, gaia_sessions, query, found
):
    client.force_login(cast["manager"])

    assert codes(client.get(LIST, {"q": query})) == found


def test_a_sessions_link_candidates_forgive_accents(client, cast, territory, gaia_sessions):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["trainer"])

    response = client.get(f"/rh/session/{session.pk}/liens/", {"q": "ecrans eleves"})

    assert [c.session_code for c in response.context["candidates"]] == ["102"]


def test_a_query_of_two_thousand_words_is_cut_and_says_so(client, cast, gaia_sessions):
    client.force_login(cast["manager"])
    query = " ".join(["caen"] * 1900)

    response = client.get(LIST, {"q": query})

    assert codes(response) == ["102", "103"]
    assert response.context["terms"].words == ["caen"] * MAX_WORDS
    content = response.content.decode()
    assert "Seuls les 10 premiers mots (200 caractères au plus) ont été cherchés." in content
    assert f'value="{" ".join(["caen"] * MAX_WORDS)}"' in content


@pytest.mark.parametrize(
    "query", ["10\x001", "\x00", "9" * 40, "²", "١٢٣", "%", "_", "' OR 1=1 --"]
)
def test_odd_queries_answer_without_error(client, cast, territory, gaia_sessions, query):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["manager"])

    expected = 400 if "\x00" in query else 200  # NUL: refused by RejectNulBytesMiddleware
    assert client.get(LIST, {"q": query}).status_code == expected
    assert client.get(f"/rh/session/{session.pk}/liens/", {"q": query}).status_code == expected


def test_like_wildcards_are_searched_as_characters(client, cast, gaia_sessions):
    client.force_login(cast["manager"])

    assert codes(client.get(LIST, {"q": "%"})) == []
    assert codes(client.get(LIST, {"q": "_"})) == []


def test_a_search_keeps_the_lists_query_count(client, cast, territory, count_queries):
    client.force_login(cast["manager"])
    counts = []
    for first, count in ((1, 5), (100, 50)):
        HrSession.objects.bulk_create(
            HrSession(
                academie=territory["academie"],
                session_code=str(first + i),
                dispositif_code="26A0700001",
                module_title="Évaluation des élèves",
                module_code=1,
                place="Évreux",
                starts_on="2026-10-01",
                ends_on="2026-10-01",
                source="gaia",
            )
            for i in range(count)
        )
        with count_queries() as ran:
            assert codes(client.get(LIST, {"q": "EVALUATION evreux " * 20}))
        counts.append(len(ran))
    # session, user, roles (menu and access), count, rows, the bell: the words are one WHERE
    assert counts == [6, 6], counts
