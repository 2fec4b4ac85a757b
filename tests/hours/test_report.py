"""The yearly hours report (« Rapport annuel des heures »): its figures against rules.assess,
who may ask for it and download it (through HTTP), bad input, the background task's progress
and failure, the page's query count, the files (CSV encoding and separator, .xlsx) and the
management command."""

import csv
import datetime
import io
import os
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from preau.accounts.models import Role
from preau.hours import report as reports
from preau.hours import services
from preau.hours.models import HoursPolicy, HoursReport, Kind, ReportStatus
from preau.hours.rules import Status, school_year_of
from preau.hours.selectors import teacher_year
from tests import factories

pytestmark = pytest.mark.date_sensitive  # today decides the school year

YEAR = school_year_of(timezone.localdate()) - 1  # a school year over, all of it in the past
SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
REPORTS = reverse("hours:reports")


@pytest.fixture(autouse=True)
def _no_progress_left_by_another_test():
    """Progress lives in the cache, which outlives each test (and its rolled-back ids)."""
    cache.clear()
    yield
    cache.clear()


def day(month: int, number: int) -> datetime.date:
    return datetime.date(YEAR if month >= 9 else YEAR + 1, month, number)


def training(ien, teacher, presence, distance=0):
    services.correct(
        by=ien,
        teacher=teacher,
        school_year=YEAR,
        date=day(10, 1),
        kind=Kind.TRAINING,
        presence_hours=D(presence),
        distance_hours=D(distance),
        reason="Stage suivi hors de Préau (attestation transmise).",
    )


def animation(ien, circonscription, teachers, hours=3, month=11):
    services.record_animation(
        by=ien,
        circonscription=circonscription,
        title="Conférence pédagogique",
        date=day(month, 5),
        presence_hours=D(hours),
        attendees=teachers,
    )


def union_meeting(teacher, hours, *, validated_by=None):
    entry = services.declare_union_meeting(teacher=teacher, date=day(1, 15), hours=D(hours))
    if validated_by:
        services.validate_declaration(entry=entry, by=validated_by)


@pytest.fixture
def ledgers(cast, territory):
    """Teachers of Caen Nord and Bayeux whose years show every status and the tricky cases.
    Normandie asks for more than 2 h at distance."""
    t = territory
    HoursPolicy.objects.create(academie=t["academie"], min_distance_hours=D(2))
    ien, other_ien = cast["ien"], cast["other_ien"]
    caen = {
        name: factories.teacher(school=t["caen_school"], last_name=name)
        for name in ("Complète", "Syndicale", "Attente", "Distance", "Inscrite")
    }
    bayeux = {
        name: factories.teacher(school=t["bayeux_school"], last_name=name)
        for name in ("Rien", "MiTemps", "Arrivée")
    }
    bayeux["MiTemps"].quotite = 50
    bayeux["MiTemps"].save(update_fields=["quotite"])
    # Who moved: earned 6 h of animations in Bayeux, then got a school in Caen Nord.
    mover = bayeux.pop("Arrivée")
    animation(other_ien, t["bayeux"], [mover, *bayeux.values()], month=10)
    animation(other_ien, t["bayeux"], [mover], month=12)
    mover.school = t["caen_school"]
    mover.save(update_fields=["school"])
    caen["Partie"] = mover
    caen["Camille"] = cast["teacher"]  # of the cast, in Caen Nord, no hours

    animation(ien, t["caen"], [caen["Complète"], caen["Attente"], caen["Distance"]], month=11)
    animation(ien, t["caen"], [caen["Complète"], caen["Distance"]], month=3)
    animation(ien, t["caen"], [caen["Complète"], caen["Distance"]], month=5)
    training(ien, caen["Complète"], 6, 3)  # 9 h of which 3 at distance, 9 h of animations
    # Union meetings over the cap: 12 h declared and validated, 9 h count.
    training(ien, caen["Syndicale"], 6, 3)
    union_meeting(caen["Syndicale"], 6, validated_by=ien)
    union_meeting(caen["Syndicale"], 6, validated_by=ien)
    # A declaration the IEN has not validated: it does not count.
    training(ien, caen["Attente"], 6, 3)
    union_meeting(caen["Attente"], 6)
    # 2 h at distance: not more than Normandie's 2 h.
    training(ien, caen["Distance"], 7, 2)
    # Training to come in a session still open in the year: on track.
    session = factories.TrainingSessionFactory(
        circonscription=t["caen"],
        open=True,
        start_date=day(5, 4),
        end_date=day(6, 26),
    )
    factories.EnrolmentFactory(session=session, user=caen["Inscrite"])
    # Half time (a 9 h target): 5.5 h of training (2.5 at distance) and 3 h of animations.
    training(other_ien, bayeux["MiTemps"], D("3"), D("2.5"))
    return {"caen": list(caen.values()), "bayeux": list(bayeux.values())}


