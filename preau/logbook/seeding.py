"""Demo logbook: the demo teacher's carnet de bord holds a few entries (texts in
demo/entries.json) about a session she takes part in, one of them shared with its trainers.
Written directly, as history. Seeding twice changes nothing."""

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from preau.accounts.models import User
from preau.parcours.models import Section
from preau.training.models import (
    Enrolment,
    EnrolmentStatus,
    SessionStaff,
    SessionStatus,
    StaffRole,
)

from .models import Entry, plain_text

DATA = Path(__file__).parent / "demo" / "entries.json"
DEMO_TEACHER = "enseignant@demo.preau.fr"


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    if teacher is None:
        return
    if Entry.objects.filter(owner=teacher).exists():
        log("Carnet de bord : les entrées de démonstration sont déjà en place.")
        return
    # Her most recent opened session that has a trainer: the one a shared entry goes to.
    enrolment = (
        Enrolment.objects.filter(user=teacher, status=EnrolmentStatus.ENROLLED)
        .exclude(session__status=SessionStatus.PREPARATION)
        .filter(session__in=SessionStaff.objects.filter(role=StaffRole.TRAINER).values("session"))
        .select_related("session")
        .order_by("-session__start_date", "pk")
        .first()
    )
    session = enrolment.session if enrolment else None
    section = (
        Section.objects.filter(parcours_id=session.content_id).order_by("position", "pk").first()
        if session
        else None
    )
    today = timezone.localdate()
    entries = json.loads(DATA.read_text(encoding="utf-8"))["entries"]
    for item in entries:
        tie = item["tie"] if session else None
        Entry.objects.create(
            owner=teacher,
            title=item["title"],
            body=item["body"],
            text=plain_text(item["body"]),
            written_on=today - datetime.timedelta(days=item["days_ago"]),
            session=session if tie else None,
            section=section if tie == "section" else None,
            shared=bool(item["shared"] and session),
        )
    log(f"Carnet de bord : {len(entries)} entrées pour {teacher.get_full_name()}.")
