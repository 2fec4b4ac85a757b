"""Purges the HR import previews nobody confirmed within PREAU_HR_PREVIEW_RETENTION_DAYS (7)
days: their files, staged names and e-mails, and rejected lines. Dry by default; scheduled
daily with --wet-run (docs/deployment.md).

    manage.py purge_hr_previews             # lists what would be purged
    manage.py purge_hr_previews --wet-run   # purges
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from preau.hr import services


class Command(BaseCommand):
    help = "Supprime les aperçus d’import RH non confirmés depuis plus de 7 jours."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="supprimer pour de bon")

    def handle(self, wet_run, **options):
        days = settings.PREAU_HR_PREVIEW_RETENTION_DAYS
        purged = 0
        for hr_import in services.stale_previews().select_related("academie"):
            when = timezone.localtime(hr_import.previewed_at or hr_import.created_at)
            line = f"Import n° {hr_import.pk} ({hr_import.academie}, analysé le {when:%d/%m/%Y})"
            if not wet_run:
                self.stdout.write(f"{line} : serait supprimé.")
                purged += 1
            elif services.purge_preview(hr_import=hr_import):
                self.stdout.write(f"{line} : supprimé.")
                purged += 1
        verb = "supprimés" if wet_run else "à supprimer (relancez avec --wet-run)"
        self.stdout.write(f"{purged} aperçus de plus de {days} jours {verb}.")
