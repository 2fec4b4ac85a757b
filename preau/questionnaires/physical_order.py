"""The anonymous answers and the « a répondu » markers must not keep the order they were
written in, nor anything else of the transaction that wrote them, even where a database stores
rows physically as they arrive:

- SQLite gives every ordinary table a hidden `rowid` that counts insertions: both tables are
  made `WITHOUT ROWID` (migration 0002), so they are stored in the order of their random ids,
  and no counter exists.
- PostgreSQL appends new rows to the table's heap in arrival order (visible to any SQL user
  as `ctid`), and stamps each row with the id of the transaction that wrote it (`xmin`, also
  readable by any SQL user). A send writes one person's answers, their marker and the
  OptionCount rows it updates in one transaction, so until they are rewritten
  `marker.xmin = answer.xmin` joins a person to their answers. `reorder()`, scheduled once a
  night (`manage.py reorder_anonymous_answers`, docs/privacy.md):
  1. rewrites every row of the answers, markers and OptionCount tables in one transaction
     (`UPDATE … SET id = id`): they all carry that one transaction's id afterwards;
  2. then rewrites the tables themselves (`CLUSTER` on the random primary key for the answers
     and markers, `VACUUM FULL` for OptionCount and the drafts), which orders them by random id
     and drops the old row versions (and the drafts deleted by a send), which still carried the
     sends' transaction ids.
  Only the rows written since the last run remain in arrival order and linkable.
"""

import time
from dataclasses import dataclass, field

from django.db import connection, transaction

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


def _table(name: str) -> str:
    from django.apps import apps

    return apps.get_model("questionnaires", name)._meta.db_table


# Written by a send, in the transaction of the answer (services.record and _tally).
REWRITTEN = ("SatisfactionAnswer", "SatisfactionMarker", "OptionCount")
# Rewritten afterwards without their old row versions: MODELS by random id (CLUSTER), these as
# they are (VACUUM FULL): OptionCount, and the drafts, whose rows deleted by a send name their
# author beside the send's transaction id (xmax).
COMPACTED = ("OptionCount", "SatisfactionDraft")


# Whether a transaction may still read the row versions the rewrite (transaction %(xid)s)
# replaced; PostgreSQL keeps them until none may. A transaction of any database that began
# before it (the snapshot of this very connection then starts below it), a transaction of this
# database holding an older snapshot, a replication slot.
OLDER_READERS = """
SELECT pg_snapshot_xmin(pg_current_snapshot()) <= %(xid)s::text::xid8
    OR EXISTS (
        SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND age(backend_xmin) >= age(%(xid)s::text::xid8::xid)
    )
    OR EXISTS (
        SELECT 1 FROM pg_replication_slots WHERE age(xmin) >= age(%(xid)s::text::xid8::xid)
    )
"""


@dataclass
class Reordered:
    tables: list[str] = field(default_factory=list)
    # False: a transaction older than the rewrite still ran after `wait` seconds; the old row
    # versions stay until the next run.
    old_versions_dropped: bool = True


def reorder(*, wait: float = 600, poll: float = 0.5) -> Reordered:
    """Gives the rows a send wrote one transaction id for all, then rewrites the tables in the
    order of their random ids without the old row versions. Runs outside any transaction
    (VACUUM cannot run inside one, and the old versions go only once the rewrite is committed
    and no transaction that began before it still runs: waits up to `wait` seconds for that)."""
    done = Reordered()
    if connection.vendor != "postgresql":
        return done  # SQLite: stored in id order already (WITHOUT ROWID), no transaction ids
    if connection.in_atomic_block:
        raise RuntimeError("reorder() runs outside a transaction (VACUUM, old row versions).")
    with transaction.atomic(), connection.cursor() as cursor:
        # Every send begins by locking its questionnaire's row (services._lock). EXCLUSIVE mode
        # lets readers through but makes new sends wait until this commits, and waits for those
        # under way: no send is half-rewritten and none holds a row this needs (no deadlock).
        cursor.execute(f'LOCK TABLE "{_table("Questionnaire")}" IN EXCLUSIVE MODE')
        for name in REWRITTEN:
            cursor.execute(f'UPDATE "{_table(name)}" SET id = id')
        cursor.execute("SELECT pg_current_xact_id()::text")
        (xid,) = cursor.fetchone()
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute(OLDER_READERS, {"xid": xid})
            if not cursor.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                done.old_versions_dropped = False
                break
            time.sleep(poll)
        for table in tables():
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = %s::regclass AND indisprimary",
                [table],
            )
            (index,) = cursor.fetchone()
            cursor.execute(f'CLUSTER "{table}" USING "{index}"')
            done.tables.append(table)
        for name in COMPACTED:
            cursor.execute(f'VACUUM FULL "{_table(name)}"')
            done.tables.append(_table(name))
    return done
