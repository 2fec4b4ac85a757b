"""Searching the offre de parcours, the open-access modules and the offre de formation forgives
accents and case, finds a parcours by its matricule, and is capped (preau/core/search.py).

Every test runs on both databases: PostgreSQL's French full text through `preau_unaccent`, and
SQLite's word search folded in Python.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.search import MAX_WORDS
from tests import factories

OFFRE = reverse("parcours:offre")
FORMATION = reverse("parcours:formation")
SESSIONS = reverse("training:offre")

UNACCENTED = {
    "numerique": "Le numérique à l’école",
    "NUMERIQUE": "Le numérique à l’école",
    "Numérique": "Le numérique à l’école",
    "ecole": "Le numérique à l’école",
    "ÉCOLE": "Le numérique à l’école",
    "eleve": "Écouter chaque élève",
    "ELEVE": "Écouter chaque élève",
    "evaluation": "L’évaluation positive",
    "Evaluation POSITIVE": "L’évaluation positive",
}


@pytest.fixture
def catalogue(territory):
    academie = territory["academie"]
    return [
        factories.ParcoursFactory(
            published=True,
            title="Le numérique à l’école",
            short_title="NUMECOLE",
            keywords="outils",
            academie=academie,
        ),
        factories.ParcoursFactory(
            published=True,
            title="Écouter chaque élève",
            short_title="ECOUTE",
            keywords="oral",
            academie=academie,
        ),
        factories.ParcoursFactory(
            published=True,
            title="L’évaluation positive",
            short_title="EVALPOS",
            keywords="bienveillance",
            academie=academie,
        ),
        factories.ParcoursFactory(
            published=True,
            title="Lire au cycle 2",
            short_title="NUMLECT",
            matricule="26_A070_NUMLECT_1.0",
            keywords="lecture",
            academie=academie,
        ),
    ]


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [item.title for item in response.context["page"].object_list]


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


@pytest.fixture
def teacher_client(client, cast):
    client.force_login(cast["teacher"])
    return client


# Offre de parcours -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "found"), UNACCENTED.items())
def test_the_offre_de_parcours_finds_words_without_their_accents_and_in_any_case(
    trainer_client, catalogue, query, found
):
    assert titles(trainer_client.get(OFFRE, {"q": query})) == [found]


@pytest.mark.parametrize("query", ["numérique", "numerique"])
def test_a_word_with_or_without_accents_finds_it_in_the_objectives_too(
    trainer_client, territory, query
):
    factories.ParcoursFactory(
        published=True,
        title="Outils pour la classe",
        objectives="Utiliser des ressources numériques.",
        academie=territory["academie"],
    )

    assert titles(trainer_client.get(OFFRE, {"q": query})) == ["Outils pour la classe"]


def test_an_accented_query_finds_a_text_typed_without_accents(trainer_client, territory):
    factories.ParcoursFactory(
        published=True, title="Ecole et familles", academie=territory["academie"]
    )

    assert titles(trainer_client.get(OFFRE, {"q": "École"})) == ["Ecole et familles"]


@pytest.mark.parametrize(
    "query",
    [
        "26_A070_NUMLECT_1.0",
        "NUMLECT",
        "numlect",
        "A070_NUMLECT",
        "26_a070_numlect_1.0",
        "NUMLECT_1",
        "26_A070_NUML",
    ],
)
def test_a_matricule_or_part_of_it_finds_its_parcours(trainer_client, catalogue, query):
    assert titles(trainer_client.get(OFFRE, {"q": query})) == ["Lire au cycle 2"]


def test_a_title_match_still_comes_first_without_accents(trainer_client, territory):
    academie = territory["academie"]
    factories.ParcoursFactory(
        published=True,
        title="Enseigner les fractions",
        objectives="Manipuler avec le numérique",
        academie=academie,
    )
    factories.ParcoursFactory(published=True, title="Le numérique", academie=academie)

    assert titles(trainer_client.get(OFFRE, {"q": "numerique"})) == [
        "Le numérique",
        "Enseigner les fractions",
    ]


def test_the_csv_export_and_the_printable_catalogue_search_the_same_way(trainer_client, catalogue):
    csv_text = b"".join(
        trainer_client.get(reverse("parcours:offre_csv"), {"q": "eleve"}).streaming_content
    ).decode("utf-8-sig")
    printed = trainer_client.get(reverse("parcours:offre_print"), {"q": "eleve"})

    assert "Écouter chaque élève" in csv_text and "Le numérique" not in csv_text
    assert [p.title for p in printed.context["parcours_list"]] == ["Écouter chaque élève"]


# Caps and what a request may hold ----------------------------------------------------------


def test_a_query_of_two_thousand_words_is_cut_to_its_first_words_and_says_so(
    trainer_client, catalogue
):
    query = "numerique " + " ".join(f"mot{n}" for n in range(1900))

    response = trainer_client.get(OFFRE, {"q": query})

    assert response.status_code == 200
    assert response.context["form"].search_terms().words == ["numerique"] + [
        f"mot{n}" for n in range(MAX_WORDS - 1)
    ]
    assert "Seuls les 10 premiers mots (200 caractères au plus) ont été cherchés." in (
        response.content.decode()
    )


def test_a_short_query_says_nothing_about_a_cut(trainer_client, catalogue):
    assert "premiers mots" not in trainer_client.get(OFFRE, {"q": "ecole"}).content.decode()


@pytest.mark.parametrize("url", [OFFRE, FORMATION, SESSIONS, reverse("parcours:offre_csv")])
def test_a_nul_byte_in_a_query_is_no_error(trainer_client, catalogue, url):
    response = trainer_client.get(url, {"q": "num\x00erique\x00"})

    assert response.status_code == 400  # a NUL byte anywhere: refused by RejectNulBytesMiddleware


def test_a_control_character_separates_words(trainer_client, catalogue):
    assert titles(trainer_client.get(OFFRE, {"q": "\x01eleve\x1f"})) == ["Écouter chaque élève"]


def test_the_search_box_shows_the_terms_searched_and_limits_typing(trainer_client, catalogue):
    content = trainer_client.get(OFFRE, {"q": "  ecole\x01  numerique "}).content.decode()

    assert 'value="ecole numerique"' in content
    assert 'maxlength="200"' in content


# Open-access modules and the offre de formation ----------------------------------------------


@pytest.mark.parametrize("query", ["eleve", "ELEVE", "élève"])
def test_the_open_access_modules_forgive_accents(teacher_client, territory, query):
    factories.ParcoursFactory(open_access_module=True, title="Écouter chaque élève")
    factories.ParcoursFactory(open_access_module=True, title="Chanter")

    assert titles(teacher_client.get(FORMATION, {"q": query})) == ["Écouter chaque élève"]


@pytest.mark.parametrize(
    "query", ["evaluation", "EVALUATION", "évaluation", "EVALPOS", "TEST_EVALP"]
)
def test_the_offre_de_formation_forgives_accents_and_knows_the_matricule(
    teacher_client, territory, catalogue, query
):
    evaluation = catalogue[2]
    for source, title in [(evaluation, "Session évaluation"), (catalogue[0], "Session numérique")]:
        factories.TrainingSessionFactory(
            open=True,
            source=source,
            title=title,
            circonscription=territory["caen"],
            start_date=timezone.localdate() + datetime.timedelta(days=14),
            self_enrolment=True,
        )

    assert titles(teacher_client.get(SESSIONS, {"q": query})) == ["Session évaluation"]
    response = teacher_client.get(SESSIONS, {"q": "x " * 50})
    assert response.context["form"].search_terms().cut
