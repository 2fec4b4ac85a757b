"""PostgreSQL: search without accents, people in French order (preau/core/search.py).

- The `unaccent` extension, and `preau_unaccent(text)`: `unaccent()` is only STABLE (its
  dictionary could change), so it cannot appear in a generated column or an index; the wrapper
  declares it IMMUTABLE, which holds as long as nobody edits the dictionary's rules file. The
  wrapper names the extension's schema, so that it gives the same result whatever the
  search_path of the session (a restore runs with an empty one).
- The collation `preau_fr`: ICU's French (« Étienne », « Gérard » before « Guyot »; lower case
  before upper case, no accent before an accent).

`unaccent` is a trusted extension (PostgreSQL 13+): the owner of the database may create it
without being a superuser. Nothing happens on SQLite, where preau/core/search.py registers a
Python function and a Python collation on every connection.
"""

from django.db import migrations

UNACCENT = """
CREATE EXTENSION IF NOT EXISTS unaccent;
"""
WRAPPER = """
CREATE OR REPLACE FUNCTION preau_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$;
"""
COLLATION = """
CREATE COLLATION IF NOT EXISTS preau_fr (provider = icu, locale = 'fr-FR');
"""
DROP = """
DROP COLLATION IF EXISTS preau_fr;
DROP FUNCTION IF EXISTS preau_unaccent(text);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(UNACCENT)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    quoted = schema_editor.connection.ops.quote_name(schema)
    schema_editor.execute(WRAPPER.format(schema=quoted))
    schema_editor.execute(COLLATION)


def drop(apps, schema_editor):
    # The extension stays: another database object may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
