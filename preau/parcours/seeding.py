"""Parcours for `manage.py seed --scale demo`: about forty parcours of the académie de Normandie.

Each one is played through the real services, as its designer, reviewer and the editorial
committee would have: creation (from a template for some), indexation, sections and activities
(through the activity kinds' forms, so the HTML is sanitised and files go through the storage
API), submission, review, publication with its matricule, label, new version. The history of
every parcours is therefore genuine. The words live in demo_content.py.

A parcours is keyed by its short title: a second run creates only the missing ones, and
returns after one query when none is missing.
"""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from preau.accounts.models import Role, RoleAssignment, User
from preau.accounts.seeding import DEMO_ACCOUNTS
from preau.territories.models import Academie, Departement
from preau.territories.seeding import DEMO_ACADEMIE

from . import notifications, services
from .activities import get_kind
from .demo_content import PARCOURS, TEACHER_MODULES, Act, DemoParcours, Section
from .models import Activity, Origin, Parcours, Status

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
@notifications.muted()  # the review workflow is played through the services: no e-mail
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


# --- National scale -------------------------------------------------------------------------

NATIONAL_PARCOURS = 8000
# Of them: published, archived (an older version, still read by last year's sessions), in
# review, templates; the rest are in construction.
NATIONAL_SHARES = {Status.PUBLISHED: 0.25, Status.ARCHIVED: 0.05, Status.REVIEW: 0.025}
NATIONAL_TEMPLATES = 0.0125
NATIONAL_SHORT_TITLE = "NATX"  # NATX00000…: the key a second run recognises
NATIONAL_OPEN_ACCESS = 0.05  # of the published parcours
# A few open-access modules that every teacher is told about: 10,000+ members each.
NATIONAL_POPULAR_MODULES = 5
NATIONAL_POPULAR_MEMBERS = (10_000, 25_000)
NATIONAL_MODULE_MEMBERS = (20, 400)
# (announced, presence, distance) hours, as the academic catalogues announce them.
NATIONAL_DURATIONS = [
    ((6, 3, 3), 30), ((9, 6, 3), 14), ((6, 6, 0), 8), ((6, 3, 3), 8), ((3, 0, 3), 8),
    ((9, 3, 6), 8), ((12, 9, 3), 5), ((3, 3, 0), 6), ((9, 0, 9), 5), ((18, 9, 9), 3),
]  # fmt: skip
NATIONAL_LEVELS = [
    "CP", "CE1", "CE2", "CM1", "CM2", "classes multiniveaux", "éducation prioritaire",
    "école rurale", "liaison CM2-6e", "grande section",
]  # fmt: skip
NATIONAL_ANGLES = [
    "approfondissement", "mise en œuvre en classe", "analyse de pratiques",
    "animation de circonscription", "formation d’initiative locale", "deuxième année",
    "module complémentaire", "constellation", "accompagnement d’équipe",
]  # fmt: skip


def national_parcours_present() -> bool:
    return Parcours.all_objects.filter(short_title=f"{NATIONAL_SHORT_TITLE}00000").exists()


