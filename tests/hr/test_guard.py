"""The guards that keep an import from losing trainees: whole files refused (too many rejected
lines, a cut last line, no valid line), the shrink guard and its held removals, days in order.
Each scenario of issue 19 runs on SQLite and on PostgreSQL (the same tests, both settings)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from preau.hr import services
from preau.hr.models import HeldRemoval, HrImport, HrTrainee, ImportProblem, ImportStatus
from preau.training.models import Enrolment

from .gaia_files import FORMATIONS, TRAINERS, encode, gaia_uploads, trainee

PARIS = ZoneInfo("Europe/Paris")


def people(n, session="900001", start=0):
    return [
        trainee(session, f"Nom{i:02d}", f"Prénom{i:02d}", f"p{i}@ac-normandie.fr")
        for i in range(start, start + n)
    ]


def preview(manager, academie, trainees, *, day="20260915", formations=FORMATIONS, **kw):
    return services.build_preview(
        services.start_gaia_import(
            academie=academie,
            uploads=gaia_uploads(formations, TRAINERS, trainees, day=day),
            by=manager,
            **kw,
        )
    )


def apply(hr_import, manager):
    services.confirm_import(hr_import=hr_import, by=manager)
    return services.apply_import(hr_import)


def run(manager, academie, trainees, **kw):
    return apply(preview(manager, academie, trainees, **kw), manager)


@pytest.fixture
def academie(territory):
    return territory["academie"]


@pytest.fixture
def manager(cast):
    return cast["manager"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 10, 23, 7, 30, tzinfo=PARIS), tick=False):
        yield


# Whole files refused --------------------------------------------------------------------------


def test_exactly_the_admitted_share_of_rejected_lines_passes_and_one_more_line_refuses(
    manager, academie
):
    bad = trainee("900001", "Sans", "Adresse", "pas-une-adresse")
    at_limit = preview(manager, academie, [*people(19), bad])  # 1 of 20: 5 %

    assert at_limit.status == ImportStatus.PREVIEWED
    services.cancel_import(hr_import=at_limit)

    over = preview(manager, academie, [*people(18), bad, bad.replace("Sans", "Autre")])

    assert over.status == ImportStatus.REFUSED
    assert over.refusal == (
        "Stagiaires : 2 lignes rejetées sur 20 (10 %), au-delà des 5 % admis : le fichier est "
        "refusé en entier, rien n’est appliqué. Corrigez l’export et déposez-le de nouveau."
    )
    assert not HrTrainee.objects.exists()


def test_a_file_cut_mid_line_is_refused_and_nothing_is_applied(manager, academie):
    run(manager, academie, people(20))
    uploads = gaia_uploads(FORMATIONS, TRAINERS, people(20), day="20260916")
    content = encode(people(20))[:-30]  # the copy stopped inside the last line
    uploads["stagiaires"] = type(uploads["stagiaires"])("A070_Stagiaires_20260916.csv", content)

    hr_import = services.build_preview(
        services.start_gaia_import(academie=academie, uploads=uploads, by=manager)
    )

    assert hr_import.status == ImportStatus.REFUSED
    assert hr_import.refusal.startswith(
        "Stagiaires : La dernière ligne du fichier Stagiaires (n° 20) n’a pas de fin de ligne"
    )
    assert HrTrainee.objects.count() == 20


def test_a_last_line_with_the_wrong_field_count_is_refused(manager, academie):
    cut = "STAGIAIRES|900001|Martin"
    hr_import = preview(manager, academie, [*people(40), cut])

    assert hr_import.status == ImportStatus.REFUSED
    assert "(n° 41) a 3 champs au lieu de 5 : le fichier semble coupé" in hr_import.refusal


def test_a_garbage_file_is_refused_early_and_keeps_only_its_first_rejected_lines(manager, academie):
    run(manager, academie, people(20))
    garbage = [f"lorem ipsum {i} dolor sit amet, consectetur" for i in range(6000)]

    hr_import = preview(manager, academie, garbage, day="20260916")

    assert hr_import.status == ImportStatus.REFUSED
    assert "lignes rejetées sur les 2000 premières" in hr_import.refusal
    assert "La lecture est arrêtée" in hr_import.refusal
    assert hr_import.summary["rejected"] == 2000
    assert hr_import.problems.count() == services.KEPT_PROBLEMS
    assert HrTrainee.objects.count() == 20


def test_a_valid_file_just_under_the_share_is_not_stopped_by_the_read_ahead(manager, academie):
    # 107 of 2,150 lines rejected (4.98 %): the reader has read the whole file (64 KB chunks)
    # when the first batch is flushed at line 2,107; the 43 lines still in its buffer may
    # bring the share under the limit, so the early stop must not refuse the file.
    bad = [trainee("900001", "Sans", "Adresse", f"pas-une-adresse-{i}") for i in range(107)]
    lines = [*bad, *people(2043)]
    assert sum(len(line) + 2 for line in lines) < 2 * 64 * 1024  # read whole at the first flush

    hr_import = preview(manager, academie, lines)

    assert hr_import.status == ImportStatus.PREVIEWED, hr_import.refusal
    assert hr_import.summary["rejected"] == 107
    assert hr_import.summary["rows"]["stagiaires"] == 2043


def test_a_file_without_a_valid_line_is_refused(manager, academie, settings):
    settings.PREAU_HR_MAX_REJECTED_SHARE = 1  # only the "no valid line" rule can refuse
    hr_import = preview(manager, academie, [trainee("900001", "Sans", "Adresse", "x")])

    assert hr_import.status == ImportStatus.REFUSED
    assert hr_import.refusal == (
        "Stagiaires : aucune ligne valide (1 lignes rejetées) : le fichier est refusé en "
        "entier, rien n’est appliqué."
    )


def test_two_malformed_days_in_a_row_remove_nobody(manager, academie):
    run(manager, academie, people(20))
    malformed = [line.replace("@", " chez ") for line in people(20)]

    for day in ("20260916", "20260917"):
        hr_import = preview(manager, academie, malformed, day=day)
        assert hr_import.status == ImportStatus.REFUSED
        assert hr_import.refusal.startswith("Stagiaires : aucune ligne valide (20 lignes")

    assert HrTrainee.objects.count() == 20
    # The next good day is compared with the last full picture: one trainee less is a removal.
    hr_import = run(manager, academie, people(19), day="20260918")
    assert hr_import.summary["applied"]["trainees_removed"] == 1


def test_the_page_of_a_refused_import_does_not_say_the_other_lines_are_taken(
    client, manager, academie
):
    hr_import = preview(manager, academie, [*people(5), *["x|y"] * 3, *people(1, start=9)])
    client.force_login(manager)

    page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()

    assert hr_import.status == ImportStatus.REFUSED
    assert "les autres le sont" not in page
    assert "L’import ayant été refusé, aucune ligne n’est reprise." in page


# The shrink guard -----------------------------------------------------------------------------


def test_a_file_with_exactly_the_guard_share_holds_its_removals(manager, academie):
    run(manager, academie, people(20))

    half = preview(manager, academie, people(10), day="20260916")  # 10 = 0.5 × 20

    assert half.summary["trainees_removed"] == 0
    assert half.summary["trainees_held"] == 10
    assert any("semble tronqué" in guard for guard in half.summary["guards"])
    apply(half, manager)
    assert HrTrainee.objects.count() == 20
    assert HeldRemoval.objects.filter(hr_import=half).count() == 10
    assert not HrImport.objects.get(pk=half.pk).full_picture


def test_a_file_just_above_the_guard_share_removes_as_usual(manager, academie):
    run(manager, academie, people(20))

    hr_import = run(manager, academie, people(11), day="20260916")

    assert hr_import.summary["applied"]["trainees_removed"] == 9
    assert not hr_import.summary["guards"]


def test_the_baseline_is_the_largest_recent_full_picture(manager, academie):
    run(manager, academie, people(20))
    run(manager, academie, people(12), day="20260916")  # 12 > 10: applied, a full picture

    third = preview(manager, academie, people(10), day="20260917")

    # Against the last import alone (12) 10 lines would pass; against the largest (20) not.
    assert third.summary["trainees_held"] == 2
    assert "contre 20 lors des derniers imports complets" in third.summary["guards"][0]


def test_a_guarded_day_imported_again_removes_nobody(manager, academie):
    run(manager, academie, people(20))
    run(manager, academie, people(2), day="20260916")  # guarded: 18 held

    with pytest.raises(ValidationError, match="déjà été appliqués"):
        preview(manager, academie, people(2), day="20260916")
    # Not the same bytes: analysed, and still measured against the full picture of 20.
    again = services.build_preview(
        services.start_gaia_import(
            academie=academie,
            uploads=gaia_uploads(FORMATIONS, TRAINERS, people(2), day="20260916", end="\n"),
            by=manager,
        )
    )
    apply(again, manager)

    assert again.summary["applied"]["trainees_removed"] == 0
    assert again.summary["applied"]["trainees_held"] == 18
    assert HrTrainee.objects.count() == 20


def test_held_removals_are_listed_by_name_and_applied_only_when_a_manager_confirms(
    client, cast, manager, academie
):
    run(manager, academie, people(20))
    guarded = run(manager, academie, people(2), day="20260916")
    client.force_login(manager)

    page = client.get(f"/rh/imports/{guarded.pk}/").content.decode()

    assert "Retraits en attente de votre confirmation" in page
    assert "Prénom05 Nom05 &lt;p5@ac-normandie.fr&gt; — session 900001" in page
    assert "Retirer ces 18 stagiaires" in page
    # A list that changed since it was read is refused.
    client.post(f"/rh/imports/{guarded.pk}/retirer/", {"count": "17"})
    assert HrTrainee.objects.count() == 20
    # Nobody else confirms them.
    client.force_login(cast["teacher"])
    assert client.post(f"/rh/imports/{guarded.pk}/retirer/", {"count": "18"}).status_code == 403
    assert HrTrainee.objects.count() == 20

    client.force_login(manager)
    response = client.post(f"/rh/imports/{guarded.pk}/retirer/", {"count": "18"}, follow=True)

    page = response.content.decode()
    assert "Retraits appliqués : 18 stagiaires" in page
    assert "Retraits en attente confirmés le 23/10/2026 à 07:30" in page
    assert "Retirer ces 18 stagiaires" not in page
    rows = dict(response.context["rows"])
    assert rows["Stagiaires retirés d’une session"] == 18
    assert rows["Stagiaires omis : retrait en attente de confirmation"] == 0
    assert HrTrainee.objects.count() == 2
    assert not HeldRemoval.objects.exists()
    guarded.refresh_from_db()
    assert guarded.full_picture and guarded.removals_confirmed_by == manager
    # The académie did shrink: the next day of two trainees is measured against it.
    assert not preview(manager, academie, people(2), day="20260917").summary["guards"]


@pytest.mark.parametrize("count", ["١٨", "18²", "²", "99999999999999999999", ""])
def test_held_removals_are_not_confirmed_by_a_count_that_is_no_plain_number(
    client, manager, academie, count
):
    """« ١٨ » (18 in Arabic-Indic digits) is no count a page shows: `int()` read it as 18."""
    run(manager, academie, people(20))
    guarded = run(manager, academie, people(2), day="20260916")
    client.force_login(manager)

    response = client.post(f"/rh/imports/{guarded.pk}/retirer/", {"count": count})

    assert response.status_code == 302
    assert HrTrainee.objects.count() == 20


def test_held_removals_of_an_older_import_cannot_be_confirmed(manager, academie):
    run(manager, academie, people(20))
    guarded = run(manager, academie, people(2), day="20260916")
    run(manager, academie, people(20), day="20260917")

    with pytest.raises(ValidationError, match="plus récent"):
        services.confirm_held_removals(hr_import=guarded, count=18, by=manager)
    assert HrTrainee.objects.count() == 20


def test_held_trainees_stay_enrolled_in_linked_sessions(manager, academie, territory):
    from tests import factories

    run(manager, academie, people(20))
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], capacity=30, open=True
    )
    services.link_session(
        session=session,
        hr_session=services.HrSession.objects.get(session_code="900001"),
        unenrol_missing=True,
        by=manager,
    )
    assert Enrolment.objects.filter(session=session).count() == 20

    run(manager, academie, people(2), day="20260916")

    assert Enrolment.objects.filter(session=session).count() == 20


# Who is added and removed ---------------------------------------------------------------------


def test_the_preview_lists_who_would_be_added_and_removed(client, manager, academie):
    run(manager, academie, people(20))

    hr_import = preview(manager, academie, [*people(19), *people(1, start=50)], day="20260916")

    summary = hr_import.summary
    assert summary["trainees_added_names"] == [
        "Prénom50 Nom50 <p50@ac-normandie.fr> — session 900001 (Lecture à voix haute et fluence)"
    ]
    assert summary["trainees_removed_names"] == [
        "Prénom19 Nom19 <p19@ac-normandie.fr> — session 900001 (Lecture à voix haute et fluence)"
    ]
    client.force_login(manager)
    page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()
    assert "Stagiaires ajoutés (1)" in page
    assert "Stagiaires retirés (1)" in page
    assert "Prénom19 Nom19 &lt;p19@ac-normandie.fr&gt;" in page


def test_the_dry_run_prints_who_would_change_and_leaves_nothing_pending(
    manager, academie, tmp_path, capsys
):
    run(manager, academie, people(20))
    for kind, lines in (
        ("Formations", FORMATIONS),
        ("Intervenants", TRAINERS),
        ("Stagiaires", [*people(19), *people(1, start=50)]),
    ):
        (tmp_path / f"A070_{kind}_20260916.csv").write_bytes(encode(lines))

    call_command("gaia_import", str(tmp_path), academie="A070", dry_run=True)

    out = capsys.readouterr().out
    assert (
        "Stagiaires ajoutés (1) :\n  Prénom50 Nom50 <p50@ac-normandie.fr> — session 900001" in out
    )
    assert "Stagiaires retirés (1) :\n  Prénom19 Nom19 <p19@ac-normandie.fr>" in out
    assert "Essai à blanc" in out
    dry = HrImport.objects.latest("pk")
    assert dry.status == ImportStatus.CANCELLED
    assert not set(services.NAMED_KEYS) & set(dry.summary)  # printed, then forgotten
    assert HrTrainee.objects.count() == 20


# Days in order --------------------------------------------------------------------------------


def test_an_older_day_is_refused_unless_forced_with_a_reason(client, manager, academie):
    run(manager, academie, people(20), day="20261023")

    with pytest.raises(ValidationError) as error:
        preview(manager, academie, people(20, start=1), day="20261021")

    assert error.value.messages == [
        "Le fichier du 21/10 est plus ancien que le dernier import, du 23/10 : l’appliquer "
        "ramènerait l’académie en arrière. Pour l’importer quand même, indiquez-en le motif."
    ]
    assert HrImport.objects.count() == 1
    client.force_login(manager)
    uploads = gaia_uploads(FORMATIONS, TRAINERS, people(20, start=1), day="20261021")
    response = client.post(
        "/rh/",
        {
            "kind": "gaia",
            "gaia-academie": academie.pk,
            **{f"gaia-{k}": f for k, f in uploads.items()},
        },
    )
    assert "est plus ancien que le dernier import, du 23/10" in response.content.decode()

    forced = preview(
        manager,
        academie,
        people(20, start=1),
        day="20261021",
        forced_reason="Le fichier du 23/10 était erroné",
    )
    apply(forced, manager)
    assert forced.status == ImportStatus.APPLIED
    page = client.get(f"/rh/imports/{forced.pk}/").content.decode()
    assert "importé avec ce motif : « Le fichier du 23/10 était erroné »" in page


def test_the_upload_forms_motif_imports_an_older_day_and_the_report_keeps_it(
    client, manager, academie, django_capture_on_commit_callbacks
):
    run(manager, academie, people(20), day="20261023")
    client.force_login(manager)

    def post(reason):
        uploads = gaia_uploads(FORMATIONS, TRAINERS, people(19), day="20261021")
        with django_capture_on_commit_callbacks(execute=True):  # the analysis, then
            return client.post(
                "/rh/",
                {
                    "kind": "gaia",
                    "gaia-academie": academie.pk,
                    "gaia-forced_reason": reason,
                    **{f"gaia-{k}": f for k, f in uploads.items()},
                },
            )

    blank = post("   ")  # spaces are no reason
    assert "est plus ancien que le dernier import, du 23/10" in blank.content.decode()
    assert HrImport.objects.count() == 1

    response = post("  Le fichier du 23/10 était celui d’une autre académie ")

    forced = HrImport.objects.latest("pk")
    assert response["Location"] == f"/rh/imports/{forced.pk}/"
    assert forced.forced_reason == "Le fichier du 23/10 était celui d’une autre académie"
    assert forced.status == ImportStatus.PREVIEWED
    with django_capture_on_commit_callbacks(execute=True):  # the apply
        client.post(f"/rh/imports/{forced.pk}/confirmer/")
    forced.refresh_from_db()
    assert forced.status == ImportStatus.APPLIED
    assert forced.summary["applied"]["trainees_removed"] == 1
    page = client.get(f"/rh/imports/{forced.pk}/").content.decode()
    assert (
        "importé avec ce motif : « Le fichier du 23/10 était celui d’une autre académie »" in page
    )


def test_a_newer_or_same_day_with_other_content_is_imported(manager, academie):
    run(manager, academie, people(20), day="20261023")

    same_day = run(manager, academie, people(21), day="20261023")
    next_day = run(manager, academie, people(22), day="20261024")

    assert (same_day.status, next_day.status) == (ImportStatus.APPLIED, ImportStatus.APPLIED)


# Upload --------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(
    client, manager, academie, settings
):
    settings.PREAU_HR_MAX_UPLOAD_BYTES = 100
    client.force_login(manager)
    uploads = gaia_uploads(FORMATIONS, TRAINERS, people(20))

    response = client.post(
        "/rh/",
        {
            "kind": "gaia",
            "gaia-academie": academie.pk,
            **{f"gaia-{k}": f for k, f in uploads.items()},
        },
    )

    page = response.content.decode()
    assert "Le fichier Stagiaires pèse" in page
    assert "un fichier RH ne peut dépasser 100" in page
    assert not HrImport.objects.exists()


def test_a_sofia_plan_over_the_size_limit_is_refused_before_anything_is_stored(
    client, manager, academie, settings
):
    from .test_robustness import sofia_plan, sofia_row

    settings.PREAU_HR_MAX_UPLOAD_BYTES = 1000
    plan = sofia_plan([sofia_row("800001")])
    assert plan.size > 1000
    client.force_login(manager)

    response = client.post(
        "/rh/", {"kind": "sofia", "sofia-academie": academie.pk, "sofia-sofia": plan}
    )

    page = response.content.decode()
    assert "Le fichier SOFIA pèse" in page
    assert "un fichier RH ne peut dépasser 1000\xa0octets" in page
    assert not HrImport.objects.exists()
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_sofia_rejected_rows_are_labelled_sofia(client, manager, academie, settings):
    from .test_robustness import sofia_plan, sofia_row

    settings.PREAU_HR_MAX_REJECTED_SHARE = 0.5
    hr_import = services.build_preview(
        services.start_sofia_import(
            academie=academie,
            upload=sofia_plan(
                [sofia_row("800001"), sofia_row("800002", start=dt.date(2026, 10, 9))]
            ),
            by=manager,
        )
    )
    client.force_login(manager)

    page = client.get(f"/rh/imports/{hr_import.pk}/").content.decode()

    assert ImportProblem.objects.get().file_label == "SOFIA"
    assert "<td>SOFIA</td>" in page
    assert "Sessions SOFIA nouvelles" in page
    assert "GAIA nouvelles" not in page


def test_the_people_an_import_adds_and_removes_are_listed_in_french_order(manager, academie):
    """« Étienne » and « Gérard » before « Guyot »: byte order put « Étienne » after « Zoé »."""
    names = ["Guyot", "Zoé", "Étienne", "Gérard"]
    named = [
        trainee("900001", name, "Ada", f"ada{i}@ac-normandie.fr") for i, name in enumerate(names)
    ]
    french = ["Étienne", "Gérard", "Guyot", "Zoé"]

    added = preview(manager, academie, named + people(20)).summary["trainees_added_names"]
    run(manager, academie, named + people(20))
    removed = preview(manager, academie, people(20), day="20260916").summary[
        "trainees_removed_names"
    ]

    assert [label.split()[1] for label in added if label.startswith("Ada ")] == french
    assert [label.split()[1] for label in removed] == french
