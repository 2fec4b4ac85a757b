"""Progress of a long background job, for the page that started it.

A job's writes become visible only when its transaction commits, so its progress goes through
the cache (a file cache shared by the processes of one machine, or Redis when several hosts
run), never through the database. Each kind of job ("hr-import", "hours-report") keeps one
entry per job: {"percent": 0–100, "label": what it is doing, …}."""

import logging
import threading
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(kind: str, job_id: int) -> str:
    return f"{kind}-progress-{job_id}"


def report(kind: str, job_id: int, *, percent: int, label: str, timeout: int, **more) -> None:
    """Records where the job stands; the entry disappears after `timeout` seconds of silence."""
    cache.set(_key(kind, job_id), {"percent": percent, "label": label, **more}, timeout)


def read(kind: str, job_id: int) -> dict | None:
    return cache.get(_key(kind, job_id))


def read_many(kind: str, job_ids: list[int]) -> dict[int, dict]:
    """{job id: entry} of the jobs that reported, in one read of the cache."""
    found = cache.get_many([_key(kind, job_id) for job_id in job_ids])
    return {job_id: found[_key(kind, job_id)] for job_id in job_ids if _key(kind, job_id) in found}


def clear(kind: str, job_id: int) -> None:
    cache.delete(_key(kind, job_id))


# Heartbeat: is the worker of a job still alive? ------------------------------------------------
#
# A job's progress is refreshed at each step, and a step may last minutes (a large
# département). A thread beside the job writes its heartbeat every few seconds instead, so
# that a job whose worker was killed (OOM, deployment, machine restarted) is found dead within
# a minute or two, not left as a progress bar stuck for a quarter of an hour.


def _beat_key(kind: str, job_id: int) -> str:
    return f"{kind}-beat-{job_id}"


def beat(kind: str, job_id: int) -> None:
    cache.set(_beat_key(kind, job_id), time.time(), timeout=24 * 3600)


def last_beat(kind: str, job_id: int) -> float | None:
    """When the job's worker last said it was alive (a Unix time), or None."""
    return cache.get(_beat_key(kind, job_id))


def is_alive(kind: str, job_id: int, *, stale_after: float) -> bool:
    last = last_beat(kind, job_id)
    return last is not None and time.time() - last < stale_after


def forget_beat(kind: str, job_id: int) -> None:
    cache.delete(_beat_key(kind, job_id))


class Heartbeat:
    """`with Heartbeat(kind, job_id, every=…):` beats at once, then every `every` seconds from
    a thread, until the block ends; the beat is then forgotten."""

    def __init__(self, kind: str, job_id: int, *, every: float):
        self.kind, self.job_id, self.every = kind, job_id, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"{kind}-heartbeat", daemon=True)

    def __enter__(self):
        beat(self.kind, self.job_id)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        forget_beat(self.kind, self.job_id)

    def run(self):
        while not self.stop.wait(self.every):
            try:
                beat(self.kind, self.job_id)
            except Exception:  # a beat missed is a beat missed: the job goes on
                logger.exception("%s %s: heartbeat failed", self.kind, self.job_id)
