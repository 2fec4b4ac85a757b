from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Length


def count_stored_bytes(apps, schema_editor):
    """Each document's stored updates, summed once (one UPDATE with a subquery)."""
    Document = apps.get_model("preparations", "Document")
    DocumentUpdate = apps.get_model("preparations", "DocumentUpdate")
    total = (
        DocumentUpdate.objects.filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(total=Sum(Length("data")))
        .values("total")
    )
    Document.objects.update(stored_bytes=Coalesce(Subquery(total), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("preparations", "0006_proposal"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="stored_bytes",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(count_stored_bytes, migrations.RunPython.noop),
    ]
