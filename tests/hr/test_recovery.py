"""Recovery after a crash: the académie's lock row and its heartbeat (services, « The
académie's lock »), on both databases. The killed worker process: tests/hr/test_robustness.py."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection

from preau.hr import services
from preau.hr.models import HrImport, HrSession, HrTrainee, ImportLock, ImportStatus

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads

PARIS = ZoneInfo("Europe/Paris")
NOON = dt.datetime(2026, 10, 23, 12, 0, tzinfo=PARIS)


@pytest.fixture
def academie(territory):
    return territory["academie"]


@pytest.fixture
def manager(cast):
    return cast["manager"]


def confirmed(manager, academie, **kw):
    hr_import = services.build_preview(
        services.start_gaia_import(
            academie=academie,
            uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES, **kw),
            by=manager,
        )
    )
    return services.confirm_import(hr_import=hr_import, by=manager)


def test_confirming_takes_the_academies_lock_with_a_heartbeat(manager, academie):
    with time_machine.travel(NOON, tick=False):
        hr_import = confirmed(manager, academie)

    lock = ImportLock.objects.get(academie=academie)
    assert (lock.hr_import, lock.holder, lock.heartbeat_at) == (hr_import, "", NOON)


def test_an_apply_no_worker_started_in_time_frees_the_academie_and_never_runs_later(
    manager, academie
):
    with time_machine.travel(NOON, tick=False):
        stuck = confirmed(manager, academie)
    with time_machine.travel(NOON + dt.timedelta(minutes=14), tick=False):
        # A busy queue may start it late: it waits PREAU_HR_APPLY_QUEUE_TIMEOUT_SECONDS.
        assert not services.mark_interrupted(stuck)

    with time_machine.travel(NOON + dt.timedelta(minutes=16), tick=False):
        # The académie is importable again: the stale confirmation is marked on the way.
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
        stuck.refresh_from_db()
        assert stuck.status == ImportStatus.FAILED
        assert "n’a pas démarré à temps" in stuck.refusal
        # A worker that starts now does not run it.
        assert services.apply_import(stuck).status == ImportStatus.FAILED
    assert not HrSession.objects.exists()
    assert ImportLock.objects.get(academie=academie).hr_import is None


def test_a_worker_that_starts_after_the_heartbeat_went_stale_does_not_apply(manager, academie):
    with time_machine.travel(NOON, tick=False):
        stuck = confirmed(manager, academie)

    with time_machine.travel(NOON + dt.timedelta(minutes=16), tick=False):
        hr_import = services.apply_import(stuck)

    assert hr_import.status == ImportStatus.FAILED
    assert not HrSession.objects.exists()


def test_an_apply_whose_heartbeat_stopped_is_marked_interrupted_and_the_page_says_so(
    client, manager, academie
):
    with time_machine.travel(NOON, tick=False):
        hr_import = confirmed(manager, academie)
        # A worker claimed it, then died: its heartbeat stops at noon.
        ImportLock.objects.filter(academie=academie).update(holder="worker-1:4242")
    client.force_login(manager)

    with time_machine.travel(NOON + dt.timedelta(seconds=100), tick=False):
        assert not services.mark_interrupted(hr_import)
        page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()
        assert "Application en cours" in page
    with time_machine.travel(NOON + dt.timedelta(seconds=121), tick=False):
        page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()

    assert "L’application a été interrompue (arrêt du serveur) : rien n’a été modifié." in page
    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.FAILED
    assert ImportLock.objects.get(academie=academie).hr_import is None


def test_a_beat_in_the_shared_cache_keeps_an_apply_alive(manager, academie):
    """SQLite: the apply's transaction keeps the row from being written; the cache says."""
    with time_machine.travel(NOON, tick=False):
        hr_import = confirmed(manager, academie)
        ImportLock.objects.filter(academie=academie).update(holder="worker-1:4242")
    later = NOON + dt.timedelta(minutes=10)
    cache.set(services._beat_key(hr_import.pk), (later - dt.timedelta(seconds=5)).timestamp())

    with time_machine.travel(later, tick=False):
        assert not services.mark_interrupted(hr_import)
    cache.delete(services._beat_key(hr_import.pk))


def test_the_heartbeat_beats_while_the_apply_works(manager, academie, settings, monkeypatch):
    settings.PREAU_HR_HEARTBEAT_STALE_SECONDS = 3  # a beat every half second
    hr_import = confirmed(manager, academie)
    real = services._apply_persons
    beats = []

    def slow(plan):
        start = time.time()
        time.sleep(1.5)
        beats.append(cache.get(services._beat_key(hr_import.pk)))
        assert beats[0] is not None and beats[0] > start
        return real(plan)

    monkeypatch.setattr(services, "_apply_persons", slow)

    assert services.apply_import(hr_import).status == ImportStatus.APPLIED
    assert beats and beats[0] is not None
    assert cache.get(services._beat_key(hr_import.pk)) is None  # released at the end
    assert ImportLock.objects.get(academie=academie).hr_import is None


def test_an_apply_whose_lock_was_taken_meanwhile_does_not_commit(manager, academie, monkeypatch):
    """A worker frozen past its heartbeat was taken for dead: when it wakes, its work must not
    land on top of what came after."""
    hr_import = confirmed(manager, academie)
    real = services._apply_persons

    def frozen(plan):
        done = real(plan)
        ImportLock.objects.filter(academie=academie).update(holder="another-worker:1")
        return done

    monkeypatch.setattr(services, "_apply_persons", frozen)

    with pytest.raises(RuntimeError, match="lock was taken"):
        services.apply_import(hr_import)
    assert not HrSession.objects.exists()
    assert not HrTrainee.objects.exists()
    assert HrImport.objects.get(pk=hr_import.pk).status == ImportStatus.FAILED


