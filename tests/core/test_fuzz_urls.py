"""No input gives a server error: every URL of the URLconf, driven with random path and query
values (GET), and with random form fields (POST), as each role and signed out (issue 14).

Paths are built from the URLconf itself (`get_resolver()`, walked recursively): each
converter's segment is drawn from its own regex (hypothesis `from_regex`), from the ids and
codes of a small world (so real objects are reached, not only 404s), or from hostile strings
(NUL bytes, "²", twenty-digit numbers, non-ASCII, very long text). Query strings and POST
bodies draw their keys from every parameter the views read and every field of every form of
the project, and their values from the same hostile strings; file fields get random bytes.

A third of the POSTs go to a URL of the access matrix (tests/core/test_access_matrix.py) with its
real objects, as the one who may open it, so that random fields reach the forms past access; a
third go to the pages whose field names are built from primary keys (`q<question id>` of a
questionnaire, `status-<enrolment id>` of a roll call: `DYNAMIC_FIELDS`), with those names
drawn from the world's rows (a « ² » posted as an answer was a 500 no form declared).

Generated cases, per database: GET_EXAMPLES + POST_EXAMPLES = 2,500 + 1,500 = 4,000 requests
(identity drawn among 12 roles and signed out). Measured on the shared 2-core machine (load
~2.5): 42 s on SQLite, 56 s on PostgreSQL (plus the world, 2-4 s); about twice that under a
load of 7. A failure prints the request (hypothesis shrinks it to the smallest one that
still fails).
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter, PathConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preau.core.params import IdConverter

from .test_access_matrix import ACCESS, ARGS, _close
from .urlconf import Route, walk
from .world import build_world

pytestmark = pytest.mark.django_db

GET_EXAMPLES = 2500
POST_EXAMPLES = 1500
IDENTITIES = [
    "anonymous",
    "teacher",
    "trainer",
    "tutor",
    "designer",
    "reviewer",
    "editorial",
    "ien",
    "other_ien",
    "pilot",
    "manager",
    "admin",
    "nobody",
]

HOSTILE = [
    "",
    "0",
    "-1",
    "²",
    "٣",
    "1²",
    "99999999999",
    "9" * 30,
    "1e400",
    "NaN",
    "a\x00b",
    "\x00",
    "'; --",
    "<script>",
    "../../etc/passwd",
    "%",
    "é" * 300,
    "x" * 5000,
    "2025",
    "2000-02-30",
    "31/02/2026",
    "true",
    "on",
]
PARAM_SOURCE = re.compile(r"""request\.(?:GET|POST)\.(?:get|getlist)\(\s*["']([^"']+)["']""")


ROUTES = walk()
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _form_classes() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    import preau

    for module in pkgutil.walk_packages(preau.__path__, "preau."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("preau."):
            found.append(cls)
    return found


def _field_names() -> tuple[list[str], set[str]]:
    """(every field name of every project form and every parameter a view reads, the names
    of file fields)."""
    names, files = set(), set()
    for form in _form_classes():
        for name, field in getattr(form, "base_fields", {}).items():
            names.add(name)
            if isinstance(field, forms.FileField):
                files.add(name)
    for config in apps.get_app_configs():
        if not config.name.startswith("preau."):
            continue
        for path in __import__("pathlib").Path(config.path).rglob("*.py"):
            names.update(PARAM_SOURCE.findall(path.read_text()))
    # Prefixed forms (the HR upload page) and Django's own.
    names |= {f"gaia-{n}" for n in names} | {f"sofia-{n}" for n in names}
    names |= {"next", "csrfmiddlewaretoken", "action", "_selected_action", "post", "q", "p", "o"}
    return sorted(names), files


FIELD_NAMES, FILE_FIELDS = _field_names()


@dataclass(frozen=True)
class Dynamic:
    """Field names made of a prefix and primary keys, posted to the page `url` (a name of the
    access matrix, opened by its `who` with its objects); `pks` gives the world's keys."""

    url: str
    pks: object  # world -> iterable of primary keys


DYNAMIC_FIELDS = {
    "q": Dynamic(
        "questionnaires:answer",
        lambda w: w["positioning"].questions.values_list("pk", flat=True),
    ),
    "status-": Dynamic(
        "training:attendance", lambda w: w["enrolments"].values_list("pk", flat=True)
    ),
}
TEMPLATE_NAME = re.compile(r"""\bname=["']([^"'{]+)\{\{""")


def _template_files():
    root = Path(__file__).resolve().parents[2]
    return [*(root / "templates").rglob("*.html"), *(root / "preau").rglob("templates/**/*.html")]


def dynamic_names(world) -> dict[str, list[str]]:
    """{url name: the field names built from the world's rows that this page reads}."""
    names: dict[str, list[str]] = {}
    for prefix, dynamic in DYNAMIC_FIELDS.items():
        names.setdefault(dynamic.url, []).extend(f"{prefix}{pk}" for pk in dynamic.pks(world))
    return names


def digit_like():
    """Text that `str.isdigit()` takes for a number and `int()` may not: Unicode digits (Nd)
    and other numbers (No: « ² », « ① »), alone or mixed with ASCII digits."""
    return st.one_of(
        st.sampled_from(["²", "٣", "1²", "①", "¹²"]),
        st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=4),
        st.text(st.sampled_from("0123456789²³¹٣"), min_size=1, max_size=4),
    )


