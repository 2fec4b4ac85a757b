"""The IEN's follow-up of the 18 hours, end to end through HTTP: who may open it, the statuses
the database computes, the CSV, an animation for a selection, corrections and declarations."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from preau.hours import services
from preau.hours.models import Entry, Kind, Source
from preau.hours.rules import school_year_of
from tests import factories

pytestmark = pytest.mark.date_sensitive  # today decides the school year

TODAY = timezone.localdate()
YEAR = school_year_of(TODAY)

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"


def follow_up_url(circonscription, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"annee": YEAR, **params}.items())
    return f"{reverse('hours:circonscription', args=[circonscription.code])}?{query}"


def ledger_url(circonscription, teacher) -> str:
    url = reverse("hours:teacher_ledger", args=[circonscription.code, teacher.pk])
    return f"{url}?annee={YEAR}"


def credit(teacher, *, kind=Kind.TRAINING, presence=0, distance=0, circonscription=None, **kw):
    """A ledger line written directly, then the teacher's totals refreshed as a service would."""
    entry = Entry.objects.create(
        teacher=teacher,
        school_year=YEAR,
        date=kw.pop("date", TODAY),
        kind=kind,
        source=kw.pop("source", Source.ANIMATION if kind == Kind.ANIMATION else Source.SESSION),
        title=kw.pop("title", "Ligne de test"),
        presence_hours=Decimal(str(presence)),
        distance_hours=Decimal(str(distance)),
        circonscription=circonscription,
        **kw,
    )
    services.refresh_year_totals([(teacher.pk, YEAR)])
    return entry


def animation_data(teachers, **overrides) -> dict:
    return {
        "title": "Conférence sur la lecture",
        "date": TODAY.isoformat(),
        "presence_hours": "3",
        "distance_hours": "0",
        "teachers": [t.pk for t in teachers],
        **overrides,
    }


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["ien", "pilot", "manager", "admin"])
def test_those_who_pilot_the_circonscription_may_follow_its_hours(client, cast, territory, member):
    client.force_login(cast[member])

    assert client.get(follow_up_url(territory["caen"])).status_code == 200
    assert client.get(ledger_url(territory["caen"], cast["teacher"])).status_code == 200


@pytest.mark.parametrize("member", ["other_ien", "teacher", "trainer", "nobody"])
def test_others_get_404_as_on_the_territory_pages(client, cast, territory, member):
    client.force_login(cast[member])
    caen, teacher = territory["caen"], cast["teacher"]

    assert client.get(follow_up_url(caen)).status_code == 404
    assert client.get(ledger_url(caen, teacher)).status_code == 404
    assert client.post(follow_up_url(caen), animation_data([teacher])).status_code == 404
    assert not Entry.objects.exists()


def test_ien_cannot_open_the_ledger_of_a_teacher_of_another_circonscription(
    client, cast, territory
):
    stranger = factories.teacher(school=territory["bayeux_school"])
    client.force_login(cast["ien"])

    assert client.get(ledger_url(territory["caen"], stranger)).status_code == 404


def test_circonscription_page_links_to_the_follow_up(client, cast, territory):
    client.force_login(cast["ien"])

    response = client.get(reverse("territories:circonscription", args=[territory["caen"].code]))

    assert reverse("hours:circonscription", args=[territory["caen"].code]) in response.text
    assert "Suivi des 18 heures" in response.text


# The list ---------------------------------------------------------------------------------------


@pytest.fixture
def one_of_each_status(cast, territory):
    school, caen = territory["caen_school"], territory["caen"]
    complete = factories.teacher(school=school, last_name="Alain")
    credit(complete, presence=6, distance=3, circonscription=caen)
    credit(complete, kind=Kind.ANIMATION, presence=9, circonscription=caen)
    no_distance = factories.teacher(school=school, last_name="Bernard")
    credit(no_distance, presence=9, circonscription=caen)
    credit(no_distance, kind=Kind.ANIMATION, presence=9, circonscription=caen)
    no_animation = factories.teacher(school=school, last_name="Claude")
    credit(no_animation, presence=6, distance=3, circonscription=caen)
    on_track = factories.teacher(school=school, last_name="Denis")
    factories.TrainingSessionFactory(open=True, end_date=TODAY, participants=[on_track])
    nothing = factories.teacher(school=school, last_name="Émile")
    return {
        "complete": complete,
        "missing_distance": no_distance,
        "missing_animations": no_animation,
        "on_track": on_track,
        "missing_training": nothing,
    }


