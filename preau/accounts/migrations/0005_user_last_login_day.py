"""Of a sign-in, keep the day only: `last_login_day` replaces Django's `last_login` timestamp."""

from zoneinfo import ZoneInfo

from django.db import migrations, models

PARIS = ZoneInfo("Europe/Paris")


def keep_the_day_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE accounts_user SET last_login_day = "
            "(last_login AT TIME ZONE 'Europe/Paris')::date WHERE last_login IS NOT NULL"
        )
        return
    User = apps.get_model("accounts", "User")
    for pk, last_login in (
        User.objects.filter(last_login__isnull=False).values_list("pk", "last_login").iterator()
    ):
        User.objects.filter(pk=pk).update(last_login_day=last_login.astimezone(PARIS).date())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_french_name_order")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="last_login_day",
            field=models.DateField(
                blank=True, null=True, verbose_name="jour de la dernière connexion"
            ),
        ),
        # Backwards: the days come back as midnight; the times are gone for good.
        migrations.RunPython(keep_the_day_only, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="user", name="last_login"),
    ]
