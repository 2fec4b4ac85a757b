"""A tutor follows a session's participants; they do not run the session (docs/roles.md).

Through HTTP, as a trainer of the session, a tutor of the session and a stranger; then each
service that changes a session, called by the tutor."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role
from preau.training import services
from preau.training.models import Attendance, AttendanceStatus, StaffRole
from tests import factories

from .test_manage_access import session_urls

pytestmark = pytest.mark.django_db

TUTOR_REFUSAL = "Vous êtes tuteur de cette session"


@pytest.fixture
def session(territory, cast):
    """An open session of Caen Nord run by the cast's trainer, followed by its tutor, with one
    participant and a meeting held last week."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"]],
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        end_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    factories.MeetingFactory(session=session, date=timezone.localdate() - datetime.timedelta(7))
    factories.DistanceWindowFactory(session=session)
    return session


@pytest.fixture
def stranger(territory):
    """A tutor of the same circonscription who does not follow this session."""
    return factories.with_role(Role.TUTOR, circonscription=territory["caen"])


def follow_urls(session) -> list[str]:
    meeting = session.meetings.get()
    return [
        reverse("training:manage", args=[session.pk]),
        reverse("training:attendance", args=[meeting.pk]),
        reverse("training:signing_sheet", args=[meeting.pk]),
    ]


def manage_only_urls(session) -> list[str]:
    """Every organiser page but the session page, and the attestation page."""
    pages = [
        url for url in session_urls(session) if url != reverse("training:manage", args=[session.pk])
    ]
    return [*pages, reverse("training:attestation", args=[session.pk])]


# Pages ---------------------------------------------------------------------------------------


def test_the_trainer_reaches_every_page_of_the_session(client, cast, session):
    client.force_login(cast["trainer"])
    for url in follow_urls(session) + manage_only_urls(session):
        assert client.get(url).status_code == 200, url


def test_the_tutor_reads_the_session_takes_attendance_and_prints_signing_sheets(
    client, cast, session
):
    client.force_login(cast["tutor"])
    for url in follow_urls(session):
        assert client.get(url).status_code == 200, url


def test_the_tutor_gets_a_403_on_every_page_that_changes_the_session(client, cast, session):
    client.force_login(cast["tutor"])
    for url in manage_only_urls(session):
        assert client.get(url).status_code == 403, url


def test_a_stranger_gets_a_404_on_every_page_of_the_session(client, stranger, session):
    client.force_login(stranger)
    for url in follow_urls(session) + manage_only_urls(session):
        assert client.get(url).status_code == 404, url


def test_the_tutor_records_attendance(client, cast, session):
    meeting, enrolment = session.meetings.get(), session.enrolments.get()
    client.force_login(cast["tutor"])
    url = reverse("training:attendance", args=[meeting.pk])
    response = client.post(url, {f"status-{enrolment.pk}": AttendanceStatus.PRESENT})
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, enrolment=enrolment).recorded_by == cast["tutor"]


def test_the_tutor_cannot_change_anything_through_http(client, cast, session):
    meeting, enrolment = session.meetings.get(), session.enrolments.get()
    window = session.distance_windows.get()
    member = session.staff.get(role=StaffRole.TRAINER)
    section = session.content.sections.first()
    client.force_login(cast["tutor"])

    def post(name, *args, data=None):
        return client.post(reverse(f"training:{name}", args=args), data or {}).status_code

    assert post("manage_staff_add", session.pk, data={"email": cast["tutor"].email}) == 403
    assert post("manage_staff_remove", member.pk) == 403
    assert post("manage_meeting_delete", meeting.pk) == 403
    assert post("manage_window_delete", window.pk) == 403
    assert post("manage_unenrol", enrolment.pk) == 403
    assert post("manage_settings", session.pk, data={"title": "Autre"}) == 403
    assert post("attestation", session.pk, data={"one": enrolment.pk, "reason": "x"}) == 403
    assert post("manage_close", session.pk, data={"avant_la_fin": "1"}) == 403
    assert post("manage_archive", session.pk) == 403
    assert post("manage_section_add", session.pk, data={"title": "Intrus"}) == 403
    assert post("manage_section_delete", section.pk) == 403

    session.refresh_from_db()
    assert session.status == "open" and session.title != "Autre"
    assert session.meetings.exists() and session.distance_windows.exists()
    assert session.staff.count() == 2 and session.enrolments.get().completed_at is None
    assert not session.content.sections.filter(title="Intrus").exists()


