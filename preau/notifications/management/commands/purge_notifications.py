"""Deletes the notifications older than a year (PURGE_AFTER_DAYS), read or not. Dry by default,
as the repository's destructive commands are; schedule it daily with --wet-run
(docs/notifications.md).

    manage.py purge_notifications             # counts what would be deleted
    manage.py purge_notifications --wet-run   # deletes
"""

from django.core.management.base import BaseCommand

from preau.notifications.services import PURGE_AFTER_DAYS, purge_old_notifications


class Command(BaseCommand):
    help = "Supprime les notifications de plus d’un an."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="supprimer pour de bon")

    def handle(self, wet_run, **options):
        count = purge_old_notifications(wet_run=wet_run)
        verb = "supprimées" if wet_run else "à supprimer (relancez avec --wet-run)"
        self.stdout.write(f"{count} notification(s) de plus de {PURGE_AFTER_DAYS} jours {verb}.")
