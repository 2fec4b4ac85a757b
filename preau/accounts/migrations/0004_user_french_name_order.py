# People in French order by default (preau/core/search.py by_name).

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_user_is_placeholder'),
        # The collation preau_fr (PostgreSQL) that the ordering names.
        ('core', '0001_unaccent_and_french_collation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': [models.OrderBy(django.db.models.functions.comparison.Collate('last_name', 'preau_fr'), descending=False), models.OrderBy(django.db.models.functions.comparison.Collate('first_name', 'preau_fr'), descending=False)], 'verbose_name': 'utilisateur'},
        ),
    ]