def test_the_tutor_sees_no_action_that_changes_the_session(client, cast, session):
    client.force_login(cast["tutor"])
    page = client.get(reverse("training:manage", args=[session.pk])).content.decode()
    assert "Vous suivez cette session comme tuteur" in page
    assert reverse("training:attendance", args=[session.meetings.get().pk]) in page
    for name, arg in [
        ("manage_settings", session.pk),
        ("manage_enrol", session.pk),
        ("manage_close", session.pk),
        ("attestation", session.pk),
        ("manage_content", session.pk),
        ("manage_staff_add", session.pk),
        ("manage_meeting_add", session.pk),
        ("manage_window_add", session.pk),
        ("manage_meeting_edit", session.meetings.get().pk),
        ("manage_unenrol", session.enrolments.get().pk),
    ]:
        assert reverse(f"training:{name}", args=[arg]) not in page, name


def test_the_trainer_sees_the_actions(client, cast, session):
    client.force_login(cast["trainer"])
    page = client.get(reverse("training:manage", args=[session.pk])).content.decode()
    assert "Vous suivez cette session comme tuteur" not in page
    for name in ["manage_settings", "manage_enrol", "manage_close", "attestation"]:
        assert reverse(f"training:{name}", args=[session.pk]) in page, name


def test_the_tutor_finds_the_session_in_mes_sessions(client, cast, session):
    client.force_login(cast["tutor"])
    page = client.get(reverse("training:manage_list")).content.decode()
    assert reverse("training:manage", args=[session.pk]) in page


def test_a_tutor_does_not_deploy_a_parcours(client, cast, session):
    client.force_login(cast["tutor"])
    url = reverse("training:manage_create", args=[session.source.pk])
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_session(
            source=session.source,
            by=cast["tutor"],
            departement=session.departement,
            circonscription=session.circonscription,
            start_date=session.start_date,
            end_date=session.end_date,
        )


def test_an_ien_who_is_also_the_tutor_of_a_session_of_their_circonscription_runs_it(
    client, territory, session
):
    ien = factories.with_role(Role.IEN, circonscription=territory["caen"])
    factories.SessionStaffFactory(session=session, user=ien, role=StaffRole.TUTOR)
    client.force_login(ien)
    assert client.get(reverse("training:attestation", args=[session.pk])).status_code == 200


# Services ------------------------------------------------------------------------------------

