"""A closed or archived platform session linked to GAIA changes no more: an import neither
announces nor makes any change to it (enrolments, unenrolments, team), and the import goes
through for the other sessions; the links page says so (docs/attendance.md)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from preau.hr import services
from preau.hr.models import HrSession
from preau.training import services as training_services
from preau.training.models import SessionStatus
from tests import factories

from .gaia_files import TRAINEES, trainee
from .test_import import apply, preview, run

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
NEWCOMER = trainee("900001", "Öztürk", "Çelia", "celia.ozturk@ac-normandie.fr")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager(cast):
    return cast["manager"]


@pytest.fixture
def academie(territory):
    return territory["academie"]


def linked_session(territory, cast, manager, academie, *, unenrol_missing: bool):
    run(manager, academie)
    session = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    hr_session = HrSession.objects.get(session_code="900001")
    services.link_session(
        session=session,
        hr_session=hr_session,
        unenrol_missing=unenrol_missing,
        by=cast["trainer"],
    )
    return session


def state(session) -> tuple:
    return (
        sorted(session.enrolments.values_list("user__email", "status")),
        sorted(session.staff.values_list("user_id", "role")),
    )


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
@pytest.mark.parametrize("unenrol_missing", [False, True])
def test_an_import_announces_and_changes_nothing_of_a_closed_session(
    territory, cast, manager, academie, status, unenrol_missing
):
    session = linked_session(territory, cast, manager, academie, unenrol_missing=unenrol_missing)
    training_services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)
    if status == SessionStatus.ARCHIVED:
        training_services.archive_session(session=session, by=cast["trainer"])
    before = state(session)

    # GAIA adds Çelia to the linked session and removes François from it.
    trainees = [NEWCOMER, TRAINEES[0], *TRAINEES[2:]]
    hr_import = preview(manager, academie, trainees=trainees)
    assert hr_import.summary["linked"] == []
    apply(hr_import, manager)

    assert state(session) == before


def test_the_same_import_still_follows_an_open_session(territory, cast, manager, academie):
    session = linked_session(territory, cast, manager, academie, unenrol_missing=True)

    hr_import = preview(manager, academie, trainees=[NEWCOMER, TRAINEES[0], *TRAINEES[2:]])
    assert hr_import.summary["linked"] == [
        {"id": session.pk, "title": session.title, "enrol": 1, "unenrol": 1, "flag": 0}
    ]
    apply(hr_import, manager)

    emails = set(session.enrolments.values_list("user__email", flat=True))
    assert "celia.ozturk@ac-normandie.fr" in emails
    assert "francois.coeurdevey@ac-normandie.fr" not in emails


def test_the_links_page_of_a_closed_session_says_imports_leave_it_alone(
    client, territory, cast, manager, academie
):
    session = linked_session(territory, cast, manager, academie, unenrol_missing=False)
    training_services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)
    client.force_login(cast["trainer"])

    page = client.get(reverse("hr:session_links", args=[session.pk])).content.decode()

    assert "Cette session est close : les imports GAIA ne la modifient plus" in page
    assert "Régler" not in page
    assert "Fichier GAIA" in page


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_session_closed_after_its_links_were_read_gains_no_trainer(
    territory, cast, manager, academie, status
):
    """sync_links reads the open sessions' links, then syncs each: a session closed in
    between (another request) gains nobody; its row is locked and read afresh."""
    from preau.accounts.models import RoleAssignment
    from preau.hr.models import HrLink

    session = linked_session(territory, cast, manager, academie, unenrol_missing=False)
    gaia_trainers = session.staff.exclude(user=cast["trainer"])
    assert gaia_trainers.exists()  # the link brought GAIA's trainers of the module
    gaia_trainers.delete()
    links = HrLink.objects.filter(session=session)  # read while the session is open
    training_services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)
    if status == SessionStatus.ARCHIVED:
        training_services.archive_session(session=session, by=cast["trainer"])
    before, roles = state(session), RoleAssignment.objects.count()

    assert services._sync_staff(session.pk, links) == 0

    assert state(session) == before
    assert RoleAssignment.objects.count() == roles


def test_gaia_trainers_join_an_open_session_once_with_the_trainer_role(territory, cast):
    from preau.accounts.models import Role, RoleAssignment

    session = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    newcomer = factories.UserFactory()

    added = training_services.add_staff_from_hr(
        session=session, user_ids=[newcomer.pk, newcomer.pk]
    )
    again = training_services.add_staff_from_hr(session=session, user_ids=[newcomer.pk])

    assert (added, again) == (1, 0)
    assert session.staff.filter(user=newcomer, role="trainer").count() == 1
    assert RoleAssignment.objects.filter(
        user=newcomer, role=Role.TRAINER, departement=session.departement
    ).exists()
