from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from preau.territories.services import DirectoryFileError, import_school_directory, utf8_lines


class Command(BaseCommand):
    help = (
        "Charge les écoles depuis un export CSV de l’annuaire de l’éducation "
        "(séparateur point-virgule, UTF-8). Relancer la commande ne crée pas de doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Montre ce qui changerait sans rien écrire."
        )

    def handle(self, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        with path.open("rb") as binary:
            try:
                report = import_school_directory(utf8_lines(binary), dry_run=dry_run)
            except DirectoryFileError as error:
                raise CommandError(str(error)) from None
        prefix = "[simulation] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} école(s) créée(s), {report.updated} mise(s) à jour, "
            f"{report.unchanged} inchangée(s), {len(report.rejected)} ligne(s) rejetée(s)."
        )
        for line, reason in report.rejected:
            self.stderr.write(f"ligne {line} : {reason}")
