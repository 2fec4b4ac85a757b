"""Reads on parcours: the catalogue search (offre de parcours for trainers, open-access modules
for teachers), and the lists of the design and review pages."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from preau.core.search import TSQUERY, parse, words_filter
from preau.training.models import TrainingSession

from .access import offre_filter, parcours_editable_by, parcours_visible_to, reviewable_filter
from .activities import all_kinds
from .models import (
    Activity,
    Event,
    OpenAccessMembership,
    Parcours,
    Section,
    Status,
    TargetAudience,
)

# Inclusive bands, so that a 6 h parcours is found both in "3 à 6 h" and "6 à 9 h".
DURATION_BANDS = {
    "lt3": ("moins de 3 h", Q(duration_hours__lt=3)),
    "3-6": ("de 3 à 6 h", Q(duration_hours__gte=3, duration_hours__lte=6)),
    "6-9": ("de 6 à 9 h", Q(duration_hours__gte=6, duration_hours__lte=9)),
    "gt9": ("plus de 9 h", Q(duration_hours__gt=9)),
}


# What the SQLite fallback searches (PostgreSQL: the generated column, parcours migration 0004).
SEARCHED_FIELDS = ("title", "matricule", "keywords", "objectives", "description")


@dataclass
class CatalogueFilters:
    q: str = ""
    duration: str = ""
    origin: str = ""
    label: bool = False
    collection: str = ""
    domain: str = ""
    audience: str = ""


def matches_sql(q: str, table: str = "parcours_parcours") -> tuple[str, list[str]]:
    """PostgreSQL: (SQL condition, params) of a parcours of `table` matching the search terms
    `q`: the generated column (parcours migration 0004), which holds the matricule's parts;
    and, for one word with an underscore (a piece of a matricule, `NUMLECT_1` or
    `26_A070_NUML`, which the parser would cut into other tokens), the matricule itself."""
    sql, params = f"{table}.search_vector @@ {TSQUERY}", [q]
    if " " not in q and "_" in q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = f"({sql} OR lower({table}.matricule) LIKE %s)"
        params.append(f"%{escaped}%")
    return sql, params


def _full_text(queryset: QuerySet, q: str) -> QuerySet:
    """The parcours matching the search terms `q` (already parsed: preau/core/search.py),
    accents and case aside, with their `rank`; a matricule or part of it matches too."""
    if connection.vendor == "postgresql":
        # A title match comes first, whatever the text says: ts_rank_cd alone lets a parcours
        # that repeats a word in its objectives outrank the one whose title is that word.
        # Normalisation 32 (rank / (rank + 1)) keeps the text rank below the title's 1.
        condition, params = matches_sql(q)
        return queryset.filter(RawSQL(condition, params, output_field=BooleanField())).annotate(
            rank=RawSQL(
                "(CASE WHEN to_tsvector('french'::regconfig, "
                f"preau_unaccent(parcours_parcours.title)) @@ {TSQUERY} THEN 1 ELSE 0 END) "
                f"+ ts_rank_cd(parcours_parcours.search_vector, {TSQUERY}, 32)",
                (q, q),
                output_field=FloatField(),
            )
        )
    # SQLite fallback: every word must appear somewhere; title matches rank first.
    return queryset.filter(words_filter(q, *SEARCHED_FIELDS)).annotate(
        rank=Case(
            When(title__folded__contains=q, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )


def apply_filters(queryset: QuerySet, filters: CatalogueFilters) -> QuerySet:
    if filters.duration in DURATION_BANDS:
        queryset = queryset.filter(DURATION_BANDS[filters.duration][1])
    if filters.origin:
        queryset = queryset.filter(origin=filters.origin)
    if filters.label:
        queryset = queryset.filter(national_label=True)
    if filters.collection:
        queryset = queryset.filter(collection=filters.collection)
    if filters.domain:
        queryset = queryset.filter(domain=filters.domain)
    if filters.audience:
        queryset = queryset.filter(
            Exists(
                TargetAudience.objects.filter(parcours=OuterRef("pk"), audience=filters.audience)
            )
        )
    terms = parse(filters.q)  # capped here too, whoever built the filters
    if terms:
        return _full_text(queryset, terms.text).order_by("-rank", "title", "pk")
    return queryset.order_by("title", "pk")


def sessions_of_lineage_count() -> Coalesce:
    """The number of training sessions made from any version of the parcours (its lineage),
    as a subquery of the parcours' own row: how much a parcours has been used across versions.
    Sessions of every state count, from preparation to archived."""
    sessions = (
        TrainingSession.objects.filter(source__lineage=OuterRef("lineage"))
        .order_by()
        .values("source__lineage")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sessions, output_field=IntegerField()), 0)


def search_offre(user, filters: CatalogueFilters) -> QuerySet[Parcours]:
    """Published parcours of the user's offre de parcours, filtered and ranked, each with
    `session_count` (sessions_of_lineage_count)."""
    queryset = Parcours.objects.filter(offre_filter(user)).annotate(
        session_count=sessions_of_lineage_count()
    )
    return (
        apply_filters(queryset, filters)
        .select_related("academie")
        .prefetch_related("target_audiences")
    )


def search_open_access(user, filters: CatalogueFilters) -> QuerySet[Parcours]:
    """Open-access modules, with whether the user already joined each."""
    queryset = Parcours.objects.open_access().annotate(
        joined=Exists(OpenAccessMembership.objects.filter(parcours=OuterRef("pk"), user=user))
    )
    return (
        apply_filters(queryset, filters)
        .select_related("academie")
        .prefetch_related("target_audiences")
    )


def my_open_access_modules(user) -> QuerySet:
    """The published modules a person joined, in the order they joined them, as {"pk",
    "title", "done"} (`done`: they marked it « terminé », for themself): a list of links (the
    home page), which needs no Parcours of 35 columns."""
    return (
        Parcours.objects.filter(members__user=user, status=Status.PUBLISHED)
        .order_by("members__joined_at")
        .values("pk", "title", done=F("members__done"))
    )


# Design and review ---------------------------------------------------------------------------


def design_dashboard(user) -> QuerySet[Parcours]:
    """The parcours a person may edit (a designer's own, an academic manager's académie's), in
    any status, most recently changed first, with their number of activities."""
    return (
        parcours_editable_by(user)
        .select_related("academie")
        .annotate(activity_count=Count("sections__activities"))
        .order_by("-updated_at", "-pk")
    )


def available_templates(user) -> QuerySet[Parcours]:
    return parcours_visible_to(user).filter(status=Status.TEMPLATE).order_by("title", "pk")


def sections_with_activities(parcours: Parcours | int, *, trainer_notes: bool) -> QuerySet[Section]:
    """The content of a parcours (or of the parcours of that id) in two queries; trainer notes
    are left in the database for the people who may not read them."""
    activities = Activity.objects.order_by("position", "pk")
    if not trainer_notes:
        activities = activities.exclude(kind__in=[k.code for k in all_kinds() if k.trainers_only])
    return (
        Section.objects.filter(parcours=parcours)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )


def parcours_history(parcours: Parcours) -> QuerySet[Event]:
    return parcours.events.select_related("actor").order_by("-created_at", "-pk")


def pending_send_back(parcours: Parcours, history: list[Event]) -> Event | None:
    """The send-back the designers still have to answer: the newest review event of the
    history (newest first, as parcours_history gives it) when it is a send-back and the
    parcours is in construction; None once it is submitted again. No query: the page has
    loaded the history."""
    if parcours.status != Status.CONSTRUCTION:
        return None
    review_actions = {Event.Action.SUBMITTED, Event.Action.CHANGES_REQUESTED}
    for event in history:
        if event.action in review_actions:
            return event if event.action == Event.Action.CHANGES_REQUESTED else None
    return None


def other_versions(parcours: Parcours, user) -> QuerySet[Parcours]:
    """The other versions of the same parcours (its line of descent) that the user may see."""
    return (
        parcours_visible_to(user)
        .filter(lineage_id=parcours.lineage_id)
        .exclude(pk=parcours.pk)
        .order_by("-created_at", "-pk")
    )


def review_queue(user) -> QuerySet[Parcours]:
    """Parcours waiting for this reviewer, the longest waiting first."""
    submitted = (
        Event.objects.filter(parcours=OuterRef("pk"), action=Event.Action.SUBMITTED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return (
        Parcours.objects.filter(reviewable_filter(user))
        .select_related("academie")
        .prefetch_related("designers")
        .annotate(submitted_at=Subquery(submitted))
        .order_by("submitted_at", "pk")
    )


def label_board(*, labelled: bool | None = None) -> QuerySet[Parcours]:
    """Published parcours for the editorial committee, labelled ones first."""
    queryset = Parcours.objects.published().select_related("academie")
    if labelled is not None:
        queryset = queryset.filter(national_label=labelled)
    return queryset.order_by("-national_label", "title", "pk")
