"""Once closed, nothing of a session changes any more, and archived likewise: attendance,
meetings, distance windows, content, team, enrolments, settings, attestations. Every write
service is refused on a closed and on an archived session with a French ValidationError and
leaves the session exactly as it was; the pages offer none of these actions; an HR import
skips such a session. The clock is frozen on Thursday 10 December 2026 in Paris."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.accounts.models import Role
from preau.hours.models import Entry
from preau.parcours import services as parcours_services
from preau.parcours.models import Activity, Section
from preau.training import services
from preau.training.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    SessionEvent,
    SessionStatus,
    StaffRole,
)
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # stopped at NOW

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def build(territory, cast, status: str) -> dict:
    """A session that ran (meeting on 30 November, distance work until 5 December), with two
    trainers, content, Anne attested, Bruno not, Chloé waiting; then closed, or archived."""
    trainer = cast["trainer"]
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[trainer, colleague],
        start_date=day(-10),
        end_date=day(-5),
        capacity=3,
    )
    meeting = factories.MeetingFactory(session=session, date=day(-10))
    window = factories.DistanceWindowFactory(session=session, starts_on=day(-9), ends_on=day(-5))
    section = factories.SectionFactory(parcours=session.content, title="Lire")
    first = factories.ActivityFactory(section=section)
    factories.ActivityFactory(section=section)
    anne = factories.EnrolmentFactory(session=session, user__first_name="Anne")
    bruno = factories.EnrolmentFactory(session=session, user__first_name="Bruno")
    chloe = factories.EnrolmentFactory(session=session, waiting=True, user__first_name="Chloé")
    services.record_attendance(
        meeting=meeting,
        by=trainer,
        statuses={anne.pk: AttendanceStatus.PRESENT, bruno.pk: AttendanceStatus.ABSENT},
    )
    services.attest(session=session, by=trainer, enrolment_ids=[anne.pk])
    services.close_session(session=session, by=trainer)
    if status == SessionStatus.ARCHIVED:
        services.archive_session(session=session, by=trainer)
    session.refresh_from_db()
    newcomer = factories.teacher(school=territory["caen_school"])
    return {
        "session": session,
        "trainer": trainer,
        "colleague": colleague,
        "meeting": meeting,
        "window": window,
        "section": section,
        "activity": first,
        "anne": Enrolment.objects.get(pk=anne.pk),
        "bruno": Enrolment.objects.get(pk=bruno.pk),
        "chloe": Enrolment.objects.get(pk=chloe.pk),
        "newcomer": newcomer,
        "tutor": cast["tutor"],
    }


def snapshot(session) -> dict:
    """Everything of the session a write could change."""
    session.refresh_from_db()
    return {
        "session": (
            session.status,
            session.title,
            session.start_date,
            session.end_date,
            session.capacity,
            session.self_enrolment,
        ),
        "meetings": list(session.meetings.values_list("pk", "date", "start_time", "title")),
        "windows": list(session.distance_windows.values_list("pk", "starts_on", "ends_on")),
        "staff": sorted(session.staff.values_list("user_id", "role")),
        "enrolments": sorted(
            session.enrolments.values_list("user_id", "status", "completed_at", "certificate_code")
        ),
        "attendance": sorted(
            Attendance.objects.filter(meeting__session=session).values_list(
                "meeting_id", "enrolment_id", "status"
            )
        ),
        "sections": list(
            Section.objects.filter(parcours=session.content_id).values_list(
                "pk", "title", "position"
            )
        ),
        "activities": list(
            Activity.objects.filter(section__parcours=session.content_id).values_list(
                "pk", "title", "position"
            )
        ),
        "hours": Entry.objects.filter(session=session).count(),
        "history": SessionEvent.objects.filter(session=session).count(),
    }


T = datetime.time
WRITES = {
    "update_session": lambda o: services.update_session(
        session=o["session"], by=o["trainer"], title="Autre titre"
    ),
    "update_session (more places)": lambda o: services.update_session(
        session=o["session"], by=o["trainer"], capacity=10
    ),
    "add_staff": lambda o: services.add_staff(
        session=o["session"], user=o["tutor"], role=StaffRole.TUTOR
    ),
    "remove_staff": lambda o: services.remove_staff(session=o["session"], user=o["colleague"]),
    "add_meeting": lambda o: services.add_meeting(
        session=o["session"], date=day(1), start_time=T(9), end_time=T(12), remote=True
    ),
    "update_meeting": lambda o: services.update_meeting(meeting=o["meeting"], title="Changée"),
    "delete_meeting": lambda o: services.delete_meeting(meeting=o["meeting"]),
    "add_distance_window": lambda o: services.add_distance_window(
        session=o["session"], starts_on=day(1), ends_on=day(5)
    ),
    "update_distance_window": lambda o: services.update_distance_window(
        window=o["window"], ends_on=day(2)
    ),
    "delete_distance_window": lambda o: services.delete_distance_window(window=o["window"]),
    "record_attendance": lambda o: services.record_attendance(
        meeting=o["meeting"],
        by=o["trainer"],
        statuses={o["bruno"].pk: AttendanceStatus.PRESENT},
    ),
    "mark_all_present": lambda o: services.mark_all_present(meeting=o["meeting"], by=o["trainer"]),
    "enrol": lambda o: services.enrol(session=o["session"], user=o["newcomer"]),
    "self_enrol": lambda o: services.self_enrol(session=o["session"], user=o["newcomer"]),
    "confirm_enrolment": lambda o: services.confirm_enrolment(
        session=o["session"], lines=[(o["newcomer"].email, "")]
    ),
    "unenrol": lambda o: services.unenrol(enrolment=o["bruno"]),
    "unenrol (waiting list)": lambda o: services.unenrol(enrolment=o["chloe"]),
    "leave_session": lambda o: services.leave_session(enrolment=o["chloe"]),
    "attest": lambda o: services.attest(
        session=o["session"], by=o["trainer"], enrolment_ids=[o["bruno"].pk], reason="Rattrapage"
    ),
    "withdraw_attestation": lambda o: services.withdraw_attestation(
        enrolment=o["anne"], by=o["trainer"]
    ),
    "open_session": lambda o: services.open_session(session=o["session"], by=o["trainer"]),
    "close_session": lambda o: services.close_session(
        session=o["session"], by=o["trainer"], before_end_confirmed=True
    ),
    "content: check_content_adaptable": lambda o: services.check_content_adaptable(o["session"]),
    "content: add_section": lambda o: parcours_services.add_section(
        parcours=o["session"].content, title="Nouvelle"
    ),
    "content: rename_section": lambda o: parcours_services.rename_section(
        section=Section.objects.get(pk=o["section"].pk), title="Autre"
    ),
    "content: delete_section": lambda o: parcours_services.delete_section(
        section=Section.objects.get(pk=o["section"].pk)
    ),
    "content: move an activity": lambda o: parcours_services.move(
        item=Activity.objects.get(pk=o["activity"].pk), direction=1
    ),
    "content: delete_activity": lambda o: parcours_services.delete_activity(
        activity=Activity.objects.get(pk=o["activity"].pk)
    ),
}


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_is_refused_and_changes_nothing(territory, cast, status, write):
    objects = build(territory, cast, status)
    before = snapshot(objects["session"])

    with pytest.raises(ValidationError) as refused:
        WRITES[write](objects)

    assert refused.value.messages and all(refused.value.messages)
    assert snapshot(objects["session"]) == before


@pytest.mark.parametrize(
    ("status", "word"), [(SessionStatus.CLOSED, "close"), (SessionStatus.ARCHIVED, "archivée")]
)
def test_the_refusal_says_in_french_why(territory, cast, status, word):
    objects = build(territory, cast, status)

    with pytest.raises(ValidationError) as refused:
        WRITES["add_meeting"](objects)

    assert refused.value.messages == [
        f"Cette session est {word} : elle ne peut plus être modifiée."
    ]


def test_a_session_closed_after_it_was_read_is_refused_all_the_same(territory, cast):
    """The services read the session's state afresh, under lock: an object loaded before the
    closing (another tab, a slow request) cannot slip a write in."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        start_date=day(-3),
        end_date=day(-1),
        trainers=[cast["trainer"]],
    )
    meeting = factories.MeetingFactory(session=session, date=day(-2))
    enrolment = factories.EnrolmentFactory(session=session)
    stale = Enrolment.objects.select_related("session").get(pk=enrolment.pk)
    stale_meeting = type(meeting).objects.select_related("session").get(pk=meeting.pk)
    services.close_session(session=session, by=cast["trainer"])

    assert stale.session.status == SessionStatus.OPEN  # still says open
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=stale_meeting,
            by=cast["trainer"],
            statuses={enrolment.pk: AttendanceStatus.PRESENT},
        )
    with pytest.raises(ValidationError):
        services.add_meeting(
            session=stale.session, date=day(-1), start_time=T(9), end_time=T(10), remote=True
        )
    assert not Attendance.objects.exists() and session.meetings.count() == 1


