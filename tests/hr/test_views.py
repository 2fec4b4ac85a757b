"""The HR pages through HTTP: who may do what, the upload → preview → confirm path, the
progress fragment, the links page, the attendance exports, and pinned query counts."""

import io

import pytest
from openpyxl import load_workbook

from preau.hr import progress, services
from preau.hr.models import HrImport, HrLink, HrSession, ImportStatus
from preau.training.models import Attendance, AttendanceStatus, Enrolment
from tests import factories

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads


def upload(client, academie_pk, **kw):
    files = gaia_uploads(FORMATIONS, TRAINERS, TRAINEES, **kw)
    return client.post(
        "/rh/",
        {
            "kind": "gaia",
            "gaia-academie": academie_pk,
            **{f"gaia-{kind}": f for kind, f in files.items()},
        },
    )


@pytest.fixture
def imported(cast, territory):
    manager = cast["manager"]
    hr_import = services.build_preview(
        services.start_gaia_import(
            academie=territory["academie"],
            uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
            by=manager,
        )
    )
    services.confirm_import(hr_import=hr_import, by=manager)
    return services.apply_import(hr_import)


@pytest.mark.parametrize("role", ["teacher", "trainer", "ien", "pilot", "nobody"])
def test_only_academic_managers_and_administrators_reach_the_imports(client, cast, role):
    client.force_login(cast[role])
    assert client.get("/rh/").status_code == 403
    assert client.get("/rh/sessions-gaia/").status_code == 403


