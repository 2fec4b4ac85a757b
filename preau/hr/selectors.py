"""Reads of the HR interchange for its pages."""

import contextlib

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from preau.core.params import parse_int
from preau.core.search import SearchTerms, by_name, parse, words_filter
from preau.training.models import EnrolmentStatus, TrainingSession

from .models import HrLink, HrSession
from .services import missing_enrolments

CANDIDATES = 20


# A module number is a BIGINT: a longer run of digits cannot be one.
MODULE_CODE_DIGITS = 18


def _search(sessions: QuerySet[HrSession], query: SearchTerms | str) -> QuerySet[HrSession]:
    """Every word is a code (dispositif, session, module number) or a word of the titles or
    the place, accents and case aside; the terms are capped (preau/core/search.py)."""
    terms = query if isinstance(query, SearchTerms) else parse(query)
    for word in terms.words:
        condition = (
            Q(dispositif_code__iexact=word)
            | Q(session_code=word)
            | words_filter(word, "dispositif_title", "module_title", "place")
        )
        with contextlib.suppress(ValueError):  # unless the word is a module number
            condition |= Q(module_code=parse_int(word))
        sessions = sessions.filter(condition)
    return sessions


def hr_sessions(sessions: QuerySet[HrSession], *, query: SearchTerms | str, unlinked_only: bool):
    """The académie's current GAIA sessions for the managers' list, with their links counted:
    two queries per page (count and rows)."""
    sessions = sessions.filter(gone_since__isnull=True).annotate(
        trainee_count=Count("trainees", distinct=True),
        link_count=Count("links", distinct=True),
    )
    if unlinked_only:
        sessions = sessions.exclude(Exists(HrLink.objects.filter(hr_session=OuterRef("pk"))))
    return _search(sessions, query).order_by("starts_on", "dispositif_code", "session_code")


def linkable_hr_sessions(session: TrainingSession) -> QuerySet[HrSession]:
    return HrSession.objects.filter(academie_id=session.departement.academie_id)


def link_candidates(session: TrainingSession, query: SearchTerms | str) -> list[HrSession]:
    return list(
        _search(linkable_hr_sessions(session), query)
        .exclude(links__session=session)
        .annotate(trainee_count=Count("trainees"))
        .order_by("gone_since", "starts_on", "session_code")[:CANDIDATES]
    )


def session_links_page(session: TrainingSession) -> dict:
    """The links of a session with their GAIA trainee counts, and the participants GAIA no
    longer lists (kept, flagged for the trainer): two queries."""
    links = list(
        session.hr_links.select_related("hr_session").annotate(
            trainee_count=Count("hr_session__trainees")
        )
    )
    missing = (
        list(
            missing_enrolments(HrLink.objects.filter(session=session))
            .filter(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING])
            .select_related("user")
            .order_by(*by_name("user__"), "pk")
        )
        if links
        else []
    )
    return {"links": links, "missing": missing}
