"""Purges what the HR imports keep of people after PREAU_HR_PREVIEW_RETENTION_DAYS (7) days:
the previews nobody confirmed (their files, staged names and e-mails, rejected lines), and the
names and rejected lines of the reports of finished imports (applied, refused, failed,
abandoned); the counts stay. Dry by default; scheduled daily with --wet-run
(docs/deployment.md).

    manage.py purge_hr_previews             # lists what would be purged
    manage.py purge_hr_previews --wet-run   # purges
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from preau.hr import services


class Command(BaseCommand):
    help = (
        "Supprime les aperçus d’import RH non confirmés depuis plus de 7 jours, et les noms et "
        "lignes rejetées des comptes rendus de plus de 7 jours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="supprimer pour de bon")

    def handle(self, wet_run, **options):
        days = settings.PREAU_HR_PREVIEW_RETENTION_DAYS
        previews = reports = 0
        for hr_import in services.stale_previews().select_related("academie"):
            when = timezone.localtime(hr_import.previewed_at or hr_import.created_at)
            line = f"Import n° {hr_import.pk} ({hr_import.academie}, analysé le {when:%d/%m/%Y})"
            if not wet_run:
                self.stdout.write(f"{line} : serait supprimé.")
                previews += 1
            elif services.purge_preview(hr_import=hr_import):
                self.stdout.write(f"{line} : supprimé.")
                previews += 1
        for hr_import in services.stale_reports().select_related("academie"):
            when = timezone.localtime(hr_import.applied_at or hr_import.created_at)
            line = (
                f"Import n° {hr_import.pk} ({hr_import.academie}, {hr_import.get_status_display()}"
                f", du {when:%d/%m/%Y})"
            )
            if not wet_run:
                self.stdout.write(f"{line} : ses noms et lignes rejetées seraient supprimés.")
                reports += 1
            elif services.purge_report(hr_import=hr_import):
                self.stdout.write(f"{line} : noms et lignes rejetées supprimés.")
                reports += 1
        verb = "supprimés" if wet_run else "à supprimer (relancez avec --wet-run)"
        self.stdout.write(f"{previews} aperçus de plus de {days} jours {verb}.")
        self.stdout.write(
            f"{reports} comptes rendus de plus de {days} jours : noms et lignes rejetées {verb}."
        )
