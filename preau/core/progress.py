"""Progress of a long background job, for the page that started it.

A job's writes become visible only when its transaction commits, so its progress goes through
the cache (a file cache shared by the processes of one machine, or Redis when several hosts
run), never through the database. Each kind of job ("hr-import", "hours-report") keeps one
entry per job: {"percent": 0–100, "label": what it is doing, …}."""

from django.core.cache import cache


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
