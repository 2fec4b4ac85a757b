from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from preau.core.params import command_date
from preau.hr.gaia import FORMATIONS, INTERVENANTS, STAGIAIRES
from preau.hr.generator import write_gaia_day


class Command(BaseCommand):
    help = (
        "Écrit les trois fichiers GAIA d’un jour (Formations, Intervenants, Stagiaires), "
        "réalistes et de la taille voulue, dans DIR ; par exemple : gaia_generate var/gaia "
        "--academie A014 --day 2026-09-15 --formations 20000 --trainees 60000."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="dossier où écrire les fichiers")
        parser.add_argument("--academie", required=True, help="code de l’académie, ex. A014")
        parser.add_argument("--day", required=True, help="jour de l’export, AAAA-MM-JJ")
        parser.add_argument("--formations", type=int, required=True, help="lignes Formations")
        parser.add_argument("--trainees", type=int, required=True, help="lignes Stagiaires")
        parser.add_argument("--trainers-per-module", type=int, default=2)
        parser.add_argument("--seed", type=int, default=0, help="graine du tirage aléatoire")
        parser.add_argument("--email-domain", default="ac-normandie.fr")

    def handle(self, directory, academie, day, formations, trainees, seed, **options):
        if formations < 0 or trainees < 0 or options["trainers_per_module"] < 0:
            raise CommandError("Les nombres de lignes ne peuvent pas être négatifs.")
        try:
            paths = write_gaia_day(
                Path(directory),
                academie_code=academie,
                day=command_date(day),
                formations=formations,
                trainees=trainees,
                trainers_per_module=options["trainers_per_module"],
                seed=seed,
                email_domain=options["email_domain"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        for kind in (FORMATIONS, INTERVENANTS, STAGIAIRES):
            self.stdout.write(str(paths[kind]))
