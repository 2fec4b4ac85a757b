"""The test database, reachable by a second process (a worker the test starts, then kills).

On PostgreSQL it already is: the second process is given its URL. On SQLite the test database
lives in this process's memory (pytest-django's default), which no other process can open: for
the length of the test, it is copied into a file (SQLite's backup API: schema, migrations and
what the test's fixtures committed) and this process's `default` connection is pointed at that
file; the in-memory database is given back afterwards, untouched, for pytest-django to flush.
Use it with `@pytest.mark.django_db(transaction=True)`: the second process sees committed data
only, and a test in a transaction would hold SQLite's single write lock."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


@contextmanager
def database_for_a_second_process(folder: Path):
    """Yields the DATABASE_URL a second process uses to reach the database of this test."""
    original = connections["default"]
    db = original.settings_dict
    if original.vendor == "postgresql":
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        yield f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
        return
    if original.vendor != "sqlite":
        raise NotImplementedError(original.vendor)
    path = folder / "shared.sqlite3"
    original.ensure_connection()
    target = sqlite3.connect(path)
    try:
        original.connection.backup(target)
    finally:
        target.close()
    on_file = original.__class__({**db, "NAME": str(path)}, alias="default")
    connections["default"] = on_file
    try:
        yield f"sqlite:///{path}"
    finally:
        on_file.close()
        connections["default"] = original