@transaction.atomic
def seed_national(rng: random.Random, log, *, factor: float = 1.0) -> None:
    """≈8,000 × factor parcours of the national académies (15 % of national origin): a
    quarter published with their matricule, the others archived, in review, templates or in
    construction; each with the indexation, audiences, designer, history and content (sections
    and activities) of a demo parcours of its domain, varied in title, level and hours. 5 % of
    the published ones are open-access modules; a few have 10,000+ members.

    PostgreSQL only (COPY with keys reserved ahead, see core/bulk.py); elsewhere it says so and
    returns. Idempotence: one transaction; the first national parcours (short title
    NATX00000) present means the set is there, and the run returns after one query.
    """
    from preau.core import bulk
    from preau.territories.seeding import ACADEMIES

    from .models import Event, Lineage, OpenAccessMembership, TargetAudience
    from .models import Section as SectionRow

    started = time.monotonic()
    if connection.vendor != "postgresql":
        log("Parcours du jeu national : PostgreSQL seulement, rien n’est fait ici.")
        return
    if national_parcours_present():
        log("Parcours du jeu national déjà en place : rien à ajouter.")
        return
    academies = dict(
        Academie.objects.filter(code__in=[a[0] for a in ACADEMIES]).values_list("pk", "code")
    )
    designers: dict[int | None, list[int]] = {}
    for user_id, academie_id in (
        RoleAssignment.objects.filter(role=Role.DESIGNER, academie__in=academies)
        .order_by("pk")
        .values_list("user_id", "academie_id")
    ):
        designers.setdefault(academie_id, []).append(user_id)
    if not designers:
        log("Parcours du jeu national : aucun concepteur national, chargez d’abord les personnes.")
        return
    designers[None] = [ids[0] for ids in designers.values()]
    teachers = list(
        User.objects.teachers()
        .filter(school__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    modules = 0

    count = max(len(NATIONAL_SHARES) + 2, round(NATIONAL_PARCOURS * factor))
    statuses: list[str] = []
    for status, share in NATIONAL_SHARES.items():
        statuses += [status] * max(1, round(count * share))
    statuses += [Status.TEMPLATE] * max(1, round(count * NATIONAL_TEMPLATES))
    statuses += [Status.CONSTRUCTION] * (count - len(statuses))

    demos = [d for d in PARCOURS if d.story != "template"]
    first = bulk.reserve_ids(Parcours, count)
    first_lineage = bulk.reserve_ids(Lineage, count)
    now = timezone.now()
    year = timezone.localdate(now).year
    academie_ids = sorted(academies)
    durations, weights = zip(*NATIONAL_DURATIONS, strict=True)
    rows, audiences, members, content, events = [], [], [], [], []
    for index, status in enumerate(statuses):
        pk = first + index
        base = rng.choice(demos)
        head = base.title.split(" : ")[0]
        title = rng.choice(
            [
                base.title,
                f"{base.title} ({rng.choice(NATIONAL_LEVELS)})",
                f"{head} : {rng.choice(NATIONAL_ANGLES)}",
                f"{head} en {rng.choice(NATIONAL_LEVELS)}",
            ]
        )[:200]
        national = rng.random() < 0.15
        academie_id = None if national else rng.choice(academie_ids)
        origin = Origin.NATIONAL if national else rng.choice([Origin.ACADEMIE] * 4 + [Origin.ESPE])
        short_title = f"{NATIONAL_SHORT_TITLE}{index:05d}"
        done = status in (Status.PUBLISHED, Status.ARCHIVED)
        matricule = None
        if done:
            code = "NAT" if national else academies[academie_id]
            if origin == Origin.ESPE:
                code = "ESPE"
            matricule = f"{year % 100:02d}_{code}_{short_title}_1.0"
        duration, presence, distance = (Decimal(h) for h in rng.choices(durations, weights)[0])
        open_access = status == Status.PUBLISHED and rng.random() < NATIONAL_OPEN_ACCESS
        designer = rng.choice(designers.get(academie_id) or designers[None])
        published_at = now - datetime.timedelta(days=rng.randint(30, 900)) if done else None
        rows.append(
            (
                pk, first_lineage + index, status, matricule, title, short_title,
                base.objectives, base.description, base.collection, base.domain, base.keywords,
                duration, presence, distance, base.rhythm, base.accompaniment, origin,
                academie_id, base.authors, base.contact, open_access,
                status == Status.PUBLISHED and rng.random() < 0.03,
                "Inspection de l’académie" if done else "", designer, published_at,
            )
        )  # fmt: skip
        for audience in base.audiences or ("cycle2",):
            audiences.append((pk, audience))
        members.append((pk, designer))
        events.append((pk, designer, Event.Action.CREATED, "", Status.CONSTRUCTION, ""))
        if done:
            events.append(
                (pk, designer, Event.Action.PUBLISHED, Status.REVIEW, Status.PUBLISHED, "")
            )
        if status == Status.ARCHIVED:
            events.append(
                (pk, designer, Event.Action.ARCHIVED, Status.PUBLISHED, Status.ARCHIVED, "")
            )
        sections = base.sections if status != Status.CONSTRUCTION else base.sections[:1]
        content.append((pk, sections))
        if open_access:
            modules += 1
            popular = modules <= NATIONAL_POPULAR_MODULES
            low, high = NATIONAL_POPULAR_MEMBERS if popular else NATIONAL_MODULE_MEMBERS
            size = min(len(teachers), max(1, round(rng.randint(low, high) * factor)))
            for user_id in sorted(rng.sample(teachers, size)):
                members.append((-pk, user_id))

    bulk.copy_rows(Lineage, ["id"], ((first_lineage + n,) for n in range(count)))
    bulk.copy_rows(
        Parcours,
        [
            "id", "lineage_id", "status", "matricule", "title", "short_title", "objectives",
            "description", "collection", "domain", "keywords", "duration_hours",
            "presence_hours", "distance_hours", "rhythm", "accompaniment", "origin",
            "academie_id", "authors", "contact", "open_access", "national_label",
            "validated_by", "created_by_id", "published_at",
        ],
        rows,
    )  # fmt: skip
    bulk.copy_rows(TargetAudience, ["parcours_id", "audience"], audiences)
    bulk.copy_rows(
        Parcours.designers.through,
        ["parcours_id", "user_id"],
        (row for row in members if row[0] > 0),
    )
    memberships = bulk.copy_rows(
        OpenAccessMembership,
        ["parcours_id", "user_id"],
        ((-pk, user_id) for pk, user_id in members if pk < 0),
    )
    bulk.copy_rows(
        Event, ["parcours_id", "actor_id", "action", "from_status", "to_status", "comment"], events
    )
    sections_written, activities_written = copy_content(content)
    bulk.analyze(Parcours, TargetAudience, SectionRow, Activity, OpenAccessMembership, Event)
    log(
        f"Parcours du jeu national : {count} parcours dont {statuses.count(Status.PUBLISHED)} "
        f"publiés, {sections_written} sections, {activities_written} activités, "
        f"{memberships} membres de modules en libre accès "
        f"({time.monotonic() - started:.1f} s)."
    )


def copy_content(content: list[tuple[int, tuple]]) -> tuple[int, int]:
    """COPY sections and activities: `content` is [(parcours pk, sections)], sections being
    the demo's (title, acts) or rows read from the database (title, [(kind, title, body,
    url)]). Demo files become pages: the national set stores no file."""
    from preau.core import bulk

    from .models import Section as SectionRow

    total = sum(len(sections) for _pk, sections in content)
    first = bulk.reserve_ids(SectionRow, total) if total else 0
    sections, activities = [], []
    for parcours_id, parcours_sections in content:
        for position, (title, acts) in enumerate(parcours_sections):
            section_id = first + len(sections)
            sections.append((section_id, parcours_id, title, position))
            for act_position, act in enumerate(acts):
                if isinstance(act, Act):
                    kind, act_title, body, url = act.kind, act.title, act.body, act.url
                    if kind == "file":
                        kind, body = "page", body or f"<p>{escape(act.text[:500])}</p>"
                else:
                    kind, act_title, body, url = act
                activities.append((section_id, kind, act_title, act_position, body, url))
    bulk.copy_rows(SectionRow, ["id", "parcours_id", "title", "position"], sections)
    bulk.copy_rows(Activity, ["section_id", "kind", "title", "position", "body", "url"], activities)
    return len(sections), len(activities)
