from django.core.management.base import BaseCommand
from django.db.models import Count

from preau.preparations.models import Document
from preau.preparations.services import compact


class Command(BaseCommand):
    help = (
        "Compacte les documents de préparation collective : les modifications enregistrées "
        "d’un document sont fusionnées en une seule quand il en a au moins --min-updates. "
        "À lancer régulièrement (cron, une fois par heure par exemple) ; sans effet sur les "
        "personnes en train d’écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-updates", type=int, default=500)

    def handle(self, min_updates: int, **options):
        documents = (
            Document.objects.annotate(n=Count("updates"))
            .filter(n__gte=max(min_updates, 2))
            .order_by("pk")
        )
        total = rows = 0
        for document in documents.iterator():
            rows += compact(document=document)
            total += 1
        self.stdout.write(f"{total} document(s) compacté(s), {rows} modifications fusionnées.")
