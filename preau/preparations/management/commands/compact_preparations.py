import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from preau.preparations.models import Document
from preau.preparations.services import compact

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Compacte les documents de préparation collective : les modifications enregistrées "
        "d’un document sont fusionnées en une seule quand il en a au moins --min-updates "
        "(PREAU_PREP_COMPACT_AFTER par défaut). Les documents modifiés en direct le sont déjà "
        "par une tâche de fond ; à lancer une fois par nuit (cron) pour ceux qui ne sont "
        "enregistrés que par la page (sans websocket). Sans effet sur les personnes en train "
        "d’écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-updates", type=int, default=None)

    def handle(self, min_updates: int | None, **options):
        if min_updates is None:
            min_updates = settings.PREAU_PREP_COMPACT_AFTER
        documents = (
            Document.objects.annotate(n=Count("updates"))
            .filter(n__gte=max(min_updates, 2))
            .order_by("pk")
        )
        total = rows = 0
        failed = []
        for document in documents.iterator():
            # One document that cannot be compacted (its rows left as they are) does not stop
            # the others.
            try:
                # A document another compaction holds is left to it (not waited for).
                read = compact(document=document, skip_locked=True)
            except Exception:
                logger.exception("compaction of preparation document %s failed", document.pk)
                failed.append(document.pk)
                continue
            if read:
                rows += read
                total += 1
        self.stdout.write(f"{total} document(s) compacté(s), {rows} modifications fusionnées.")
        if failed:
            raise CommandError(
                f"{len(failed)} document(s) non compacté(s) (voir le journal) : "
                + ", ".join(str(pk) for pk in failed)
            )
