"""The organisers' pages of a session, end to end through HTTP: creation from a parcours, the
session page, team, calendar, settings, opening, closing and archiving, "Mes sessions"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role
from preau.training.models import (
    DistanceWindow,
    Meeting,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
)
from tests import factories

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def url(name: str, *args) -> str:
    return reverse(f"training:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def parcours(territory):
    return factories.ParcoursFactory(
        published=True, academie=territory["academie"], title="Résoudre des problèmes"
    )


@pytest.fixture
def session(territory, cast, parcours):
    """A session in preparation of Caen Nord, run by the cast's trainer and tutor."""
    return factories.TrainingSessionFactory(
        source=parcours,
        title="Problèmes au cycle 2",
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
    )


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


# Creation from a parcours ---------------------------------------------------------------------


def test_parcours_page_offers_organisers_to_deploy_a_published_parcours(client, cast, parcours):
    client.force_login(cast["trainer"])
    response = client.get(reverse("parcours:detail", args=[parcours.pk]))
    assert "Déployer en session" in response.content.decode()
    assert url("manage_create", parcours.pk) in response.content.decode()


def test_parcours_page_offers_no_deployment_to_a_teacher_nor_for_a_draft(
    client, cast, territory, parcours
):
    draft = factories.ParcoursFactory(
        complete=True, academie=territory["academie"], designers=[cast["designer"]]
    )
    with_trainer_role = factories.with_role(
        Role.TRAINER, user=cast["designer"], circonscription=territory["caen"]
    )
    client.force_login(with_trainer_role)
    assert (
        "Déployer en session"
        not in client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    )

    client.force_login(cast["teacher"])
    module = factories.ParcoursFactory(open_access_module=True)
    response = client.get(reverse("parcours:detail", args=[module.pk]))
    assert response.status_code == 200
    assert "Déployer en session" not in response.content.decode()


def test_trainer_creates_a_session_of_their_circonscription(
    trainer_client, cast, territory, parcours
):
    response = trainer_client.get(url("manage_create", parcours.pk))
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == parcours.title
    owner = response.context["form"].fields["owner"]
    assert owner.choices == [("Circonscriptions", [(f"c{territory['caen'].pk}", "Caen Nord")])]

    response = trainer_client.post(
        url("manage_create", parcours.pk),
        {
            "title": "Problèmes — Caen Nord",
            "owner": f"c{territory['caen'].pk}",
            "start_date": days(10).isoformat(),
            "end_date": days(40).isoformat(),
            "capacity": "25",
        },
    )

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response.url == url("manage", session.pk)
    assert session.title == "Problèmes — Caen Nord"
    assert session.status == SessionStatus.PREPARATION
    assert (session.circonscription, session.departement) == (
        territory["caen"],
        territory["calvados"],
    )
    assert session.capacity == 25
    assert session.content.status == "session_copy"
    assert session.content.pk != parcours.pk
    assert list(session.staff.values_list("user", "role")) == [
        (cast["trainer"].pk, StaffRole.TRAINER)
    ]


