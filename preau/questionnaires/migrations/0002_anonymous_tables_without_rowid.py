"""SQLite: the anonymous answers and the « a répondu » markers become WITHOUT ROWID tables, so
that no hidden counter keeps the order they were written in (preau/questionnaires/physical_order.py)."""

from django.db import migrations

from preau.questionnaires.physical_order import make_tables_without_rowid


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]

    operations = [migrations.RunPython(make_tables_without_rowid, migrations.RunPython.noop)]
