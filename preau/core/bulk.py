"""Bulk writing for the national seeders, on PostgreSQL: COPY with primary keys reserved ahead.

Reserving the keys lets a seeder write parents and children in one stream each (a parcours,
then its sections, then their activities) without reading anything back. The seeders run in
one transaction on a database nobody else writes to during the run (the benchmark's), which is
what makes reserving a block of a sequence safe enough.
"""

from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone


def reserve_ids(model: type[models.Model], count: int) -> int:
    """Takes `count` consecutive primary keys from the model's sequence; returns the first."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table. `columns` are field names (or attnames such as
    `user_id`); every other concrete field but the primary key gets its default, as Django
    would fill it (auto_now fields: now), so a field added later with a default needs no change
    here. Returns the number of rows written."""
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields} | {
        f.name: f for f in model._meta.concrete_fields
    }
    named = {fields[c].attname for c in columns}
    now = timezone.now()
    fixed_columns, fixed_values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        fixed_columns.append(field.column)
        fixed_values.append(field.get_db_prep_save(value, connection))
    fixed = tuple(fixed_values)
    names = ", ".join(quote(fields[c].column) for c in columns)
    if fixed_columns:
        names += ", " + ", ".join(quote(c) for c in fixed_columns)
    written = 0
    statement = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + fixed)
            written += 1
    return written


def analyze(*model_list: type[models.Model]) -> None:
    """Fresh statistics, so that the first queries after a seed get the right plans."""
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in model_list)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
