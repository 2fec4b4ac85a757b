"""Progress of a running import, for the page that started it.

The apply step is one database transaction: nothing it writes is visible before the end, so
progress goes through the cache (a file cache shared by the processes of one machine, or Redis
when several hosts run), never through the database."""

from django.core.cache import cache

TIMEOUT = 6 * 3600


def _key(import_id: int) -> str:
    return f"hr-import-progress-{import_id}"


def report(import_id: int, *, step: int, steps: int, label: str, done: int = 0, total: int = 0):
    """Step `step` (0-based) of `steps`, `done` of `total` items within it."""
    within = done / total if total else 0
    percent = int(100 * (step + min(within, 1)) / steps)
    cache.set(
        _key(import_id),
        {"percent": percent, "label": label, "done": done, "total": total},
        TIMEOUT,
    )


def read(import_id: int) -> dict | None:
    return cache.get(_key(import_id))


def clear(import_id: int) -> None:
    cache.delete(_key(import_id))
