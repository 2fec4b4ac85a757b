import random
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# Each app that brings data adds its module here, in dependency order.
SEEDERS = [
    "preau.territories.seeding",
    "preau.accounts.seeding",
    "preau.parcours.seeding",
    "preau.training.seeding",
    "preau.hours.seeding",
    "preau.hr.seeding",
    "preau.forums.seeding",
    "preau.virtualclasses.seeding",
    "preau.questionnaires.seeding",
    "preau.logbook.seeding",
    "preau.preparations.seeding",
]


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
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            help=(
                "charge les données même quand DEBUG est désactivé (elles comprennent un "
                "administrateur au mot de passe public de démonstration)"
            ),
        )

    def handle(
        self, scale: str, seed: int, accounts_only: bool, i_know_this_is_production: bool, **options
    ):
        self.verbosity = options["verbosity"]
        if accounts_only:
            self.print_accounts()
            return
        if not settings.DEBUG and not i_know_this_is_production:
            # DEBUG off is how a production instance runs: the demo accounts, an administrator
            # among them, all carry the password printed in the README. `make run` and the
            # benchmarks pass the flag on purpose (their databases are demo ones).
            raise CommandError(
                "DEBUG est désactivé : cette instance ressemble à une production. Les données de "
                "démonstration créent des comptes, dont un administrateur, au mot de passe public "
                "de démonstration. Si c’est bien voulu (démonstration, banc de mesure), relancez "
                "avec --i-know-this-is-production."
            )
        if scale == "national" and connection.vendor != "postgresql":
            # The generators run on any database (the tests run them small on SQLite), but at
            # full size the national set would add ≈336,000 accounts to the embedded file that
            # `make run` serves, and a benchmark measured there would say nothing of production.
            raise CommandError(
                "Le jeu de données national (≈ 336 000 comptes) se charge dans une base "
                "PostgreSQL : indiquez-la avec DATABASE_URL, par exemple "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/preau_national."
            )
        # One transaction for all the apps: a run that fails leaves nothing half-seeded, which
        # lets each seeder recognise its data from a single row on the next run.
        # The seeders play the workflows through the services: the notifications they write
        # stay in the demo's notification centres, but nobody is e-mailed.
        from preau.notifications.services import muted

        with transaction.atomic(), muted():
            for module_name in SEEDERS:
                module = import_module(module_name)
                seeder = getattr(module, f"seed_{scale}", None)
                if seeder is not None:
                    # One generator per module, so that adding data to one app never changes
                    # another's.
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
