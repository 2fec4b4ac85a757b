"""The teachers' side of a session: enrolling themselves (window, key, capacity and waiting
list, who may), leaving the waiting list or withdrawing, their session page (what a
participant sees of it, and of the others), their sessions for the home page, and what the
session page costs."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role, User
from preau.training import selectors, services
from preau.training.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    SessionStatus,
    StaffRole,
    TrainingSession,
)
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def offered(territory, **fields) -> TrainingSession:
    """An open session of Caen Nord (Normandie) with self-enrolment, starting in two weeks."""
    fields.setdefault("circonscription", territory["caen"])
    fields.setdefault("start_date", days(14))
    fields.setdefault("self_enrolment", True)
    return factories.TrainingSessionFactory(open=True, **fields)


def enrol_url(session) -> str:
    return reverse("training:enrol", args=[session.pk])


def page_url(session) -> str:
    return reverse("training:participant_session", args=[session.pk])


def leave_url(session) -> str:
    return reverse("training:leave", args=[session.pk])


def enrolment_of(user, session) -> Enrolment | None:
    return Enrolment.objects.filter(user=user, session=session).first()


@pytest.fixture
def teacher(cast):
    return cast["teacher"]


@pytest.fixture
def colleague(territory):
    """Another teacher of Caen Nord."""
    # Names no random name can match: the tests look for them in pages.
    return factories.teacher(
        school=territory["caen_school"], first_name="Prénomtémoin", last_name="Nomtémoin"
    )


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


# Self-enrolment ----------------------------------------------------------------------------


def test_teacher_enrols_in_one_click_and_gets_an_invitation(
    teacher_client, teacher, territory, django_capture_on_commit_callbacks
):
    session = offered(territory, title="Lire au CP")
    factories.MeetingFactory(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        response = teacher_client.post(enrol_url(session), follow=True)

    assert response.redirect_chain == [(page_url(session), 302)]
    enrolment = enrolment_of(teacher, session)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.source == EnrolmentSource.SELF
    assert "Vous êtes inscrit à la session « Lire au CP »." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].attachments[0][0] == "session.ics"


def test_teacher_enrols_in_a_keyed_session_with_its_key(teacher_client, teacher, territory):
    session = offered(territory, enrolment_key="PRINTEMPS")

    response = teacher_client.post(enrol_url(session), {"key": " PRINTEMPS "})

    assert response.status_code == 302
    assert enrolment_of(teacher, session).status == EnrolmentStatus.ENROLLED


@pytest.mark.parametrize(
    ("key", "error"),
    [
        ("AUTOMNE", "Clé d’inscription incorrecte."),
        ("", "Saisissez la clé d’inscription de cette session."),
    ],
)
def test_a_wrong_or_missing_key_is_refused_clearly_and_changes_nothing(
    teacher_client, territory, key, error
):
    session = offered(territory, enrolment_key="PRINTEMPS")

    response = teacher_client.post(enrol_url(session), {"key": key})

    assert response.status_code == 200
    content = response.content.decode()
    assert error in content
    assert "fr-input-group--error" in content
    assert "PRINTEMPS" not in content
    assert not Enrolment.objects.exists()
    assert not mail.outbox


def test_a_full_session_puts_the_teacher_on_its_waiting_list(
    teacher_client, teacher, territory, django_capture_on_commit_callbacks
):
    session = offered(territory, capacity=1, title="Complète")
    factories.EnrolmentFactory(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        response = teacher_client.post(enrol_url(session), follow=True)

    assert enrolment_of(teacher, session).status == EnrolmentStatus.WAITING
    content = response.content.decode()
    assert "La session « Complète » est complète : vous êtes sur sa liste d’attente." in content
    assert "Vous êtes n° 1 sur la liste d’attente" in content
    assert not mail.outbox  # the invitation comes with a place


@pytest.mark.parametrize(
    "fields",
    [
        {"enrolment_opens_on": days(1)},
        {"enrolment_closes_on": days(-1)},
        {"self_enrolment": False},
    ],
    ids=["window not open yet", "window closed", "no self-enrolment"],
)
def test_teacher_cannot_enrol_outside_the_enrolment_window(
    teacher_client, teacher, territory, fields
):
    session = offered(territory, **fields)

    assert teacher_client.post(enrol_url(session)).status_code == 404
    with pytest.raises(
        ValidationError, match="Les inscriptions à cette session ne sont pas ouvertes"
    ):
        services.self_enrol(session=session, user=teacher)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("traits", [{"closed": True}, {"archived": True}, {}])
def test_teacher_cannot_enrol_in_a_closed_archived_or_unopened_session(
    teacher_client, teacher, territory, traits
):
    session = factories.TrainingSessionFactory(
        self_enrolment=True, circonscription=territory["caen"], **traits
    )

    assert teacher_client.post(enrol_url(session)).status_code == 404
    with pytest.raises(ValidationError):
        services.self_enrol(session=session, user=teacher)
    assert not Enrolment.objects.exists()


def test_a_teacher_of_another_academie_is_not_offered_the_session(client, territory):
    session = offered(territory)
    client.force_login(factories.teacher())  # a school elsewhere

    assert client.post(enrol_url(session)).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("member", ["trainer", "ien", "nobody"])
def test_only_teachers_enrol_themselves(client, cast, territory, member):
    session = offered(territory)
    client.force_login(cast[member])

    response = client.post(enrol_url(session))

    if member == "nobody":  # works in no académie: the session is not in their offre
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert "Seuls les professeurs des écoles s’inscrivent eux-mêmes." in (
            response.content.decode()
        )
    with pytest.raises(ValidationError):
        services.self_enrol(session=session, user=cast[member])
    assert not Enrolment.objects.exists()


def test_enrolling_twice_keeps_one_enrolment(teacher_client, teacher, territory):
    session = offered(territory, enrolment_key="PRINTEMPS")

    for _ in range(2):
        response = teacher_client.post(enrol_url(session), {"key": "PRINTEMPS"})
        assert response.status_code == 302
    services.self_enrol(session=session, user=teacher, key="PRINTEMPS")

    assert Enrolment.objects.filter(user=teacher, session=session).count() == 1


def test_enrolling_needs_a_post(teacher_client, territory):
    assert teacher_client.get(enrol_url(offered(territory))).status_code == 405


# Leaving -----------------------------------------------------------------------------------


def test_teacher_withdraws_before_the_start_after_confirming_and_the_first_waiting_gets_the_place(
    teacher_client, teacher, territory, django_capture_on_commit_callbacks
):
    session = offered(territory, capacity=1, title="Lire au CP")
    factories.MeetingFactory(session=session)
    factories.EnrolmentFactory(session=session, user=teacher, source=EnrolmentSource.SELF)
    first = factories.EnrolmentFactory(session=session, waiting=True)
    second = factories.EnrolmentFactory(session=session, waiting=True)

    confirmation = teacher_client.get(leave_url(session))
    assert "Se désinscrire de la session « Lire au CP » ?" in confirmation.content.decode()
    assert enrolment_of(teacher, session)

    with django_capture_on_commit_callbacks(execute=True):
        response = teacher_client.post(leave_url(session), follow=True)

    assert response.redirect_chain == [(reverse("training:offre"), 302)]
    assert "Vous êtes désinscrit de la session « Lire au CP »." in response.content.decode()
    assert enrolment_of(teacher, session) is None
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
    assert [m.to for m in mail.outbox] == [[first.user.email]]
    assert "une place s’est libérée" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == "session.ics"


def test_teacher_leaves_the_waiting_list_even_once_the_session_has_started(
    teacher_client, teacher, territory
):
    session = offered(territory, capacity=1, start_date=days(-3))
    factories.EnrolmentFactory(session=session)
    factories.EnrolmentFactory(session=session, user=teacher, waiting=True)

    assert "Quitter la liste d’attente" in teacher_client.get(leave_url(session)).content.decode()
    teacher_client.post(leave_url(session))

    assert enrolment_of(teacher, session) is None


def test_teacher_cannot_withdraw_once_the_session_has_started(teacher_client, teacher, territory):
    session = offered(territory, start_date=days(0))
    factories.EnrolmentFactory(session=session, user=teacher, source=EnrolmentSource.SELF)

    confirmation = teacher_client.get(leave_url(session)).content.decode()
    assert "vous ne pouvez plus vous désinscrire vous-même" in confirmation
    assert f'action="{leave_url(session)}"' not in confirmation
    assert (
        f'href="{leave_url(session)}"' not in teacher_client.get(page_url(session)).content.decode()
    )

    response = teacher_client.post(leave_url(session), follow=True)

    assert "La session a commencé" in response.content.decode()
    assert enrolment_of(teacher, session)


def test_a_teacher_enrolled_by_a_trainer_asks_the_trainer_to_withdraw(
    teacher_client, teacher, territory
):
    session = offered(territory, start_date=days(10))
    factories.EnrolmentFactory(session=session, user=teacher, source=EnrolmentSource.TRAINER)

    confirmation = teacher_client.get(leave_url(session)).content.decode()
    assert "par son équipe de formation" in confirmation
    assert f'action="{leave_url(session)}"' not in confirmation
    response = teacher_client.post(leave_url(session), follow=True)

    assert "adressez-vous à son formateur" in response.content.decode()
    assert enrolment_of(teacher, session)


def test_an_attested_participant_cannot_leave(teacher, territory):
    session = offered(territory, start_date=days(3))
    enrolment = factories.EnrolmentFactory(session=session, user=teacher, attested=True)

    with pytest.raises(ValidationError):
        services.leave_session(enrolment=enrolment)
    assert enrolment_of(teacher, session)


def test_leaving_a_session_one_is_not_in_is_a_404(teacher_client, territory, colleague):
    session = offered(territory)
    factories.EnrolmentFactory(session=session, user=colleague)

    assert teacher_client.get(leave_url(session)).status_code == 404
    assert teacher_client.post(leave_url(session)).status_code == 404
    assert enrolment_of(colleague, session)


# The participant's session page ----------------------------------------------------------


@pytest.fixture
def running(territory, cast, teacher, colleague):
    """A session that started a week ago: two meetings (one held, where the teacher was
    present), a distance window, content with a trainer note, two trainers; the teacher and
    their colleague enrolled."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        title="Résoudre des problèmes",
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
    )
    held = factories.MeetingFactory(
        session=session, title="Lancement", date=days(-6), place_name="École Jules Ferry"
    )
    factories.MeetingFactory(session=session, title="Classe virtuelle", virtual=True, date=days(7))
    factories.DistanceWindowFactory(session=session, title="Lectures et exercices")
    section = session.content.sections.get()
    factories.ActivityFactory(section=section, title="À lire", body="<p>Un texte à lire.</p>")
    factories.ActivityFactory(section=section, trainer_note=True, title="Note du formateur")
    mine = factories.EnrolmentFactory(session=session, user=teacher)
    factories.EnrolmentFactory(session=session, user=colleague)
    Attendance.objects.create(meeting=held, enrolment=mine, status=AttendanceStatus.PRESENT)
    return session


