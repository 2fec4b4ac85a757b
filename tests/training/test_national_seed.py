"""The national parcours, sessions and their ledger (`seed --scale national`), at a small factor.

The parcours and training national seeders write with COPY: PostgreSQL only."""

import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from preau.accounts import seeding as accounts_seeding
from preau.accounts.models import User
from preau.hours import seeding as hours_seeding
from preau.hours.models import Entry, Source
from preau.parcours import seeding as parcours_seeding
from preau.parcours.models import Activity, OpenAccessMembership, Parcours, Section, Status
from preau.territories import seeding as territories_seeding
from preau.training import seeding as training_seeding
from preau.training.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Meeting,
    SessionStatus,
    TrainingSession,
)

FACTOR = 0.005  # ≈40 parcours, ≈100 sessions, ≈1,650 teachers

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the national seeders write with COPY"
    ),
    pytest.mark.date_sensitive,
]


def seed_national(seed: int = 2026) -> list[str]:
    messages: list[str] = []
    for name, module in (
        ("t", territories_seeding),
        ("a", accounts_seeding),
        ("p", parcours_seeding),
        ("s", training_seeding),
        ("h", hours_seeding),
    ):
        module.seed_national(random.Random(f"{seed}-{name}"), messages.append, factor=FACTOR)
    return messages


@pytest.fixture
def national(db):
    return seed_national()


def snapshot() -> dict[str, int]:
    return {
        "parcours": Parcours.all_objects.count(),
        "sections": Section.objects.count(),
        "activities": Activity.objects.count(),
        "members": OpenAccessMembership.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "meetings": Meeting.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attendance": Attendance.objects.count(),
        "entries": Entry.objects.count(),
    }


def test_national_parcours_are_a_quarter_published_each_with_content(national):
    parcours = Parcours.objects.filter(short_title__startswith="NATX")
    assert parcours.count() == 40
    published = parcours.filter(status=Status.PUBLISHED)
    assert published.count() == 10
    assert not published.filter(matricule__isnull=True).exists()
    assert not published.annotate(n=Count("sections__activities")).filter(n=0).exists()
    assert not published.filter(designers__isnull=True).exists()
    # Session copies stay out of every catalogue.
    assert not Parcours.objects.filter(status=Status.SESSION_COPY).exists()


def test_national_sessions_have_a_copy_of_their_source_and_most_20_to_30_participants(national):
    sessions = TrainingSession.objects.filter(source__short_title__startswith="NATX")
    assert sessions.count() >= 100
    for session in sessions.select_related("source", "content")[:20]:
        assert session.content.status == Status.SESSION_COPY
        assert session.content.derived_from_id == session.source_id
        assert session.source.status == Status.PUBLISHED
        assert session.content.sections.count() == session.source.sections.count()
    pools = Counter(User.objects.teachers().values_list("school__circonscription", flat=True))
    rows = (
        sessions.filter(circonscription__isnull=False)
        .exclude(status=SessionStatus.PREPARATION)
        .annotate(n=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .values_list("circonscription", "n")
    )
    # 20 to 30 participants, from the circonscription's teachers (fewer in the smallest ones
    # that small factors make).
    for circonscription, n in rows:
        assert min(20, pools[circonscription]) <= n <= min(30, pools[circonscription])
    # An académie-wide distance session, far larger (10,000+ at full size).
    assert (
        sessions.filter(circonscription__isnull=True)
        .annotate(n=Count("enrolments"))
        .filter(n__gte=30)
    )
    assert {SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.ARCHIVED} <= set(
        sessions.values_list("status", flat=True)
    )


def test_national_attendance_is_taken_only_at_meetings_already_held(national):
    today = timezone.localdate()
    assert Attendance.objects.exists()
    assert not Attendance.objects.filter(meeting__date__gte=today).exists()
    assert not Attendance.objects.exclude(enrolment__session=F("meeting__session")).exists()
    assert not Enrolment.objects.filter(
        status=EnrolmentStatus.WAITING, session__self_enrolment=False
    ).exists()


def test_each_attested_national_participant_is_credited_once_with_the_session(national):
    attested = Enrolment.objects.filter(completed_at__isnull=False)
    assert attested.count() > 0
    assert not attested.filter(certificate_code__isnull=True).exists()
    assert not attested.filter(session__end_date__gte=timezone.localdate()).exists()
    credited = Entry.objects.filter(source=Source.SESSION)
    assert credited.count() == attested.count()
    # No training entry drawn at random: every one is a session's, with its hours.
    assert not credited.filter(session__isnull=True).exists()
    assert not credited.exclude(presence_hours=F("session__presence_hours")).exists()
    assert not credited.exclude(circonscription=F("teacher__school__circonscription")).exists()


def test_second_national_run_adds_nothing(national, django_assert_max_num_queries):
    before = snapshot()

    # Each seeder recognises its data in a few queries (19 in all), writing nothing.
    with django_assert_max_num_queries(20):
        messages = seed_national()

    assert snapshot() == before
    assert all("déjà en place" in message for message in messages)