def test_archiving_a_closed_session_is_the_one_change_it_takes(territory, cast):
    objects = build(territory, cast, SessionStatus.CLOSED)

    services.archive_session(session=objects["session"], by=cast["trainer"])

    objects["session"].refresh_from_db()
    assert objects["session"].status == SessionStatus.ARCHIVED


# HR imports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_an_hr_import_skips_a_closed_session_without_failing(territory, cast, status):
    objects = build(territory, cast, status)
    before = snapshot(objects["session"])

    result = services.enrol_from_hr(session=objects["session"], user_ids=[objects["newcomer"].pk])

    assert result == (0, 0)
    assert snapshot(objects["session"]) == before


# Pages: no action offered, and none taken -----------------------------------------------------


@pytest.fixture
def closed(territory, cast):
    return build(territory, cast, SessionStatus.CLOSED)


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


def test_closed_session_page_offers_no_change(trainer_client, closed):
    session = closed["session"]

    page = trainer_client.get(reverse("training:manage", args=[session.pk])).content.decode()

    assert "Session close : elle se consulte mais ne se modifie plus" in page
    for action in (
        "Ajouter une réunion",
        "Ajouter une période à distance",
        "Ajouter à l’équipe",
        "Inscrire des participants",
        "Désinscrire",
        "Adapter le contenu de la session",
        "Modifier les dates et les paramètres",
        reverse("training:manage_meeting_edit", args=[closed["meeting"].pk]),
        reverse("training:manage_meeting_delete", args=[closed["meeting"].pk]),
        reverse("training:manage_window_edit", args=[closed["window"].pk]),
        reverse("training:manage_staff_remove", args=[session.staff.first().pk]),
        reverse("training:manage_unenrol", args=[closed["chloe"].pk]),
    ):
        assert action not in page, action
    # What may still be done: read the roll call and the signing sheet, archive.
    assert reverse("training:attendance", args=[closed["meeting"].pk]) in page
    assert reverse("training:manage_archive", args=[session.pk]) in page