def test_participant_sees_calendar_attendance_content_and_trainers(teacher_client, running, cast):
    response = teacher_client.get(page_url(running))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Résoudre des problèmes" in content
    assert "Lancement" in content
    assert "École Jules Ferry" in content
    assert "À distance (classe virtuelle)" in content
    assert "Présent" in content
    assert "à venir" in content
    assert "Lectures et exercices" in content
    assert "Un texte à lire." in content
    assert cast["trainer"].get_full_name() in content
    assert "Inscrit" in content


def test_trainer_notes_are_never_shown_to_participants(teacher_client, running):
    content = teacher_client.get(page_url(running)).content.decode()

    assert "Note du formateur" not in content
    assert "Prévoir 20 minutes d’échanges." not in content
    assert "Réservé aux formateurs" not in content


def test_the_content_shown_is_the_session_copy_not_the_source(teacher_client, running):
    source_section = running.source.sections.get()
    factories.ActivityFactory(section=source_section, title="Seulement dans la source")

    assert "Seulement dans la source" not in teacher_client.get(page_url(running)).content.decode()


def test_other_participants_names_are_hidden_by_default_but_their_number_is_given(
    teacher_client, running, colleague
):
    content = teacher_client.get(page_url(running)).content.decode()

    assert colleague.last_name not in content
    assert colleague.first_name not in content
    assert colleague.email not in content
    assert "2 participants inscrits." in content


