"""Integers, years and ids read from requests (preau.core.params), and the inputs that gave
server errors when the site was fuzzed (issue 14): each is now a 400, a 404 or a French error."""

import datetime

import pytest
from django.core.exceptions import BadRequest, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from preau.core import params
from preau.training import enrolment_lists
from preau.training.models import TrainingSession
from tests import factories

# The unit: ASCII digits within bounds, nothing else ---------------------------------------


@pytest.mark.parametrize(
    "value", ["²", "٣", "1²", "-1", "+1", "1.0", "1e3", " ", "a\x00b", "99999999999"]
)
def test_an_integer_param_refuses_anything_but_ascii_digits_within_bounds(value):
    with pytest.raises(BadRequest):
        params.int_param(QueryDict(mutable=True) | {"n": value}, "n")


def test_an_integer_param_reads_digits_and_gives_the_default_when_missing():
    data = QueryDict("n=42&e=")
    assert params.int_param(data, "n", lo=1, hi=100) == 42
    assert params.int_param(data, "e", default=7) == 7
    assert params.int_param(data, "absent", default=3) == 3
    with pytest.raises(BadRequest):
        params.int_param(data, "n", lo=1, hi=41)


def test_a_lenient_integer_param_falls_back_to_its_default():
    assert params.int_param(QueryDict("n=²"), "n", default=5, lenient=True) == 5


def test_a_year_outside_the_plausible_range_shows_the_default():
    assert params.year_param(QueryDict("annee=2025"), default=2026) == 2025
    for bad in ("1999", "2101", "²", "99999999999", "x"):
        assert params.year_param(QueryDict(f"annee={bad}"), default=2026) == 2026


def test_a_list_of_ids_keeps_only_valid_ids():
    data = QueryDict("t=3&t=²&t=0&t=99999999999&t=4&t=3&t=-2")
    assert params.ids_param(data, "t") == {3, 4}
    assert params.id_param(QueryDict("one=²"), "one") is None


# NUL bytes: refused before any view or database sees them ----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/verifier/?code=a%00b",
        "/sessions/verifier/a%00b/",
        "/heures/circonscriptions/a%00b/",
        "/piloter/circonscriptions/a%00b/",
        "/piloter/ecoles/a%00b/",
        "/rh/sessions-gaia/?q=a%00b",
        "/?a%00=1",
    ],
)
def test_a_nul_byte_in_a_path_or_query_is_a_bad_request(client, cast, path):
    client.force_login(cast["manager"])
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_in_a_posted_field_is_a_bad_request(client, cast, territory):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription", args=[territory["caen"].code])
    assert client.post(url, {"title": "a\x00b"}).status_code == 400


# The known causes, through HTTP ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["²", "99999999999", "-1", "x"])
def test_a_bad_year_shows_the_current_one(client, cast, territory, year):
    client.force_login(cast["pilot"])
    for url in (
        reverse("hours:departement", args=[territory["calvados"].code]),
        reverse("hours:circonscription", args=[territory["caen"].code]),
    ):
        response = client.get(f"{url}?annee={year}")
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_a_digit_like_gaia_search_is_not_a_server_error(client, cast):
    client.force_login(cast["manager"])
    for query in ("²", "99999999999999999999", "123"):
        assert client.get(reverse("hr:hr_sessions"), {"q": query}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 30, "0", "-4"])
def test_ticked_teachers_that_are_no_ids_are_ignored(client, cast, territory, value):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription", args=[territory["caen"].code])
    response = client.post(url, {"teachers": [value], "title": "Animation", "hours": "1"})
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["one", "selected"])
def test_attesting_a_non_id_is_not_a_server_error(client, cast, territory, field):
    session = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["trainer"])
    url = reverse("training:attestation", args=[session.pk])
    for value in ("²", "9" * 30):
        assert client.post(url, {field: value}).status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", ["99999999999", "100001", "²"])
def test_a_session_capacity_out_of_range_is_a_form_error(client, cast, territory, capacity):
    parcours = factories.ParcoursFactory(published=True, academie=territory["academie"])
    client.force_login(cast["trainer"])
    today = timezone.localdate()
    response = client.post(
        reverse("training:manage_create", args=[parcours.pk]),
        {
            "title": "Problèmes",
            "owner": f"c{territory['caen'].pk}",
            "start_date": (today + datetime.timedelta(days=3)).isoformat(),
            "end_date": (today + datetime.timedelta(days=9)).isoformat(),
            "capacity": capacity,
        },
    )
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_a_session_settings_capacity_out_of_range_is_a_form_error(client, cast, territory):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["trainer"])
    url = reverse("training:manage_settings", args=[session.pk])
    response = client.post(
        url,
        {
            "title": session.title,
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat(),
            "capacity": "99999999999",
            "attestation_rule": session.attestation_rule,
        },
    )
    assert response.status_code == 200
    assert "100 000 places au plus" in str(response.context["form"].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity is None


def test_an_enrolment_csv_with_a_huge_field_gets_a_french_error():
    with pytest.raises(ValidationError, match="La ligne 2 compte plus de 1000 caractères"):
        enrolment_lists.parse_csv(b"email\n" + b"a" * 128 * 1024 + b"@ac-normandie.fr\n")


def test_an_enrolment_csv_with_a_quote_never_closed_gets_a_french_error():
    data = b'"a@ac-normandie.fr\n' + (b"b" * 900 + b"\n") * 160
    with pytest.raises(ValidationError, match="ne se lit pas comme un tableau"):
        enrolment_lists.parse_csv(data)


def test_an_enrolment_csv_with_a_nul_byte_is_refused():
    with pytest.raises(ValidationError, match="caractères invalides"):
        enrolment_lists.parse_csv(b"a\x00@ac-normandie.fr\n")


@pytest.mark.django_db
def test_a_huge_enrolment_csv_field_through_the_page_is_a_form_error(client, cast, territory):
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["trainer"])
    upload = SimpleUploadedFile("liste.csv", b'"' + b"a" * 130_000 + b'"\n')
    response = client.post(
        reverse("training:manage_enrol", args=[session.pk]), {"mode": "fichier", "file": upload}
    )
    assert response.status_code == 200
    assert "compte plus de 1000 caractères" in response.content.decode()


