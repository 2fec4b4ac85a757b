"""The generated full-text column of the parcours, without accents and with the matricule.

Each text goes through `preau_unaccent` (core migration 0001, an IMMUTABLE wrapper around
`unaccent`) before the French configuration parses it, and the search query does the same
(preau/core/search.py `TSQUERY`): « numerique », « ecole », « eleve » find « numérique »,
« école », « élève », and the stems agree because both sides lose their accents first. The
matricule is indexed too (weight A): the parser cuts `26_A070_NUMLECT_1.0` at its underscores,
so the whole matricule, or `NUMLECT`, finds the parcours.

Only on PostgreSQL (SQLite has no such column: preau/parcours/selectors.py). Same index as in
0002, without GIN's fast update (see there).
"""

from django.db import migrations

DROP_COLUMN = """
DROP INDEX IF EXISTS parcours_search_vector;
ALTER TABLE parcours_parcours DROP COLUMN IF EXISTS search_vector;
"""
INDEX = """
CREATE INDEX parcours_search_vector ON parcours_parcours USING gin (search_vector)
    WITH (fastupdate = off);
"""
UNACCENTED = """
ALTER TABLE parcours_parcours ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french'::regconfig, preau_unaccent(coalesce(title, ''))), 'A')
    || setweight(to_tsvector('french'::regconfig, preau_unaccent(coalesce(matricule, ''))), 'A')
    || setweight(to_tsvector('french'::regconfig, preau_unaccent(coalesce(keywords, ''))), 'A')
    || setweight(to_tsvector('french'::regconfig, preau_unaccent(coalesce(objectives, ''))), 'B')
    || setweight(
        to_tsvector('french'::regconfig, preau_unaccent(coalesce(description, ''))), 'C'
    )
) STORED;
"""
ACCENTED = """
ALTER TABLE parcours_parcours ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('french'::regconfig, coalesce(keywords, '')), 'A')
    || setweight(to_tsvector('french'::regconfig, coalesce(objectives, '')), 'B')
    || setweight(to_tsvector('french'::regconfig, coalesce(description, '')), 'C')
) STORED;
"""


def _on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_unaccent_and_french_collation"),
        ("parcours", "0003_session_copy_status"),
    ]

    operations = [
        migrations.RunPython(
            _on_postgresql(DROP_COLUMN, UNACCENTED, INDEX),
            _on_postgresql(DROP_COLUMN, ACCENTED, INDEX),
        )
    ]