def expected(teachers) -> dict:
    """What rules.assess says of these teachers, summed like a report row."""
    assessments = [teacher_year(teacher, YEAR)["assessment"] for teacher in teachers]
    return {
        "teachers": len(teachers),
        "statuses": {s.value: sum(a.status == s for a in assessments) for s in Status},
        "counted": sum(a.counted for a in assessments),
        "training": sum(a.totals.training for a in assessments),
        "training_distance": sum(a.totals.training_distance for a in assessments),
        "animations": sum(a.totals.animations for a in assessments),
    }


def stored_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {os.path.relpath(os.path.join(d, f), root) for d, _s, fs in os.walk(root) for f in fs}


def figures(row) -> dict:
    return {
        "teachers": row.teachers,
        "statuses": row.statuses,
        "counted": row.counted,
        "training": row.training,
        "training_distance": row.training_distance,
        "animations": row.animations,
    }


# The figures ---------------------------------------------------------------------------------


def test_each_row_agrees_with_rules_assess_for_the_teachers_of_its_circonscription(
    territory, ledgers
):
    rows = {
        row.circonscription.name: row
        for row in reports.report_rows(territory["academie"], YEAR)
        if row.circonscription
    }

    assert figures(rows["Caen Nord"]) == expected(ledgers["caen"])
    assert figures(rows["Bayeux"]) == expected(ledgers["bayeux"])
    # The cast covers every status: the comparison above is not between zeros.
    both = expected(ledgers["caen"] + ledgers["bayeux"])["statuses"]
    assert all(both[s.value] for s in Status), both


def test_the_tricky_cases_land_where_the_rules_say(territory, ledgers):
    rows = {r.circonscription.name: r for r in reports.report_rows(None, YEAR)}
    caen, bayeux = rows["Caen Nord"], rows["Bayeux"]

    # Caen Nord: 7 teachers with the one who moved in, and its 6 h earned in Bayeux.
    assert caen.teachers == 7 and bayeux.teachers == 2
    assert caen.animations == D(9 + 3 + 9 + 6)  # Complète, Attente, Distance, the mover
    # Union meetings: 9 h of the 12 h validated; the pending declaration counts nothing.
    assert caen.union_meetings == D(9)
    assert caen.statuses[Status.MISSING_DISTANCE] == 1  # 2 h at distance, Normandie asks > 2
    assert caen.statuses[Status.ON_TRACK] == 1
    assert bayeux.statuses[Status.MISSING_ANIMATIONS] == 1  # half time, 8.5 h of 9
    assert bayeux.statuses[Status.MISSING_TRAINING] == 1  # 3 h of animations only
    # Every circonscription of the country, with zeros when nobody counts there.
    assert rows["Saint-Lô"].teachers == 0 and rows["Saint-Lô"].counted == 0
    assert [r.departement.code for r in rows.values()] == ["014", "014", "050"]