def test_no_url_takes_an_unbounded_integer():
    """Ids in paths are `<id:pk>` (1 to 2,147,483,647), years `<year:year>`: Django's `<int:>`
    passes twenty digits to the database."""
    from django.urls.converters import IntConverter

    from tests.core.urlconf import walk

    # django-otp's own admin pages (technical staff only) are not ours to rewrite.
    unbounded = [
        route.name
        for route in walk()
        for piece in route.pieces
        if any(type(c) is IntConverter for c in getattr(piece, "converters", {}).values())
        and not route.name.startswith("admin:otp_")
    ]
    assert not unbounded, f"Use <id:…> instead of <int:…> in: {', '.join(unbounded)}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/99999999999/gestion/",
        "/sessions/0/gestion/",
        "/heures/1999/",
        "/heures/99999/fiche/",
    ],
)
def test_an_id_or_year_out_of_range_in_a_path_is_not_found(client, cast, path):
    client.force_login(cast["trainer"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["30/11/2026", "2026-13-01", "demain", "2026-11-31\x00"])
def test_a_commands_date_option_refuses_what_is_not_a_day_in_french(value):
    from django.core.management.base import CommandError

    from preau.core.params import command_date

    with pytest.raises(CommandError, match="Date invalide"):
        command_date(value)


def test_a_commands_date_option_reads_an_iso_day():
    import datetime

    from preau.core.params import command_date

    assert command_date("2026-12-01") == datetime.date(2026, 12, 1)


@pytest.mark.parametrize("code", ["²", "٣", "A٣", "A0²", "1000", "-1", ""])
def test_an_academie_code_of_the_schools_file_is_ascii_digits(code):
    from preau.territories.services import normalize_academie_code

    with pytest.raises(ValueError):
        normalize_academie_code(code)
    assert normalize_academie_code("a70") == normalize_academie_code("70") == "A070"


def test_a_version_typed_in_the_admin_that_is_no_number_gets_a_suffix():
    from preau.parcours.services import next_version

    assert next_version("2.1") == "3.0"
    assert next_version("²") == "².1"  # was ValueError: « ² » passes str.isdigit()
    assert next_version("٣.0") == "٣.0.1"  # not « 4.0 »
    assert next_version("bêta") == "bêta.1"


def test_is_digits_means_ascii_digits():
    assert params.is_digits("012345")
    for value in ("", "²", "٣", "12 3", "1a", "+1"):
        assert not params.is_digits(value)


# Guards: the mistakes that gave 500s are not written again ----------------------------------


def _code_tokens(path):
    """The tokens of a Python file that are code (no comments, strings or docstrings)."""
    import tokenize

    skip = {tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE}
    skip |= {getattr(tokenize, name) for name in ("FSTRING_MIDDLE",) if hasattr(tokenize, name)}
    with open(path, encoding="utf-8") as source:
        return [t for t in tokenize.generate_tokens(source.readline) if t.type not in skip]


def _preau_sources():
    from pathlib import Path

    import preau

    root = Path(preau.__path__[0])
    return [p for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts]


def test_no_code_trusts_str_isdigit():
    """`str.isdigit()` (and `isnumeric`, `isdecimal`) accept « ² » or « ٣ »: a number read from
    outside goes through preau.core.params (`parse_int`, `int_param`, `is_digits`)."""
    found = []
    for path in _preau_sources():
        if path.name == "params.py" and path.parent.name == "core":
            continue
        tokens = _code_tokens(path)
        for before, token in zip(tokens, tokens[1:], strict=False):
            if before.string == "." and token.string in {"isdigit", "isnumeric", "isdecimal"}:
                found.append(f"{path}:{token.start[0]}")
    assert not found, "Use preau.core.params instead of str.isdigit() in: " + ", ".join(found)


def test_no_view_calls_int_on_request_data():
    found = []
    for path in _preau_sources():
        tokens = _code_tokens(path)
        for i, token in enumerate(tokens[:-2]):
            if (
                token.string in {"int", "float", "Decimal"}
                and tokens[i + 1].string == "("
                and tokens[i + 2].string == "request"
            ):
                found.append(f"{path}:{token.start[0]}")
    assert not found, "Use preau.core.params.int_param in: " + ", ".join(found)
