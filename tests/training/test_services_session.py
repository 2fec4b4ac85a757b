"""The rules of a session's life, at the service level: creation, opening checks, the team,
closing and archiving (read-only afterwards)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from preau.accounts.models import Role
from preau.parcours.models import Activity
from preau.training import services
from preau.training.models import SessionStatus, StaffRole
from tests import factories

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def parcours(territory):
    return factories.ParcoursFactory(published=True, academie=territory["academie"])


@pytest.fixture
def session(territory, cast, parcours):
    return factories.TrainingSessionFactory(
        source=parcours, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )


def create(parcours, by, **kwargs):
    return services.create_session(
        source=parcours, by=by, start_date=days(1), end_date=days(20), **kwargs
    )


# Creation ----------------------------------------------------------------------------------------


def test_ien_creates_a_session_of_their_circonscription_without_joining_its_team(
    cast, territory, parcours
):
    session = create(
        parcours, cast["ien"], circonscription=territory["caen"], departement=territory["calvados"]
    )
    assert session.circonscription == territory["caen"]
    assert (session.presence_hours, session.distance_hours) == (1, 2)
    assert not session.staff.exists()


def test_academic_manager_creates_sessions_for_the_departements_of_their_academie(
    cast, territory, parcours
):
    session = create(parcours, cast["manager"], departement=territory["manche"])
    assert session.departement == territory["manche"]


@pytest.mark.parametrize(
    ("who", "owner", "error"),
    [
        ("trainer", "bayeux", "Vous ne pouvez pas créer de session pour Bayeux"),
        ("trainer", "calvados", "Vous ne pouvez pas créer de session pour Calvados"),
        ("other_ien", "caen", "Vous ne pouvez pas créer de session pour Caen Nord"),
        ("pilot", "manche", "Vous ne pouvez pas créer de session pour Manche"),
    ],
)
def test_nobody_creates_a_session_for_a_territory_not_theirs(
    cast, territory, parcours, who, owner, error
):
    target = territory[owner]
    kwargs = (
        {"circonscription": target, "departement": target.departement}
        if owner in {"caen", "bayeux"}
        else {"departement": target}
    )
    with pytest.raises(ValidationError, match=error):
        create(parcours, cast[who], **kwargs)


def test_a_teacher_creates_no_session(cast, territory, parcours):
    with pytest.raises(PermissionDenied):
        create(parcours, cast["teacher"], departement=territory["calvados"])


def test_only_a_published_parcours_of_the_offre_is_deployed(cast, territory):
    draft = factories.ParcoursFactory(complete=True, academie=territory["academie"])
    with pytest.raises(ValidationError, match="offre de parcours"):
        create(draft, cast["pilot"], departement=territory["calvados"])


def test_a_circonscription_of_another_departement_is_refused(cast, territory, parcours):
    with pytest.raises(ValidationError, match="pas dans ce département"):
        create(
            parcours,
            cast["ien"],
            circonscription=territory["caen"],
            departement=territory["manche"],
        )


# Opening ----------------------------------------------------------------------------------------


def test_opening_problems_name_everything_missing(session, cast):
    session.staff.all().delete()
    session.presence_hours = session.distance_hours = 0
    session.save()
    Activity.objects.filter(section__parcours=session.content).delete()

    assert services.opening_problems(session) == [
        "Ajoutez au moins un formateur.",
        "Inscrivez au moins un participant, ou ouvrez l’auto-inscription.",
        "Indiquez les heures en présence et à distance créditées.",
        "Ajoutez au calendrier au moins une réunion ou une période à distance.",
        "Le contenu de la session ne contient aucune activité.",
    ]


def test_a_tutor_alone_does_not_make_a_team(session, cast):
    session.staff.all().delete()
    factories.SessionStaffFactory(session=session, role=StaffRole.TUTOR)
    assert "Ajoutez au moins un formateur." in services.opening_problems(session)


def test_phases_outside_the_session_dates_are_named(session):
    factories.MeetingFactory(
        session=session, title="Trop tôt", date=session.start_date - datetime.timedelta(days=1)
    )
    factories.DistanceWindowFactory(
        session=session, title="Trop long", ends_on=session.end_date + datetime.timedelta(days=3)
    )
    session.self_enrolment = True

    problems = services.opening_problems(session)

    start, end = session.start_date.strftime("%d/%m/%Y"), session.end_date.strftime("%d/%m/%Y")
    assert problems == [
        f"« Trop tôt » tombe en dehors des dates de la session (du {start} au {end}).",
        f"« Trop long » tombe en dehors des dates de la session (du {start} au {end}).",
    ]


def test_self_enrolment_opens_without_participants(session, cast):
    session.self_enrolment = True
    session.save()
    factories.DistanceWindowFactory(session=session)

    opened = services.open_session(session=session, by=cast["trainer"])

    assert opened.status == SessionStatus.OPEN


def test_an_open_session_does_not_open_again(session, cast):
    session.status = SessionStatus.OPEN
    session.save()
    with pytest.raises(ValidationError, match="Seule une session en préparation"):
        services.open_session(session=session, by=cast["trainer"])


# Team, closing, archiving ------------------------------------------------------------------------


def test_a_tutor_is_added_as_a_tutor_only(session, cast):
    with pytest.raises(ValidationError, match="est tuteur, pas formateur"):
        services.add_staff(session=session, user=cast["tutor"], role=StaffRole.TRAINER)
    services.add_staff(session=session, user=cast["tutor"], role=StaffRole.TUTOR)
    assert session.staff.filter(user=cast["tutor"], role=StaffRole.TUTOR).exists()


def test_two_trainers_of_an_open_session_may_lose_one(session, cast, territory):
    session.status = SessionStatus.OPEN
    session.save()
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    services.add_staff(session=session, user=colleague)

    services.remove_staff(session=session, user=cast["trainer"])

    assert list(session.staff.values_list("user", flat=True)) == [colleague.pk]


def test_close_then_archive_then_nothing_changes(session, cast):
    with pytest.raises(ValidationError, match="Seule une session close"):
        services.archive_session(session=session, by=cast["trainer"])
    session.status = SessionStatus.OPEN
    session.save()
    services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)
    session.refresh_from_db()
    assert session.closed_at is not None
    services.archive_session(session=session, by=cast["trainer"])
    session.refresh_from_db()

    writes = [
        lambda: services.update_session(session=session, by=cast["trainer"], title="Autre"),
        lambda: services.add_meeting(
            session=session,
            date=session.start_date,
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            remote=True,
        ),
        lambda: services.add_distance_window(
            session=session, starts_on=session.start_date, ends_on=session.end_date
        ),
        lambda: services.add_staff(session=session, user=cast["trainer"]),
        lambda: services.remove_staff(session=session, user=cast["trainer"]),
        lambda: services.check_content_adaptable(session),
        lambda: services.confirm_enrolment(session=session, lines=[(cast["teacher"].email, "")]),
    ]
    for write in writes:
        with pytest.raises(ValidationError):
            write()
    session.refresh_from_db()
    assert session.title != "Autre"
    assert not session.meetings.exists() and not session.distance_windows.exists()
    assert not session.enrolments.exists()