# Each service that changes a session, as its tutor calls it.
WRITES = {
    "add_staff": lambda s, by: services.add_staff(session=s, user=by, role=StaffRole.TUTOR, by=by),
    "remove_staff": lambda s, by: services.remove_staff(session=s, user=by, by=by),
    "add_meeting": lambda s, by: services.add_meeting(
        session=s,
        by=by,
        date=s.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place_name="École",
    ),
    "update_meeting": lambda s, by: services.update_meeting(
        meeting=s.meetings.get(), by=by, title="Autre"
    ),
    "delete_meeting": lambda s, by: services.delete_meeting(meeting=s.meetings.get(), by=by),
    "add_distance_window": lambda s, by: services.add_distance_window(
        session=s, by=by, starts_on=s.start_date, ends_on=s.end_date
    ),
    "update_distance_window": lambda s, by: services.update_distance_window(
        window=s.distance_windows.get(), by=by, title="Autre"
    ),
    "delete_distance_window": lambda s, by: services.delete_distance_window(
        window=s.distance_windows.get(), by=by
    ),
    "update_session": lambda s, by: services.update_session(session=s, by=by, title="Autre"),
    "enrol": lambda s, by: services.enrol(session=s, user=factories.teacher(), by=by),
    "confirm_enrolment": lambda s, by: services.confirm_enrolment(
        session=s, lines=[("nouvelle@example.org", "")], by=by
    ),
    "unenrol": lambda s, by: services.unenrol(enrolment=s.enrolments.get(), by=by),
    "attest": lambda s, by: services.attest(
        session=s, by=by, enrolment_ids=[s.enrolments.get().pk], reason="Fini"
    ),
    "close_session": lambda s, by: services.close_session(
        session=s, by=by, before_end_confirmed=True
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_tutor_calling_a_service_that_changes_the_session_is_refused(cast, session, write):
    with pytest.raises(PermissionDenied, match=TUTOR_REFUSAL):
        WRITES[write](session, cast["tutor"])


@pytest.mark.parametrize("write", WRITES)
def test_a_stranger_calling_a_service_that_changes_the_session_is_refused(stranger, session, write):
    with pytest.raises(PermissionDenied, match="Vous ne gérez pas cette session"):
        WRITES[write](session, stranger)


def test_a_tutor_cannot_open_withdraw_an_attestation_or_archive(cast, territory):
    trainer, tutor = cast["trainer"], cast["tutor"]
    preparing = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[trainer], tutors=[tutor]
    )
    with pytest.raises(PermissionDenied, match=TUTOR_REFUSAL):
        services.open_session(session=preparing, by=tutor)
    attested = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], trainers=[trainer], tutors=[tutor]
    )
    enrolment = factories.EnrolmentFactory(session=attested)
    services.attest(session=attested, by=trainer, enrolment_ids=[enrolment.pk], reason="Fini")
    with pytest.raises(PermissionDenied, match=TUTOR_REFUSAL):
        services.withdraw_attestation(enrolment=enrolment, by=tutor)
    services.close_session(session=attested, by=trainer, before_end_confirmed=True)
    with pytest.raises(PermissionDenied, match=TUTOR_REFUSAL):
        services.archive_session(session=attested, by=tutor)


def test_the_tutor_records_attendance_through_the_service(cast, session):
    meeting, enrolment = session.meetings.get(), session.enrolments.get()
    services.record_attendance(
        meeting=meeting, by=cast["tutor"], statuses={enrolment.pk: AttendanceStatus.ABSENT}
    )
    assert services.mark_all_present(meeting=meeting, by=cast["tutor"]) == 0
    assert Attendance.objects.get(meeting=meeting).status == AttendanceStatus.ABSENT


def test_the_home_page_does_not_offer_a_tutor_to_deploy_a_parcours(client, cast, session):
    client.force_login(cast["tutor"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "Choisir un parcours dans l’offre" not in page
    client.force_login(cast["trainer"])
    assert "Choisir un parcours dans l’offre" in client.get(reverse("portal:home")).content.decode()


def test_the_attendance_page_links_to_the_attestation_for_the_trainer_only(client, cast, session):
    url = reverse("training:attendance", args=[session.meetings.get().pk])
    attestation = reverse("training:attestation", args=[session.pk])
    client.force_login(cast["tutor"])
    assert attestation not in client.get(url).content.decode()
    client.force_login(cast["trainer"])
    assert attestation in client.get(url).content.decode()


def test_mes_sessions_does_not_offer_a_tutor_to_deploy_a_parcours(client, cast, session):
    client.force_login(cast["tutor"])
    page = client.get(reverse("training:manage_list")).content.decode()
    assert "Les sessions dont vous êtes tuteur" in page
    assert reverse("parcours:offre") not in page.split('id="content"', 1)[-1]


def test_the_tutor_is_shown_the_roll_call_as_next_action_never_attesting_or_closing(
    cast, territory
):
    from preau.training import selectors

    ended = factories.TrainingSessionFactory(
        open=True,
        title="Terminée, à attester",
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"]],
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    to_call = factories.TrainingSessionFactory(
        open=True,
        title="Appel à faire",
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"]],
    )
    factories.MeetingFactory(session=to_call, date=timezone.localdate())

    def actions(user):
        return {s.title: s.next_action_label for s in selectors.trainer_dashboard(user)}

    assert actions(cast["trainer"]) == {ended.title: "Attester", to_call.title: "Faire l’appel"}
    assert actions(cast["tutor"]) == {ended.title: "", to_call.title: "Faire l’appel"}
    mine = {s.title: s.next_action_label for s in selectors.managed_sessions(cast["tutor"])}
    assert mine == {ended.title: "", to_call.title: "Faire l’appel"}
