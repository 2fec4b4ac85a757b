"""The yearly hours report, synchronously (cron, benchmark): the same build as the page's
background task (preau/hours/report.py). The report is recorded like one asked on the page
(« tâche planifiée »), so that administrators and academic managers find its files there;
--output also copies the CSV (or the .xlsx, by the extension) to a path."""

import os
import shutil
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from preau.hours.report import build_report, request_report
from preau.territories.models import Academie


class Command(BaseCommand):
    help = (
        "Prépare le rapport annuel des heures (une ligne par circonscription) de la France "
        "entière ou d’une académie, comme la page « Rapport annuel des heures », et affiche "
        "l’avancement département par département."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            required=True,
            help="l’année scolaire, par celle de la rentrée : 2025 pour 2025-2026",
        )
        parser.add_argument(
            "--academie", help="le code d’une académie (A070…) ; la France entière sinon"
        )
        parser.add_argument(
            "--output", help="copie le fichier ici aussi (.csv, ou .xlsx selon l’extension)"
        )

    def handle(self, *args, year: int, academie: str | None, output: str | None, **options):
        verbosity = options["verbosity"]
        scope = None
        if academie:
            scope = Academie.objects.filter(code=academie.upper()).first()
            if scope is None:
                raise CommandError(f"Académie inconnue : « {academie} » (attendu A070, A014…).")
        if output and not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError("--output : un fichier .csv ou .xlsx.")
        if output and not os.access(os.path.dirname(os.path.abspath(output)), os.W_OK):
            # Said before the build, not after a national report of a minute is lost.
            raise CommandError(f"--output : impossible d’écrire dans le dossier de « {output} ».")
        try:
            report = request_report(by=None, academie=scope, school_year=year, background=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        started = time.monotonic()

        def progress(done: int, total: int, label: str) -> None:
            if verbosity >= 1 and label:
                elapsed = time.monotonic() - started
                self.stdout.write(f"[{done + 1:>3}/{total}] {label} ({elapsed:.1f} s)")

        try:
            report = build_report(report, progress=progress)
        except Exception as error:  # logged with its traceback by build_report
            raise CommandError(f"Échec du rapport {report.pk} : {error!r}") from error
        if output:
            source = report.xlsx_file if output.lower().endswith(".xlsx") else report.csv_file
            with source.storage.open(source.name, "rb") as file, open(output, "wb") as copy:
                shutil.copyfileobj(file, copy)
        if verbosity >= 1:
            self.stdout.write(
                f"Rapport {report.year_label} ({report.scope_label}) : {report.row_count} "
                f"lignes, {report.teacher_count} enseignants, "
                f"{time.monotonic() - started:.1f} s. Fichiers : {report.csv_file.name}, "
                f"{report.xlsx_file.name}" + (f" ; copie : {output}" if output else "") + "."
            )
