from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The counted hours of each teacher-year already in the ledger (a declaration counts once
# validated), as services.rebuild_year_totals writes them; plain SQL that PostgreSQL and
# SQLite both run. Going back drops the table: nothing to undo.
FILL = """
INSERT INTO hours_teacheryeartotals
    (teacher_id, school_year, training, training_distance, animations, union_meetings)
SELECT teacher_id, school_year,
    COALESCE(SUM(CASE WHEN kind = 'training' THEN presence_hours + distance_hours END), 0),
    COALESCE(SUM(CASE WHEN kind = 'training' THEN distance_hours END), 0),
    COALESCE(SUM(CASE WHEN kind = 'animation' THEN presence_hours + distance_hours END), 0),
    COALESCE(SUM(CASE WHEN kind = 'union_meeting' THEN presence_hours + distance_hours END), 0)
FROM hours_entry
WHERE NOT (source = 'declaration' AND validated_at IS NULL)
GROUP BY teacher_id, school_year
"""


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0002_hours_reminder_sent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TeacherYearTotals",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("school_year", models.PositiveSmallIntegerField(verbose_name="année scolaire")),
                (
                    "training",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("0"),
                        max_digits=6,
                        verbose_name="formation (présence et distance)",
                    ),
                ),
                (
                    "training_distance",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("0"),
                        max_digits=6,
                        verbose_name="formation à distance",
                    ),
                ),
                (
                    "animations",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("0"),
                        max_digits=6,
                        verbose_name="animations pédagogiques",
                    ),
                ),
                (
                    "union_meetings",
                    models.DecimalField(
                        decimal_places=1,
                        default=Decimal("0"),
                        max_digits=6,
                        verbose_name="réunions syndicales validées",
                    ),
                ),
                (
                    "teacher",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hours_totals",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("teacher", "school_year"), name="teacher_year_totals_once"
                    )
                ],
            },
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
        # The planner's estimates for the rows just written (PostgreSQL and SQLite alike).
        migrations.RunSQL(
            "ANALYZE hours_teacheryeartotals", reverse_sql=migrations.RunSQL.noop, elidable=True
        ),
    ]
