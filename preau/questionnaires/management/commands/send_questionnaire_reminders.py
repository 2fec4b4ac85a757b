"""Reminds, once, the participants of sessions whose last meeting is over that the closing
questionnaire awaits them (reminders.py); schedule it once a day. Running it again sends
nothing more."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from preau.core.params import command_date
from preau.questionnaires.reminders import send_closing_reminders


class Command(BaseCommand):
    help = (
        "Rappelle une fois aux participants des sessions dont la dernière réunion est passée "
        "que le questionnaire de fin les attend (anonyme, facultatif)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=command_date, help="le jour (AAAA-MM-JJ), aujourd’hui par défaut"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="compte sans rien envoyer ni enregistrer"
        )

    def handle(self, *args, date: datetime.date | None, dry_run: bool, **options):
        report = send_closing_reminders(today=date or timezone.localdate(), dry_run=dry_run)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{report.reminded} participant(s) rappelé(s) dans {report.sessions} session(s)"
                + (" (essai : rien envoyé)." if dry_run else ".")
            )