def test_closed_roll_call_and_attestation_pages_offer_no_change(trainer_client, closed):
    roll = trainer_client.get(reverse("training:attendance", args=[closed["meeting"].pk]))
    attestation = trainer_client.get(reverse("training:attestation", args=[closed["session"].pk]))

    roll, attestation = roll.content.decode(), attestation.content.decode()
    assert "Cette session est close : les présences ne peuvent plus changer." in roll
    assert "Tous présents" not in roll and "Enregistrer les présences" not in roll
    assert roll.count("disabled") == 2 * 3
    assert "La session est close : l’attestation ne peut plus changer." in attestation
    assert "Attester" not in attestation.split("</h1>", 1)[1].split("Terminé")[0].replace(
        "Attester les participants", ""
    )
    assert "Retirer" not in attestation and 'name="reason"' not in attestation


def test_closed_session_posts_are_refused_and_change_nothing(trainer_client, closed):
    session, meeting = closed["session"], closed["meeting"]
    before = snapshot(session)
    url = reverse
    bruno, chloe, tutor = closed["bruno"].pk, closed["chloe"].pk, closed["tutor"]
    section, activity = closed["section"].pk, closed["activity"].pk
    colleague = session.staff.get(user=closed["colleague"]).pk
    posts = [
        (url("training:attendance", args=[meeting.pk]), {f"status-{bruno}": "present"}),
        (url("training:attendance_all_present", args=[meeting.pk]), {}),
        (
            url("training:manage_meeting_add", args=[session.pk]),
            {"date": day(1), "start_time": "09:00", "end_time": "12:00", "remote": "on"},
        ),
        (url("training:manage_meeting_edit", args=[meeting.pk]), {"title": "X"}),
        (url("training:manage_meeting_delete", args=[meeting.pk]), {}),
        (
            url("training:manage_window_add", args=[session.pk]),
            {"starts_on": day(1), "ends_on": day(2)},
        ),
        (url("training:manage_window_delete", args=[closed["window"].pk]), {}),
        (url("training:manage_settings", args=[session.pk]), {"title": "Autre"}),
        (
            url("training:manage_staff_add", args=[session.pk]),
            {"email": tutor.email, "role": "tutor"},
        ),
        (url("training:manage_staff_remove", args=[colleague]), {}),
        (url("training:manage_unenrol", args=[bruno]), {}),
        (url("training:manage_unenrol", args=[chloe]), {}),
        (url("training:manage_enrol", args=[session.pk]), {"emails": closed["newcomer"].email}),
        (url("training:withdraw_attestation", args=[closed["anne"].pk]), {}),
        (url("training:attestation", args=[session.pk]), {"one": bruno, "reason": "x"}),
        (url("training:manage_section_add", args=[session.pk]), {"title": "Nouvelle"}),
        (url("training:manage_section_rename", args=[section]), {"title": "Autre"}),
        (url("training:manage_section_delete", args=[section]), {}),
        (url("training:manage_activity_delete", args=[activity]), {}),
        (url("training:manage_activity_move", args=[activity]), {"direction": "down"}),
    ]

    for address, data in posts:
        response = trainer_client.post(address, data)
        assert response.status_code in (302, 200), address

    assert snapshot(session) == before