def hostile_text():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        digit_like(),
    )


def segment(converter, ids: list[int], codes: list[str]):
    own = st.from_regex(converter.regex, fullmatch=True)
    if isinstance(converter, IntConverter | IdConverter):
        own = st.one_of(own, st.sampled_from(ids), st.sampled_from([0, 2**31, 10**25]))
    else:
        own = st.one_of(own.filter(lambda s: len(s) < 200), st.sampled_from(codes))
    return st.one_of(own, own, own, hostile_text().filter(bool))


def path_of(route: Route, ids: list[int], codes: list[str]):
    """A strategy for paths of this route: literal text kept, each parameter drawn."""
    parts = []
    for piece in route.pieces:
        if isinstance(piece, RoutePattern):
            text, last = str(piece._route), 0
            for match in ROUTE_PARAM.finditer(text):
                parts.append(st.just(text[last : match.start()]))
                converter = piece.converters[match["parameter"]]
                safe = "/" if isinstance(converter, PathConverter) else ""
                parts.append(
                    segment(converter, ids, codes).map(lambda v, s=safe: quote(str(v), safe=s))
                )
                last = match.end()
            parts.append(st.just(text[last:]))
        elif isinstance(piece, RegexPattern):
            regex = piece._regex
            parts.append(
                st.one_of(
                    st.from_regex(regex, fullmatch=True).filter(lambda s: len(s) < 200),
                    hostile_text(),
                ).map(lambda v: quote(v, safe="/"))
            )
    return st.tuples(*parts).map(lambda ps: "/" + "".join(ps))


def query():
    return st.dictionaries(
        st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), hostile_text(), max_size=4
    )


