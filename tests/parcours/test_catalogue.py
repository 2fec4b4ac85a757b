"""The offre de parcours: who may search it, what it finds, its exports, and what it costs.

The cast (tests/conftest.py) works in Normandie (A070): the trainer in the circonscription of
Caen Nord. Another académie, Besançon (A025), publishes parcours that Normandie must not see
unless they are labelled.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from preau.parcours.models import (
    Audience,
    Collection,
    Domain,
    Lineage,
    Origin,
    Parcours,
    Status,
    TargetAudience,
)
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
OFFRE = reverse("parcours:offre")
CSV_URL = reverse("parcours:offre_csv")
PRINT_URL = reverse("parcours:offre_print")

CATALOGUE_MEMBERS = [
    "trainer",
    "tutor",
    "designer",
    "reviewer",
    "editorial",
    "ien",
    "pilot",
    "manager",
    "admin",
]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="French full-text search runs on PostgreSQL"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the simple word search is SQLite's fallback"
)


@pytest.fixture
def normandie(territory):
    return territory["academie"]


@pytest.fixture
def besancon(db):
    return factories.AcademieFactory(code="A025", name="Besançon")


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


def published(**fields) -> Parcours:
    return factories.ParcoursFactory(published=True, **fields)


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def bulk_published(count: int, *, academie=None, prefix: str = "Parcours en nombre") -> None:
    """`count` published parcours of one académie with two audiences each, in four inserts."""
    lineages = Lineage.objects.bulk_create(Lineage() for _ in range(count))
    start = Parcours.objects.count()
    parcours = Parcours.objects.bulk_create(
        Parcours(
            lineage=lineage,
            title=f"{prefix} {start + i}",
            short_title=f"BULK{start + i}",
            matricule=f"26_BULK_{start + i}_1.0",
            status=Status.PUBLISHED,
            objectives="Enseigner la lecture au cycle 2.",
            duration_hours=Decimal(6),
            presence_hours=Decimal(3),
            distance_hours=Decimal(3),
            origin=Origin.ACADEMIE,
            academie=academie,
            domain=Domain.FRANCAIS,
        )
        for i, lineage in enumerate(lineages)
    )
    TargetAudience.objects.bulk_create(
        TargetAudience(parcours=p, audience=code)
        for p in parcours
        for code in (Audience.CYCLE_1, Audience.CYCLE_2)
    )


# Who may search --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [OFFRE, CSV_URL, PRINT_URL])
@pytest.mark.parametrize("member", CATALOGUE_MEMBERS)
def test_trainers_designers_and_piloting_roles_reach_the_offre_and_its_exports(
    client, cast, member, url
):
    client.force_login(cast[member])

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [OFFRE, CSV_URL, PRINT_URL])
@pytest.mark.parametrize("member", ["teacher", "nobody"])
def test_teachers_and_people_without_a_role_are_refused_the_offre_de_parcours(
    client, cast, member, url
):
    client.force_login(cast[member])

    assert client.get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(OFFRE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# What the offre contains -----------------------------------------------------------------


def test_offre_holds_own_academie_national_and_labelled_parcours_only(
    trainer_client, normandie, besancon
):
    published(title="Normand", academie=normandie)
    published(title="National", academie=None, origin=Origin.NATIONAL)
    published(title="Bisontin labellisé", academie=besancon, national_label=True)
    published(title="Bisontin", academie=besancon)

    response = trainer_client.get(OFFRE)

    assert titles(response) == ["Bisontin labellisé", "National", "Normand"]


@pytest.mark.parametrize(
    "trait", ["complete", "in_review", "archived", "template"], ids=lambda t: t
)
def test_offre_never_shows_a_parcours_that_is_not_published(trainer_client, normandie, trait):
    factories.ParcoursFactory(title="Pas publié", academie=normandie, **{trait: True})

    response = trainer_client.get(OFFRE, {"q": "publié"})

    assert titles(response) == []
    assert "Pas publié" not in trainer_client.get(OFFRE).content.decode()


def test_each_result_shows_what_a_trainer_needs_to_choose(trainer_client, normandie):
    p = published(
        title="Résoudre des problèmes au cycle 3",
        objectives="Construire une progression de problèmes à étapes.",
        duration_hours=Decimal(6),
        presence_hours=Decimal("1.5"),
        distance_hours=Decimal("4.5"),
        rhythm="1 h 30 par semaine pendant 4 semaines",
        authors="Équipe mathématiques du Calvados",
        validated_by="Anne Inspectrice (inspection)",
        academie=normandie,
        national_label=True,
    )

    content = trainer_client.get(OFFRE).content.decode()

    for fact in [
        "Résoudre des problèmes au cycle 3",
        "Construire une progression de problèmes à étapes.",
        "6 h",
        "1 h 30 en présence, 4 h 30 à distance",
        "1 h 30 par semaine pendant 4 semaines",
        "Équipe mathématiques du Calvados",
        "Anne Inspectrice (inspection)",
        "Label national",
        p.matricule,
        "Académie · Normandie",
        "Cycle 2 (CP-CE2)",
    ]:
        assert fact in content, fact
    assert f'href="{reverse("parcours:detail", args=[p.pk])}"' in content


def test_empty_offre_says_so_in_french(trainer_client):
    content = trainer_client.get(OFFRE).content.decode()

    assert "Aucun parcours n’est encore publié dans votre offre" in content
    assert "Aucun parcours trouvé" in content


def test_search_without_result_suggests_widening_the_filters(trainer_client, normandie):
    published(academie=normandie, domain=Domain.MATHEMATIQUES)

    content = trainer_client.get(OFFRE, {"domain": Domain.ARTS}).content.decode()

    assert "Aucun parcours ne correspond à votre recherche" in content
    assert "Élargissez la recherche" in content
    assert f'href="{OFFRE}">Effacer les filtres' in content


# Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("lt3", ["2 h"]),
        ("3-6", ["3 h", "4 h 30", "6 h"]),
        ("6-9", ["6 h", "9 h"]),
        ("gt9", ["12 h"]),
        ("", ["12 h", "2 h", "3 h", "4 h 30", "6 h", "9 h"]),
    ],
)
def test_duration_bands_include_their_bounds(trainer_client, normandie, band, expected):
    for hours, label in [("2", "2 h"), ("3", "3 h"), ("4.5", "4 h 30"), ("6", "6 h"),
                         ("9", "9 h"), ("12", "12 h")]:  # fmt: skip
        published(title=label, duration_hours=Decimal(hours), academie=normandie)

    assert titles(trainer_client.get(OFFRE, {"duration": band})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"origin": Origin.DEPARTEMENT}, ["Départemental"]),
        ({"label": "on"}, ["Labellisé"]),
        ({"collection": Collection.AUTOFORMATION}, ["Départemental"]),
        ({"domain": Domain.SCIENCES}, ["Labellisé"]),
        ({"audience": Audience.CYCLE_1}, ["Départemental"]),
        ({"audience": Audience.CYCLE_3, "domain": Domain.SCIENCES}, ["Labellisé"]),
        ({"audience": Audience.CYCLE_1, "domain": Domain.SCIENCES}, []),
    ],
    ids=["origin", "label", "collection", "domain", "audience", "two filters", "no match"],
)
def test_each_filter_keeps_only_the_parcours_it_names(trainer_client, normandie, params, expected):
    published(
        title="Départemental",
        origin=Origin.DEPARTEMENT,
        collection=Collection.AUTOFORMATION,
        domain=Domain.FRANCAIS,
        academie=normandie,
        audiences=[Audience.CYCLE_1, Audience.CYCLE_2],
    )
    published(
        title="Labellisé",
        origin=Origin.ACADEMIE,
        collection=Collection.HYBRID,
        domain=Domain.SCIENCES,
        academie=normandie,
        national_label=True,
        audiences=[Audience.CYCLE_3],
    )

    assert titles(trainer_client.get(OFFRE, params)) == expected


def test_an_unknown_filter_value_is_ignored_and_shown_as_an_error(trainer_client, normandie):
    published(title="Un parcours", academie=normandie)

    response = trainer_client.get(OFFRE, {"origin": "lune"})

    assert response.status_code == 200
    assert titles(response) == ["Un parcours"]
    assert "fr-select-group--error" in response.content.decode()


# Full-text search ------------------------------------------------------------------------


@on_postgresql
def test_french_search_ranks_a_title_match_before_text_matches(trainer_client, normandie):
    published(
        title="Enseigner les fractions",
        keywords="fractions, cycle 3",
        objectives="Utiliser le numérique en classe : outils numériques et ressources "
        "numériques pour manipuler les fractions.",
        academie=normandie,
    )
    published(title="Le numérique à l'école", keywords="", objectives="Ouvrir.", academie=normandie)
    published(title="Chanter au cycle 1", keywords="", objectives="Chanter.", academie=normandie)

    assert titles(trainer_client.get(OFFRE, {"q": "numérique"})) == [
        "Le numérique à l'école",
        "Enseigner les fractions",
    ]


@on_postgresql
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("fractions", "La fraction décimale"),
        ("écoles", "Le numérique à l'école"),
        ("numériques", "Le numérique à l'école"),
        ("enseigner la fraction", "La fraction décimale"),
    ],
)
def test_french_search_finds_words_by_their_stem(trainer_client, normandie, query, found):
    published(
        title="La fraction décimale", keywords="", objectives="Enseigner.", academie=normandie
    )
    published(title="Le numérique à l'école", keywords="", objectives="Ouvrir.", academie=normandie)

    assert titles(trainer_client.get(OFFRE, {"q": query})) == [found]


@on_postgresql
def test_french_search_combines_with_the_filters(trainer_client, normandie):
    published(title="Le numérique au cycle 1", academie=normandie, audiences=[Audience.CYCLE_1])
    published(title="Le numérique au cycle 3", academie=normandie, audiences=[Audience.CYCLE_3])

    response = trainer_client.get(OFFRE, {"q": "numérique", "audience": Audience.CYCLE_3})

    assert titles(response) == ["Le numérique au cycle 3"]


@on_sqlite
def test_sqlite_fallback_finds_every_word_anywhere_and_ranks_the_title_first(
    trainer_client, normandie
):
    published(title="Apprendre avec le numérique", keywords="", academie=normandie)
    published(
        title="Enseigner les fractions",
        keywords="numérique",
        objectives="Manipuler les fractions",
        academie=normandie,
    )
    published(title="Chanter", keywords="", objectives="Chanter ensemble", academie=normandie)

    assert titles(trainer_client.get(OFFRE, {"q": "numérique"})) == [
        "Apprendre avec le numérique",
        "Enseigner les fractions",
    ]
    assert titles(trainer_client.get(OFFRE, {"q": "fractions numérique"})) == [
        "Enseigner les fractions"
    ]


# Pagination and htmx ---------------------------------------------------------------------


def test_results_come_twenty_a_page_and_page_links_keep_the_filters(trainer_client, normandie):
    bulk_published(25, academie=normandie)

    first = trainer_client.get(OFFRE, {"domain": Domain.FRANCAIS})
    second = trainer_client.get(OFFRE, {"domain": Domain.FRANCAIS, "page": 2})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert "25 parcours trouvés" in first.content.decode()
    assert f'href="{OFFRE}?domain=francais&amp;page=2"' in first.content.decode()
    assert "Page 2 sur 2" in second.content.decode()


def test_htmx_request_gets_the_results_fragment_only(trainer_client, normandie):
    published(title="Le numérique à l'école", academie=normandie)

    response = trainer_client.get(OFFRE, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "<html" not in content
    assert "Rechercher et filtrer" not in content
    assert "Le numérique à l&#x27;école" in content
    # The count sits outside the fragment, in a live region that htmx updates out of band.
    assert '<p data-hx-swap-oob="innerHTML:#catalogue-count">' in content
    assert "HX-Request" in response["Vary"]


def test_htmx_restoring_history_gets_the_whole_page(trainer_client):
    response = trainer_client.get(
        OFFRE, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_filter_form_works_without_javascript_and_refreshes_results_with_htmx(trainer_client):
    content = trainer_client.get(OFFRE).content.decode()

    assert f'method="get"\n      action="{OFFRE}"' in content
    assert f'data-hx-get="{OFFRE}"' in content
    assert 'data-hx-target="#catalogue-results"' in content


# CSV export ------------------------------------------------------------------------------


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_streams_the_current_search_for_excel(trainer_client, normandie):
    p = published(
        title="Éveil à la diversité des langues",
        objectives="Découvrir; comparer des langues",
        duration_hours=Decimal(6),
        presence_hours=Decimal("1.5"),
        distance_hours=Decimal("4.5"),
        rhythm="1 h 30 par semaine",
        origin=Origin.ACADEMIE,
        collection=Collection.HYBRID,
        domain=Domain.LANGUES,
        authors="Équipe langues",
        validated_by="Anne Inspectrice (inspection)",
        national_label=True,
        academie=normandie,
        audiences=[Audience.CYCLE_1, Audience.CYCLE_2],
    )
    published(title="Hors recherche", domain=Domain.EPS, academie=normandie)

    response = trainer_client.get(CSV_URL, {"domain": Domain.LANGUES, "page": 3})

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="offre-de-parcours-')
    raw, rows = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbfmatricule;titre;")
    assert rows == [
        [
            "matricule", "titre", "objectifs", "durée", "présence", "distance", "rythme",
            "origine", "académie", "collection", "domaine", "publics", "auteurs",
            "validé par", "label national", "version", "sessions",
        ],
        [
            p.matricule, "Éveil à la diversité des langues", "Découvrir; comparer des langues",
            "6", "1,5", "4,5", "1 h 30 par semaine", "Académie", "Normandie",
            "Accompagné / hybride", "Langues vivantes", "Cycle 1 (maternelle), Cycle 2 (CP-CE2)",
            "Équipe langues", "Anne Inspectrice (inspection)", "oui", "1.0", "0",
        ],
    ]  # fmt: skip


def test_csv_export_never_lets_a_cell_start_a_formula(trainer_client, normandie):
    published(title='=HYPERLINK("http://example.org","clic")', academie=normandie)

    _raw, rows = read_csv(trainer_client.get(CSV_URL))

    assert rows[1][1] == '\'=HYPERLINK("http://example.org","clic")'


def test_csv_export_of_an_empty_search_has_the_header_only(trainer_client):
    _raw, rows = read_csv(trainer_client.get(CSV_URL, {"q": "introuvable"}))

    assert len(rows) == 1


# Printable catalogue ---------------------------------------------------------------------


def test_print_page_lists_every_result_of_the_search_with_the_filters_used(
    trainer_client, normandie
):
    bulk_published(25, academie=normandie)
    published(title="Sport au cycle 3", domain=Domain.EPS, academie=normandie)

    response = trainer_client.get(
        PRINT_URL, {"domain": Domain.FRANCAIS, "label": "", "q": "lecture", "page": 2}
    )

    content = response.content.decode()
    assert len(response.context["parcours_list"]) == 25
    assert content.count('class="preau-print-item"') == 25
    assert "Sport au cycle 3" not in content
    assert "Domaine : Français" in content
    assert "Mots cherchés : lecture" in content
    assert "Label national :" not in content
    assert "parcours/catalogue.css" in content
    assert "fr-pagination" not in content
    assert f'href="{OFFRE}?domain=francais&amp;label=&amp;q=lecture&amp;page=2"' in content


def test_print_page_says_when_the_search_is_too_big_to_print_whole(
    trainer_client, normandie, monkeypatch
):
    monkeypatch.setattr("preau.parcours.views.catalogue.PRINT_LIMIT", 3)
    bulk_published(4, academie=normandie)

    response = trainer_client.get(PRINT_URL)

    assert len(response.context["parcours_list"]) == 3
    assert "Seuls les 3 premiers parcours sont présentés" in response.content.decode()


def test_search_page_links_its_exports_with_the_current_filters(trainer_client, normandie):
    published(academie=normandie, domain=Domain.MATHEMATIQUES)

    content = trainer_client.get(
        OFFRE, {"domain": Domain.MATHEMATIQUES, "page": 1}
    ).content.decode()

    assert f'href="{CSV_URL}?domain=mathematiques"' in content
    assert f'href="{PRINT_URL}?domain=mathematiques"' in content


# Query counts ----------------------------------------------------------------------------


@pytest.fixture
def assert_same_queries_with_10_and_100_parcours(client, normandie, besancon, count_queries):
    """check(url, params, queries, headers=None, more=100): loads the page with 10 parcours in
    the offre (and 10 out of it), then with `more` more of each: both loads run exactly the
    queries named."""

    def check(url: str, params: dict, queries: list[str], headers=None, more=100) -> None:
        for count in (10, more):
            bulk_published(count, academie=normandie)
            bulk_published(count, academie=besancon, prefix="Ailleurs")
            with count_queries() as ran:
                response = client.get(url, params, headers=headers)
                if isinstance(response, StreamingHttpResponse):
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
            assert len(ran) == len(queries), (
                f"{url} with {count} more parcours: {len(ran)} queries instead of "
                f"{len(queries)}.\nExpected:\n{expected}\n\nRan:\n{ran.sql()}"
            )

    return check


@pytest.mark.parametrize("params", [{}, {"q": "lecture", "audience": "cycle2", "duration": "3-6"}])
def test_offre_search_costs_seven_queries_whatever_the_number_of_parcours(
    client, cast, assert_same_queries_with_10_and_100_parcours, params
):
    client.force_login(cast["trainer"])

    assert_same_queries_with_10_and_100_parcours(
        OFFRE,
        params,
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "count of the parcours found (paginator)",
            "page of parcours, with their académie",
            "audiences of the parcours of the page",
        ],
        more=1000,  # 10 then 1,010 parcours in the offre, as many outside it
    )


def test_offre_results_fragment_costs_six_queries(
    client, cast, assert_same_queries_with_10_and_100_parcours
):
    client.force_login(cast["trainer"])

    assert_same_queries_with_10_and_100_parcours(
        OFFRE,
        {"domain": Domain.FRANCAIS},
        [
            SESSION,
            USER,
            ROLES,
            "count of the parcours found (paginator)",
            "page of parcours, with their académie",
            "audiences of the parcours of the page",
        ],
        headers={"HX-Request": "true"},
    )


def test_print_page_costs_six_queries(client, cast, assert_same_queries_with_10_and_100_parcours):
    client.force_login(cast["trainer"])

    assert_same_queries_with_10_and_100_parcours(
        PRINT_URL,
        {},
        [
            SESSION,
            USER,
            ROLES,
            BELL,
            "every parcours found, with their académie",
            "audiences of those parcours",
        ],
    )


def test_csv_export_costs_five_queries_for_one_chunk_of_rows(
    client, cast, assert_same_queries_with_10_and_100_parcours
):
    client.force_login(cast["trainer"])

    assert_same_queries_with_10_and_100_parcours(
        CSV_URL,
        {},
        [
            SESSION,
            USER,
            ROLES,
            "parcours found, with their académie (one chunk of up to 500)",
            "audiences of the parcours of the chunk",
        ],
    )