def test_the_content_editor_of_a_closed_session_sends_back_to_the_session(trainer_client, closed):
    session = closed["session"]

    response = trainer_client.get(
        reverse("training:manage_content", args=[session.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("training:manage", args=[session.pk])
    assert "son contenu ne peut plus être adapté" in response.content.decode()


def test_an_open_session_still_takes_every_change(territory, cast):
    """The guard refuses closed and archived sessions only: the same writes on an open one."""
    session = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    meeting = services.add_meeting(
        session=session, date=day(0), start_time=T(9), end_time=T(12), remote=True
    )
    enrolment = services.enrol(session=session, user=factories.teacher())
    services.record_attendance(
        meeting=meeting, by=cast["trainer"], statuses={enrolment.pk: AttendanceStatus.EXCUSED}
    )
    services.update_session(session=session, by=cast["trainer"], title="Nouveau titre")
    parcours_services.add_section(parcours=session.content, title="Ajoutée")

    session.refresh_from_db()
    assert session.title == "Nouveau titre"
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert Attendance.objects.get().status == AttendanceStatus.EXCUSED


# The admin -----------------------------------------------------------------------------------


def test_the_admin_shows_a_closed_session_and_its_enrolments_read_only(admin_client, closed):
    session, bruno = closed["session"], closed["bruno"]
    before = snapshot(session)
    session_url = reverse("admin:training_trainingsession_change", args=[session.pk])
    enrolment_url = reverse("admin:training_enrolment_change", args=[bruno.pk])

    page = admin_client.get(session_url).content.decode()
    refused = admin_client.post(session_url, {"title": "Autre titre", "status": "open"})
    deleted = admin_client.post(
        reverse("admin:training_enrolment_delete", args=[bruno.pk]), {"post": "yes"}
    )

    assert 'name="_save"' not in page and 'name="title"' not in page
    assert admin_client.get(enrolment_url).status_code == 200
    assert refused.status_code == 403 and deleted.status_code == 403
    assert snapshot(session) == before


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_the_admin_shows_a_closed_sessions_content_read_only(admin_client, territory, cast, status):
    """The sections and activities of the session's copy of its parcours: no form to save, a
    posted change or deletion refused (403), as for the session itself. (The copy itself is
    not listed among the parcours of the admin: its page answers « n'existe pas ».)"""
    built = build(territory, cast, status)
    session, section, activity = built["session"], built["section"], built["activity"]
    before = snapshot(session)
    pages = {
        "section": reverse("admin:parcours_section_change", args=[section.pk]),
        "activity": reverse("admin:parcours_activity_change", args=[activity.pk]),
    }
    copy_page = reverse("admin:parcours_parcours_change", args=[session.content_id])

    for name, url in pages.items():
        page = admin_client.get(url)
        assert page.status_code == 200, name
        assert 'name="_save"' not in page.content.decode(), name
        assert admin_client.post(url, {"title": "Réécrit"}).status_code == 403, name
    for url in (
        reverse("admin:parcours_section_delete", args=[section.pk]),
        reverse("admin:parcours_activity_delete", args=[activity.pk]),
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403, url
    assert admin_client.get(copy_page).status_code == 302
    assert admin_client.post(copy_page, {"title": "Réécrit"}).status_code == 302
    assert snapshot(session) == before


def test_the_admin_adds_no_activity_nor_enrolment_to_a_closed_session(admin_client, closed):
    session, section = closed["session"], closed["section"]
    before = snapshot(session)

    activity_added = admin_client.post(
        reverse("admin:parcours_activity_add"),
        {"section": section.pk, "kind": "page", "title": "Ajoutée", "position": 9},
    )
    enrolled = admin_client.post(
        reverse("admin:training_enrolment_add"),
        {
            "user": closed["newcomer"].pk,
            "session": session.pk,
            "status": EnrolmentStatus.ENROLLED,
            "source": "trainer",
        },
    )

    for response in (activity_added, enrolled):
        assert response.status_code == 200  # the form again, with the reason
        errors = response.context["adminform"].form.non_field_errors()
        assert errors == ["Cette session est close ou archivée : elle ne change plus."]
    assert snapshot(session) == before


def test_the_admin_still_edits_the_content_of_an_open_session(admin_client, territory):
    session = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    section = factories.SectionFactory(parcours=session.content, title="Lire")

    page = admin_client.get(reverse("admin:parcours_section_change", args=[section.pk]))

    assert 'name="_save"' in page.content.decode()


def test_the_admin_still_edits_an_open_session(admin_client, territory):
    session = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])

    page = admin_client.get(
        reverse("admin:training_trainingsession_change", args=[session.pk])
    ).content.decode()

    assert 'name="_save"' in page and 'name="title"' in page


def test_a_participant_is_not_told_a_meeting_of_a_closed_session_is_to_come(
    client, territory, cast
):
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        start_date=day(-5),
        end_date=day(10),
        trainers=[cast["trainer"]],
    )
    factories.MeetingFactory(session=session, date=day(3), title="Bilan")
    enrolment = factories.EnrolmentFactory(session=session, user=cast["teacher"])
    url = reverse("training:participant_session", args=[enrolment.session_id])
    client.force_login(cast["teacher"])
    assert "à venir" in client.get(url).content.decode()

    services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)

    page = client.get(url).content.decode()
    assert "session close avant cette réunion" in page and "à venir" not in page
