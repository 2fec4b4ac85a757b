"""The IEN's worklist of union-meeting declarations (count on the home page, the worklist,
validate or refuse with a reason in one place, « à valider » on the follow-up list), the legend
of the statuses, and « tout sélectionner » across the pages when recording an animation."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.hours import services
from preau.hours.models import Entry, Kind
from preau.hours.rules import (
    STATUS_RULES,
    Status,
    Totals,
    assess,
    status_from,
    status_legend,
)
from preau.hours.selectors import FollowUpFilter
from tests import factories

from .test_piloting import BELL, ROLES, SESSION, TODAY, USER, YEAR, credit, follow_up_url

pytestmark = pytest.mark.date_sensitive


def declare(teacher, hours=2, **kw):
    return services.declare_union_meeting(
        teacher=teacher, date=TODAY, hours=Decimal(hours), title=kw.get("title", "")
    )


def worklist_url(circonscription) -> str:
    return reverse("hours:declarations", args=[circonscription.code])


def decide_url(circonscription, entry) -> str:
    return reverse("hours:decide", args=[circonscription.code, entry.pk])


@pytest.fixture
def declarations(cast, territory):
    """Two pending declarations in Caen Nord, one already validated, one in Bayeux."""
    school = territory["caen_school"]
    anne = factories.teacher(school=school, first_name="Anne", last_name="Martin")
    bruno = factories.teacher(school=school, first_name="Bruno", last_name="Petit")
    bayeux = factories.teacher(school=territory["bayeux_school"], first_name="Yves")
    validated = declare(cast["teacher"], 1)
    services.validate_declaration(entry=validated, by=cast["ien"])
    return {
        "anne": declare(anne, 2, title="RIS du SNUipp"),
        "bruno": declare(bruno, 3),
        "validated": validated,
        "bayeux": declare(bayeux, 3),
    }


# Home page and worklist ----------------------------------------------------------------------


def test_the_ien_sees_the_count_on_the_home_page_with_a_link_to_the_worklist(
    client, cast, territory, declarations
):
    client.force_login(cast["ien"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "2 déclarations à valider (Caen Nord)" in page
    assert worklist_url(territory["caen"]) in page


def test_the_worklist_shows_the_pending_declarations_of_the_circonscription_only(
    client, cast, territory, declarations
):
    client.force_login(cast["ien"])
    response = client.get(worklist_url(territory["caen"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 déclarations à valider" in page
    assert "Martin Anne" in page and "Petit Bruno" in page and "RIS du SNUipp" in page
    assert decide_url(territory["caen"], declarations["validated"]) not in page
    assert "Yves" not in page
    assert 'data-hx-post="' in page and ' hx-post="' not in page


def test_another_ien_reaches_neither_the_worklist_nor_the_decisions(
    client, cast, territory, declarations
):
    client.force_login(cast["other_ien"])
    assert client.get(worklist_url(territory["caen"])).status_code == 404
    response = client.post(
        decide_url(territory["caen"], declarations["anne"]), {"decision": "valider"}
    )
    assert response.status_code == 404
    # Nor through their own circonscription.
    response = client.post(
        decide_url(territory["bayeux"], declarations["anne"]), {"decision": "valider"}
    )
    assert response.status_code == 404
    assert Entry.objects.pending().filter(pk=declarations["anne"].pk).exists()


def test_a_teacher_reaches_no_worklist(client, cast, territory):
    client.force_login(cast["teacher"])
    assert client.get(worklist_url(territory["caen"])).status_code == 404


def test_the_ien_validates_one_in_the_worklist_and_it_counts(client, cast, territory, declarations):
    client.force_login(cast["ien"])
    entry = declarations["anne"]
    response = client.post(decide_url(territory["caen"], entry), {"decision": "valider"})
    assert response.status_code == 302 and response.url == worklist_url(territory["caen"])
    entry.refresh_from_db()
    assert entry.validated_at is not None
    assert entry.teacher.hours_totals.get(school_year=YEAR).union_meetings == 2
    assert "1 déclaration à valider" in client.get(worklist_url(territory["caen"])).text


def test_a_refusal_without_a_reason_is_refused_and_the_declaration_waits(
    client, cast, territory, declarations
):
    client.force_login(cast["ien"])
    entry = declarations["bruno"]
    response = client.post(
        decide_url(territory["caen"], entry), {"decision": "refuser", "motif": "  "}, follow=True
    )
    assert "Indiquez le motif du refus" in response.text
    assert Entry.objects.pending().filter(pk=entry.pk).exists()


def test_a_refusal_keeps_the_declaration_uncounted_with_its_reason_for_the_teacher(
    client, cast, territory, declarations
):
    client.force_login(cast["ien"])
    entry = declarations["bruno"]
    reason = "La réunion s’est tenue pendant les vacances."
    client.post(decide_url(territory["caen"], entry), {"decision": "refuser", "motif": reason})
    entry.refresh_from_db()
    assert entry.refused_at is not None and entry.reason == reason
    assert not Entry.objects.counted().filter(pk=entry.pk).exists()

    client.force_login(entry.teacher)
    page = client.get(reverse("hours:mine")).content.decode()
    assert "Refusée par l’IEN" in page and reason in page


def test_with_htmx_the_decision_answers_with_the_row_alone(client, cast, territory, declarations):
    client.force_login(cast["ien"])
    entry = declarations["anne"]
    response = client.post(
        decide_url(territory["caen"], entry),
        {"decision": "valider"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="declaration-{entry.pk}"')
    assert "Validée : elle compte dans les heures de Anne Martin." in page
    assert "<html" not in page


def test_with_htmx_a_missing_reason_comes_back_in_the_row(client, cast, territory, declarations):
    client.force_login(cast["ien"])
    entry = declarations["anne"]
    response = client.post(
        decide_url(territory["caen"], entry),
        {"decision": "refuser", "motif": ""},
        headers={"HX-Request": "true"},
    )
    assert "Indiquez le motif du refus" in response.text
    assert f'id="motif-{entry.pk}"' in response.text


def test_a_declaration_cannot_be_decided_twice(cast, declarations):
    with pytest.raises(ValidationError, match="déjà validée"):
        services.refuse_declaration(entry=declarations["validated"], by=cast["ien"], reason="Non")
    services.refuse_declaration(entry=declarations["anne"], by=cast["ien"], reason="Non")
    with pytest.raises(ValidationError, match="déjà refusée"):
        services.validate_declaration(entry=declarations["anne"], by=cast["ien"])


def test_only_a_declaration_is_validated(cast, territory):
    line = credit(cast["teacher"], presence=3, circonscription=territory["caen"])
    with pytest.raises(ValidationError):
        services.validate_declaration(entry=line, by=cast["ien"])


def test_the_worklist_costs_the_same_queries_with_10_or_100_declarations(
    client, cast, territory, count_queries
):
    queries = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the circonscription with its département and académie, if piloted",
        "the pending declarations with their teachers and schools",
    ]
    client.force_login(cast["ien"])
    for count in (10, 90):
        for teacher in factories.teachers_at(territory["caen_school"], count):
            declare(teacher)
        with count_queries() as ran:
            response = client.get(worklist_url(territory["caen"]))
        assert response.status_code == 200
        assert len(ran) == len(queries), ran.sql()


# « À valider » on the follow-up list ----------------------------------------------------------


def test_the_follow_up_list_filters_the_teachers_with_a_declaration_to_validate(
    client, cast, territory, declarations
):
    client.force_login(cast["ien"])
    page = client.get(follow_up_url(territory["caen"], a_valider="on")).content.decode()
    assert "Martin" in page and "Petit" in page
    assert cast["teacher"].last_name not in page  # their declaration is validated
    assert "2 enseignants" in page
    assert "2 déclarations de réunion syndicale à valider" in page
    assert worklist_url(territory["caen"]) in page


# The legend of the statuses --------------------------------------------------------------------


def test_every_status_shown_on_the_follow_up_page_has_its_legend_entry(client, cast, territory):
    school = territory["caen_school"]
    complete, on_track, missing = (factories.teacher(school=school) for _n in range(3))
    credit(complete, presence=12, distance=6, circonscription=territory["caen"])
    # A session of this school year (the factory's default starts in a week: on 31 August,
    # that is next year's).
    factories.TrainingSessionFactory(
        open=True, participants=[on_track], start_date=TODAY, end_date=TODAY
    )
    credit(missing, kind=Kind.ANIMATION, presence=18, circonscription=territory["caen"])
    client.force_login(cast["ien"])

    page = client.get(follow_up_url(territory["caen"])).content.decode()

    shown = {status for status in Status if f">{status.label}</p>" in page}
    assert {Status.COMPLETE, Status.ON_TRACK, Status.MISSING_TRAINING} <= shown
    for status, meaning in status_legend():
        assert f"<dt>{status.label}</dt>" in page
        assert meaning.replace("’", "&#x27;") in page or meaning in page
    assert len(status_legend()) == len(Status)


def test_the_legend_is_written_from_the_rules_and_says_what_separates_two_equal_teachers():
    legend = dict(status_legend())
    assert "inscription à une session de l’année pas encore attestée" in legend[Status.ON_TRACK]
    assert "aucune inscription à une session" in legend[Status.MISSING_TRAINING]
    assert (
        "plus de 3 h de formation à distance"
        in dict(status_legend(Decimal(3)))[Status.MISSING_DISTANCE].lower()
    )


def test_what_each_legend_line_says_is_true_of_every_teacher_with_that_status():
    """For every combination of the facts, the status decided is the rule's, and the facts
    the legend says are missing are missing."""
    names = ["training", "distance", "total", "upcoming"]
    rules = {rule.status: rule for rule in STATUS_RULES}
    for values in itertools.product([False, True], repeat=len(names)):
        facts = dict(zip(names, values, strict=True))
        facts["complete"] = facts["training"] and facts["distance"] and facts["total"]
        rule = rules[status_from(facts)]
        assert all(facts[name] for name in rule.requires), facts
        assert not any(facts[name] for name in rule.lacks), facts


def test_two_teachers_with_the_same_hours_differ_by_a_session_to_come():
    totals = Totals(training=Decimal(3), training_distance=Decimal(1))
    assert assess(totals, quotite=100, upcoming_training=True).status == Status.ON_TRACK
    assert assess(totals, quotite=100).status == Status.MISSING_TRAINING


# « Tout sélectionner » across the pages --------------------------------------------------------


def animation(**overrides) -> dict:
    return {
        "title": "Conférence sur la lecture",
        "date": TODAY.isoformat(),
        "presence_hours": "3",
        "distance_hours": "0",
        **overrides,
    }


def test_all_the_teachers_of_the_list_get_the_animation_across_the_pages(client, cast, territory):
    teachers = factories.teachers_at(territory["caen_school"], 70)  # two pages of 50
    client.force_login(cast["ien"])

    response = client.post(follow_up_url(territory["caen"]), animation(portee="tous"))

    assert response.status_code == 302
    attended = set(Entry.objects.filter(kind=Kind.ANIMATION).values_list("teacher", flat=True))
    assert attended == {t.pk for t in [*teachers, cast["teacher"]]}


def test_all_the_teachers_of_the_filtered_list_and_no_one_else(client, cast, territory):
    school = territory["caen_school"]
    found = factories.teachers_at(school, 60)
    for teacher in found:
        teacher.last_name = "Lefèvre"
    type(found[0]).objects.bulk_update(found, ["last_name"])
    factories.teachers_at(school, 5)  # other names
    client.force_login(cast["ien"])

    url = follow_up_url(territory["caen"], q="lefevre")
    page = client.get(url).content.decode()
    assert "les 60 enseignants de la liste, sur toutes les pages" in page
    client.post(url, animation(portee="tous", teachers=[cast["teacher"].pk]))

    attended = set(Entry.objects.filter(kind=Kind.ANIMATION).values_list("teacher", flat=True))
    assert attended == {t.pk for t in found}


def test_the_ticks_still_choose_when_all_is_not_chosen(client, cast, territory):
    teachers = factories.teachers_at(territory["caen_school"], 60)
    client.force_login(cast["ien"])
    client.post(
        follow_up_url(territory["caen"]),
        animation(portee="coches", teachers=[teachers[0].pk, teachers[1].pk]),
    )
    assert Entry.objects.filter(kind=Kind.ANIMATION).count() == 2


def test_the_service_resolves_the_filter_itself(cast, territory):
    """A teacher who left the circonscription during the year stays on the list, but an
    animation is recorded for the teachers whose school is here only; the status filter
    applies."""
    school = territory["caen_school"]
    complete = factories.teacher(school=school)
    credit(complete, presence=12, distance=6, circonscription=territory["caen"])
    left = factories.teacher(school=territory["bayeux_school"])
    credit(left, presence=1, circonscription=territory["caen"])
    missing = factories.teachers_at(school, 3)

    animation_ = services.record_animation_for_list(
        follow_up_filter=FollowUpFilter(year=YEAR, status=Status.MISSING_TRAINING),
        circonscription=territory["caen"],
        by=cast["ien"],
        title="Atelier",
        date=TODAY,
        presence_hours=Decimal(2),
        distance_hours=Decimal(0),
    )

    attended = set(animation_.entries.values_list("teacher", flat=True))
    assert attended == {t.pk for t in [*missing, cast["teacher"]]}


def test_an_empty_filtered_list_records_nothing(cast, territory):
    with pytest.raises(ValidationError, match="au moins un participant"):
        services.record_animation_for_list(
            follow_up_filter=FollowUpFilter(year=YEAR, pending_only=True),
            circonscription=territory["caen"],
            by=cast["ien"],
            title="Atelier",
            date=TODAY,
            presence_hours=Decimal(2),
            distance_hours=Decimal(0),
        )