def test_pilot_creates_a_session_owned_by_their_departement(client, cast, territory, parcours):
    client.force_login(cast["pilot"])
    response = client.post(
        url("manage_create", parcours.pk),
        {
            "title": parcours.title,
            "owner": f"d{territory['calvados'].pk}",
            "start_date": days(1).isoformat(),
            "end_date": days(1).isoformat(),
        },
    )

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert (session.circonscription, session.departement) == (None, territory["calvados"])
    assert session.capacity is None
    assert not session.staff.exists()  # a pilot organises; trainers are added afterwards


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"title": "  "}, "Donnez un titre à la session."),
        ({"end_date": days(1).isoformat()}, "La fin de la session précède son début."),
        ({"start_date": "31/02/2026"}, "Saisissez une date valide."),
        ({"capacity": "0"}, "Au moins une place"),
        ({"capacity": "99999999999"}, "100 000 places au plus"),
        ({"owner": "c999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_session_creation_refuses_bad_input(trainer_client, territory, parcours, change, error):
    data = {
        "title": "Session",
        "owner": f"c{territory['caen'].pk}",
        "start_date": days(5).isoformat(),
        "end_date": days(9).isoformat(),
        **change,
    }
    response = trainer_client.post(url("manage_create", parcours.pk), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_trainer_cannot_create_a_session_for_a_circonscription_not_theirs(
    trainer_client, territory, parcours
):
    response = trainer_client.post(
        url("manage_create", parcours.pk),
        {
            "title": "Session",
            "owner": f"c{territory['bayeux'].pk}",
            "start_date": days(5).isoformat(),
            "end_date": days(9).isoformat(),
        },
    )
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_only_organisers_deploy_and_only_published_parcours_of_their_offre(client, cast, territory):
    draft = factories.ParcoursFactory(complete=True, academie=territory["academie"])
    other_academie = factories.ParcoursFactory(published=True, academie=factories.AcademieFactory())
    published = factories.ParcoursFactory(published=True, academie=territory["academie"])

    client.force_login(cast["teacher"])
    assert client.get(url("manage_create", published.pk)).status_code == 403
    client.force_login(cast["designer"])
    assert client.get(url("manage_create", published.pk)).status_code == 403
    client.force_login(cast["trainer"])
    assert client.get(url("manage_create", draft.pk)).status_code == 404
    assert client.get(url("manage_create", other_academie.pk)).status_code == 404
    assert client.get(url("manage_create", published.pk)).status_code == 200


# The session page ------------------------------------------------------------------------------


def test_session_page_shows_what_is_left_before_opening(trainer_client, session):
    response = trainer_client.get(url("manage", session.pk))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Avant d’ouvrir la session, il reste à :" in page
    assert "Inscrivez au moins un participant, ou ouvrez l’auto-inscription." in page
    assert "Ajoutez au calendrier au moins une réunion ou une période à distance." in page
    assert "Ajoutez au moins un formateur." not in page
    assert "Ouvrir la session" not in page


def test_session_page_lists_team_calendar_participants_and_waiting_list(
    trainer_client, cast, session
):
    session.capacity = 1
    session.save()
    factories.EnrolmentFactory(
        session=session, user=cast["teacher"], group="Groupe A", user__last_name="Martin"
    )
    waiting = factories.EnrolmentFactory(session=session, waiting=True, user__last_name="Zola")
    factories.MeetingFactory(session=session, title="Lancement")
    factories.MeetingFactory(session=session, virtual=True, title="Classe virtuelle")
    factories.DistanceWindowFactory(session=session, title="Lectures")

    response = trainer_client.get(url("manage", session.pk))
    page = response.content.decode()

    assert [m.user for m in response.context["staff"]] == [cast["trainer"], cast["tutor"]]
    assert [e.user for e in response.context["enrolled"]] == [cast["teacher"]]
    assert response.context["waiting"] == [waiting]
    for text in ("Lancement", "École Jules Ferry", "À distance", "Lectures", "Groupe A", "Zola"):
        assert text in page
    assert "1 inscrit" in page and "sur 1 places" in page


def test_archived_session_page_is_read_only(trainer_client, session):
    session.status = SessionStatus.ARCHIVED
    session.save()
    factories.MeetingFactory(session=session)
    enrolment = factories.EnrolmentFactory(session=session)

    page = trainer_client.get(url("manage", session.pk)).content.decode()

    assert "Session archivée" in page
    for link in (
        url("manage_settings", session.pk),
        url("manage_meeting_add", session.pk),
        url("manage_enrol", session.pk),
        url("manage_unenrol", enrolment.pk),
        url("manage_content", session.pk),
    ):
        assert link not in page


# Team ---------------------------------------------------------------------------------------------


def test_trainer_adds_a_colleague_by_email(trainer_client, territory, session):
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["bayeux"])

    response = trainer_client.post(
        url("manage_staff_add", session.pk), {"email": colleague.email.upper(), "role": "trainer"}
    )

    assert response.status_code == 302
    assert session.staff.filter(user=colleague, role=StaffRole.TRAINER).exists()


def test_a_trainer_of_another_academie_is_not_found_nor_named(trainer_client, session):
    """The form must not tell who is behind an address of another académie: the same answer
    as for an address nobody has."""
    elsewhere = factories.CirconscriptionFactory(
        departement=factories.DepartementFactory(academie=factories.AcademieFactory())
    )
    stranger = factories.with_role(
        Role.TRAINER, user=factories.UserFactory(last_name="Zéphyrin"), circonscription=elsewhere
    )

    response = trainer_client.post(
        url("manage_staff_add", session.pk), {"email": stranger.email, "role": "trainer"}
    )

    page = response.content.decode()
    assert "Aucun formateur ni tuteur de l’académie n’a cette adresse" in page
    assert "Zéphyrin" not in page
    assert not session.staff.filter(user=stranger).exists()


def test_a_colleague_is_found_under_the_former_academie_domain(trainer_client, territory, session):
    colleague = factories.with_role(
        Role.TRAINER,
        user=factories.UserFactory(email="jules.vernes@ac-normandie.fr"),
        circonscription=territory["bayeux"],
    )

    response = trainer_client.post(
        url("manage_staff_add", session.pk),
        {"email": "Jules.Vernes@ac-caen.fr", "role": "trainer"},
    )

    assert response.status_code == 302
    assert session.staff.filter(user=colleague).exists()


@pytest.mark.parametrize(
    ("who", "role", "error"),
    [
        ("teacher", "trainer", "Aucun formateur ni tuteur de l’académie n’a cette adresse"),
        ("unknown", "trainer", "Aucun formateur ni tuteur de l’académie n’a cette adresse"),
        ("malformed", "trainer", "Cette adresse électronique est mal formée."),
        ("tutor", "trainer", "est tuteur, pas formateur"),
        ("tutor", "boss", "Sélectionnez un choix valide"),
    ],
)
def test_team_refuses_people_without_a_trainer_role(
    trainer_client, cast, session, who, role, error
):
    email = {"unknown": "personne@ac-test.fr", "malformed": "pas-une-adresse"}.get(who)
    email = email or cast[who].email
    staff_before = set(session.staff.values_list("user", "role"))

    response = trainer_client.post(
        url("manage_staff_add", session.pk), {"email": email, "role": role}
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert set(session.staff.values_list("user", "role")) == staff_before


def test_removing_a_team_member_asks_for_confirmation(trainer_client, cast, session):
    member = session.staff.get(user=cast["tutor"])

    response = trainer_client.get(url("manage_staff_remove", member.pk))
    assert response.status_code == 200
    assert SessionStaff.objects.filter(pk=member.pk).exists()

    response = trainer_client.post(url("manage_staff_remove", member.pk))
    assert response.status_code == 302
    assert not SessionStaff.objects.filter(pk=member.pk).exists()


def test_the_last_trainer_of_an_open_session_stays(trainer_client, cast, session):
    session.status = SessionStatus.OPEN
    session.save()
    member = session.staff.get(user=cast["trainer"])

    response = trainer_client.post(url("manage_staff_remove", member.pk), follow=True)

    assert "Une session ouverte garde au moins un formateur" in response.content.decode()
    assert SessionStaff.objects.filter(pk=member.pk).exists()


def test_trainer_who_leaves_the_team_goes_back_to_their_sessions(trainer_client, cast, session):
    member = session.staff.get(user=cast["trainer"])
    response = trainer_client.post(url("manage_staff_remove", member.pk))
    assert response.url == url("manage_list")


# Calendar ----------------------------------------------------------------------------------------


def meeting_data(session, **change) -> dict:
    return {
        "title": "Lancement",
        "date": session.start_date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place_name": "École Jules Ferry",
        "address": "1 rue de l’École, Caen",
        **change,
    }


def test_trainer_adds_edits_and_deletes_a_presence_meeting(trainer_client, session):
    response = trainer_client.post(url("manage_meeting_add", session.pk), meeting_data(session))
    assert response.status_code == 302
    meeting = Meeting.objects.get(session=session)
    assert (meeting.place_name, meeting.remote) == ("École Jules Ferry", False)

    response = trainer_client.post(
        url("manage_meeting_edit", meeting.pk),
        meeting_data(
            session, remote="on", place_name="Ignoré", start_time="17:00", end_time="18:30"
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.remote and meeting.place_name == "" and meeting.place == "À distance"
    assert meeting.start_time == datetime.time(17, 0)

    assert trainer_client.get(url("manage_meeting_delete", meeting.pk)).status_code == 200
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    trainer_client.post(url("manage_meeting_delete", meeting.pk))
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"end_time": "08:00"}, "La réunion doit finir après avoir commencé."),
        ({"place_name": ""}, "Indiquez le lieu de la réunion, ou cochez « à distance »."),
        ({"date": "demain"}, "Saisissez une date valide."),
        ({"start_time": "25:00"}, "Saisissez une heure valide."),
    ],
)
def test_meeting_form_refuses_bad_input(trainer_client, session, change, error):
    response = trainer_client.post(
        url("manage_meeting_add", session.pk), meeting_data(session, **change)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Meeting.objects.exists()


def test_trainer_adds_edits_and_deletes_a_distance_window(trainer_client, session):
    data = {"title": "Lectures", "starts_on": days(8).isoformat(), "ends_on": days(20).isoformat()}
    assert trainer_client.post(url("manage_window_add", session.pk), data).status_code == 302
    window = DistanceWindow.objects.get(session=session)

    response = trainer_client.post(
        url("manage_window_edit", window.pk), {**data, "ends_on": days(7).isoformat()}
    )
    assert "La période à distance doit finir après avoir commencé." in response.content.decode()
    trainer_client.post(url("manage_window_edit", window.pk), {**data, "title": "Quiz"})
    window.refresh_from_db()
    assert window.title == "Quiz"

    trainer_client.post(url("manage_window_delete", window.pk))
    assert not DistanceWindow.objects.exists()


def test_calendar_of_an_archived_session_cannot_change(trainer_client, session):
    meeting = factories.MeetingFactory(session=session, title="Lancement")
    window = factories.DistanceWindowFactory(session=session)
    session.status = SessionStatus.ARCHIVED
    session.save()

    trainer_client.post(url("manage_meeting_add", session.pk), meeting_data(session))
    trainer_client.post(url("manage_meeting_edit", meeting.pk), meeting_data(session, title="X"))
    trainer_client.post(url("manage_meeting_delete", meeting.pk))
    trainer_client.post(url("manage_window_delete", window.pk))
    response = trainer_client.post(url("manage_window_add", session.pk), {}, follow=True)

    assert "Cette session est archivée" in response.content.decode()
    assert list(Meeting.objects.values_list("title", flat=True)) == ["Lancement"]
    assert DistanceWindow.objects.count() == 1


# Settings ---------------------------------------------------------------------------------------


def settings_data(session, **change) -> dict:
    data = {
        "title": session.title,
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "capacity": "",
        "enrolment_opens_on": "",
        "enrolment_closes_on": "",
        "enrolment_key": "",
        "attestation_rule": "all_meetings",
        "self_enrolment_scope": "territory",
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_trainer_changes_the_settings(trainer_client, session):
    response = trainer_client.post(
        url("manage_settings", session.pk),
        settings_data(
            session,
            capacity="30",
            self_enrolment="on",
            enrolment_closes_on=days(6).isoformat(),
            enrolment_key=" LECTURE ",
            show_participant_names="on",
            attestation_rule="trainer_decision",
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 30
    assert session.self_enrolment and session.show_participant_names
    assert session.enrolment_closes_on == days(6)
    assert session.enrolment_key == "LECTURE"
    assert session.attestation_rule == "trainer_decision"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"end_date": "2020-01-01"}, "La fin de la session précède son début."),
        (
            {"enrolment_opens_on": "2030-02-01", "enrolment_closes_on": "2030-01-01"},
            "La fin des inscriptions précède leur ouverture.",
        ),
        ({"capacity": "1"}, "2 participants sont déjà inscrits"),
        ({"capacity": "-3"}, "Au moins une place"),
        ({"attestation_rule": "clicks"}, "Sélectionnez un choix valide"),
    ],
)
def test_settings_refuse_bad_input(trainer_client, session, change, error):
    factories.EnrolmentFactory.create_batch(2, session=session)
    response = trainer_client.post(
        url("manage_settings", session.pk), settings_data(session, **change)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    session.refresh_from_db()
    assert session.capacity is None


# Opening, closing, archiving -------------------------------------------------------------------


def test_opening_explains_in_french_what_is_missing(trainer_client, session):
    response = trainer_client.post(url("manage_open", session.pk), follow=True)
    page = response.content.decode()
    assert "La session n’a pas été ouverte :" in page
    assert "Inscrivez au moins un participant, ou ouvrez l’auto-inscription." in page
    session.refresh_from_db()
    assert session.status == SessionStatus.PREPARATION


def test_trainer_opens_a_ready_session(trainer_client, session):
    factories.EnrolmentFactory(session=session)
    factories.MeetingFactory(session=session)
    page = trainer_client.get(url("manage", session.pk)).content.decode()
    assert "La session est prête" in page

    response = trainer_client.post(url("manage_open", session.pk))

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN and session.opened_at


def test_closing_warns_with_the_number_of_participants_not_attested(trainer_client, session):
    session.status = SessionStatus.OPEN
    session.save()
    factories.EnrolmentFactory.create_batch(2, session=session)
    factories.EnrolmentFactory(session=session, attested=True)
    factories.EnrolmentFactory(session=session, waiting=True)

    response = trainer_client.get(url("manage_close", session.pk))
    page = response.content.decode()
    assert "Une fois close, plus rien de la session ne change" in page
    assert "2 participants ne sont pas encore attestés" in page
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN

    # The session ends in five weeks: the page's confirmation says so (test_closing_dates.py).
    trainer_client.post(url("manage_close", session.pk), {"avant_la_fin": "1"})
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_closing_a_session_in_preparation_is_refused(trainer_client, session):
    trainer_client.post(url("manage_close", session.pk))
    response = trainer_client.get(url("manage_close", session.pk), follow=True)
    assert "Seule une session ouverte peut être close." in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PREPARATION


def test_archiving_a_closed_session_makes_it_read_only(trainer_client, session):
    session.status = SessionStatus.CLOSED
    session.save()
    assert trainer_client.get(url("manage_archive", session.pk)).status_code == 200

    trainer_client.post(url("manage_archive", session.pk))
    session.refresh_from_db()
    assert session.status == SessionStatus.ARCHIVED

    response = trainer_client.post(
        url("manage_settings", session.pk), settings_data(session, title="Nouveau")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Problèmes au cycle 2"


# "Mes sessions" ---------------------------------------------------------------------------------


def test_my_sessions_lists_the_sessions_i_run_with_counts_and_next_action(
    trainer_client, cast, territory, session
):
    factories.EnrolmentFactory.create_batch(2, session=session)
    factories.EnrolmentFactory(session=session, waiting=True)
    other = factories.TrainingSessionFactory(circonscription=territory["bayeux"])

    response = trainer_client.get(url("manage_list"))

    rows = list(response.context["page"].object_list)
    assert rows == [session]
    assert (rows[0].enrolled_count, rows[0].waiting_count, rows[0].attested_count) == (2, 1, 0)
    assert rows[0].next_action_label == "Ouvrir"
    assert other.title not in response.content.decode()


def test_my_sessions_writes_the_dates_with_the_month_in_full(trainer_client, session):
    """« 13 juin », not « 13 Jui » (which June and July would share)."""
    session.start_date, session.end_date = datetime.date(2027, 6, 1), datetime.date(2027, 7, 9)
    session.save()

    content = trainer_client.get(url("manage_list")).content.decode()

    assert "du 1 juin 2027 au 9 juillet 2027" in content


def test_my_sessions_filters_by_status_and_paginates(client, cast, territory):
    for _ in range(21):
        factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    factories.TrainingSessionFactory(closed=True, circonscription=territory["caen"])
    client.force_login(cast["ien"])

    assert client.get(url("manage_list")).context["page"].paginator.count == 22
    assert len(client.get(url("manage_list")).context["page"].object_list) == 20
    assert client.get(url("manage_list") + "?etat=closed").context["page"].paginator.count == 1
    assert client.get(url("manage_list") + "?etat=nimporte").context["status"] == ""
    assert client.get(url("manage_list") + "?page=2").context["page"].number == 2


def test_my_sessions_is_for_organisers(client, cast):
    client.force_login(cast["teacher"])
    assert client.get(url("manage_list")).status_code == 403


def test_nobody_is_unenrolled_from_an_archived_session(trainer_client, session):
    enrolment = factories.EnrolmentFactory(session=session)
    session.status = SessionStatus.ARCHIVED
    session.save()

    response = trainer_client.post(url("manage_unenrol", enrolment.pk), follow=True)

    assert "Cette session est archivée" in response.content.decode()
    assert session.enrolments.filter(pk=enrolment.pk).exists()
