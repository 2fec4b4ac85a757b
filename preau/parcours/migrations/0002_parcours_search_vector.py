"""PostgreSQL French full-text search: a generated tsvector column with a GIN index.

Only on PostgreSQL; SQLite searches with a simple fallback (see selectors.py).

The index is built without GIN's "fast update": with it, new and updated rows wait in a pending
list that every search must scan in full until a vacuum merges it, and a read-mostly table like
this one is vacuumed rarely. Measured with 5,000 parcours loaded in one go (docs/performance.md):
the planner then preferred a sequential scan to the index for every search. Writes are rare
(designers save a parcours now and then), so paying the index update at write time is cheap.
"""

from django.db import migrations

CREATE = """
ALTER TABLE parcours_parcours ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('french'::regconfig, coalesce(keywords, '')), 'A')
    || setweight(to_tsvector('french'::regconfig, coalesce(objectives, '')), 'B')
    || setweight(to_tsvector('french'::regconfig, coalesce(description, '')), 'C')
) STORED;
CREATE INDEX parcours_search_vector ON parcours_parcours USING gin (search_vector)
    WITH (fastupdate = off);
"""
DROP = """
DROP INDEX IF EXISTS parcours_search_vector;
ALTER TABLE parcours_parcours DROP COLUMN IF EXISTS search_vector;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("parcours", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