def post_body(names=()):
    """A POST body: up to 8 fields, their names drawn from the project's (`FIELD_NAMES`) and
    from `names` (built from the world's rows), their values hostile."""

    def build(pairs):
        data = {}
        for name, value in pairs:
            if name in FILE_FIELDS:
                data[name] = SimpleUploadedFile(
                    f"{name}.csv", value.encode("utf-8", "surrogatepass")
                )
            else:
                data.setdefault(name, []).append(value)
        return data

    value = st.one_of(hostile_text(), st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
    pair = st.tuples(st.sampled_from(FIELD_NAMES), value)
    if names:
        # A name built from a primary key mostly carries a number (an option, a status).
        built = st.tuples(st.sampled_from(sorted(names)), st.one_of(digit_like(), value))
        pair = st.one_of(built, pair)
    return st.lists(pair, max_size=8).map(build)


@pytest.fixture
def world_ids(cast, territory):
    world = build_world(cast, territory)
    ids = sorted(
        {
            pk
            for model in apps.get_models()
            if model._meta.app_label in {"training", "parcours", "hours", "hr", "accounts"}
            for pk in model.objects.values_list("pk", flat=True)[:40]
            if isinstance(pk, int)
        }
    )
    t = territory
    codes = [
        t["caen"].code,
        t["bayeux"].code,
        t["calvados"].code,
        t["manche"].code,
        t["caen_school"].uai,
        t["academie"].code,
        world["enrolment"].certificate_code,
        world["feed"].token,
        "file",
        "thumbnail",
    ]
    return ids, codes, world | {"territory": territory}


def _clients(cast) -> dict[str, Client]:
    clients = {}
    for identity in IDENTITIES:
        clients[identity] = Client(raise_request_exception=True)
        if identity != "anonymous":
            clients[identity].force_login(cast[identity])
    return clients


def _check(response, identity, method, url):
    if response.streaming:  # a file (report, PDF) stays open until the response is closed
        _close(response)
    assert response.status_code < 500, f"{method} {url!r} as {identity}: {response.status_code}"


def _routes(world_ids):
    ids, codes, _ = world_ids
    return st.one_of(*(path_of(route, ids, codes) for route in ROUTES))


def _granted(world) -> list[tuple[str, str]]:
    """(role, path) of every URL with the real objects, as the one who may open it (the rows
    of the access matrix): random fields then reach the forms themselves, past access."""
    return [(row.who, reverse(name, args=ARGS[row.args](world))) for name, row in ACCESS.items()]


def test_no_url_answers_a_server_error_to_random_path_and_query(cast, world_ids):
    clients = _clients(cast)

    @settings(
        max_examples=GET_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        identity=st.sampled_from(IDENTITIES),
        path=_routes(world_ids),
        params=query(),
        htmx=st.booleans(),
    )
    def get(identity, path, params, htmx):
        url = f"{path}?{urlencode(params)}" if params else path
        headers = {"HX-Request": "true"} if htmx else {}
        _check(clients[identity].get(url, headers=headers), identity, "GET", url)

    get()


def test_every_field_name_a_template_builds_from_a_value_is_known_to_the_fuzzer():
    """`name="q{{ question.pk }}"` in a template is a field no form declares: its prefix must be
    in DYNAMIC_FIELDS, or random values would never reach the code that reads it."""
    built = {
        prefix
        for path in _template_files()
        for prefix in TEMPLATE_NAME.findall(path.read_text(encoding="utf-8"))
    }
    assert "q" in built  # the scan sees the questionnaire's answers
    assert built <= DYNAMIC_FIELDS.keys(), f"Add to DYNAMIC_FIELDS: {built - DYNAMIC_FIELDS.keys()}"


def test_no_form_answers_a_server_error_to_random_fields(cast, world_ids):
    clients = _clients(cast)
    world = world_ids[2]
    dynamic = dynamic_names(world)
    every_dynamic_name = [name for names in dynamic.values() for name in names]
    assert all(dynamic.values()), dynamic  # the world has rows behind every dynamic name

    anyone_anywhere = st.tuples(
        st.sampled_from(IDENTITIES), _routes(world_ids), post_body(every_dynamic_name)
    )
    the_one_who_may = st.sampled_from(_granted(world)).flatmap(
        lambda target: st.tuples(st.just(target[0]), st.just(target[1]), post_body())
    )
    built_names = st.sampled_from(sorted(dynamic)).flatmap(
        lambda url: st.tuples(
            st.just(ACCESS[url].who),
            st.just(reverse(url, args=ARGS[ACCESS[url].args](world))),
            post_body(dynamic[url]),
        )
    )

    @settings(
        max_examples=POST_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target=st.one_of(anyone_anywhere, the_one_who_may, built_names))
    def post(target):
        identity, path, data = target
        if identity != "anonymous":
            clients[identity].force_login(cast[identity])  # a random POST may have signed out
        response = clients[identity].post(path, data)
        _check(response, identity, "POST", f"{path} {data!r:.300}")

    post()
