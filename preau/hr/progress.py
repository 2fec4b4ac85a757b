"""Progress of a running import, for the page that started it (preau/core/progress.py: through
the cache, since the apply step is one transaction whose writes show only at its end)."""

from preau.core import progress

KIND = "hr-import"
TIMEOUT = 6 * 3600


def report(import_id: int, *, step: int, steps: int, label: str, done: int = 0, total: int = 0):
    """Step `step` (0-based) of `steps`, `done` of `total` items within it."""
    within = done / total if total else 0
    percent = int(100 * (step + min(within, 1)) / steps)
    progress.report(
        KIND, import_id, percent=percent, label=label, timeout=TIMEOUT, done=done, total=total
    )


def read(import_id: int) -> dict | None:
    return progress.read(KIND, import_id)


def clear(import_id: int) -> None:
    progress.clear(KIND, import_id)
