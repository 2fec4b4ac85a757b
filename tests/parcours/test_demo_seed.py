"""The demo data: `manage.py seed` (territories, people, parcours) plays about forty parcours
through the real services, and a second run adds nothing."""

import random
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from preau.parcours import seeding, services
from preau.parcours.demo_content import PARCOURS, TEACHER_MODULES
from preau.parcours.models import (
    Activity,
    Event,
    OpenAccessMembership,
    Parcours,
    Section,
    Status,
)

pytestmark = pytest.mark.django_db

MATRICULE = re.compile(r"^\d{2}_(NAT|A\d{3}|D[0-9AB]{3}|ESPE|MUT)_[A-Z0-9]+_\d+\.\d+$")


@pytest.fixture
def seeded(db):
    # MEDIA_ROOT is a temporary folder (tests/conftest.py): the file activities go there.
    call_command("seed", verbosity=0, i_know_this_is_production=True)


def test_demo_seed_plays_about_forty_parcours_through_the_lifecycle(seeded):
    statuses = Counter(Parcours.objects.values_list("status", flat=True))
    assert statuses == {
        Status.TEMPLATE: 3,
        Status.CONSTRUCTION: 5,
        Status.REVIEW: 4,
        Status.PUBLISHED: 28,
        Status.ARCHIVED: 1,
    }
    published = Parcours.objects.published()
    assert published.filter(national_label=True).count() == 5
    assert published.filter(open_access=True).count() == 6
    assert list(published.exclude(enrolment_key="").values_list("enrolment_key", flat=True)) == [
        "MATERNELLE2026"
    ]
    assert set(published.values_list("domain", flat=True)) >= {
        "francais", "mathematiques", "sciences", "emc", "numerique", "inclusive",
        "maternelle", "langues", "arts", "eps", "histoire_geo",
    }  # fmt: skip
    assert set(published.values_list("origin", flat=True)) == {
        "national", "academie", "departement", "espe", "shared",
    }  # fmt: skip
    assert {p.title for p in Parcours.objects.filter(status=Status.TEMPLATE)} >= {
        "Gabarit de parcours hybride 6 h"
    }

    resubmitted = Parcours.objects.get(short_title="CODAGECP")
    assert resubmitted.status == Status.REVIEW
    assert list(resubmitted.events.order_by("pk").values_list("action", flat=True)) == [
        Event.Action.CREATED,
        Event.Action.SUBMITTED,
        Event.Action.CHANGES_REQUESTED,
        Event.Action.SUBMITTED,
    ]
    sent_back = resubmitted.events.get(action=Event.Action.CHANGES_REQUESTED)
    assert sent_back.actor.email == "relecteur@demo.preau.fr" and sent_back.comment

    labelled = Event.objects.filter(action=Event.Action.LABELLED)
    assert {e.actor.email for e in labelled} == {"comite@demo.preau.fr"}

    old, new = Parcours.objects.filter(short_title="CALCMENT").order_by("version")
    assert (old.version, old.status) == ("1.0", Status.ARCHIVED)
    assert (new.version, new.status) == ("2.0", Status.PUBLISHED)
    assert old.lineage_id == new.lineage_id and new.derived_from == old
    assert new.version_notes

    from_template = Parcours.objects.get(short_title="JEUMAT")
    assert from_template.derived_from.short_title == "GABARIT6H"
    assert from_template.academie.code == "A070"

    kinds = set(Activity.objects.values_list("kind", flat=True))
    # The forums seeder adds a « Forum de discussion » to the content of the started sessions,
    # the questionnaires seeder a self-positioning at their start and end, the preparations
    # seeder a « Préparation collective » to one of them.
    assert kinds == {
        "page",
        "link",
        "trainer_note",
        "file",
        "forum",
        "positioning",
        "preparation",
    }
    assert all(a.file for a in Activity.objects.filter(kind="file"))
    assert not Activity.objects.filter(body__icontains="<script").exists()

    joined = OpenAccessMembership.objects.filter(user__email="enseignant@demo.preau.fr")
    assert set(joined.values_list("parcours__short_title", flat=True)) == set(TEACHER_MODULES)


def test_every_published_parcours_has_a_matricule_and_a_complete_indexation(seeded):
    published = list(Parcours.objects.published().select_related("academie", "departement"))
    for parcours in published:
        assert MATRICULE.match(parcours.matricule), parcours.matricule
        year = timezone.localtime(parcours.published_at).year
        assert parcours.matricule == services.build_matricule(parcours, year)
        assert services.missing_for_review(parcours) == [], parcours.matricule
        assert parcours.presence_hours + parcours.distance_hours == parcours.duration_hours
        assert "inspection" in parcours.validated_by
    sections = Section.objects.filter(parcours__status=Status.PUBLISHED)
    assert all(2 <= n <= 4 for n in Counter(sections.values_list("parcours", flat=True)).values())


def test_seeding_twice_duplicates_nothing(seeded, django_assert_num_queries):
    models = (Parcours, Section, Activity, Event, OpenAccessMembership)
    counts = [model.objects.count() for model in models]
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert [model.objects.count() for model in models] == counts
    assert Parcours.objects.exclude(status=Status.ARCHIVED).count() == len(PARCOURS)

    # 1. savepoint (seed_demo is atomic)  2. the short titles already there  3. release
    with django_assert_num_queries(3):
        seeding.seed_demo(random.Random(0), log=lambda message: None)
