"""Notes who joined the virtual classes open now, for the attendance prefill; schedule it every
minute or two while classes may run (docs/virtual-classes.md)."""

from django.core.management.base import BaseCommand

from preau.virtualclasses.services import poll_presences


class Command(BaseCommand):
    help = (
        "Demande au serveur BigBlueButton qui est dans chaque classe virtuelle ouverte "
        "maintenant, et note qui de la session l’a rejointe (rien d’autre : ni heure, ni durée), "
        "pour préremplir les présences."
    )

    def handle(self, **options):
        asked, failed = poll_presences()
        if options["verbosity"]:
            self.stdout.write(
                f"Classes virtuelles ouvertes interrogées : {asked} ({failed} en échec)."
            )