def test_other_participants_names_are_shown_when_the_trainer_chose_so(
    teacher_client, running, colleague
):
    running.show_participant_names = True
    running.save(update_fields=["show_participant_names"])

    content = teacher_client.get(page_url(running)).content.decode()

    assert f"{colleague.first_name} {colleague.last_name}" in content
    assert colleague.email not in content


@pytest.mark.parametrize("member", ["colleague_teacher", "trainer", "ien", "nobody"])
def test_people_not_enrolled_get_a_404_like_a_session_that_does_not_exist(
    client, running, cast, territory, member
):
    person = (
        factories.teacher(school=territory["caen_school"])
        if member == "colleague_teacher"
        else cast[member]
    )
    client.force_login(person)

    assert client.get(page_url(running)).status_code == 404
    assert client.get(reverse("training:participant_session", args=[999999])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, running):
    response = client.get(page_url(running))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_waiting_teacher_sees_their_rank_and_the_calendar_but_not_the_content(
    client, territory, running
):
    running.capacity = 2
    running.save(update_fields=["capacity"])
    first, second = factories.teacher(), factories.teacher()
    factories.EnrolmentFactory(session=running, user=first, waiting=True)
    factories.EnrolmentFactory(session=running, user=second, waiting=True)
    client.force_login(second)

    content = client.get(page_url(running)).content.decode()

    assert "Vous êtes n° 2 sur la liste d’attente" in content
    assert "Lancement" in content
    assert "Un texte à lire." not in content
    assert "Quitter la liste d’attente" in content


