"""Sends the day's reminders to trainers; schedule it once a day (docs/deployment.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from preau.core.params import command_date
from preau.training.models import ReminderSent
from preau.training.reminders import send_due_reminders

LABELS = {
    ReminderSent.Kind.OPEN_SESSION: "ouvrir la session",
    ReminderSent.Kind.CLOSE_SESSION: "attester et clore la session",
}


class Command(BaseCommand):
    help = (
        "Envoie aux formateurs les rappels du jour : ouvrir une session dont la date de début "
        "est arrivée, attester et clore une session terminée (chaque semaine). Un rappel "
        "n’est jamais envoyé deux fois."
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
        self.verbosity = options["verbosity"]
        today = date or timezone.localdate()
        report = send_due_reminders(today=today, dry_run=dry_run)
        verb = "à envoyer" if dry_run else "envoyé"
        for reminder in report.sent:
            self._line(reminder, verb, ", ".join(reminder.recipients))
        for reminder in report.skipped:
            self._line(reminder, "déjà pris en charge par un autre processus")
        for reminder in report.unaddressed:
            self._line(reminder, "sans destinataire (aucun formateur actif)")
        for reminder in report.failed:
            self._line(reminder, "ÉCHEC de l’envoi, réessayé au prochain passage")
        summary = (
            f"{today:%d/%m/%Y} : {len(report.sent)} rappel(s) {verb}"
            + (f", {len(report.failed)} en échec" if report.failed else "")
            + "."
        )
        if self.verbosity >= 1:
            self.stdout.write(summary)
        if report.failed:
            raise CommandError(f"{len(report.failed)} rappel(s) n’ont pas pu être envoyés.")

    def _line(self, reminder, what: str, detail: str = "") -> None:
        if self.verbosity < 1:
            return
        session = reminder.session
        line = f"[{LABELS[reminder.kind]}] {session.title} (n° {session.pk}) : {what}"
        self.stdout.write(line + (f" — {detail}" if detail else ""))
