import random
from importlib import import_module

from django.core.management.base import BaseCommand

# Each app that brings data adds its module here, in dependency order.
SEEDERS = ["preau.territories.seeding", "preau.accounts.seeding"]


class Command(BaseCommand):
    help = (
        "Charge des données réalistes : --scale demo (une académie, pour `make run`) ou "
        "--scale national (tout le pays, pour le banc de mesure, sur PostgreSQL). "
        "Relancer la commande ne duplique rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--seed", type=int, default=2026, help="graine du tirage aléatoire")
        parser.add_argument(
            "--accounts-only", action="store_true", help="affiche seulement les comptes de démo"
        )

    def handle(self, scale: str, seed: int, accounts_only: bool, **options):
        self.verbosity = options["verbosity"]
        if accounts_only:
            self.print_accounts()
            return
        for module_name in SEEDERS:
            module = import_module(module_name)
            seeder = getattr(module, f"seed_{scale}", None)
            if seeder is not None:
                # One generator per module, so that adding data to one app never changes another's.
                seeder(random.Random(f"{seed}-{module_name}"), self.log)
        if scale == "demo" and options["verbosity"] >= 1:
            self.print_accounts()

    def log(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def print_accounts(self) -> None:
        from preau.accounts.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD

        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for email, _first, _last, _role, _scope, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<30} {label}")
