"""Imports the latest GAIA day found in a folder: what a scheduled pick-up runs.

    manage.py gaia_import /srv/gaia --academie A070            # preview only: confirm in the UI
    manage.py gaia_import /srv/gaia --academie A070 --dry-run  # preview, print it, discard it
    manage.py gaia_import /srv/gaia --academie A070 --apply    # preview, then apply at once

With --dry-run the preview prints who would be added and removed, by name and session. A day
older than the last applied one is refused unless --force-older gives the reason; files
identical to an applied import of the same day are refused as already applied. The shrink
guard's held removals are never applied here: a manager confirms them on the import's page.

Without a folder, PREAU_HR_PICKUP_DIR is read. The preview and the report are kept in the
import history of the académie, exactly as for an upload; a day already imported is skipped.
"""

import re
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from preau.hr import services
from preau.hr.models import HrImport, ImportKind, ImportStatus
from preau.territories.models import Academie

NAME = re.compile(r"^(?P<code>[A-Za-z0-9]+)_Formations_(?P<day>\d{8})\.csv$", re.IGNORECASE)


class Command(BaseCommand):
    help = "Importe les trois fichiers GAIA les plus récents d’un dossier (aperçu, ou --apply)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=settings.PREAU_HR_PICKUP_DIR)
        parser.add_argument("--academie", required=True, help="code de l’académie, ex. A070")
        parser.add_argument("--apply", action="store_true", help="appliquer sans confirmation")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="analyser et afficher l’aperçu (qui serait ajouté, retiré), puis l’abandonner",
        )
        parser.add_argument(
            "--again", action="store_true", help="importer même un jour déjà importé"
        )
        parser.add_argument(
            "--force-older",
            default="",
            metavar="MOTIF",
            help="importer un jour plus ancien que le dernier appliqué, pour ce motif",
        )

    def handle(self, directory, academie, apply, again, dry_run, force_older, **options):
        if apply and dry_run:
            raise CommandError("--apply et --dry-run s’excluent.")
        if not directory:
            raise CommandError("Indiquez le dossier, ou PREAU_HR_PICKUP_DIR.")
        folder = Path(directory)
        academie_obj = Academie.objects.filter(code__iexact=academie).first()
        if academie_obj is None:
            raise CommandError(f"Académie inconnue : {academie}")
        days = sorted(
            match["day"]
            for path in folder.glob("*.csv")
            if (match := NAME.match(path.name)) and match["code"].upper() == academie.upper()
        )
        if not days:
            raise CommandError(f"Aucun fichier {academie}_Formations_AAAAMMJJ.csv dans {folder}.")
        day = days[-1]
        already = HrImport.objects.filter(
            academie=academie_obj,
            kind=ImportKind.GAIA,
            status=ImportStatus.APPLIED,
            day=f"{day[:4]}-{day[4:6]}-{day[6:]}",
        )
        if already.exists() and not again:
            self.stdout.write(f"Le jour {day} est déjà importé : rien à faire.")
            return
        paths = {
            kind: folder / f"{academie}_{label}_{day}.csv"
            for kind, label in (
                ("formations", "Formations"),
                ("intervenants", "Intervenants"),
                ("stagiaires", "Stagiaires"),
            )
        }
        handles = {kind: path.open("rb") for kind, path in paths.items() if path.exists()}
        try:
            uploads = {
                kind: File(handle, name=paths[kind].name) for kind, handle in handles.items()
            }
            hr_import = services.start_gaia_import(
                academie=academie_obj, uploads=uploads, by=None, forced_reason=force_older
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        finally:
            for handle in handles.values():
                handle.close()
        self.stdout.write(f"Import n° {hr_import.pk} : analyse…")
        services.build_preview(hr_import)  # does nothing if a worker took it first
        hr_import = self._wait(hr_import, ImportStatus.PREVIEWING)
        self._print(hr_import.summary, hr_import)
        if dry_run and hr_import.status == ImportStatus.PREVIEWED:
            self._print_people(hr_import)  # every name: the page shows the first hundred
            services.cancel_import(hr_import=hr_import)
            self.stdout.write("Essai à blanc : aperçu abandonné, rien n’a été modifié.")
            return
        if hr_import.status != ImportStatus.PREVIEWED or not apply:
            return
        services.confirm_import(hr_import=hr_import, by=None)
        hr_import.refresh_from_db()
        services.apply_import(hr_import)  # does nothing if a worker took it first
        hr_import = self._wait(hr_import, ImportStatus.APPLYING)
        self.stdout.write(f"Appliqué : {hr_import.summary.get('applied', {})}")

    def _wait(self, hr_import, running: str) -> HrImport:
        hr_import.refresh_from_db()
        while hr_import.status in {ImportStatus.QUEUED, running}:
            time.sleep(1)
            hr_import.refresh_from_db()
        return hr_import

    def _print(self, summary, hr_import):
        if hr_import.status == ImportStatus.REFUSED:
            raise CommandError(f"Refusé : {hr_import.refusal}")
        keys = [k for k, v in summary.items() if isinstance(v, int)]
        self.stdout.write(", ".join(f"{k} {summary[k]}" for k in keys))
        for guard in summary.get("guards", []):
            self.stdout.write(f"Attention : {guard}")

    def _print_people(self, hr_import):
        """Every person the import would add or remove, by name and session."""
        plan = services.Plan(hr_import)
        trainees, trainers = services.added_people(plan, limit=None)
        gone_trainees, gone_trainers = services.removed_people(
            plan.missing_trainees(), plan.missing_trainers(), limit=None
        )
        held = " (retrait en attente de confirmation : fichier tronqué)"
        for title, names in (
            ("Stagiaires ajoutés", trainees),
            ("Stagiaires retirés" + (held if plan.holds("trainees") else ""), gone_trainees),
            ("Formateurs ajoutés", trainers),
            ("Formateurs retirés" + (held if plan.holds("trainers") else ""), gone_trainers),
        ):
            if names:
                self.stdout.write(f"{title} ({len(names)}) :")
                for name in names:
                    self.stdout.write(f"  {name}")
