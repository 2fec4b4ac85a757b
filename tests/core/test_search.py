"""The one module for search terms and for people's order (preau/core/search.py): the parser
and its caps, accent folding, the `folded` lookup and the French collation on the database of
the run (the suite runs on SQLite and on PostgreSQL), and the pages that list people."""

import pytest
from django.db import connection
from django.urls import reverse

from preau.accounts.models import User
from preau.core.search import (
    MAX_CHARS,
    MAX_WORDS,
    SearchField,
    by_name,
    fold,
    parse,
    sorted_by_name,
    words_filter,
)
from preau.training.models import EnrolmentStatus
from tests import factories

# The order a French reader expects; byte order (PostgreSQL's "C" collation, SQLite's BINARY)
# puts « Éloi » and « Étienne » after « Zoé », and « de Villiers » after every capital.
FRENCH_ORDER = [
    "de Villiers",
    "Dupont",
    "Éloi",
    "Étienne",
    "Eve",
    "Gérard",
    "Guyot",
    "Le Gall",
    "Le Goff",
    "Legrand",
    "Zoé",
]


# Parsing ------------------------------------------------------------------------------------


def test_parse_collapses_blanks_and_keeps_the_words():
    terms = parse("  numérique \t à  l’école\n")

    assert terms.text == "numérique à l’école"
    assert terms.words == ["numérique", "à", "l’école"]
    assert not terms.cut


@pytest.mark.parametrize("raw", [None, "", "   ", "\x00", "\x00\x01\x1f\x7f"])
def test_parse_of_nothing_or_of_control_characters_is_no_search(raw):
    assert not parse(raw)
    assert parse(raw).words == []


def test_a_nul_byte_never_reaches_the_database_it_separates_words():
    assert parse("num\x00erique").words == ["num", "erique"]
    assert "\x00" not in parse("\x00" * 500).text


def test_parse_keeps_the_first_ten_words():
    terms = parse(" ".join(f"mot{n}" for n in range(1900)))

    assert terms.words == [f"mot{n}" for n in range(MAX_WORDS)]
    assert terms.cut


def test_parse_cuts_at_two_hundred_characters_on_a_word_boundary():
    terms = parse(" ".join(["anticonstitutionnellement"] * 9))

    assert len(terms.text) <= MAX_CHARS
    assert terms.words == ["anticonstitutionnellement"] * 7
    assert terms.cut


def test_one_word_longer_than_the_cap_is_cut_to_the_cap():
    terms = parse("a" * 5000)

    assert terms.text == "a" * MAX_CHARS and terms.cut


def test_exactly_at_the_caps_nothing_is_cut():
    assert not parse(" ".join(["mot"] * MAX_WORDS)).cut
    assert not parse("a" * MAX_CHARS).cut


def test_the_search_field_parses_and_never_refuses_a_long_query_or_a_nul():
    field = SearchField()

    assert field.clean("  ecole \x00 numerique ").text == "ecole numerique"
    assert field.clean("x " * 5000).words == ["x"] * MAX_WORDS
    assert field.widget.attrs["maxlength"] == str(MAX_CHARS)
    assert field.widget.input_type == "search"


# Folding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Élève", "eleve"),
        ("ÉCOLE", "ecole"),
        ("NUMÉRIQUE", "numerique"),
        ("Évaluation", "evaluation"),
        ("Œuvre", "oeuvre"),
        ("Lætitia", "laetitia"),
        ("Noël Çà", "noel ca"),
        ("l’école", "l'ecole"),
        ("26_A070_NUMLECT_1.0", "26_a070_numlect_1.0"),
    ],
)
def test_fold_removes_accents_ligatures_and_case(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["eleve", "ÉLÈVE", "Élève", "ELEVE", "oeuvre", "ŒUVRE", "l'oeuvre", "l’œuvre"]
)
def test_the_folded_lookup_compares_without_accents_or_case_on_the_database(query):
    wanted = factories.UserFactory(last_name="L’Œuvre-Élève")
    factories.UserFactory(last_name="Eleanor")

    assert list(User.objects.filter(words_filter(query, "last_name"))) == [wanted]