def test_a_session_in_preparation_shows_its_calendar_not_yet_its_content(
    teacher_client, teacher, territory
):
    session = factories.TrainingSessionFactory(circonscription=territory["caen"])
    factories.EnrolmentFactory(session=session, user=teacher)

    content = teacher_client.get(page_url(session)).content.decode()

    assert "La session n’est pas encore ouverte" in content
    assert "Lisez ce document avant la séance." not in content


def test_an_archived_session_stays_readable_by_its_participants(teacher_client, teacher, territory):
    session = factories.TrainingSessionFactory(archived=True, circonscription=territory["caen"])
    factories.EnrolmentFactory(session=session, user=teacher, attested=True)

    response = teacher_client.get(page_url(session))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Session archivée" in content
    assert "Lisez ce document avant la séance." in content  # the factory's page activity


def test_the_certificate_link_appears_for_attested_participants_only(
    client, running, teacher, colleague
):
    Enrolment.objects.filter(user=teacher).update(
        completed_at=timezone.now(), certificate_code="CODE-TEST-1234"
    )
    # The certificate is the attested enrolment's (training:certificate takes its pk).
    certificate = reverse("training:certificate", args=[enrolment_of(teacher, running).pk])
    colleague_certificate = reverse(
        "training:certificate", args=[enrolment_of(colleague, running).pk]
    )

    client.force_login(teacher)
    attested = client.get(page_url(running)).content.decode()
    client.force_login(colleague)
    not_attested = client.get(page_url(running)).content.decode()

    assert f'href="{certificate}"' in attested
    assert "Vous avez terminé cette session" in attested
    assert "Terminé" in attested
    assert "training:certificate" not in not_attested
    assert colleague_certificate not in not_attested
    assert "/attestation.pdf" not in not_attested
    assert "Vous avez terminé cette session" not in not_attested
    client.force_login(teacher)
    assert client.get(certificate)["Content-Type"] == "application/pdf"


def test_the_certificate_link_is_on_the_teachers_sessions_when_attested(
    teacher_client, teacher, running
):
    attested = factories.TrainingSessionFactory(closed=True, title="Attestée")
    enrolment = factories.EnrolmentFactory(session=attested, user=teacher, attested=True)

    content = teacher_client.get(reverse("training:my_sessions")).content.decode()

    assert content.count("/attestation.pdf") == 1
    assert reverse("training:certificate", args=[enrolment.pk]) in content


def test_participant_downloads_the_files_of_the_session_content(
    teacher_client, teacher, running, colleague, client
):
    activity = factories.ActivityFactory(section=running.content.sections.get(), with_file=True)
    file_url = reverse("parcours:activity_file", args=[activity.pk, "file"])

    assert file_url in teacher_client.get(page_url(running)).content.decode()
    response = teacher_client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_files_of_a_session_are_not_served_to_people_outside_it(client, running, territory):
    activity = factories.ActivityFactory(section=running.content.sections.get(), with_file=True)
    file_url = reverse("parcours:activity_file", args=[activity.pk, "file"])
    waiting = factories.teacher()
    factories.EnrolmentFactory(session=running, user=waiting, waiting=True)

    for person in (factories.teacher(school=territory["caen_school"]), waiting):
        client.force_login(person)
        assert client.get(file_url).status_code == 404


