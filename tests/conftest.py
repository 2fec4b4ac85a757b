import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from preau.accounts.models import Role
from preau.core.templatetags.preau import forget_rendered

from . import factories

# The day the whole suite believes it is, whatever the real date: a test that passes today
# passes in August too. CI also runs the `date_sensitive` tests at chosen days (.ci/run):
# PREAU_TEST_TODAY=2027-09-01 pytest -m date_sensitive
DEFAULT_TEST_TODAY = datetime.date(2026, 12, 7)  # a Monday, in the first term
PARIS = ZoneInfo("Europe/Paris")


def suite_today() -> datetime.date:
    value = os.environ.get("PREAU_TEST_TODAY", "").strip()
    if not value:
        return DEFAULT_TEST_TODAY
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"PREAU_TEST_TODAY={value!r} is not a YYYY-MM-DD date") from None


def morning_of(day: datetime.date) -> datetime.datetime:
    """10:00 in Paris: far from midnight, so a test running long never changes day."""
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS)


def pytest_configure(config):
    # Before collection, so that what a test module computes at import (the current school
    # year…) sees the same day as its tests. The clock ticks from there: durations, timeouts
    # and the live server of the browser journeys behave as usual.
    config._preau_clock = time_machine.travel(morning_of(suite_today()), tick=True)
    config._preau_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_preau_clock", None)
    if clock is not None:
        clock.stop()


@pytest.fixture(autouse=True)
def _date_sensitive_tests_stop_the_clock(request):
    """A test marked `date_sensitive` runs with the clock stopped at 10:00 of the test day."""
    if request.node.get_closest_marker("date_sensitive") is None:
        yield
        return
    with time_machine.travel(morning_of(suite_today()), tick=False):
        yield


@pytest.fixture
def clock(request):
    """The clock stopped at the test module's NOW (an aware datetime), for a module whose
    story happens on a given day: `pytestmark = pytest.mark.usefixtures("clock")`, and
    `clock.move_to(…)` to live the next day."""
    with time_machine.travel(request.module.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def frozen_today(request) -> datetime.date:
    """The test day (PREAU_TEST_TODAY, else DEFAULT_TEST_TODAY), clock stopped at 10:00 Paris.

    For a test that depends on the date without being marked `date_sensitive` as a whole."""
    day = suite_today()
    with time_machine.travel(morning_of(day), tick=False):
        yield day


@pytest.fixture(autouse=True)
def _rendered_once_forgets_between_tests():
    """Each test starts as a new process would: nothing kept by {% rendered_once %}."""
    forget_rendered()


@pytest.fixture(autouse=True)
def _people_of_a_test_have_distinct_last_names():
    factories.forget_names()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads, and the files of the demo seed's activities, never land in var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the password-reset caps count in it, and a test
    must not inherit the requests of the tests before it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def territory(db):
    """One académie, two départements, three circonscriptions with a school each."""
    academie = factories.AcademieFactory(code="A070", name="Normandie")
    calvados = factories.DepartementFactory(code="014", name="Calvados", academie=academie)
    manche = factories.DepartementFactory(code="050", name="Manche", academie=academie)
    caen = factories.CirconscriptionFactory(name="Caen Nord", departement=calvados)
    bayeux = factories.CirconscriptionFactory(name="Bayeux", departement=calvados)
    saint_lo = factories.CirconscriptionFactory(name="Saint-Lô", departement=manche)
    return {
        "academie": academie,
        "calvados": calvados,
        "manche": manche,
        "caen": caen,
        "bayeux": bayeux,
        "saint_lo": saint_lo,
        "caen_school": factories.SchoolFactory(circonscription=caen, name="École Jules Ferry"),
        "bayeux_school": factories.SchoolFactory(circonscription=bayeux),
        "saint_lo_school": factories.SchoolFactory(circonscription=saint_lo),
    }


@pytest.fixture
def cast(territory):
    """One person per role, scoped in the territory fixture (Caen Nord, Calvados, Normandie)."""
    t = territory
    return {
        "teacher": factories.teacher(school=t["caen_school"], first_name="Camille"),
        "trainer": factories.with_role(Role.TRAINER, circonscription=t["caen"]),
        "tutor": factories.with_role(Role.TUTOR, circonscription=t["caen"]),
        "designer": factories.with_role(Role.DESIGNER, academie=t["academie"]),
        "reviewer": factories.with_role(Role.REVIEWER),
        "editorial": factories.with_role(Role.EDITORIAL_COMMITTEE),
        "ien": factories.with_role(Role.IEN, circonscription=t["caen"]),
        "other_ien": factories.with_role(Role.IEN, circonscription=t["bayeux"]),
        "pilot": factories.with_role(Role.PILOT, departement=t["calvados"]),
        "manager": factories.with_role(Role.ACADEMIC_MANAGER, academie=t["academie"]),
        "admin": factories.with_role(Role.ADMIN),
        "nobody": factories.UserFactory(),
    }


class QueryCounter(CaptureQueriesContext):
    def sql(self) -> str:
        return "\n\n".join(f"{i}. {q['sql']}" for i, q in enumerate(self.captured_queries, 1))


@pytest.fixture
def count_queries():
    """with count_queries() as queries: ...; then queries.sql() names them when a count is off."""
    return lambda: QueryCounter(connection)


@pytest.fixture
def assert_fixed_query_count(client, territory, count_queries):
    """check(url, queries): loads the page, makes the territory ten times bigger, loads it
    again; both loads must run exactly the queries named. A failure prints names and SQL."""

    def check(url: str, queries: list[str]) -> None:
        for factor in (1, 10):
            if factor == 10:
                factories.grow(territory, factor=10)
            with count_queries() as ran:
                response = client.get(url)
            assert response.status_code == 200
            expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
            assert len(ran) == len(queries), (
                f"{url} with {factor}x data: {len(ran)} queries instead of {len(queries)}.\n"
                f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
            )

    return check


@pytest.fixture(scope="session", autouse=True)
def _close_stray_database_sessions(django_db_setup, django_db_blocker):
    """Lets the test database be dropped at the end of the run on PostgreSQL.

    The live server of the browser journeys answers each HTTP connection in a daemon thread,
    which closes its database connection only when the browser closes the socket; stopping
    the server does not wait for those threads, and one of them can still hold a session when
    pytest-django drops the database ("is being accessed by other users").
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def pytest_collection_modifyitems(config, items):
    """The preparations' tests (websockets through asgiref's AsyncToSync) run first: once a
    browser journey has started Playwright's session, an asyncio loop keeps running in the main
    thread and AsyncToSync refuses to run. Everything else keeps its order (the sort is stable):
    moving the browser journeys last instead changed a keyboard-focus journey's outcome."""
    items.sort(
        key=lambda item: (
            not ("tests/preparations/" in item.nodeid and not item.get_closest_marker("browser"))
        )
    )