@pytest.mark.django_db
def test_every_word_must_be_found_in_one_of_the_fields():
    gerard = factories.UserFactory(first_name="Gérard", last_name="Étienne")
    factories.UserFactory(first_name="Gérard", last_name="Dupont")

    found = User.objects.filter(words_filter("gerard etienne", "first_name", "last_name"))

    assert list(found) == [gerard]
    assert User.objects.filter(words_filter("", "first_name")).count() == 2


@pytest.mark.django_db
def test_like_wildcards_in_a_query_are_plain_characters():
    factories.UserFactory(last_name="Dupont")

    assert not User.objects.filter(words_filter("%", "last_name")).exists()
    assert not User.objects.filter(words_filter("D_pont", "last_name")).exists()


# French order -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_are_sorted_the_french_way_by_the_database():
    for name in reversed(FRENCH_ORDER):
        factories.UserFactory(last_name=name)

    assert [u.last_name for u in User.objects.order_by(*by_name())] == FRENCH_ORDER
    assert [u.last_name for u in User.objects.all()] == FRENCH_ORDER  # the default order
    assert [u.last_name for u in User.objects.order_by(*by_name(descending=True))] == list(
        reversed(FRENCH_ORDER)
    )


@pytest.mark.django_db
def test_the_first_name_decides_between_two_equal_last_names():
    for first in ("Zoé", "Émile", "Eric", "Agnès"):
        factories.UserFactory(last_name="Martin", first_name=first)

    assert [u.first_name for u in User.objects.order_by(*by_name())] == [
        "Agnès",
        "Émile",
        "Eric",
        "Zoé",
    ]


@pytest.mark.django_db
def test_the_collation_pages_a_long_list_without_losing_anyone():
    names = [f"{prefix}{n:02d}" for prefix in ("É", "E", "Z", "é") for n in range(15)]
    for name in names:
        factories.UserFactory(last_name=name)
    ordered = User.objects.order_by(*by_name(), "pk")

    pages = [list(ordered[start : start + 7]) for start in range(0, len(names), 7)]

    assert sorted(u.pk for page in pages for u in page) == sorted(
        User.objects.values_list("pk", flat=True)
    )


def test_python_sorts_names_the_same_way():
    people = [User(last_name=name, first_name="") for name in reversed(FRENCH_ORDER)]

    assert [p.last_name for p in sorted_by_name(people)] == FRENCH_ORDER


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation of PostgreSQL")
@pytest.mark.django_db
def test_on_postgresql_the_collation_is_icu_french_and_the_wrapper_immutable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = 'preau_fr'")
        assert cursor.fetchone() == ("i",)
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'preau_unaccent'")
        assert cursor.fetchone() == ("i",)
        cursor.execute("SET LOCAL search_path = pg_catalog")
        cursor.execute("SELECT public.preau_unaccent('Élève ÉCOLE')")
        assert cursor.fetchone() == ("Eleve ECOLE",)


# Pages that list people -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sessions_participants_are_listed_in_french_order(client, cast, territory):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    for name in ("Guyot", "Gérard", "Étienne", "Zoé"):
        factories.EnrolmentFactory(
            session=session,
            user=factories.teacher(school=territory["caen_school"], last_name=name),
            status=EnrolmentStatus.ENROLLED,
        )
    client.force_login(cast["trainer"])

    response = client.get(reverse("training:manage", args=[session.pk]))

    assert [e.user.last_name for e in response.context["enrolled"]] == [
        "Étienne",
        "Gérard",
        "Guyot",
        "Zoé",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("sort", "descending"), [("nom", False), ("-nom", True)])
def test_the_ien_follow_up_sorts_teachers_the_french_way(client, cast, territory, sort, descending):
    for name in ("Guyot", "Gérard", "Étienne", "Zoé"):
        factories.teacher(school=territory["caen_school"], last_name=name, first_name="Ada")
    client.force_login(cast["ien"])

    response = client.get(
        reverse("hours:circonscription", args=[territory["caen"].code]), {"tri": sort}
    )

    others = {cast["teacher"].last_name}  # the cast's teacher of Caen Nord
    names = [
        r["last_name"] for r in response.context["page"].object_list if r["last_name"] not in others
    ]
    expected = ["Étienne", "Gérard", "Guyot", "Zoé"]
    assert names == (expected[::-1] if descending else expected)


