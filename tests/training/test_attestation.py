"""Attestation ("Terminé"): the session's rule is computed and shown, the trainer decides, one by
one or in bulk, only while the session is open."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from preau.training import selectors, services
from preau.training.models import (
    Attendance,
    AttendanceStatus,
    AttestationRule,
    Enrolment,
    SessionStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
PRESENT, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def attestation_url(session) -> str:
    return reverse("training:attestation", args=[session.pk])


def withdraw_url(enrolment) -> str:
    return reverse("training:withdraw_attestation", args=[enrolment.pk])


def attested(session) -> set[str]:
    return set(
        session.enrolments.filter(completed_at__isnull=False).values_list(
            "user__first_name", flat=True
        )
    )


@pytest.fixture
def session(territory, cast):
    """An open session of Caen Nord run by the cast's trainer, with two meetings and four
    participants: Anne came to both, Bruno came then was excused, Chloé came then was absent,
    Dylan came to the first and is not noted for the second; Ermengarde waits for a place."""
    session = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    first, second = factories.MeetingFactory.create_batch(2, session=session)
    people = {
        name: factories.EnrolmentFactory(session=session, user__first_name=name)
        for name in ("Anne", "Bruno", "Chloé", "Dylan")
    }
    factories.EnrolmentFactory(session=session, waiting=True, user__first_name="Ermengarde")
    for meeting, statuses in (
        (first, {"Anne": PRESENT, "Bruno": PRESENT, "Chloé": PRESENT, "Dylan": PRESENT}),
        (second, {"Anne": PRESENT, "Bruno": EXCUSED, "Chloé": ABSENT}),
    ):
        services.record_attendance(
            meeting=meeting,
            by=cast["trainer"],
            statuses={people[name].pk: status for name, status in statuses.items()},
        )
    return session


@pytest.fixture
def people(session) -> dict[str, Enrolment]:
    return {e.user.first_name: e for e in session.enrolments.select_related("user")}


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


# The rule ------------------------------------------------------------------------------------


def test_rule_counts_attended_and_excused_meetings_for_everyone_in_one_query(
    session, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = {e.user.first_name: e for e in selectors.enrolments_for_attestation(session)}

    assert {
        name: (e.meetings_total, e.meetings_ok, e.meetings_absent, e.satisfies_rule)
        for name, e in rows.items()
    } == {
        "Anne": (2, 2, 0, True),
        "Bruno": (2, 2, 0, True),  # excused counts as attended
        "Chloé": (2, 1, 1, False),  # absent
        "Dylan": (2, 1, 0, False),  # not noted at the second meeting
    }


def test_rule_ignores_attendance_at_the_meetings_of_other_sessions(session, people, cast):
    other = factories.MeetingFactory(session=factories.TrainingSessionFactory(open=True))
    Attendance.objects.create(meeting=other, enrolment=people["Dylan"], status=PRESENT)

    rows = {e.user.first_name: e for e in selectors.enrolments_for_attestation(session)}

    assert rows["Dylan"].meetings_ok == 1 and rows["Dylan"].satisfies_rule is False


def test_without_meetings_everyone_satisfies_the_rule(territory):
    session = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    factories.EnrolmentFactory.create_batch(2, session=session)

    rows = list(selectors.enrolments_for_attestation(session))

    assert [(e.meetings_total, e.satisfies_rule) for e in rows] == [(0, True), (0, True)]


def test_when_the_trainer_decides_no_rule_is_computed(session, trainer_client):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.save(update_fields=["attestation_rule"])

    rows = list(selectors.enrolments_for_attestation(session))
    content = trainer_client.get(attestation_url(session)).content.decode()

    assert {e.satisfies_rule for e in rows} == {None}
    assert "Sur décision du formateur" in content
    assert "Attester tous ceux qui remplissent la règle" not in content


def test_page_shows_the_rule_and_where_each_participant_stands(trainer_client, session, people):
    response = trainer_client.get(attestation_url(session))

    content = response.content.decode()
    assert "Toutes les réunions en présence suivies ou excusées" in content
    assert "Le travail à distance n’est pas mesuré" in content
    names = [e.user.first_name for e in response.context["participants"]]
    assert sorted(names) == ["Anne", "Bruno", "Chloé", "Dylan"]
    assert content.count("Remplie") == 2 and content.count("Non remplie") == 2
    assert "1 absence" in content
    assert "Ermengarde" not in content  # waiting list
    assert "2 participants remplissent la règle sans être encore attestés." in content


def test_page_shows_no_time_spent_on_the_platform(trainer_client, session, people):
    """domain.md §6: no connection time, clicks or pages opened, anywhere."""
    page = trainer_client.get(attestation_url(session)).content.decode().lower()
    main = page[page.index("<main") : page.index("</main>")]

    for word in ("minutes", "temps passé", "dernière connexion", "pages vues", "clics"):
        assert word not in main


# Attesting ----------------------------------------------------------------------------------


def test_trainer_attests_one_participant(trainer_client, session, people, cast):
    response = trainer_client.post(
        attestation_url(session), {"one": people["Dylan"].pk}, follow=True
    )

    assert response.redirect_chain == [(attestation_url(session), 302)]
    assert "1 participant attesté" in response.content.decode()
    assert attested(session) == {"Dylan"}
    dylan = Enrolment.objects.get(pk=people["Dylan"].pk)
    assert dylan.attested_by == cast["trainer"] and len(dylan.certificate_code) == 16


def test_trainer_attests_a_selection(trainer_client, session, people):
    selected = [people["Anne"].pk, people["Chloé"].pk]

    response = trainer_client.post(
        attestation_url(session), {"selection": "1", "selected": selected}, follow=True
    )

    assert attested(session) == {"Anne", "Chloé"}
    assert "2 participants attestés" in response.content.decode()
    codes = set(session.enrolments.values_list("certificate_code", flat=True))
    assert len(codes - {None}) == 2


def test_attest_everyone_who_satisfies_the_rule(trainer_client, session, people):
    trainer_client.post(attestation_url(session), {"one": people["Anne"].pk})

    response = trainer_client.post(attestation_url(session), {"rule": "1"}, follow=True)

    assert attested(session) == {"Anne", "Bruno"}
    assert "1 participant attesté" in response.content.decode()


def test_an_empty_selection_attests_nobody(trainer_client, session):
    response = trainer_client.post(attestation_url(session), {"selection": "1"}, follow=True)

    assert "Aucun participant à attester" in response.content.decode()
    assert attested(session) == set()


def test_a_waiting_person_or_a_participant_of_another_session_is_never_attested(
    trainer_client, session
):
    waiting = session.enrolments.get(status="waiting")
    elsewhere = factories.EnrolmentFactory(session=factories.TrainingSessionFactory(open=True))

    trainer_client.post(attestation_url(session), {"selected": [waiting.pk, elsewhere.pk]})

    assert not Enrolment.objects.filter(completed_at__isnull=False).exists()


@pytest.mark.parametrize("status", [SessionStatus.PREPARATION, SessionStatus.CLOSED])
def test_attestation_is_refused_when_the_session_is_not_open(
    trainer_client, session, people, status
):
    session.status = status
    session.save(update_fields=["status"])

    page = trainer_client.get(attestation_url(session)).content.decode()
    response = trainer_client.post(attestation_url(session), {"rule": "1"}, follow=True)

    assert "Attester la sélection" not in page and 'name="selected"' not in page
    assert "On atteste les participants d’une session ouverte" in response.content.decode()
    assert attested(session) == set()


def test_trainer_withdraws_an_attestation_while_the_session_is_open(
    trainer_client, session, people, cast
):
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[people["Anne"].pk])
    code = Enrolment.objects.get(pk=people["Anne"].pk).certificate_code

    response = trainer_client.post(withdraw_url(people["Anne"]), follow=True)

    assert response.redirect_chain == [(attestation_url(session), 302)]
    assert "est retirée" in response.content.decode()
    anne = Enrolment.objects.get(pk=people["Anne"].pk)
    assert (anne.completed_at, anne.attested_by, anne.certificate_code) == (None, None, None)
    assert selectors.certificate_by_code(code) is None


def test_withdrawal_is_refused_once_the_session_is_closed(trainer_client, session, people, cast):
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[people["Anne"].pk])
    services.close_session(session=session, by=cast["trainer"], before_end_confirmed=True)

    page = trainer_client.get(attestation_url(session)).content.decode()
    response = trainer_client.post(withdraw_url(people["Anne"]), follow=True)

    assert "La session est close : l’attestation ne peut plus changer." in page
    assert "Retirer" not in page
    assert "La session est close" in response.content.decode()
    assert attested(session) == {"Anne"}


def test_page_links_each_attested_participant_to_their_certificate(
    trainer_client, session, people, cast
):
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[people["Bruno"].pk])

    content = trainer_client.get(attestation_url(session)).content.decode()

    assert reverse("training:certificate", args=[people["Bruno"].pk]) in content
    assert reverse("training:certificate", args=[people["Anne"].pk]) not in content
    assert "Terminé" in content


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ien", "pilot", "manager", "admin"])
def test_those_who_pilot_the_territory_see_the_attestation_page(client, cast, session, who):
    client.force_login(cast[who])

    assert client.get(attestation_url(session)).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "other_ien", "tutor", "nobody"])
def test_others_get_a_404_and_attest_nothing(client, cast, session, people, who):
    client.force_login(cast[who])
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[people["Anne"].pk])

    assert client.get(attestation_url(session)).status_code == 404
    assert client.post(attestation_url(session), {"rule": "1"}).status_code == 404
    assert client.post(withdraw_url(people["Anne"])).status_code == 404
    assert attested(session) == {"Anne"}


def test_trainer_of_another_session_gets_a_404(client, territory, session, people):
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    factories.TrainingSessionFactory(circonscription=territory["caen"], trainers=[colleague])
    client.force_login(colleague)

    assert client.get(attestation_url(session)).status_code == 404
    assert client.post(attestation_url(session), {"one": people["Anne"].pk}).status_code == 404
    assert attested(session) == set()


# Query count ----------------------------------------------------------------------------------


def test_attestation_page_costs_the_same_queries_with_10_and_300_participants(
    trainer_client, session, territory, cast, count_queries
):
    queries = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the session, if the user manages it",
        "participants with user, school, attester and their standing against the rule",
        "the day of its last meeting and of the end of its last distance window",
    ]
    meetings = list(session.meetings.all())
    for total in (10, 300):
        enrolled = session.enrolments.filter(status="enrolled")
        users = factories.teachers_at(territory["caen_school"], total - enrolled.count())
        added = Enrolment.objects.bulk_create(Enrolment(session=session, user=u) for u in users)
        for meeting in meetings:
            services.record_attendance(
                meeting=meeting, by=cast["trainer"], statuses={e.pk: PRESENT for e in added}
            )
        services.attest(session=session, by=cast["trainer"], enrolment_ids=[added[0].pk])

        with count_queries() as ran:
            response = trainer_client.get(attestation_url(session))

        assert response.status_code == 200
        assert len(response.context["participants"]) == total
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{total} participants: {len(ran)} queries instead of {len(queries)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )
