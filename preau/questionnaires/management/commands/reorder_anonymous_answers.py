"""manage.py reorder_anonymous_answers: rewrites the anonymous satisfaction answers and the
« a répondu » markers in the order of their random ids, so that the order they were written in
does not survive on disk (PostgreSQL; nothing to do on SQLite). Schedule it once a night."""

from django.core.management.base import BaseCommand

from preau.questionnaires.physical_order import reorder


class Command(BaseCommand):
    help = (
        "Range les réponses anonymes et les marques « a répondu » dans l’ordre de leurs "
        "identifiants aléatoires."
    )

    def handle(self, *args, **options):
        done = reorder()
        if options["verbosity"]:
            if done:
                self.stdout.write("Tables rangées : " + ", ".join(done) + ".")
            else:
                self.stdout.write("SQLite : les tables sont déjà rangées par identifiant.")