def _rows(response) -> dict[str, str]:
    return {row["last_name"]: row["status"] for row in response.context["page"].object_list}


def test_each_status_is_computed_and_shown(client, cast, territory, one_of_each_status):
    client.force_login(cast["ien"])

    response = client.get(follow_up_url(territory["caen"]))

    statuses = _rows(response)
    for status, teacher in one_of_each_status.items():
        assert statuses[teacher.last_name] == status
    for label in [
        "Complet",
        "En bonne voie",
        "Formation manquante",
        "Distance manquante",
        "Animations manquantes",
    ]:
        assert label in response.text


def test_each_row_links_to_the_ledger_and_says_the_hours_and_status_in_words(
    client, cast, territory, one_of_each_status
):
    complete = one_of_each_status["complete"]
    odd = factories.teacher(
        school=territory["caen_school"], last_name='<Zoé & "Co">', first_name="Ana", quotite=50
    )
    credit(odd, presence=2, distance="1.5", circonscription=territory["caen"])
    client.force_login(cast["ien"])

    response = client.get(follow_up_url(territory["caen"]))

    rows = {r["pk"]: r["html"] for r in response.context["page"].object_list}
    assert rows[complete.pk] == (
        '<tr><td><div class="fr-checkbox-group fr-checkbox-group--sm">'
        f'<input type="checkbox" name="teachers" value="{complete.pk}" id="teacher-{complete.pk}">'
        f'<label class="fr-label" for="teacher-{complete.pk}"><span class="fr-sr-only">'
        f"{complete.first_name} Alain</span></label></div></td>"
        f'<td><a href="{ledger_url(territory["caen"], complete)}">Alain {complete.first_name}</a>'
        "</td>"
        '<td><p class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--success">Complet</p>'
        "</td>"
        '<td class="fr-cell--right">9 h</td><td class="fr-cell--right">3 h</td>'
        '<td class="fr-cell--right">9 h</td><td class="fr-cell--right">0 h</td>'
        '<td class="fr-cell--right">18 h / 18 h</td></tr>\n'
    )
    assert "&lt;Zoé &amp; &quot;Co&quot;&gt; Ana</a>" in rows[odd.pk]
    assert '<span class="fr-sr-only">Ana &lt;Zoé &amp; &quot;Co&quot;&gt;</span>' in rows[odd.pk]
    assert '<span class="fr-text--xs">Quotité 50 %</span>' in rows[odd.pk]
    assert (
        '<td class="fr-cell--right">3,5 h</td><td class="fr-cell--right">1,5 h</td>'
        in (rows[odd.pk])
    )
    assert 'fr-badge--warning">Formation manquante</p>' in rows[odd.pk]
    assert rows[odd.pk] in response.text
    assert "<Zoé" not in response.text


def test_list_filters_by_status_and_sorts_by_total(client, cast, territory, one_of_each_status):
    client.force_login(cast["ien"])

    filtered = client.get(follow_up_url(territory["caen"], statut="missing_distance"))
    by_total = client.get(follow_up_url(territory["caen"], tri="-total"))

    assert list(_rows(filtered)) == ["Bernard"]
    assert [r["last_name"] for r in by_total.context["page"].object_list][:2] == [
        "Alain",
        "Bernard",
    ]


def test_unknown_filter_values_fall_back_to_the_whole_list(client, cast, territory):
    client.force_login(cast["ien"])

    response = client.get(follow_up_url(territory["caen"], statut="nope", tri="nope"))

    assert response.status_code == 200
    assert cast["teacher"].last_name in _rows(response)