def test_the_manager_uploads_reads_the_preview_and_confirms(
    client, cast, territory, django_capture_on_commit_callbacks
):
    client.force_login(cast["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, academie_pk=territory["academie"].pk)
    hr_import = HrImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rh/imports/{hr_import.pk}/"

    page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()
    assert "Ce que l’import changerait" in page
    assert "Aïssatou N&#x27;Diaye" in page  # a placeholder to create, in the examples
    assert not HrSession.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rh/imports/{hr_import.pk}/confirmer/")
    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.APPLIED
    assert HrSession.objects.count() == 2
    assert "Compte rendu" in client.get(f"/rh/imports/{hr_import.pk}/").content.decode()


def test_a_wrong_file_name_is_said_on_the_form_and_nothing_starts(client, cast, territory):
    client.force_login(cast["manager"])

    response = upload(client, academie_pk=territory["academie"].pk, academie="A014")

    assert response.status_code == 200
    assert "vient de l’académie A014" in response.content.decode()
    assert "A070_Formations_AAAAMMJJ.csv" in response.content.decode()  # the names to give
    assert not HrImport.objects.exists()


def test_a_manager_cannot_import_for_another_academie(client, cast):
    other = factories.AcademieFactory(code="A099", name="Ailleurs")
    client.force_login(cast["manager"])

    response = upload(client, academie_pk=other.pk, academie="A099")

    assert response.status_code == 200
    assert not HrImport.objects.exists()


def test_another_academies_manager_does_not_see_the_import(client, imported):
    from preau.accounts.models import Role

    stranger = factories.with_role(
        Role.ACADEMIC_MANAGER, academie=factories.AcademieFactory(code="A099", name="Ailleurs")
    )
    client.force_login(stranger)
    assert client.get(f"/rh/imports/{imported.pk}/").status_code == 404
    assert client.post(f"/rh/imports/{imported.pk}/confirmer/").status_code == 404


def test_the_progress_fragment_reports_then_asks_for_the_full_page(client, cast, territory):
    manager = cast["manager"]
    hr_import = services.start_gaia_import(
        academie=territory["academie"],
        uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
        by=manager,
    )
    progress.report(hr_import.pk, step=0, steps=3, label="Lecture des fichiers", done=1, total=2)
    client.force_login(manager)

    fragment = client.get(f"/rh/imports/{hr_import.pk}/?partial=status", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert 'value="16"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    services.build_preview(hr_import)
    done = client.get(f"/rh/imports/{hr_import.pk}/?partial=status", HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_cancel_and_refresh_answer_in_french_when_out_of_place(client, cast, imported):
    client.force_login(cast["manager"])
    response = client.post(f"/rh/imports/{imported.pk}/abandonner/", follow=True)
    assert "Seul un import en attente de confirmation" in response.content.decode()


def test_gaia_sessions_without_platform_session_are_listed_with_a_create_path(
    client, cast, territory, imported
):
    client.force_login(cast["manager"])
    page = client.get("/rh/sessions-gaia/").content.decode()
    hr_session = HrSession.objects.get(session_code="900001")
    assert f"/rh/sessions-gaia/{hr_session.pk}/creer/" in page

    parcours = factories.ParcoursFactory(published=True)
    response = client.post(
        f"/rh/sessions-gaia/{hr_session.pk}/creer/",
        {"parcours": parcours.pk, "departement": territory["calvados"].pk},
    )
    session = HrLink.objects.get().session
    assert response["Location"] == f"/sessions/{session.pk}/gestion/"
    assert session.enrolments.count() == 2
    assert (
        f"/rh/sessions-gaia/{hr_session.pk}/creer/"
        not in client.get("/rh/sessions-gaia/").content.decode()
    )


def test_the_gaia_sessions_list_keeps_its_query_count(client, cast, territory, count_queries):
    client.force_login(cast["manager"])
    academie = territory["academie"]

    def sessions(first, count):
        HrSession.objects.bulk_create(
            HrSession(
                academie=academie,
                session_code=str(first + i),
                dispositif_code="26A0700001",
                module_code=1,
                starts_on="2026-10-01",
                ends_on="2026-10-01",
                source="gaia",
            )
            for i in range(count)
        )

    counts = []
    for first, count in ((1, 5), (100, 50)):
        sessions(first, count)
        with count_queries() as ran:
            assert client.get("/rh/sessions-gaia/").status_code == 200
        counts.append(len(ran))
    # session, user, roles (menu and access), count, rows (académies: a subquery), the bell
    assert counts == [6, 6], counts


def test_the_import_history_keeps_its_query_count(client, cast, territory, count_queries):
    client.force_login(cast["manager"])
    counts = []
    for count in (2, 20):
        HrImport.objects.bulk_create(
            HrImport(academie=territory["academie"], kind="gaia", uploaded_by=cast["manager"])
            for _ in range(count)
        )
        with count_queries() as ran:
            assert client.get("/rh/").status_code == 200
        counts.append(len(ran))
    # session, user, roles (menu), académies ×2 (the two forms' choices), count, rows
    assert counts[0] == counts[1], counts


# A session's links ---------------------------------------------------------------------------


@pytest.fixture
def session(cast, territory):
    return factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )


@pytest.mark.parametrize("role,status", [("trainer", 200), ("ien", 200), ("manager", 200)])
def test_those_who_run_a_session_manage_its_links(client, cast, session, role, status):
    client.force_login(cast[role])
    assert client.get(f"/rh/session/{session.pk}/liens/").status_code == status


@pytest.mark.parametrize("role", ["teacher", "other_ien", "nobody"])
def test_others_do_not_reach_a_sessions_links(client, cast, session, role):
    client.force_login(cast[role])
    assert client.get(f"/rh/session/{session.pk}/liens/").status_code in {403, 404}


def test_a_trainer_finds_and_links_a_gaia_session(client, cast, session, imported):
    client.force_login(cast["trainer"])
    page = client.get(f"/rh/session/{session.pk}/liens/?q=900001").content.decode()
    hr_session = HrSession.objects.get(session_code="900001")
    assert "Lier cette session" in page

    client.post(f"/rh/session/{session.pk}/liens/", {"hr_session": hr_session.pk})

    assert session.enrolments.count() == 2
    # Placeholders have no school yet: the session page still lists them.
    page = client.get(f"/sessions/{session.pk}/gestion/").content.decode()
    assert "N&#x27;Diaye" in page
    link = HrLink.objects.get()
    assert not link.unenrol_missing
    assert client.get(f"/rh/liens/{link.pk}/delier/").status_code == 200  # asks first
    client.post(f"/rh/liens/{link.pk}/delier/")
    assert not HrLink.objects.exists() and session.enrolments.count() == 2


def test_a_gaia_session_of_another_academie_cannot_be_linked(client, cast, session):
    other = HrSession.objects.create(
        academie=factories.AcademieFactory(code="A099", name="Ailleurs"),
        session_code="1",
        dispositif_code="X",
        module_code=1,
        starts_on="2026-10-01",
        ends_on="2026-10-01",
        source="gaia",
    )
    client.force_login(cast["trainer"])
    response = client.post(
        f"/rh/session/{session.pk}/liens/", {"hr_session": other.pk}, follow=True
    )
    assert "introuvable" in response.content.decode()
    assert not HrLink.objects.exists()


def test_attendance_goes_back_to_gaia_in_its_own_format(client, cast, session, imported):
    hr_session = HrSession.objects.get(session_code="900001")
    link = services.link_session(
        session=session, hr_session=hr_session, unenrol_missing=False, by=cast["trainer"]
    )
    meeting = factories.MeetingFactory(session=session, date="2026-10-05")
    factories.MeetingFactory(session=session, date="2026-10-06", remote=True)  # not a presence
    ndiaye = Enrolment.objects.select_related("user").get(
        session=session, user__email="aissatou.ndiaye@ac-normandie.fr"
    )
    coeurdevey = Enrolment.objects.get(
        session=session, user__email="francois.coeurdevey@ac-normandie.fr"
    )
    ndiaye.user.school = factories.SchoolFactory(circonscription=session.circonscription)
    ndiaye.user.save()
    Attendance.objects.create(meeting=meeting, enrolment=ndiaye, status=AttendanceStatus.PRESENT)
    Attendance.objects.create(meeting=meeting, enrolment=coeurdevey, status=AttendanceStatus.ABSENT)
    hand_enrolled = factories.EnrolmentFactory(session=session)  # not GAIA's: not in the file
    client.force_login(cast["trainer"])

    response = client.get(f"/rh/liens/{link.pk}/presences.csv")

    assert response["Content-Type"] == "text/csv; charset=windows-1252"
    lines = response.content.decode("cp1252").split("\r\n")
    assert lines[-1] == ""
    assert lines[:2] == [
        "26A0700001|12345|900001|01|Cœurdevey|François|francois.coeurdevey@ac-normandie.fr||A|N|0,0",
        f"26A0700001|12345|900001|01|N'Diaye|Aïssatou|aissatou.ndiaye@ac-normandie.fr|"
        f"{ndiaye.user.school.uai}|P|N|0,0",
    ]
    assert hand_enrolled.user.email not in response.content.decode("cp1252")

    sheet = load_workbook(
        io.BytesIO(client.get(f"/rh/liens/{link.pk}/presences.xlsx").content)
    ).active
    rows = list(sheet.values)
    assert rows[0][8] == "Réunion du 05/10/2026"
    assert rows[2][4:6] == ("N'Diaye", "Aïssatou")


def test_attendance_exports_write_formulas_as_text_and_hours_as_numbers(
    client, cast, session, imported
):
    from decimal import Decimal

    from preau.hours.models import Entry, Kind, Source

    link = services.link_session(
        session=session,
        hr_session=HrSession.objects.get(session_code="900001"),
        unenrol_missing=False,
        by=cast["trainer"],
    )
    ndiaye = (
        Enrolment.objects.select_related("user")
        .get(session=session, user__email="aissatou.ndiaye@ac-normandie.fr")
        .user
    )
    ndiaye.last_name, ndiaye.first_name = '=HYPERLINK("http://example.org","clic")', "@Aïssatou"
    ndiaye.save()
    coeurdevey = Enrolment.objects.get(
        session=session, user__email="francois.coeurdevey@ac-normandie.fr"
    ).user
    coeurdevey.last_name, coeurdevey.first_name = "+33 Cœurdevey", "-François"
    coeurdevey.save()
    Entry.objects.create(
        teacher=ndiaye,
        school_year=2026,
        date="2026-10-05",
        kind=Kind.TRAINING,
        source=Source.SESSION,
        title="Lecture",
        presence_hours=Decimal("1.5"),
        distance_hours=Decimal("2"),
        session=session,
    )
    client.force_login(cast["trainer"])

    lines = client.get(f"/rh/liens/{link.pk}/presences.csv").content.decode("cp1252")

    assert "|'+33 Cœurdevey|'-François|" in lines
    assert '|\'=HYPERLINK("http://example.org","clic")|\'@Aïssatou|' in lines
    assert lines.split("\r\n")[1].endswith("|N|3,5")

    workbook = load_workbook(io.BytesIO(client.get(f"/rh/liens/{link.pk}/presences.xlsx").content))
    rows = list(workbook.active.iter_rows(min_row=2))
    by_name = {row[5].value: row for row in rows}
    formula = by_name["@Aïssatou"]
    assert formula[4].value == '=HYPERLINK("http://example.org","clic")'
    assert formula[4].data_type == "s"  # text, not a formula
    assert by_name["-François"][4].data_type == "s"
    assert formula[-1].value == 3.5 and formula[-1].data_type == "n"  # hours: a number
    assert by_name["-François"][-1].value == 0


def test_attendance_exports_are_for_those_who_run_the_session(client, cast, session, imported):
    link = services.link_session(
        session=session,
        hr_session=HrSession.objects.get(session_code="900001"),
        unenrol_missing=False,
        by=cast["trainer"],
    )
    client.force_login(cast["other_ien"])
    assert client.get(f"/rh/liens/{link.pk}/presences.csv").status_code == 404


def test_the_demo_has_an_applied_gaia_day_a_linked_session_and_an_import_to_confirm(client, db):
    from django.core.management import call_command

    from preau.accounts.models import User

    call_command("seed", "--scale", "demo", verbosity=0, i_know_this_is_production=True)

    statuses = sorted(HrImport.objects.values_list("status", flat=True))
    assert statuses == [ImportStatus.APPLIED, ImportStatus.PREVIEWED]
    link = HrLink.objects.get()
    assert link.session.enrolments.filter(user__email="aicha.nguessan@ac-normandie.fr").exists()
    assert User.objects.filter(is_placeholder=True).count() == 5  # 4 trainees, 1 trainer
    client.force_login(User.objects.get(email="gestionnaire@demo.preau.fr"))
    pending = HrImport.objects.get(status=ImportStatus.PREVIEWED)
    page = client.get(f"/rh/imports/{pending.pk}/").content.decode()
    assert "Confirmer et appliquer l’import" in page


def test_the_manager_uploads_a_sofia_plan_and_a_wrong_format_is_said(
    client, cast, territory, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_robustness import sofia_plan, sofia_row

    client.force_login(cast["manager"])
    academie = territory["academie"].pk
    wrong = client.post(
        "/rh/",
        {
            "kind": "sofia",
            "sofia-academie": academie,
            "sofia-sofia": SimpleUploadedFile("plan.csv", b"a;b"),
        },
    )
    assert "format tableur .xlsx" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/rh/",
            {
                "kind": "sofia",
                "sofia-academie": academie,
                "sofia-sofia": sofia_plan([sofia_row("800001")]),
            },
        )
    hr_import = HrImport.objects.get()
    assert hr_import.status == ImportStatus.PREVIEWED
    assert hr_import.summary["sessions_new"] == 1


def test_a_sessions_links_page_keeps_its_query_count(client, cast, session, count_queries):
    client.force_login(cast["trainer"])
    academie = session.departement.academie
    counts = []
    for first, count in ((1, 2), (100, 20)):
        HrSession.objects.bulk_create(
            HrSession(
                academie=academie,
                session_code=str(first + i),
                dispositif_code="26A0700001",
                module_code=1,
                starts_on="2026-10-01",
                ends_on="2026-10-01",
                source="gaia",
            )
            for i in range(count)
        )
        for hr_session in HrSession.objects.filter(links=None):
            HrLink.objects.create(session=session, hr_session=hr_session)
        with count_queries() as ran:
            assert client.get(f"/rh/session/{session.pk}/liens/?q=26A0700001").status_code == 200
        counts.append(len(ran))
    # session, user, roles, the session (access), links, missing participants, candidates, the
    # bell in the header
    assert counts == [8, 8], counts


def test_an_import_page_keeps_its_query_count_whatever_its_rejected_lines(
    client, cast, territory, count_queries
):
    from preau.hr.models import ImportProblem

    client.force_login(cast["manager"])
    hr_import = HrImport.objects.create(
        academie=territory["academie"], kind="gaia", status=ImportStatus.APPLIED
    )
    counts = []
    for count in (3, 300):
        ImportProblem.objects.bulk_create(
            ImportProblem(hr_import=hr_import, file="stagiaires", line=i, reason="x")
            for i in range(count)
        )
        with count_queries() as ran:
            assert client.get(f"/rh/imports/{hr_import.pk}/").status_code == 200
        counts.append(len(ran))
    # session, user, roles, the import, problems count, a page of problems, held removals count,
    # the bell in the header
    assert counts == [8, 8], counts


@pytest.mark.parametrize("role", ["teacher", "trainer", "ien"])
def test_only_importers_confirm_cancel_or_recalculate_an_import(client, cast, role, territory):
    hr_import = HrImport.objects.create(
        academie=territory["academie"], kind="gaia", status=ImportStatus.PREVIEWED
    )
    client.force_login(cast[role])
    for action in ("confirmer", "abandonner", "recalculer"):
        assert client.post(f"/rh/imports/{hr_import.pk}/{action}/").status_code == 403
    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.PREVIEWED


def test_another_academies_manager_cannot_create_a_session_from_our_gaia_session(client, imported):
    from preau.accounts.models import Role

    stranger = factories.with_role(
        Role.ACADEMIC_MANAGER, academie=factories.AcademieFactory(code="A099", name="Ailleurs")
    )
    hr_session = HrSession.objects.get(session_code="900001")
    client.force_login(stranger)
    assert client.get(f"/rh/sessions-gaia/{hr_session.pk}/creer/").status_code == 404
    assert "900001" not in client.get("/rh/sessions-gaia/").content.decode()


def test_others_cannot_adjust_or_remove_a_sessions_link(client, cast, session, imported):
    link = services.link_session(
        session=session,
        hr_session=HrSession.objects.get(session_code="900001"),
        unenrol_missing=False,
        by=cast["trainer"],
    )
    for role in ("other_ien", "teacher", "nobody"):
        client.force_login(cast[role])
        assert client.get(f"/rh/liens/{link.pk}/regler/").status_code == 404
        assert (
            client.post(f"/rh/liens/{link.pk}/regler/", {"unenrol_missing": "on"}).status_code
            == 404
        )
        assert client.post(f"/rh/liens/{link.pk}/delier/").status_code == 404
    link.refresh_from_db()
    assert not link.unenrol_missing


def test_a_link_request_without_a_gaia_session_says_so(client, cast, session):
    client.force_login(cast["trainer"])

    response = client.post(f"/rh/session/{session.pk}/liens/", {"hr_session": "abc"}, follow=True)

    assert "Choisissez la session GAIA" in response.content.decode()
    assert not HrLink.objects.exists()
