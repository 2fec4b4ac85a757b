"""manage.py reorder_anonymous_answers: gives the anonymous satisfaction answers, the « a
répondu » markers and the counts one transaction id for all, then rewrites them in the order of
their random ids without their old row versions, so that neither the order they were written in
nor the transaction that wrote them links a person to their answers (PostgreSQL; nothing to do
on SQLite). Schedule it once a night (docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError

from preau.questionnaires.physical_order import reorder


class Command(BaseCommand):
    help = (
        "Réécrit les réponses anonymes, les marques « a répondu » et les décomptes en une seule "
        "transaction, puis les range dans l’ordre de leurs identifiants aléatoires."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=600,
            help="Secondes d’attente au plus des transactions plus anciennes que la réécriture.",
        )

    def handle(self, *args, **options):
        done = reorder(wait=options["wait"])
        if not done.old_versions_dropped:
            raise CommandError(
                "Une transaction plus ancienne que la réécriture était encore ouverte : les "
                "anciennes versions des lignes restent jusqu’à la prochaine exécution."
            )
        if options["verbosity"]:
            if done.tables:
                self.stdout.write("Tables réécrites : " + ", ".join(done.tables) + ".")
            else:
                self.stdout.write("SQLite : les tables sont déjà rangées par identifiant.")
