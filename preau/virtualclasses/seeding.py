"""Demo virtual classes: in the demo trainer's first open session where the demo teacher is
enrolled, a meeting « à distance » today, whose room (recording allowed, so that participants
see the notice) opens on the BigBlueButton stand-in that `make run` starts (bin/run). Seeding
twice changes nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from preau.training.models import Meeting, SessionStaff, SessionStatus, StaffRole

from .models import Room
from .services import ensure_meeting_room

TITLE = "Classe virtuelle : retour sur les essais en classe"
WELCOME = (
    "Bienvenue dans la classe virtuelle « Retour sur les essais en classe ». Micro coupé à "
    "l’entrée : levez la main pour prendre la parole."
)


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    if Room.objects.exists():
        log("Classes virtuelles : déjà en place.")
        return
    staff = (
        SessionStaff.objects.filter(
            user__email="formateur@demo.preau.fr",
            role=StaffRole.TRAINER,
            session__status=SessionStatus.OPEN,
            session__enrolments__user__email="enseignant@demo.preau.fr",
        )
        .select_related("session")
        .order_by("session__start_date", "session__pk")
        .first()
    )
    if staff is None:
        log("Classes virtuelles : aucune session ouverte du formateur de démonstration.")
        return
    # Now, in Paris, rounded down to the hour: the class is running whenever the demo starts.
    now = timezone.localtime()
    start = datetime.time(now.hour, 0)
    end = datetime.time(min(now.hour + 2, 23), 59 if now.hour >= 22 else 0)
    meeting = Meeting.objects.create(
        session=staff.session,
        title=TITLE,
        date=now.date(),
        start_time=start,
        end_time=end,
        remote=True,
    )
    room = ensure_meeting_room(meeting=meeting)
    room.welcome = WELCOME
    room.recording_allowed = True
    room.save(update_fields=["welcome", "recording_allowed"])
    log(f"Classes virtuelles : une classe virtuelle aujourd’hui dans « {staff.session.title} ».")