def test_an_analysis_no_worker_started_in_time_frees_the_academie_and_never_runs_later(
    manager, academie
):
    with time_machine.travel(NOON, tick=False):
        queued = services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
    with (
        time_machine.travel(NOON + dt.timedelta(minutes=14), tick=False),
        pytest.raises(ValidationError, match="déjà en cours"),
    ):
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )

    with time_machine.travel(NOON + dt.timedelta(minutes=16), tick=False):
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
        queued.refresh_from_db()
        assert queued.status == ImportStatus.FAILED
        assert "L’analyse n’a pas démarré à temps" in queued.refusal
        assert services.build_preview(queued).status == ImportStatus.FAILED  # a late worker


def test_an_analysis_whose_heartbeat_stopped_is_marked_interrupted_on_sqlite(manager, academie):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL: the analysis' advisory lock decides (test_robustness.py)")
    with time_machine.travel(NOON, tick=False):
        hr_import = services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
        HrImport.objects.filter(pk=hr_import.pk).update(status=ImportStatus.PREVIEWING)
        hr_import.refresh_from_db()
        services._beat(hr_import.pk)  # the worker's last beat

    with time_machine.travel(NOON + dt.timedelta(seconds=100), tick=False):
        assert not services.mark_interrupted(hr_import)
    with time_machine.travel(NOON + dt.timedelta(seconds=121), tick=False):
        assert services.mark_interrupted(hr_import)

    assert hr_import.status == ImportStatus.FAILED
    assert "L’analyse a été interrompue" in hr_import.refusal
    cache.delete(services._beat_key(hr_import.pk))


def test_the_analysis_beats_while_it_runs(manager, academie, settings, monkeypatch):
    settings.PREAU_HR_HEARTBEAT_STALE_SECONDS = 3
    hr_import = services.start_gaia_import(
        academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
    )
    real = services._cross_checks
    seen = []

    def slow(hr_import):
        time.sleep(3.5)  # longer than the stale delay: only the thread's beats keep it fresh
        seen.append(services._beat_is_fresh(hr_import.pk))
        hr_import.refresh_from_db()
        # On PostgreSQL the advisory lock decides, and this connection holds it itself.
        if connection.vendor != "postgresql":
            seen.append(services.mark_interrupted(hr_import))
        return real(hr_import)

    monkeypatch.setattr(services, "_cross_checks", slow)

    assert services.build_preview(hr_import).status == ImportStatus.PREVIEWED
    assert seen[0]  # alive
    assert not any(seen[1:])  # so not marked interrupted
    assert cache.get(services._beat_key(hr_import.pk)) is None


def test_the_admin_shows_the_imports_and_the_academies_locks(client, manager, academie):
    from tests import factories

    hr_import = confirmed(manager, academie)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    for url in (
        "/admin/hr/hrimport/",
        f"/admin/hr/hrimport/{hr_import.pk}/change/",
        "/admin/hr/importlock/",
    ):
        assert client.get(url).status_code == 200, url
    assert str(hr_import) in client.get("/admin/hr/importlock/").content.decode()


@pytest.mark.django_db(transaction=True)  # the other transaction must see the lock row
def test_while_another_transaction_holds_the_lock_row_nobody_waits_for_it(
    manager, academie, monkeypatch
):
    """SELECT … FOR UPDATE SKIP LOCKED: a confirmation, a worker's claim and the recovery
    that meet the académie's lock row held by another transaction (a confirmation or a claim
    in progress) give up at once instead of queueing behind it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite has one writer at a time and no row locks, so no other "
            "transaction can hold the row while this one reads it (Django ignores SKIP LOCKED)"
        )
    import psycopg

    monkeypatch.setattr(services, "_enqueue_apply", lambda import_id: None)  # our worker
    preview = services.build_preview(
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )
    )
    ImportLock.objects.get_or_create(academie=academie)
    db = connection.settings_dict
    other = psycopg.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    )  # fmt: skip
    with connection.cursor() as cursor:
        # Without SKIP LOCKED this test fails in 2 s instead of waiting for ever.
        cursor.execute("SET lock_timeout = '2s'")
    table = ImportLock._meta.db_table
    try:
        other.execute(f'SELECT 1 FROM "{table}" WHERE academie_id = %s FOR UPDATE', [academie.pk])
        started = time.monotonic()
        with pytest.raises(ValidationError, match="Un autre import est en cours d’application"):
            services.confirm_import(hr_import=preview, by=manager)
        assert time.monotonic() - started < 1
        preview.refresh_from_db()
        assert preview.status == ImportStatus.PREVIEWED
        other.rollback()

        confirmed = services.confirm_import(hr_import=preview, by=manager)
        other.execute(f'SELECT 1 FROM "{table}" WHERE academie_id = %s FOR UPDATE', [academie.pk])
        # The worker does not claim it, nor does the recovery take it for dead, while held.
        assert services.apply_import(confirmed).status == ImportStatus.APPLYING
        assert not services.mark_interrupted(confirmed)
        assert not HrSession.objects.exists()
        other.rollback()
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert services.apply_import(confirmed).status == ImportStatus.APPLIED
    assert HrTrainee.objects.count() == 4
