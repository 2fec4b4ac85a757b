"""GAIA imports end to end through the services: preview, confirm, apply, idempotence, links,
people, bad input. Files are small, hand-written, Windows-1252 (tests/hr/gaia_files.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role, User
from preau.hr import services
from preau.hr.models import (
    HrImport,
    HrLink,
    HrSession,
    HrTrainee,
    HrTrainer,
    ImportStatus,
    StagedPerson,
    StagedSession,
)
from preau.hr.people import reconcile_at_sign_in
from preau.training.models import Enrolment, EnrolmentSource, EnrolmentStatus, SessionStaff
from tests import factories

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, formation, gaia_uploads, trainee


def preview(manager, academie, formations=FORMATIONS, trainers=TRAINERS, trainees=TRAINEES, **kw):
    hr_import = services.start_gaia_import(
        academie=academie, uploads=gaia_uploads(formations, trainers, trainees, **kw), by=manager
    )
    return services.build_preview(hr_import)


def apply(hr_import, manager):
    services.confirm_import(hr_import=hr_import, by=manager)
    return services.apply_import(hr_import)


def run(manager, academie, **files):
    return apply(preview(manager, academie, **files), manager)


@pytest.fixture
def academie(territory):
    return territory["academie"]


@pytest.fixture
def manager(cast):
    return cast["manager"]


def test_preview_counts_what_would_change_and_writes_nothing(manager, academie):
    factories.teacher(email="Francois.Coeurdevey@ac-normandie.fr")  # known, other case
    users_before = User.objects.count()

    hr_import = preview(manager, academie)

    assert hr_import.status == ImportStatus.PREVIEWED
    summary = hr_import.summary
    assert summary["sessions_new"] == 2
    assert summary["trainers_new"] == 1
    assert summary["trainees_new"] == 4
    assert summary["people_matched"] == 1
    assert summary["placeholders"] == 4  # three trainees and the trainer
    assert "Aïssatou N'Diaye <aissatou.ndiaye@ac-normandie.fr>" in summary["placeholders_sample"]
    assert summary["rejected"] == 0
    assert not HrSession.objects.exists()
    assert User.objects.count() == users_before


def test_applying_creates_the_sessions_people_and_placeholders(
    manager, academie, django_capture_on_commit_callbacks
):
    known = factories.teacher(email="francois.coeurdevey@ac-normandie.fr")

    with django_capture_on_commit_callbacks(execute=True):
        hr_import = run(manager, academie)

    assert hr_import.status == ImportStatus.APPLIED
    assert hr_import.summary["applied"]["sessions_new"] == 2
    session = HrSession.objects.get(session_code="900001")
    assert session.module_title == "Lecture à voix haute et fluence"
    assert session.place == "École Jules Ferry, Caen"
    ndiaye = User.objects.get(email="aissatou.ndiaye@ac-normandie.fr")
    assert (ndiaye.last_name, ndiaye.first_name) == ("N'Diaye", "Aïssatou")
    assert ndiaye.is_placeholder and not ndiaye.has_usable_password()
    assert ndiaye.roles.filter(role=Role.TEACHER).exists()
    assert HrTrainee.objects.get(email="francois.coeurdevey@ac-normandie.fr").user == known
    trainer_account = HrTrainer.objects.get().user
    assert trainer_account.is_placeholder
    assert not trainer_account.roles.filter(role=Role.TEACHER).exists()
    # Staged rows and the uploaded files are gone once applied.
    assert not StagedSession.objects.exists() and not StagedPerson.objects.exists()
    assert not any(default_storage.exists(f["path"]) for f in hr_import.files.values())


def _picture():
    return (
        User.objects.count(),
        list(HrSession.objects.values_list("pk", *HrSession.DATA_FIELDS, "gone_since")),
        list(HrTrainee.objects.values_list("pk", flat=True)),
        list(HrTrainer.objects.values_list("pk", flat=True)),
    )


def test_the_same_files_twice_are_recognised_as_applied_and_change_nothing(manager, academie):
    run(manager, academie)
    snapshot = _picture()

    with pytest.raises(ValidationError) as error:
        preview(manager, academie)

    assert error.value.messages == [
        "Ces fichiers du 15/09/2026 ont déjà été appliqués le "
        f"{timezone.localtime(HrImport.objects.get().applied_at):%d/%m/%Y à %H:%M} : les "
        "importer de nouveau ne changerait rien."
    ]
    assert HrImport.objects.count() == 1
    assert _picture() == snapshot


def test_the_same_lines_twice_change_nothing_the_second_time(manager, academie):
    run(manager, academie)
    snapshot = _picture()

    second = preview(manager, academie, end="\n")  # same lines, other bytes
    counts = {
        k: v for k, v in second.summary.items() if isinstance(v, int) and k != "people_matched"
    }
    assert set(counts.values()) == {0}, counts
    assert second.summary["people_matched"] == 5
    apply(second, manager)

    assert second.summary["applied"]["sessions_changed"] == 0
    assert _picture() == snapshot


def test_changed_and_gone_sessions_are_found(manager, academie):
    run(manager, academie)
    moved = [formation("900001", place="Salle polyvalente, Hérouville"), formation("900003")]

    newcomer = trainee("900003", "Martin", "Léa", "lea.martin@ac-normandie.fr")
    hr_import = preview(manager, academie, formations=moved, trainees=[*TRAINEES[:2], newcomer])

    summary = hr_import.summary
    assert (summary["sessions_new"], summary["sessions_changed"], summary["sessions_gone"]) == (
        1,
        1,
        1,
    )
    assert summary["sessions_changed_sample"][0]["fields"] == ["place"]
    apply(hr_import, manager)
    assert HrSession.objects.get(session_code="900001").place == "Salle polyvalente, Hérouville"
    assert HrSession.objects.get(session_code="900002").gone_since is not None
    assert not HrTrainee.objects.filter(hr_session__session_code="900002").exists()


def test_every_bad_line_is_reported_with_its_file_and_number_and_the_rest_is_imported(
    manager, academie, settings
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.9  # small files: most of their lines are wrong
    formations = [
        formation("900001"),
        formation("900004", start="31/02/2026"),  # line 2: no such date
        formation("900005", start="10/10/2026", end="09/10/2026"),  # line 3: ends before start
        formation("900006", module="12A45"),  # line 4: module not a number
        "FORMATION|26A0700001|trop court",  # line 5: wrong number of fields
        formation("900001"),  # line 6: duplicate
    ]
    trainees = [
        trainee("900001", "N'Diaye", "Aïssatou", "aissatou.ndiaye@ac-normandie.fr"),
        trainee("900777", "Martin", "Léa", "lea.martin@ac-normandie.fr"),  # line 2: unknown
        trainee("900001", "Sans", "Adresse", ""),  # line 3: empty e-mail
        trainee("900001", "N'Diaye", "Aïssatou", "aissatou.ndiaye@ac-normandie.fr"),  # dup
        trainee("900004", "Petit", "Zoé", "zoe.petit@ac-normandie.fr"),  # its session rejected
    ]

    hr_import = preview(manager, academie, formations=formations, trainees=trainees)

    problems = {(p.file, p.line): p.reason for p in hr_import.problems.all()}
    assert set(problems) == {
        ("formations", 2),
        ("formations", 3),
        ("formations", 4),
        ("formations", 5),
        ("formations", 6),
        ("stagiaires", 2),
        ("stagiaires", 3),
        ("stagiaires", 4),
        ("stagiaires", 5),
    }
    assert "31/02/2026" in problems[("formations", 2)]
    assert "ligne 1" in problems[("formations", 6)]
    assert "900777" in problems[("stagiaires", 2)]
    assert "rejetée" in problems[("stagiaires", 5)]
    assert hr_import.summary["rejected"] == 9
    apply(hr_import, manager)
    assert list(HrSession.objects.values_list("session_code", flat=True)) == ["900001"]
    assert HrTrainee.objects.count() == 1


def test_a_rejected_session_line_does_not_make_the_session_disappear(manager, academie, settings):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5  # one line of two: exactly the share admitted
    run(manager, academie)
    broken = [FORMATIONS[0], formation("900002", group="02", start="31/02/2026")]

    hr_import = run(manager, academie, formations=broken)

    assert hr_import.summary["applied"]["sessions_gone"] == 0
    assert HrSession.objects.get(session_code="900002").gone_since is None
    assert HrTrainee.objects.filter(hr_session__session_code="900002").count() == 2


def test_files_of_another_academie_or_another_day_are_refused_before_anything(manager, academie):
    with pytest.raises(ValidationError) as error:
        services.start_gaia_import(
            academie=academie,
            uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES, academie="A014"),
            by=manager,
        )
    assert "A014" in str(error.value)
    uploads = gaia_uploads(FORMATIONS, TRAINERS, TRAINEES)
    uploads["stagiaires"].name = "A070_Stagiaires_20260916.csv"
    with pytest.raises(ValidationError, match="même jour"):
        services.start_gaia_import(academie=academie, uploads=uploads, by=manager)
    assert not HrImport.objects.exists()


def test_a_utf8_file_is_refused_and_nothing_is_kept(manager, academie):
    uploads = gaia_uploads(FORMATIONS, TRAINERS, TRAINEES)
    uploads["stagiaires"].file.seek(0)
    text = "\r\n".join(TRAINEES) + "\r\n"
    uploads["stagiaires"] = type(uploads["stagiaires"])(
        "A070_Stagiaires_20260915.csv", text.encode("utf-8")
    )
    hr_import = services.start_gaia_import(academie=academie, uploads=uploads, by=manager)

    hr_import = services.build_preview(hr_import)

    assert hr_import.status == ImportStatus.REFUSED
    assert "UTF-8" in hr_import.refusal
    assert not StagedSession.objects.exists() and not StagedPerson.objects.exists()
    with pytest.raises(ValidationError):
        services.confirm_import(hr_import=hr_import, by=manager)


def test_a_truncated_stagiaires_file_removes_nobody(manager, academie):
    many = [trainee("900001", f"Nom{i}", "Prénom", f"p{i}@ac-normandie.fr") for i in range(20)]
    run(manager, academie, trainees=many)

    hr_import = preview(manager, academie, trainees=many[:2])

    assert hr_import.summary["trainees_removed"] == 0
    assert any("tronqué" in guard for guard in hr_import.summary["guards"])
    apply(hr_import, manager)
    assert HrTrainee.objects.count() == 20


def test_a_preview_made_before_another_import_was_applied_must_be_recalculated(manager, academie):
    first = preview(manager, academie)
    second = preview(manager, academie, end="\n")
    apply(first, manager)

    with pytest.raises(ValidationError, match="relancez"):
        services.confirm_import(hr_import=second, by=manager)
    second = services.refresh_preview(hr_import=second)
    apply(second, manager)
    assert second.status == ImportStatus.APPLIED


def test_cancelling_a_preview_discards_its_rows_and_files(
    manager, academie, django_capture_on_commit_callbacks
):
    hr_import = preview(manager, academie)

    with django_capture_on_commit_callbacks(execute=True):
        hr_import = services.cancel_import(hr_import=hr_import)

    assert hr_import.status == ImportStatus.CANCELLED
    assert not StagedPerson.objects.exists()
    assert not any(default_storage.exists(f["path"]) for f in hr_import.files.values())


def test_an_import_cannot_start_while_another_runs(manager, academie):
    services.start_gaia_import(
        academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
    )
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.start_gaia_import(
            academie=academie, uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES), by=manager
        )


# People --------------------------------------------------------------------------------------


def test_a_person_known_under_an_aliased_domain_is_not_created_twice(manager, academie):
    old = factories.teacher(email="gaelle.berenice@ac-caen.fr")

    run(manager, academie)

    assert not User.objects.filter(email="gaelle.berenice@ac-normandie.fr").exists()
    assert HrTrainee.objects.get(email="gaelle.berenice@ac-normandie.fr").user == old


def test_an_address_too_long_once_its_domain_is_replaced_is_rejected_on_its_line(
    manager, academie, settings
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    fits = "a" * 238 + "@ac-caen.fr"  # 249 characters; 254 as ac-normandie.fr
    grows = "b" * 239 + "@ac-caen.fr"  # 250 characters: valid as written, 255 once replaced
    trainees = [
        *TRAINEES,
        trainee("900001", "Long", "Juste", fits),
        trainee("900001", "Long", "Trop", grows),
    ]

    hr_import = run(manager, academie, trainees=trainees)

    problem = hr_import.problems.get()
    assert (problem.file, problem.line) == ("stagiaires", 6)
    assert problem.reason == (
        "adresse électronique trop longue une fois le domaine ac-caen.fr remplacé par "
        "ac-normandie.fr : 255 caractères (au plus 254)"
    )
    assert problem.excerpt.startswith("900001|Long|Trop|bbbb")
    assert HrTrainee.objects.get(first_name="Juste").email == "a" * 238 + "@ac-normandie.fr"
    assert not HrTrainee.objects.filter(first_name="Trop").exists()
    assert not User.objects.filter(email__startswith="bbbb").exists()


def test_first_sign_in_makes_the_placeholder_a_real_account(manager, academie):
    run(manager, academie)
    person = User.objects.get(email="jerome.garcon@ac-normandie.fr")

    reconcile_at_sign_in(person)

    person.refresh_from_db()
    assert not person.is_placeholder


def test_a_placeholder_under_another_address_merges_into_the_account_that_signs_in(
    manager, academie, territory
):
    run(manager, academie)
    placeholder = User.objects.get(email="jerome.garcon@ac-normandie.fr")
    session = factories.TrainingSessionFactory(circonscription=territory["caen"])
    factories.EnrolmentFactory(session=session, user=placeholder)
    real = factories.teacher(email="jerome.garcon@ac-rouen.fr")

    reconcile_at_sign_in(real)

    assert not User.objects.filter(pk=placeholder.pk).exists()
    assert HrTrainee.objects.get(email="jerome.garcon@ac-normandie.fr").user == real
    assert Enrolment.objects.get(session=session).user == real


def test_a_placeholder_asks_for_its_first_password_like_a_forgotten_one(client, manager, academie):
    from django.core import mail

    run(manager, academie)

    client.post("/compte/mot-de-passe/oubli/", {"email": "Jerome.Garcon@ac-rouen.fr"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jerome.garcon@ac-normandie.fr"]


# Links ---------------------------------------------------------------------------------------


@pytest.fixture
def linked(manager, academie, territory, cast):
    run(manager, academie)
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    hr_session = HrSession.objects.get(session_code="900001")
    link = services.link_session(
        session=session, hr_session=hr_session, unenrol_missing=False, by=cast["trainer"]
    )
    return link


def test_linking_enrols_the_gaia_trainees_and_adds_the_module_trainers(linked):
    session = linked.session
    enrolled = Enrolment.objects.filter(session=session)
    assert sorted(e.user.email for e in enrolled) == [
        "aissatou.ndiaye@ac-normandie.fr",
        "francois.coeurdevey@ac-normandie.fr",
    ]
    assert {e.source for e in enrolled} == {EnrolmentSource.HR}
    trainer_account = User.objects.get(email="helene.lefevre@ac-normandie.fr")
    assert SessionStaff.objects.filter(session=session, user=trainer_account).exists()
    assert trainer_account.roles.filter(role=Role.TRAINER, departement=session.departement).exists()


def test_a_trainee_gaia_removes_stays_enrolled_and_is_flagged_by_default(linked, manager, academie):
    from preau.hr.selectors import session_links_page

    run(manager, academie, trainees=[TRAINEES[0], *TRAINEES[2:]])

    session = linked.session
    assert Enrolment.objects.filter(session=session).count() == 2
    missing = session_links_page(session)["missing"]
    assert [e.user.email for e in missing] == ["francois.coeurdevey@ac-normandie.fr"]


def test_a_link_that_says_so_unenrols_the_trainees_gaia_removes(linked, manager, academie):
    services.update_link(link=linked, unenrol_missing=True)

    hr_import = run(manager, academie, trainees=[TRAINEES[0], *TRAINEES[2:]])

    assert hr_import.summary["applied"]["unenrolled"] == 1
    assert list(
        Enrolment.objects.filter(session=linked.session).values_list("user__email", flat=True)
    ) == ["aissatou.ndiaye@ac-normandie.fr"]


def test_new_gaia_trainees_of_a_linked_session_are_enrolled_at_the_next_import(
    linked, manager, academie
):
    newcomer = trainee("900001", "Öztürk", "Çelia", "celia.ozturk@ac-normandie.fr")
    hr_import = preview(manager, academie, trainees=[*TRAINEES, newcomer])
    assert hr_import.summary["linked"] == [
        {
            "id": linked.session_id,
            "title": linked.session.title,
            "enrol": 1,
            "unenrol": 0,
            "flag": 0,
        }
    ]

    apply(hr_import, manager)

    assert Enrolment.objects.filter(
        session=linked.session, user__email="celia.ozturk@ac-normandie.fr"
    ).exists()


def test_gaia_trainees_beyond_capacity_wait(manager, academie, territory):
    run(manager, academie)
    session = factories.TrainingSessionFactory(circonscription=territory["caen"], capacity=1)

    services.link_session(
        session=session,
        hr_session=HrSession.objects.get(session_code="900001"),
        unenrol_missing=False,
        by=manager,
    )

    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]


def test_a_session_is_not_linked_twice_nor_to_another_academie(linked, manager):
    with pytest.raises(ValidationError, match="déjà liée"):
        services.link_session(
            session=linked.session, hr_session=linked.hr_session, unenrol_missing=False, by=manager
        )
    elsewhere = factories.TrainingSessionFactory()
    with pytest.raises(ValidationError, match="autre académie"):
        services.link_session(
            session=elsewhere, hr_session=linked.hr_session, unenrol_missing=False, by=manager
        )


def test_unlinking_keeps_the_participants(linked):
    services.unlink_session(link=linked)

    assert not HrLink.objects.exists()
    assert Enrolment.objects.filter(session=linked.session).count() == 2


def test_a_session_is_created_from_a_gaia_session_in_one_step(manager, academie, territory):
    run(manager, academie)
    parcours = factories.ParcoursFactory(published=True)
    hr_session = HrSession.objects.get(session_code="900002")

    session = services.create_session_from_hr(
        hr_session=hr_session, parcours=parcours, departement=territory["calvados"], by=manager
    )

    assert (session.start_date, session.title) == (
        hr_session.starts_on,
        "Lecture à voix haute et fluence",
    )
    assert session.hr_links.get().hr_session == hr_session
    assert session.enrolments.count() == 2


def test_a_rejected_session_line_with_long_titles_still_keeps_its_session(
    manager, academie, settings
):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    run(manager, academie)
    long_title = "Plan français : " + "lecture, écriture et compréhension " * 8
    broken = [
        FORMATIONS[0],
        formation("900002", group="02", dispositif_title=long_title, start="31/02/2026"),
    ]

    hr_import = run(manager, academie, formations=broken)

    assert hr_import.summary["applied"]["sessions_gone"] == 0
    assert HrSession.objects.get(session_code="900002").gone_since is None


def test_an_apply_that_fails_changes_nothing_and_leaves_no_file_behind(
    manager, academie, monkeypatch, django_capture_on_commit_callbacks
):
    hr_import = preview(manager, academie)
    services.confirm_import(hr_import=hr_import, by=manager)

    def broken(plan):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_apply_persons", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.apply_import(hr_import)

    hr_import.refresh_from_db()
    assert hr_import.status == ImportStatus.FAILED
    assert not HrSession.objects.exists()
    assert not any(default_storage.exists(f["path"]) for f in hr_import.files.values())


def test_signing_in_through_http_runs_the_reconciliation(client, db):
    # The receiver once held by a weak reference was collected and never ran.
    placeholder = factories.UserFactory(is_placeholder=True)
    placeholder.set_password(factories.PASSWORD)
    placeholder.save()

    client.post(
        reverse("accounts:login"),
        {"username": placeholder.email, "password": factories.PASSWORD},
    )

    placeholder.refresh_from_db()
    assert not placeholder.is_placeholder