def test_moved_teacher_appears_in_both_circonscriptions_with_the_hours_earned_in_each(
    client, cast, territory
):
    caen, bayeux = territory["caen"], territory["bayeux"]
    moved = factories.teacher(school=territory["bayeux_school"], last_name="Voyageur")
    credit(moved, kind=Kind.ANIMATION, presence=6, circonscription=bayeux)
    moved.school = territory["caen_school"]
    moved.save(update_fields=["school"])
    credit(moved, presence=2, distance=1, circonscription=caen)

    client.force_login(cast["ien"])
    in_caen = client.get(follow_up_url(caen))
    client.force_login(cast["other_ien"])
    in_bayeux = client.get(follow_up_url(bayeux))

    caen_row = next(r for r in in_caen.context["page"].object_list if r["pk"] == moved.pk)
    bayeux_row = next(r for r in in_bayeux.context["page"].object_list if r["pk"] == moved.pk)
    assert (caen_row["is_current"], caen_row["earned_elsewhere"], caen_row["here_hours"]) == (
        1,
        True,
        3,
    )
    assert (bayeux_row["is_current"], bayeux_row["here_hours"]) == (0, 6)
    assert "Arrivé(e) en cours d’année : 3 h faites ici." in in_caen.text
    assert "A quitté la circonscription en cours d’année : 6 h faites ici." in in_bayeux.text
    # The former IEN may read the ledger but no longer record an animation for them.
    assert client.get(ledger_url(bayeux, moved)).status_code == 200
    response = client.post(follow_up_url(bayeux), animation_data([moved]))
    assert response.status_code == 422
    assert Entry.objects.filter(teacher=moved).count() == 2


def test_csv_export_lists_the_same_teachers_for_a_spreadsheet(
    client, cast, territory, one_of_each_status
):
    client.force_login(cast["ien"])

    response = client.get(
        reverse("hours:circonscription_csv", args=[territory["caen"].code]) + f"?annee={YEAR}"
    )

    body = b"".join(response.streaming_content).decode("utf-8")
    lines = body.split("\r\n")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeffNom;Prénom;École;UAI;Quotité (%);Objectif (h);Formation (h)")
    alain = next(line for line in lines if line.startswith("Alain;"))
    school = territory["caen_school"]
    assert alain.split(";")[2:] == [
        school.name,
        school.uai,
        "100",
        "18",
        "9",
        "3",
        "9",
        "0",
        "18",
        "0",
        "Complet",
        "18",
        "",
    ]
    assert len([line for line in lines if line]) == 1 + 6  # header, cast teacher and five


