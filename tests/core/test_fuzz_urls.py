"""No input gives a server error: every URL of the URLconf, driven with random path and query
values (GET), and with random form fields (POST), as each role and signed out (issue 14).

Paths are built from the URLconf itself (`get_resolver()`, walked recursively): each
converter's segment is drawn from its own regex (hypothesis `from_regex`), from the ids and
codes of a small world (so real objects are reached, not only 404s), or from hostile strings
(NUL bytes, "²", twenty-digit numbers, non-ASCII, very long text). Query strings and POST
bodies draw their keys from every parameter the views read and every field of every form of
the project, and their values from the same hostile strings; file fields get random bytes.

Half of the POSTs go to a URL of the access matrix (tests/core/test_access_matrix.py) with its
real objects, as the one who may open it, so that random fields reach the forms past access.

Generated cases, per database: GET_EXAMPLES + POST_EXAMPLES = 2,500 + 1,500 = 4,000 requests
(identity drawn among 12 roles and signed out). Measured on the shared 2-core machine (load
~2.5): 42 s on SQLite, 56 s on PostgreSQL (plus the world, 2-4 s); about twice that under a
load of 7. A failure prints the request (hypothesis shrinks it to the smallest one that
still fails).
"""

import re
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


def hostile_text():
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
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


def post_body():
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


def test_no_form_answers_a_server_error_to_random_fields(cast, world_ids):
    clients = _clients(cast)

    anyone_anywhere = st.tuples(st.sampled_from(IDENTITIES), _routes(world_ids))
    the_one_who_may = st.sampled_from(_granted(world_ids[2]))

    @settings(
        max_examples=POST_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target=st.one_of(anyone_anywhere, the_one_who_may), data=post_body())
    def post(target, data):
        identity, path = target
        if identity != "anonymous":
            clients[identity].force_login(cast[identity])  # a random POST may have signed out
        response = clients[identity].post(path, data)
        _check(response, identity, "POST", f"{path} {data!r:.300}")

    post()