# People search boxes ------------------------------------------------------------------------


@pytest.fixture
def caen_teachers(territory):
    school = territory["caen_school"]
    return {
        name: factories.teacher(school=school, last_name=name, first_name=first, email=email)
        for name, first, email in [
            ("Étienne", "Gérard", "gerard.etienne@ac-normandie.fr"),
            ("Guyot", "Élodie", "elodie.guyot@ac-normandie.fr"),
            ("Lefèvre", "Noël", "noel.lefevre@ac-normandie.fr"),
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("etienne", ["Étienne"]),
        ("ETIENNE", ["Étienne"]),
        ("gerard", ["Étienne"]),
        ("elodie guyot", ["Guyot"]),
        ("LEFEVRE noel", ["Lefèvre"]),
        ("noel.lefevre@", ["Lefèvre"]),
        ("ac-normandie", ["Étienne", "Guyot", "Lefèvre"]),
        ("Zorglub", []),
    ],
)
def test_the_ien_finds_a_teacher_of_the_follow_up_by_name_without_accents(
    client, cast, territory, caen_teachers, query, found
):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription", args=[territory["caen"].code])

    response = client.get(url, {"q": query})

    assert [r["last_name"] for r in response.context["page"].object_list] == found
    csv_text = client.get(
        reverse("hours:circonscription_csv", args=[territory["caen"].code]), {"q": query}
    ).getvalue()
    assert csv_text.decode("utf-8-sig").count("\n") == len(found) + 1  # header and rows


@pytest.mark.django_db
def test_the_follow_up_search_keeps_what_was_typed_and_is_capped(
    client, cast, territory, caen_teachers
):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription", args=[territory["caen"].code])

    content = client.get(url, {"q": "guyot\t " + "elodie " * 500}).content.decode()

    assert 'value="guyot elodie elodie' in content
    assert "Seuls les 10 premiers mots (200 caractères au plus) ont été cherchés." in content
    assert "Tous les enseignants" in content  # the way back to the whole list


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["etienne", "GERARD ETIENNE", "x " * 2000])
def test_the_technical_admin_finds_people_without_accents_and_caps_the_terms(
    client, caen_teachers, query
):
    # A name and address without an « x », which the capped query searches for.
    admin = factories.UserFactory(
        is_staff=True, is_superuser=True, last_name="Admin", first_name="Ada", email="a@preau.test"
    )
    client.force_login(admin)

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": query})

    assert response.status_code == 200
    found = [u.last_name for u in response.context["cl"].result_list]
    assert found == ([] if query.startswith("x") else ["Étienne"])


@pytest.mark.django_db
def test_a_nul_byte_in_the_admins_search_is_no_error(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "étienne\x00"})

    # Refused before any view (preau.core.middleware: a NUL byte anywhere is a 400).
    assert response.status_code == 400


def test_a_word_ending_exactly_at_the_character_cap_is_kept():
    words = ["a" * 99, "b" * 100, "c"]  # 99 + 1 + 100 = 200 characters, then « c »

    assert parse(" ".join(words)).words == words[:2]


def test_people_are_sorted_by_the_french_helpers_only():
    """An ORDER BY on last_name (or a Python sort of full names) is byte order: « Étienne »
    after « Zoé ». People are sorted by `by_name()` / `sorted_by_name()` (preau/core/search.py)."""
    import re
    from pathlib import Path

    import preau

    root = Path(preau.__path__[0])
    name = r"""["'](?:-?\w+__)?-?last_name["']"""
    byte_order = re.compile(
        rf"order_by\([^()]*{name}"  # order_by("last_name", …), over several lines too
        rf"|ordering\s*=\s*[\[(][^\])]*{name}"  # a Meta's or an admin's default order
        r"|sorted\([^()]*get_full_name\(\)",  # full names (« Anne Dupont ») sorted as text
        re.S,
    )
    found = [
        f"{path.relative_to(root)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts and path.relative_to(root).as_posix() != "core/search.py"
        for text in [path.read_text(encoding="utf-8")]
        for match in byte_order.finditer(text)
    ]
    assert not found, "Sort people with preau.core.search.by_name(): " + ", ".join(found)