def test_teachers_of_a_school_without_circonscription_have_a_row_of_their_own(territory):
    school = factories.SchoolFactory(circonscription=None, departement=territory["calvados"])
    factories.teacher(school=school)

    rows = reports.report_rows(territory["academie"], YEAR)

    orphans = [r for r in rows if r.circonscription is None]
    assert len(orphans) == 1 and orphans[0].teachers == 1
    assert orphans[0].departement == territory["calvados"]
    assert orphans[0].statuses[Status.MISSING_TRAINING] == 1


def test_an_academie_report_holds_only_its_circonscriptions(territory):
    elsewhere = factories.CirconscriptionFactory(name="Ailleurs")
    factories.teacher(school=factories.SchoolFactory(circonscription=elsewhere))

    academie = {r.circonscription.name for r in reports.report_rows(territory["academie"], YEAR)}
    national = {r.circonscription.name for r in reports.report_rows(None, YEAR)}

    assert academie == {"Caen Nord", "Bayeux", "Saint-Lô"}
    assert national == academie | {"Ailleurs"}


# Asking for a report, through HTTP -----------------------------------------------------------


@pytest.mark.parametrize("member", ["pilot", "ien", "teacher", "trainer", "nobody"])
def test_only_administrators_and_academic_managers_reach_the_reports(client, cast, member):
    client.force_login(cast[member])

    assert client.get(REPORTS).status_code == 403
    assert client.post(REPORTS, {"annee": YEAR, "perimetre": "national"}).status_code == 403
    assert not HoursReport.objects.exists()


def test_the_administrator_asks_for_the_national_report_and_downloads_it(
    client, cast, ledgers, django_capture_on_commit_callbacks
):
    client.force_login(cast["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORTS, {"annee": YEAR, "perimetre": "national"})

    assert response.status_code == 302
    report = HoursReport.objects.get()
    assert (report.academie, report.school_year, report.requested_by) == (None, YEAR, cast["admin"])
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert (report.row_count, report.teacher_count) == (3, 7 + 2)
    page = client.get(REPORTS).content.decode()
    assert (
        "<td>France entière</td>" in page and reverse("hours:report_csv", args=[report.pk]) in page
    )
    download = client.get(reverse("hours:report_csv", args=[report.pk]))
    assert b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="rapport-heures-{YEAR}-{YEAR + 1}-national.csv"'
    )


def test_the_academic_manager_asks_for_their_academies_report(
    client, cast, territory, django_capture_on_commit_callbacks
):
    client.force_login(cast["manager"])
    form = client.get(REPORTS).content.decode()
    assert 'value="national"' not in form  # the national report is for administrators

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REPORTS, {"annee": YEAR, "perimetre": territory["academie"].code})

    report = HoursReport.objects.get()
    assert report.academie == territory["academie"] and report.status == ReportStatus.DONE


@pytest.mark.parametrize("scope", ["national", "A099"])
def test_an_academic_manager_cannot_ask_beyond_their_academie(client, cast, scope):
    factories.AcademieFactory(code="A099", name="Ailleurs")
    client.force_login(cast["manager"])

    response = client.post(REPORTS, {"annee": YEAR, "perimetre": scope})

    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not HoursReport.objects.exists()


def test_the_service_refuses_a_scope_the_person_may_not_ask_for(cast, territory):
    with pytest.raises(PermissionDenied):
        reports.request_report(by=cast["manager"], academie=None, school_year=YEAR)
    with pytest.raises(PermissionDenied):
        reports.request_report(by=cast["pilot"], academie=territory["academie"], school_year=YEAR)


@pytest.fixture
def done_reports(cast, territory):
    """A national report and Normandie's, built."""
    built = []
    for academie in (None, territory["academie"]):
        report = reports.request_report(
            by=cast["admin"], academie=academie, school_year=YEAR, background=False
        )
        built.append(reports.build_report(report))
    return built


