"""manage.py backup <dir>: the database and the media files, with a manifest (portal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from preau.portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données (pg_dump, ou l’API de sauvegarde de SQLite) et les "
        "fichiers déposés dans un nouveau dossier, avec un manifeste (date, migrations, totaux "
        "du registre des heures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="dossier à créer (ou vide)")

    def handle(self, directory: Path, **options):
        try:
            outcome = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        totals = outcome.manifest["ledger_totals"]["all"]
        self.stdout.write(
            f"Sauvegarde écrite dans {outcome.directory} : {totals['entries']} lignes d’heures "
            f"({totals['presence_hours']} h en présence, {totals['distance_hours']} h à "
            f"distance), {len(outcome.manifest['media_files'])} fichiers déposés."
        )