def test_xlsx_export_has_the_same_rows_with_numbers_as_numbers(
    client, cast, territory, one_of_each_status
):
    client.force_login(cast["ien"])

    response = client.get(
        reverse("hours:circonscription_xlsx", args=[territory["caen"].code]) + f"?annee={YEAR}"
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows()
    assert [cell.value for cell in header][:7] == [
        "Nom",
        "Prénom",
        "École",
        "UAI",
        "Quotité (%)",
        "Objectif (h)",
        "Formation (h)",
    ]
    assert all(cell.font.b for cell in header)
    alain = next([cell.value for cell in row] for row in rows if row[0].value == "Alain")
    school = territory["caen_school"]
    assert alain[2:] == [school.name, school.uai, 100, 18, 9, 3, 9, 0, 18, 0, "Complet", 18, None]
    assert len(rows) == 6  # the cast teacher and five


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x";"y")', "+33 6", "@SUM(A1)", "-1"])
def test_both_exports_write_a_name_that_a_spreadsheet_would_run_as_text(
    client, cast, territory, name
):
    """A teacher who names themself like a formula plants nothing in the IEN's spreadsheet."""
    factories.teacher(school=territory["caen_school"], last_name=name)
    client.force_login(cast["ien"])
    code = territory["caen"].code

    csv_response = client.get(reverse("hours:circonscription_csv", args=[code]) + f"?annee={YEAR}")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert f"'{name}" in [row[0] for row in rows]
    xlsx = client.get(reverse("hours:circonscription_xlsx", args=[code]) + f"?annee={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    [cell] = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == name]
    assert cell.data_type == "s"


def test_xlsx_export_answers_404_to_those_who_do_not_pilot(client, cast, territory):
    client.force_login(cast["other_ien"])

    url = reverse("hours:circonscription_xlsx", args=[territory["caen"].code])
    assert client.get(url).status_code == 404


# Animations --------------------------------------------------------------------------------------


def test_ien_records_an_animation_for_twenty_teachers_in_one_go(client, cast, territory):
    teachers = factories.teachers_at(territory["caen_school"], 20)
    client.force_login(cast["ien"])

    response = client.post(follow_up_url(territory["caen"]), animation_data(teachers))

    assert response.status_code == 302
    entries = Entry.objects.filter(kind=Kind.ANIMATION, source=Source.ANIMATION)
    assert entries.count() == 20
    assert set(entries.values_list("teacher", flat=True)) == {t.pk for t in teachers}
    assert {e.presence_hours for e in entries} == {Decimal(3)}
    assert set(entries.values_list("circonscription", flat=True)) == {territory["caen"].pk}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"presence_hours": "31"}, "30 h au plus"),
        ({"presence_hours": "-2"}, "ne peut pas être négatif"),
        ({"presence_hours": "0", "distance_hours": "0"}, "au moins une heure"),
        ({"presence_hours": "abc"}, "Indiquez un nombre d’heures"),
        ({"title": "  "}, "Ce champ est obligatoire"),
        ({"date": (TODAY + datetime.timedelta(days=2)).isoformat()}, "une fois qu’elle a eu lieu"),
    ],
)
def test_bad_animation_is_refused_with_a_clear_message_and_the_selection_kept(
    client, cast, territory, overrides, message
):
    chosen = factories.teachers_at(territory["caen_school"], 2)
    client.force_login(cast["ien"])

    response = client.post(follow_up_url(territory["caen"]), animation_data(chosen, **overrides))

    assert response.status_code == 422
    assert message in response.text
    assert not Entry.objects.exists()
    for teacher in chosen:
        assert re.search(rf'id="teacher-{teacher.pk}"\s+checked', response.text)
    assert not re.search(rf'id="teacher-{cast["teacher"].pk}"\s+checked', response.text)


def test_animation_without_any_teacher_is_refused(client, cast, territory):
    client.force_login(cast["ien"])

    response = client.post(follow_up_url(territory["caen"]), animation_data([]))

    assert response.status_code == 422
    assert "Choisissez au moins un participant." in response.text


def test_animation_selection_is_limited_to_teachers_of_the_circonscription(client, cast, territory):
    stranger = factories.teacher(school=territory["bayeux_school"])
    client.force_login(cast["ien"])

    response = client.post(
        follow_up_url(territory["caen"]), animation_data([cast["teacher"], stranger])
    )

    assert response.status_code == 422
    assert "ne sont pas de cette circonscription" in response.text
    assert not Entry.objects.exists()


# Corrections and declarations ------------------------------------------------------------------


def correction_data(**overrides) -> dict:
    return {
        "kind": Kind.TRAINING,
        "date": TODAY.isoformat(),
        "presence_hours": "-1.5",
        "distance_hours": "0",
        "reason": "Session comptée deux fois.",
        **overrides,
    }


def test_the_correction_date_is_filled_in_iso_so_that_the_browser_shows_it(client, cast, territory):
    # <input type="date"> only takes 2026-12-07: given 07/12/2026 the browser shows it empty.
    client.force_login(cast["ien"])

    page = client.get(ledger_url(territory["caen"], cast["teacher"])).text

    date_input = re.search(r'<input type="date" name="date"[^>]*>', page).group(0)
    assert f'value="{timezone.localdate().isoformat()}"' in date_input


