"""Sends the daily digest of forum notifications (digest.py); schedule it once a day, in the
evening (docs/notifications.md). Running it again the same day sends nothing more."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from preau.notifications.digest import send_forum_digests


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide « {value} » : attendu AAAA-MM-JJ.") from error


class Command(BaseCommand):
    help = (
        "Envoie à chacun, une fois par jour au plus, le résumé de ses notifications des forums "
        "(pour les personnes qui ont choisi « un résumé par jour »)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=_date, help="le jour du résumé (AAAA-MM-JJ), aujourd’hui par défaut"
        )

    def handle(self, *args, date: datetime.date | None, **options):
        report = send_forum_digests(today=date)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{report.sent} résumé(s) envoyé(s), {report.items} notification(s) ; "
                f"{report.skipped} personne(s) ayant déjà reçu le résumé du jour."
            )