@pytest.mark.parametrize(
    ("member", "national", "academie"),
    [
        ("admin", 200, 200),
        ("manager", 404, 200),
        ("other_manager", 404, 404),
        ("pilot", 403, 403),
        ("ien", 403, 403),
        ("teacher", 403, 403),
        ("nobody", 403, 403),
    ],
)
def test_who_may_download_which_report(client, cast, done_reports, member, national, academie):
    if member == "other_manager":
        other = factories.AcademieFactory(code="A099", name="Ailleurs")
        user = factories.with_role(Role.ACADEMIC_MANAGER, academie=other)
    else:
        user = cast[member]
    client.force_login(user)
    national_report, academie_report = done_reports

    for report, status in ((national_report, national), (academie_report, academie)):
        for name in ("hours:report_csv", "hours:report_xlsx"):
            response = client.get(reverse(name, args=[report.pk]))
            assert response.status_code == status
            if status == 200:
                # Read to the end: the test client then closes the file, as the server would.
                assert b"".join(response.streaming_content)


def test_the_manager_sees_only_their_academies_reports_in_the_list(client, cast, done_reports):
    client.force_login(cast["manager"])

    page = client.get(REPORTS).content.decode()

    assert "<td>Académie de Normandie</td>" in page and "<td>France entière</td>" not in page


def test_a_report_not_ready_cannot_be_downloaded(client, cast, territory):
    report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    client.force_login(cast["admin"])

    assert client.get(reverse("hours:report_csv", args=[report.pk])).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, done_reports):
    assert client.get(REPORTS).status_code == 302
    assert client.get(reverse("hours:report_csv", args=[done_reports[0].pk])).status_code == 302


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["deux-mille-vingt-cinq", "1999", str(YEAR - 6), "2100", ""])
def test_an_unknown_or_out_of_range_year_is_refused_on_the_form(client, cast, year):
    client.force_login(cast["admin"])

    response = client.post(REPORTS, {"annee": year, "perimetre": "national"})

    assert response.status_code == 422
    assert not HoursReport.objects.exists()


@pytest.mark.parametrize("year", [1999, school_year_of(timezone.localdate()) + 1])
def test_the_service_refuses_a_year_out_of_range(cast, year):
    with pytest.raises(ValidationError, match="Choisissez une année scolaire entre 2000-2001"):
        reports.request_report(by=cast["admin"], academie=None, school_year=year)


def test_a_second_request_for_the_same_report_waits_for_the_first(client, cast, territory):
    reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    client.force_login(cast["admin"])

    response = client.post(REPORTS, {"annee": YEAR, "perimetre": "national"})

    assert response.status_code == 422
    assert "déjà en préparation" in response.content.decode()
    assert HoursReport.objects.count() == 1
    # Another scope or another year is another report.
    reports.request_report(by=cast["admin"], academie=territory["academie"], school_year=YEAR)
    reports.request_report(by=cast["admin"], academie=None, school_year=YEAR - 1)


# The task: progress and failure --------------------------------------------------------------


def test_the_task_reports_its_progress_after_each_departement(cast, territory, monkeypatch):
    report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    seen, calls = [], []
    compute = reports.departement_figures

    def watched(departement, year, min_distance):
        # What the page would read at this moment.
        report.refresh_from_db()
        seen.append((report.status, reports.progress_of([report])[report.pk]))
        return compute(departement, year, min_distance)

    monkeypatch.setattr(reports, "departement_figures", watched)
    reports.build_report(report, progress=lambda *args: calls.append(args))

    assert seen == [
        (ReportStatus.RUNNING, {"percent": 0, "label": "Calvados (014)"}),
        (ReportStatus.RUNNING, {"percent": 50, "label": "Manche (050)"}),
    ]
    assert calls == [(0, 2, "Calvados (014)"), (1, 2, "Manche (050)"), (2, 2, "")]
    assert reports.progress_of([report]) == {}  # cleared at the end
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.finished_at is not None


