"""Sends the spring reminder of the 18 hours; schedule it once a day (docs/deployment.md):
nothing happens before PREAU_HOURS_REMINDER_DATE, and each teacher gets it once a year."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from preau.core.params import command_date
from preau.hours.reminders import send_hours_reminders


class Command(BaseCommand):
    help = (
        "Envoie le rappel de printemps des 18 heures aux enseignants à qui il manque encore "
        "des heures, une fois par année scolaire, à partir de PREAU_HOURS_REMINDER_DATE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=command_date,
            help="le jour à considérer (AAAA-MM-JJ), aujourd’hui par défaut",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="affiche les rappels dus sans rien envoyer"
        )

    def handle(self, *args, date: datetime.date | None, dry_run: bool, **options):
        verbosity = options["verbosity"]
        today = date or timezone.localdate()
        report = send_hours_reminders(today=today, dry_run=dry_run)
        verb = "à envoyer" if dry_run else "envoyé"
        if verbosity >= 1:
            for reminder in report.sent:
                self.stdout.write(f"{reminder.teacher.email} : {verb} — {reminder.explanation}")
            for reminder in report.skipped:
                self.stdout.write(f"{reminder.teacher.email} : déjà pris en charge ailleurs")
            for reminder in report.failed:
                self.stdout.write(f"{reminder.teacher.email} : ÉCHEC, réessayé au prochain passage")
            self.stdout.write(
                f"{today:%d/%m/%Y} : {len(report.sent)} rappel(s) {verb}"
                + (f", {len(report.failed)} en échec" if report.failed else "")
                + "."
            )
        if report.failed:
            raise CommandError(f"{len(report.failed)} rappel(s) n’ont pas pu être envoyés.")
