"""manage.py restore <dir> [--yes]: puts back a backup made by manage.py backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from preau.portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `manage.py backup` (base de données et fichiers déposés) "
        "et vérifie les totaux du registre des heures. Une base non vide n’est remplacée "
        "qu’avec --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="dossier de la sauvegarde")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="confirme le remplacement d’une base de données qui n’est pas vide",
        )

    def handle(self, directory: Path, yes: bool, **options):
        try:
            outcome = restore(directory, confirmed=yes)
        except BackupError as error:
            raise CommandError(str(error)) from error
        totals = outcome.manifest["ledger_totals"]["all"]
        self.stdout.write(
            f"Sauvegarde du {outcome.manifest['made_at']} restaurée : {totals['entries']} "
            f"lignes d’heures, {len(outcome.manifest['media_files'])} fichiers déposés, "
            "totaux vérifiés."
        )