def test_a_failing_task_is_marked_failed_leaves_no_file_and_frees_the_scope(
    cast, territory, monkeypatch, django_capture_on_commit_callbacks
):
    compute = reports.departement_figures

    def broken(departement, year, min_distance):
        if departement.code == "050":
            raise RuntimeError("database gone")
        return compute(departement, year, min_distance)

    monkeypatch.setattr(reports, "departement_figures", broken)
    before = stored_files()
    # Queued and run by the task backend as the page does; the backend keeps the exception.
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.progress == 50  # where it stopped: Manche, the second of two
    assert "Erreur inattendue" in report.error
    assert not report.csv_file and not report.xlsx_file
    assert stored_files() == before
    assert reports.progress_of([report]) == {}
    # The same report may be asked again.
    reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)


def test_a_file_that_cannot_be_written_fails_the_report_and_removes_the_other(
    cast, territory, monkeypatch
):
    report = reports.request_report(
        by=cast["admin"], academie=None, school_year=YEAR, background=False
    )
    before = stored_files()

    def full_disk(rows, year):
        raise OSError("No space left on device")

    monkeypatch.setattr(reports, "xlsx_content", full_disk)
    with pytest.raises(OSError):
        reports.build_report(report)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.csv_file
    assert stored_files() == before  # the CSV, written first, is gone


def test_the_progress_fragment_shows_the_bar_then_asks_for_the_full_page(client, cast, territory):
    report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    HoursReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    reports.set_progress(report.pk, percent=40, label="Manche (050)")
    client.force_login(cast["admin"])

    fragment = client.get(f"{REPORTS}?partial=progress", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    content = fragment.content.decode()
    assert 'value="40"' in content and "Manche (050)" in content and "<html" not in content

    HoursReport.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
    done = client.get(f"{REPORTS}?partial=progress", HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_a_report_whose_worker_died_is_marked_failed_and_may_be_asked_again(
    client, cast, territory
):
    report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    long_ago = timezone.now() - datetime.timedelta(minutes=20)
    HoursReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=long_ago
    )
    client.force_login(cast["admin"])

    page = client.get(REPORTS).content.decode()

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "interrompu" in page
    reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)


def test_a_report_just_started_is_not_taken_for_dead(client, cast, territory):
    report = reports.request_report(by=cast["admin"], academie=None, school_year=YEAR)
    HoursReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    client.force_login(cast["admin"])

    client.get(REPORTS)

    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING


# The page's query count ----------------------------------------------------------------------


def test_the_reports_page_costs_the_same_queries_with_ten_times_more_reports(
    client, cast, territory, count_queries
):
    client.force_login(cast["manager"])
    names = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the académies the person may ask for (the form's choices)",
        "the reports in preparation, with their académie",
        "count of the reports visible (paginator)",
        "the page of reports, with their académie and who asked",
    ]
    for count in (3, 30):
        HoursReport.objects.bulk_create(
            HoursReport(
                academie=territory["academie"],
                school_year=YEAR - 1,
                status=ReportStatus.DONE,
                requested_by=cast["manager"],
                row_count=3,
                teacher_count=10,
                csv_file="hours-reports/x.csv",
            )
            for _ in range(count)
        )
        with count_queries() as ran:
            response = client.get(REPORTS)
        assert response.status_code == 200
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(names, 1))
        assert len(ran) == len(names), (
            f"{count} reports: {len(ran)} queries instead of {len(names)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )


# The files -----------------------------------------------------------------------------------


def test_the_csv_is_utf8_with_a_byte_order_mark_semicolons_and_decimal_commas(
    client, cast, ledgers, done_reports
):
    client.force_login(cast["admin"])

    response = client.get(reverse("hours:report_csv", args=[done_reports[0].pk]))
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0][:7] == [
        "Code académie",
        "Académie",
        "Code département",
        "Département",
        "Code circonscription",
        "Circonscription",
        "Enseignants",
    ]
    assert len({len(row) for row in rows}) == 1 and len(rows) == 1 + 3
    bayeux = next(row for row in rows if row[5] == "Bayeux")
    assert bayeux[:4] == ["A070", "Normandie", "014", "Calvados"]
    # Rien: 3 h of animations; MiTemps: 3 h of animations, 5.5 h of training (2.5 at
    # distance). Hours counted, training, of which at distance, animations, union meetings.
    assert bayeux[6] == "2"
    assert bayeux[-5:] == ["11,5", "5,5", "2,5", "6", "0"]


