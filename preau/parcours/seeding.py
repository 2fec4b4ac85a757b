"""Parcours for `manage.py seed --scale demo`: about forty parcours of the académie de Normandie.

Each one is played through the real services, as its designer, reviewer and the editorial
committee would have: creation (from a template for some), indexation, sections and activities
(through the activity kinds' forms, so the HTML is sanitised and files go through the storage
API), submission, review, publication with its matricule, label, new version. The history of
every parcours is therefore genuine. The words live in demo_content.py.

A parcours is keyed by its short title: a second run creates only the missing ones, and
returns after one query when none is missing.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from preau.accounts.models import Role, User
from preau.accounts.seeding import DEMO_ACCOUNTS
from preau.territories.models import Academie, Departement
from preau.territories.seeding import DEMO_ACADEMIE

from . import services
from .activities import get_kind
from .demo_content import PARCOURS, TEACHER_MODULES, Act, DemoParcours, Section
from .models import Origin, Parcours, Status

LABEL_COMMENT = (
    "Scénarisation hybride exemplaire et ressources de référence : retenu pour l’offre "
    "nationale de parcours."
)


@dataclass(frozen=True)
class Cast:
    """The demo accounts who act on the parcours, and where they work."""

    designer: User
    reviewer: User
    committee: User
    teacher: User
    academie: Academie
    departements: dict[str, Departement]

    @classmethod
    def load(cls) -> "Cast":
        emails = {role: email for email, _first, _last, role, _scope, _label in DEMO_ACCOUNTS}
        users = User.objects.in_bulk(emails.values(), field_name="email")
        academie = Academie.objects.get(code=DEMO_ACADEMIE[0])
        return cls(
            designer=users[emails[Role.DESIGNER]],
            reviewer=users[emails[Role.REVIEWER]],
            committee=users[emails[Role.EDITORIAL_COMMITTEE]],
            teacher=users[emails[Role.TEACHER]],
            academie=academie,
            departements={d.code: d for d in Departement.objects.filter(academie=academie)},
        )


@transaction.atomic
def seed_demo(rng: random.Random, log) -> None:
    existing = set(
        Parcours.objects.filter(short_title__in=[d.short_title for d in PARCOURS]).values_list(
            "short_title", flat=True
        )
    )
    missing = [demo for demo in PARCOURS if demo.short_title not in existing]
    if not missing:
        log(f"Parcours : les {len(PARCOURS)} parcours de démonstration sont déjà en place.")
        return
    cast = Cast.load()
    created = {demo.short_title: play(demo, cast) for demo in missing}
    # The teacher joins their modules once, when they appear: a module the teacher has left
    # since stays left.
    for short_title in TEACHER_MODULES:
        if short_title in created:
            services.join_open_access(parcours=created[short_title], user=cast.teacher)
    total = Parcours.objects.count()
    log(f"Parcours : {len(created)} parcours de démonstration créés, {total} en base.")


def play(demo: DemoParcours, cast: Cast) -> Parcours:
    """Creates one demo parcours and takes it as far as its story goes; returns the newest
    version."""
    template = None
    if demo.template:
        template = Parcours.objects.filter(
            short_title=demo.template, status=Status.TEMPLATE
        ).first()
    parcours = services.create_parcours(
        by=cast.designer,
        title=demo.title,
        academie=None if demo.origin == Origin.NATIONAL else cast.academie,
        template=template,
    )
    services.update_indexation(
        parcours=parcours,
        by=cast.designer,
        data=indexation(demo, cast),
        audiences=list(demo.audiences),
    )
    add_content(parcours, demo.sections)
    if demo.story == "template":
        # Templates are curated by the académie, outside the review workflow: no service
        # turns a parcours into one, the administration does it.
        parcours.status = Status.TEMPLATE
        parcours.save(update_fields=["status", "updated_at"])
        return parcours
    if demo.story == "construction" and not demo.review_comment:
        return parcours

    parcours = services.submit_for_review(parcours=parcours, by=cast.designer)
    if demo.review_comment:
        parcours = services.request_changes(
            parcours=parcours, by=cast.reviewer, comment=demo.review_comment
        )
        if demo.story == "construction":
            return parcours
        last_section = parcours.sections.order_by("position", "pk").last()
        for act in demo.fixes:
            add_activity(last_section, act)
        parcours = services.submit_for_review(parcours=parcours, by=cast.designer)
    if demo.story == "review":
        return parcours

    parcours = services.approve(parcours=parcours, by=cast.reviewer)
    if demo.label:
        parcours = services.set_national_label(
            parcours=parcours, by=cast.committee, granted=True, comment=LABEL_COMMENT
        )
    if demo.new_version:
        draft = services.create_new_version(parcours=parcours, by=cast.designer)
        services.update_indexation(
            parcours=draft,
            by=cast.designer,
            data={"version_notes": demo.new_version.version_notes},
            audiences=list(demo.audiences),
        )
        add_content(draft, demo.new_version.sections)
        draft = services.submit_for_review(parcours=draft, by=cast.designer)
        parcours = services.approve(parcours=draft, by=cast.reviewer)
    return parcours


def indexation(demo: DemoParcours, cast: Cast) -> dict:
    duration, presence, distance = (Decimal(str(hours)) for hours in demo.hours)
    return {
        "title": demo.title,
        "short_title": demo.short_title,
        "objectives": demo.objectives,
        "description": demo.description,
        "collection": demo.collection,
        "domain": demo.domain,
        "keywords": demo.keywords,
        "duration_hours": duration,
        "presence_hours": presence,
        "distance_hours": distance,
        "rhythm": demo.rhythm,
        "accompaniment": demo.accompaniment,
        "origin": demo.origin,
        "departement": cast.departements[demo.departement] if demo.departement else None,
        "authors": demo.authors,
        "contact": demo.contact,
        "open_access": demo.open_access,
        "enrolment_key": demo.enrolment_key,
    }


def add_content(parcours: Parcours, sections: tuple[Section, ...]) -> None:
    for title, acts in sections:
        section = services.add_section(parcours=parcours, title=title)
        for act in acts:
            add_activity(section, act)


def add_activity(section, act: Act) -> None:
    """Saves an activity through its kind's form, as the designer's editor does."""
    files = None
    if act.filename:
        files = {
            "file": SimpleUploadedFile(
                act.filename, act.text.encode(), content_type="text/plain; charset=utf-8"
            )
        }
    form = get_kind(act.kind).form_class(
        data={"title": act.title, "body": act.body, "url": act.url}, files=files
    )
    if not form.is_valid():
        raise ValueError(f"Demo activity « {act.title} » is invalid: {form.errors.as_text()}")
    services.save_activity(form=form, section=section, kind=act.kind)