def test_ien_corrects_a_ledger_with_a_reason(client, cast, territory):
    client.force_login(cast["ien"])

    response = client.post(ledger_url(territory["caen"], cast["teacher"]), correction_data())

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.source, entry.presence_hours, entry.reason, entry.recorded_by) == (
        Source.CORRECTION,
        Decimal("-1.5"),
        "Session comptée deux fois.",
        cast["ien"],
    )
    page = client.get(ledger_url(territory["caen"], cast["teacher"]))
    assert "Session comptée deux fois." in page.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "  "}, "Une correction doit toujours être motivée."),
        ({"date": datetime.date(YEAR - 1, 8, 31).isoformat()}, "n’est pas dans l’année scolaire"),
        ({"date": datetime.date(YEAR + 1, 9, 1).isoformat()}, "n’est pas dans l’année scolaire"),
        ({"presence_hours": "-31"}, "30 h au plus"),
    ],
)
def test_bad_correction_is_refused_with_a_clear_message(
    client, cast, territory, overrides, message
):
    client.force_login(cast["ien"])

    response = client.post(
        ledger_url(territory["caen"], cast["teacher"]), correction_data(**overrides)
    )

    assert response.status_code == 422
    assert message in response.text
    assert not Entry.objects.exists()


@pytest.mark.parametrize(("decision", "remaining"), [("validate", 1), ("refuse", 0)])
def test_ien_validates_or_refuses_a_union_meeting(client, cast, territory, decision, remaining):
    """From the teacher's ledger; a refusal keeps the declaration, uncounted, with its reason."""
    declared = credit(
        cast["teacher"],
        kind=Kind.UNION_MEETING,
        source=Source.DECLARATION,
        presence=3,
        circonscription=territory["caen"],
    )
    client.force_login(cast["ien"])
    assert "Valider" in client.get(ledger_url(territory["caen"], cast["teacher"])).text

    response = client.post(
        reverse("hours:declaration", args=[territory["caen"].code, cast["teacher"].pk, declared.pk])
        + f"?annee={YEAR}",
        {"decision": decision, "motif": "Réunion hors temps de service"},
    )

    assert response.status_code == 302
    assert Entry.objects.filter(validated_at__isnull=False).count() == remaining
    assert Entry.objects.counted().count() == remaining
    assert Entry.objects.filter(refused_at__isnull=False).count() == 1 - remaining


def test_other_ien_cannot_decide_on_a_declaration(client, cast, territory):
    declared = credit(
        cast["teacher"], kind=Kind.UNION_MEETING, source=Source.DECLARATION, presence=3
    )
    client.force_login(cast["other_ien"])

    for code in (territory["caen"].code, territory["bayeux"].code):
        url = reverse("hours:declaration", args=[code, cast["teacher"].pk, declared.pk])
        assert client.post(url, {"decision": "validate"}).status_code == 404
    assert Entry.objects.get().validated_at is None


# Query count ------------------------------------------------------------------------------------


def _teachers_with_hours(school, count: int) -> None:
    teachers = factories.teachers_at(school, count)
    Entry.objects.bulk_create(
        Entry(
            teacher=t,
            school_year=YEAR,
            date=TODAY,
            kind=Kind.TRAINING if i % 2 else Kind.ANIMATION,
            source=Source.SESSION if i % 2 else Source.ANIMATION,
            title="Ligne",
            presence_hours=Decimal(3),
            distance_hours=Decimal(i % 3),
            circonscription=school.circonscription,
        )
        for i, t in enumerate(teachers)
    )
    services.refresh_year_totals((t.pk, YEAR) for t in teachers)


def test_follow_up_page_costs_eight_queries_with_50_or_500_teachers(
    client, cast, territory, count_queries
):
    queries = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the circonscription with its département and académie, if piloted",
        "the académie's minimum of distance hours (hours policy)",
        "count of the teachers followed (paginator)",
        "page of teachers: their yearly totals (joined), status, hours earned here",
        "count of the union-meeting declarations waiting for the IEN",
    ]
    expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
    client.force_login(cast["ien"])
    for count in (50, 450):
        _teachers_with_hours(territory["caen_school"], count)
        with count_queries() as ran:
            response = client.get(follow_up_url(territory["caen"], tri="statut"))
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 50
        assert len(ran) == len(queries), f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
