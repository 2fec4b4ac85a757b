"""The anonymous answers and the « a répondu » markers must not keep the order they were
written in, even where a database stores rows physically as they arrive:

- SQLite gives every ordinary table a hidden `rowid` that counts insertions: both tables are
  made `WITHOUT ROWID` (migration 0002), so they are stored in the order of their random ids,
  and no counter exists.
- PostgreSQL appends new rows to the table's heap in arrival order (visible to any SQL user
  as `ctid`): `reorder()` rewrites both tables in the order of their random ids (`CLUSTER` on
  the primary key), scheduled once a night (`manage.py reorder_anonymous_answers`), so that only
  the rows of the current day are still in arrival order on disk (docs/privacy.md).
"""

from django.db import connection

MODELS = ("SatisfactionAnswer", "SatisfactionMarker")


def tables(apps=None) -> list[str]:
    if apps is None:
        from django.apps import apps
    return [apps.get_model("questionnaires", name)._meta.db_table for name in MODELS]


def _sqlite_without_rowid(schema_editor, table: str) -> None:
    cursor = schema_editor.connection.cursor()
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
    (create,) = cursor.fetchone()
    if "WITHOUT ROWID" in create.upper():
        return
    cursor.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
        [table],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    temporary = f"{table}__without_rowid"
    cursor.execute(create.replace(f'"{table}"', f'"{temporary}"', 1) + " WITHOUT ROWID")
    cursor.execute(f'INSERT INTO "{temporary}" SELECT * FROM "{table}"')
    cursor.execute(f'DROP TABLE "{table}"')
    cursor.execute(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
    for index in indexes:
        cursor.execute(index)


def make_tables_without_rowid(apps, schema_editor) -> None:
    """Migration step, SQLite only (PostgreSQL has no rowid)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in tables(apps):
        _sqlite_without_rowid(schema_editor, table)


def reorder() -> list[str]:
    """Rewrites both tables in the order of their random ids; returns what was done."""
    if connection.vendor != "postgresql":
        return []  # SQLite: stored in id order already (WITHOUT ROWID)
    done = []
    with connection.cursor() as cursor:
        # Inside a transaction that wrote rows (a test), deferred foreign-key checks would make
        # CLUSTER refuse: run them now. Outside one (the nightly command), a no-op.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables():
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = %s::regclass AND indisprimary",
                [table],
            )
            (index,) = cursor.fetchone()
            cursor.execute(f'CLUSTER "{table}" USING "{index}"')
            done.append(table)
    return done