def test_the_xlsx_has_the_same_rows_with_hours_as_numbers(client, cast, ledgers, done_reports):
    client.force_login(cast["admin"])

    response = client.get(reverse("hours:report_xlsx", args=[done_reports[0].pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == f"{YEAR}-{YEAR + 1}" and len(rows) == 1 + 3
    assert rows[0][0] == "Code académie"
    bayeux = next(row for row in rows if row[5] == "Bayeux")
    assert bayeux[6] == 2 and bayeux[-5] == 11.5


def test_names_that_a_spreadsheet_would_run_are_written_as_text_in_both_files(
    client, cast, territory, ledgers
):
    """The same writer as every export (preau/core/exports.py): a circonscription named like a
    formula is text in the CSV (after an apostrophe) and a text cell in the xlsx."""
    territory["bayeux"].name = '=HYPERLINK("http://x")'
    territory["bayeux"].save(update_fields=["name"])
    report = reports.build_report(
        reports.request_report(by=cast["admin"], academie=None, school_year=YEAR, background=False)
    )
    client.force_login(cast["admin"])

    csv_body = b"".join(client.get(reverse("hours:report_csv", args=[report.pk])).streaming_content)
    rows = list(csv.reader(io.StringIO(csv_body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert '\'=HYPERLINK("http://x")' in [row[5] for row in rows]
    xlsx = b"".join(client.get(reverse("hours:report_xlsx", args=[report.pk])).streaming_content)
    cells = [row[5] for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(min_row=2)]
    [cell] = [c for c in cells if c.value == '=HYPERLINK("http://x")']
    assert cell.data_type == "s"


# The management command ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_builds_the_report_prints_progress_and_copies_the_file(
    territory, tmp_path, capsys, count_queries
):
    output = tmp_path / "rapport.csv"

    with count_queries() as ran:
        call_command("hours_report", "--year", str(YEAR), "--output", str(output))

    report = HoursReport.objects.get()
    if connection.vendor == "postgresql":
        # Outside any transaction, as cron runs it: the départements are read in one snapshot.
        assert "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY" in ran.sql()
    assert report.status == ReportStatus.DONE and report.requested_by is None
    printed = capsys.readouterr().out
    assert "[  1/2] Calvados (014)" in printed and "[  2/2] Manche (050)" in printed
    assert "3 lignes" in printed
    with report.csv_file.open("rb") as stored:
        assert output.read_bytes() == stored.read()


def test_the_command_builds_an_academies_report_as_xlsx(territory, tmp_path):
    output = tmp_path / "rapport.xlsx"

    call_command("hours_report", "--year", str(YEAR), "--academie", "a070", "--output", str(output))

    assert HoursReport.objects.get().academie == territory["academie"]
    assert load_workbook(output).active.max_row == 1 + 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", "1999"], "Choisissez une année scolaire"),
        (["--year", str(YEAR), "--academie", "A999"], "Académie inconnue"),
        (["--year", str(YEAR), "--output", "/tmp/rapport.pdf"], ".csv ou .xlsx"),
        (["--year", str(YEAR), "--output", "/nulle/part/rapport.csv"], "impossible d’écrire"),
        (["--year", "vingt"], "invalid int value"),
    ],
)
def test_the_command_refuses_bad_input(territory, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("hours_report", *arguments)
    assert not HoursReport.objects.exists()


# Where to find it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "shown"), [("admin", True), ("manager", True), ("pilot", False)]
)
def test_the_departement_aggregate_links_to_the_reports_for_those_who_may_ask(
    client, cast, territory, member, shown
):
    client.force_login(cast[member])

    page = client.get(reverse("hours:departement", args=[territory["calvados"].code]))

    assert (REPORTS in page.content.decode()) is shown