@pytest.mark.parametrize("show_names", [False, True], ids=["names hidden", "names shown"])
def test_session_page_costs_eleven_queries_with_10_or_300_participants(
    teacher_client, teacher, territory, cast, count_queries, show_names
):
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        show_participant_names=show_names,
    )
    meetings = factories.MeetingFactory.create_batch(3, session=session)
    factories.DistanceWindowFactory.create_batch(2, session=session)
    mine = factories.EnrolmentFactory(session=session, user=teacher)
    Attendance.objects.create(meeting=meetings[0], enrolment=mine, status="present")

    queries = [
        SESSION,
        USER,
        "the teacher's enrolment, with the session, its source's matricule, its owner's name",
        "roles of the user (navigation, in the header)",
        "unread notifications of the person (the bell in the header)",
        "meetings, with the teacher's own attendance",
        "distance windows",
        "trainers and tutors, with their names",
        "participants: their number, or their names when the trainer shows them",
        "the teacher's own new forum posts (their unread markers)",
        "sections of the content copy",
        "their activities, trainer notes left out",
        "the steps the teacher ticked (« 2 étapes sur 3 »)",
    ]
    for total in (10, 300):
        people = factories.teachers_at(
            territory["bayeux_school"], total - session.enrolments.count()
        )
        Enrolment.objects.bulk_create(Enrolment(session=session, user=p) for p in people)
        User.objects.filter(pk=people[0].pk).update(last_name=f"Nomtémoin{total}")
        with count_queries() as ran:
            response = teacher_client.get(page_url(session))
        assert response.status_code == 200
        assert (f"Nomtémoin{total}" in response.content.decode()) == show_names
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{total} participants: {len(ran)} queries instead of {len(queries)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )


# The teacher's sessions, for the home page ---------------------------------------------------


def test_teacher_sessions_are_split_in_progress_upcoming_and_completed(teacher, territory, cast):
    caen = territory["caen"]
    running = factories.TrainingSessionFactory(open=True, circonscription=caen, title="En cours")
    soon = factories.TrainingSessionFactory(circonscription=caen, title="Bientôt")
    later = factories.TrainingSessionFactory(
        circonscription=caen, title="Plus tard", start_date=days(60)
    )
    attested_running = factories.TrainingSessionFactory(
        open=True, circonscription=caen, title="Attestée en cours"
    )
    closed = factories.TrainingSessionFactory(closed=True, circonscription=caen, title="Close")
    waited_over = factories.TrainingSessionFactory(closed=True, circonscription=caen, title="Ratée")
    waiting_soon = factories.TrainingSessionFactory(circonscription=caen, title="En attente")
    factories.TrainingSessionFactory(open=True, circonscription=caen, title="Pas la mienne")
    for session in (running, soon, later, closed):
        factories.EnrolmentFactory(session=session, user=teacher)
    factories.EnrolmentFactory(session=attested_running, user=teacher, attested=True)
    factories.EnrolmentFactory(session=waited_over, user=teacher, waiting=True)
    factories.EnrolmentFactory(session=waiting_soon, user=teacher, waiting=True)
    factories.MeetingFactory(session=soon, date=soon.start_date + datetime.timedelta(days=2))

    mine = selectors.teacher_sessions(teacher)

    def names(enrolments):
        return [e.session.title for e in enrolments]

    assert names(mine.in_progress) == ["En cours"]
    assert names(mine.upcoming) == ["Bientôt", "En attente", "Plus tard"]
    assert names(mine.completed) == ["Attestée en cours", "Close"]
    assert [e.is_attested for e in mine.completed] == [True, False]
    assert mine.upcoming[0].next_meeting_on == soon.start_date + datetime.timedelta(days=2)
    assert mine.upcoming[1].status == EnrolmentStatus.WAITING


def test_teacher_sessions_cost_one_query(teacher, territory, django_assert_num_queries):
    for _ in range(5):
        factories.EnrolmentFactory(
            session=factories.TrainingSessionFactory(open=True), user=teacher
        )

    with django_assert_num_queries(1):
        mine = selectors.teacher_sessions(teacher)
        assert len(mine.in_progress) == 5
        assert all(e.session.title for e in mine.in_progress)


def test_my_sessions_page_lists_them_with_their_links(teacher_client, teacher, territory):
    session = factories.TrainingSessionFactory(open=True, title="Ma session")
    factories.EnrolmentFactory(session=session, user=teacher)

    content = teacher_client.get(reverse("training:my_sessions")).content.decode()

    assert "Ma session" in content
    assert page_url(session) in content
    assert "En cours" in content


