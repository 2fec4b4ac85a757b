"""Sends the daily digest of forum notifications (digest.py); schedule it once a day, in the
evening (docs/notifications.md). Running it again the same day sends nothing more."""

import datetime

from django.core.management.base import BaseCommand

from preau.core.params import command_date
from preau.notifications.digest import send_forum_digests


class Command(BaseCommand):
    help = (
        "Envoie à chacun, une fois par jour au plus, le résumé de ses notifications des forums "
        "(pour les personnes qui ont choisi « un résumé par jour »)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=command_date,
            help="le jour du résumé (AAAA-MM-JJ), aujourd’hui par défaut",
        )

    def handle(self, *args, date: datetime.date | None, **options):
        report = send_forum_digests(today=date)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{report.sent} résumé(s) envoyé(s), {report.items} notification(s) ; "
                f"{report.skipped} personne(s) ayant déjà reçu le résumé du jour."
            )