def test_credited_hours_add_up_the_attested_sessions_of_the_school_year(teacher):
    today = datetime.date(2027, 3, 15)

    def attested(end, presence, distance):
        session = factories.TrainingSessionFactory(
            closed=True,
            start_date=end - datetime.timedelta(days=20),
            end_date=end,
            presence_hours=Decimal(presence),
            distance_hours=Decimal(distance),
        )
        factories.EnrolmentFactory(session=session, user=teacher, attested=True)

    attested(datetime.date(2026, 10, 1), 3, 3)
    attested(datetime.date(2027, 2, 1), 1, 2)
    attested(datetime.date(2026, 6, 1), 6, 0)  # last school year
    factories.EnrolmentFactory(
        session=factories.TrainingSessionFactory(
            closed=True, start_date=datetime.date(2026, 11, 1), end_date=datetime.date(2026, 11, 20)
        ),
        user=teacher,
    )  # not attested

    assert selectors.credited_hours(teacher, today) == {
        "presence": Decimal(4),
        "distance": Decimal(5),
        "total": Decimal(9),
    }


def test_upcoming_events_of_a_participant_and_of_a_trainer(teacher, cast, territory):
    trainer = cast["trainer"]
    session = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    factories.SessionStaffFactory(session=session, user=trainer, role=StaffRole.TRAINER)
    factories.EnrolmentFactory(session=session, user=teacher)
    past = factories.MeetingFactory(session=session, date=days(-1), title="Passée")
    later = factories.MeetingFactory(session=session, date=days(10), title="Deuxième")
    sooner = factories.MeetingFactory(session=session, date=days(2), title="Première")
    factories.DistanceWindowFactory(
        session=session, starts_on=days(-3), ends_on=days(5), title="Lectures"
    )
    waiting = factories.TrainingSessionFactory(open=True, capacity=1)
    factories.EnrolmentFactory(session=waiting)
    factories.EnrolmentFactory(session=waiting, user=teacher, waiting=True)
    factories.MeetingFactory(session=waiting, date=days(3), title="Pas encore la mienne")
    assert past

    events = selectors.upcoming_events(teacher)

    assert [(e.kind, e.title) for e in events] == [
        ("distance", "Lectures"),
        ("meeting", "Première"),
        ("meeting", "Deuxième"),
    ]
    assert not any(e.as_staff for e in events)
    assert events[1].starts_on == sooner.date and later
    assert [e.as_staff for e in selectors.upcoming_events(trainer)] == [True, True, True]
    assert len(selectors.upcoming_events(teacher, limit=2)) == 2


def test_upcoming_events_say_where_and_when(teacher, territory):
    session = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], title="Fluence"
    )
    factories.EnrolmentFactory(session=session, user=teacher)
    factories.MeetingFactory(
        session=session,
        date=days(4),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        title="Lancement",
        place_name="École Freinet",
        address="2 rue Haute",
    )
    factories.MeetingFactory(session=session, date=days(4), virtual=True, title="Suite")
    factories.DistanceWindowFactory(
        session=session, starts_on=days(4), ends_on=days(9), title="Lectures"
    )

    window, meeting, virtual = selectors.upcoming_events(teacher)

    # A window has no time: on its first day it comes before that day's meetings.
    assert window == selectors.CalendarEvent(
        kind="distance",
        session_id=session.pk,
        session_title="Fluence",
        title="Lectures",
        starts_on=days(4),
        ends_on=days(9),
        start_time=None,
        end_time=None,
        place="",
        remote=True,
        as_staff=False,
    )
    assert meeting == selectors.CalendarEvent(
        kind="meeting",
        session_id=session.pk,
        session_title="Fluence",
        title="Lancement",
        starts_on=days(4),
        ends_on=days(4),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place="École Freinet, 2 rue Haute",
        remote=False,
        as_staff=False,
    )
    assert (virtual.title, virtual.remote, virtual.place) == ("Suite", True, "À distance")


def test_upcoming_events_cost_one_query(teacher, django_assert_num_queries):
    for _ in range(4):
        session = factories.TrainingSessionFactory(open=True)
        factories.EnrolmentFactory(session=session, user=teacher)
        factories.MeetingFactory.create_batch(2, session=session, date=days(3))
        factories.DistanceWindowFactory(session=session)

    with django_assert_num_queries(1):  # meetings and windows in one UNION ALL
        assert len(selectors.upcoming_events(teacher, limit=20)) == 12


def test_self_enrol_of_a_teacher_role_only(territory):
    """A person with both a teacher role and another keeps the right to enrol themself."""
    person = factories.teacher(school=territory["caen_school"])
    factories.with_role(Role.TUTOR, user=person, circonscription=territory["caen"])
    session = offered(territory)

    assert services.self_enrol(session=session, user=person).status == EnrolmentStatus.ENROLLED
    assert session.status == SessionStatus.OPEN
