"""The roll call of a presence meeting, for the session's organisers, and its signing sheet."""

import io
import re

import pytest
from django.db.models import Count
from django.urls import reverse
from pypdf import PdfReader

from preau.accounts.models import Role
from preau.training import selectors, services
from preau.training.models import Attendance, AttendanceStatus, Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
PRESENT, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def attendance_url(meeting) -> str:
    return reverse("training:attendance", args=[meeting.pk])


def all_present_url(meeting) -> str:
    return reverse("training:attendance_all_present", args=[meeting.pk])


def sheet_url(meeting) -> str:
    return reverse("training:signing_sheet", args=[meeting.pk])


def pdf_text(content: bytes) -> str:
    """The text of a PDF, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def enrolled(session) -> int:
    return session.enrolments.filter(status="enrolled").count()


def statuses(meeting) -> dict[str, str]:
    """{participant's first name: status} at the meeting."""
    return dict(meeting.attendances.values_list("enrolment__user__first_name", "status"))


@pytest.fixture
def session(territory, cast):
    """An open session of Caen Nord run by the cast's trainer, three participants from two
    schools, one person on the waiting list, two meetings."""
    t = territory
    session = factories.TrainingSessionFactory(
        open=True,
        title="Fluence en lecture",
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        participants=[
            cast["teacher"],
            factories.teacher(school=t["caen_school"], first_name="Lou", last_name="Bernard"),
            factories.teacher(school=t["bayeux_school"], first_name="Noé", last_name="Petit"),
        ],
    )
    factories.EnrolmentFactory(session=session, waiting=True, user__first_name="Attente")
    factories.MeetingFactory(session=session, title="Lancement")
    factories.MeetingFactory(session=session, title="Bilan", place_name="École Freinet")
    return session


@pytest.fixture
def meeting(session):
    return session.meetings.get(title="Lancement")


@pytest.fixture
def enrolments(session) -> dict[str, Enrolment]:
    return {e.user.first_name: e for e in session.enrolments.select_related("user")}


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


# The roll call --------------------------------------------------------------------------------


def test_trainer_sees_every_enrolled_participant_with_their_school(
    trainer_client, meeting, territory
):
    response = trainer_client.get(attendance_url(meeting))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Lancement" in content and "Fluence en lecture" in content
    assert "Bernard Lou" in content and "Petit Noé" in content
    assert territory["caen_school"].name in content and territory["bayeux_school"].name in content
    assert "Attente" not in content  # the waiting list is not called
    assert "3 à noter" in content


def test_the_counts_of_the_page_are_those_of_its_rows(trainer_client, meeting, enrolments, cast):
    services.record_attendance(
        meeting=meeting,
        by=cast["trainer"],
        statuses={enrolments["Camille"].pk: PRESENT, enrolments["Lou"].pk: EXCUSED},
    )
    other = meeting.session.meetings.get(title="Bilan")  # not this meeting's
    services.record_attendance(
        meeting=other, by=cast["trainer"], statuses={enrolments["Noé"].pk: ABSENT}
    )

    response = trainer_client.get(attendance_url(meeting))

    counts = {"present": 1, "absent": 0, "excused": 1, "total": 3, "unrecorded": 1}
    assert response.context["counts"] == counts == selectors.attendance_counts(meeting)
    content = response.content.decode()
    assert "1 présent" in content and "0 absent" in content and "1 excusé" in content
    assert "1 à noter" in content


def test_each_choice_is_a_labelled_radio_that_names_the_participant(
    trainer_client, meeting, enrolments
):
    content = trainer_client.get(attendance_url(meeting)).content.decode()

    lou = enrolments["Lou"].pk
    for value in (PRESENT, ABSENT, EXCUSED):
        assert f'id="status-{lou}-{value}"' in content
        assert f'for="status-{lou}-{value}"' in content
    assert '<span class="fr-sr-only"> : Lou Bernard</span>' in content
    assert f'data-hx-post="{attendance_url(meeting)}"' in content
    assert f'data-hx-params="status-{lou}"' in content


def test_trainer_records_the_whole_list_without_javascript(trainer_client, meeting, enrolments):
    data = {
        f"status-{enrolments['Camille'].pk}": PRESENT,
        f"status-{enrolments['Lou'].pk}": ABSENT,
        f"status-{enrolments['Noé'].pk}": EXCUSED,
    }

    response = trainer_client.post(attendance_url(meeting), data, follow=True)

    assert response.redirect_chain == [(attendance_url(meeting), 302)]
    assert "Présences enregistrées." in response.content.decode()
    assert statuses(meeting) == {"Camille": PRESENT, "Lou": ABSENT, "Noé": EXCUSED}
    assert set(meeting.attendances.values_list("recorded_by", flat=True)) == {
        meeting.session.staff.get().user_id
    }


def test_trainer_changes_a_status_and_the_others_stay(trainer_client, meeting, enrolments, cast):
    services.record_attendance(
        meeting=meeting,
        by=cast["trainer"],
        statuses={enrolments["Camille"].pk: PRESENT, enrolments["Lou"].pk: PRESENT},
    )
    before = Attendance.objects.get(enrolment=enrolments["Lou"]).recorded_at

    trainer_client.post(attendance_url(meeting), {f"status-{enrolments['Lou'].pk}": EXCUSED})

    assert statuses(meeting) == {"Camille": PRESENT, "Lou": EXCUSED}
    assert Attendance.objects.get(enrolment=enrolments["Lou"]).recorded_at > before


def test_a_tap_saves_one_participant_and_returns_their_row_and_the_counts(
    trainer_client, meeting, enrolments
):
    lou = enrolments["Lou"].pk

    response = trainer_client.post(
        attendance_url(meeting), {f"status-{lou}": ABSENT}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert statuses(meeting) == {"Lou": ABSENT}
    assert content.lstrip().startswith('<fieldset class="fr-segmented preau-attendance"')
    assert f'id="participant-{lou}"' in content
    assert re.search(rf'id="status-{lou}-absent"[^>]*\schecked', content)
    assert not re.search(rf'id="status-{lou}-present"[^>]*\schecked', content)
    assert 'data-hx-swap-oob="innerHTML"' in content
    assert "1 absent" in content and "2 à noter" in content
    # Only Lou's row comes back: not the page, nor another participant's row.
    assert "<html" not in content
    assert f'id="participant-{enrolments["Camille"].pk}"' not in content


def test_a_tap_on_a_participant_of_another_session_is_refused(trainer_client, meeting):
    stranger = factories.EnrolmentFactory()  # in another session

    response = trainer_client.post(
        attendance_url(meeting),
        {f"status-{stranger.pk}": PRESENT},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_unknown_status_or_a_waiting_person_is_refused_without_writing(
    trainer_client, meeting, session, enrolments
):
    waiting = session.enrolments.get(status="waiting")

    for data in (
        {f"status-{enrolments['Lou'].pk}": "late"},
        {f"status-{enrolments['Lou'].pk}": PRESENT, f"status-{waiting.pk}": PRESENT},
    ):
        response = trainer_client.post(attendance_url(meeting), data, follow=True)
        assert "Présence invalide pour ce participant." in response.content.decode()
    assert not Attendance.objects.exists()


def test_all_present_marks_only_those_not_yet_noted(trainer_client, meeting, enrolments, cast):
    services.record_attendance(
        meeting=meeting, by=cast["trainer"], statuses={enrolments["Lou"].pk: ABSENT}
    )

    response = trainer_client.post(all_present_url(meeting), follow=True)

    assert statuses(meeting) == {"Camille": PRESENT, "Lou": ABSENT, "Noé": PRESENT}
    assert "2 participants marqués présents." in response.content.decode()
    assert "0 à noter" in response.content.decode()
    other_meeting = meeting.session.meetings.get(title="Bilan")
    assert not other_meeting.attendances.exists()


def test_all_present_then_exceptions_marks_a_group_of_thirty(
    trainer_client, meeting, territory, cast
):
    """The phone workflow: one tap for everyone, then one tap per exception."""
    session = meeting.session
    for user in factories.teachers_at(territory["caen_school"], 27):
        Enrolment.objects.create(session=session, user=user)
    trainer_client.post(all_present_url(meeting))
    late, ill = session.enrolments.filter(status="enrolled").order_by("pk")[:2]

    for enrolment, status in ((late, ABSENT), (ill, EXCUSED)):
        trainer_client.post(
            attendance_url(meeting),
            {f"status-{enrolment.pk}": status},
            headers={"HX-Request": "true"},
        )

    counts = dict(
        meeting.attendances.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert counts == {PRESENT: 28, ABSENT: 1, EXCUSED: 1}


def test_attendance_no_longer_changes_in_an_archived_session(trainer_client, meeting, enrolments):
    meeting.session.status = "archived"
    meeting.session.save(update_fields=["status"])

    page = trainer_client.get(attendance_url(meeting)).content.decode()
    response = trainer_client.post(
        attendance_url(meeting), {f"status-{enrolments['Lou'].pk}": PRESENT}, follow=True
    )

    assert "Cette session est archivée" in page and "Tous présents" not in page
    assert "disabled" in page
    assert "Cette session est archivée" in response.content.decode()
    assert not Attendance.objects.exists()


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["trainer", "ien", "pilot", "manager", "admin"])
def test_organisers_and_those_who_pilot_the_territory_see_the_roll_call(client, cast, meeting, who):
    client.force_login(cast[who])

    assert client.get(attendance_url(meeting)).status_code == 200
    assert client.get(sheet_url(meeting)).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "other_ien", "tutor", "designer", "nobody"])
def test_others_get_a_404_and_write_nothing(client, cast, meeting, enrolments, who):
    """The cast's tutor is not on this session's staff."""
    client.force_login(cast[who])
    data = {f"status-{enrolments['Lou'].pk}": PRESENT}

    assert client.get(attendance_url(meeting)).status_code == 404
    assert client.post(attendance_url(meeting), data).status_code == 404
    assert client.post(all_present_url(meeting)).status_code == 404
    assert client.get(sheet_url(meeting)).status_code == 404
    assert not Attendance.objects.exists()


def test_trainer_of_another_session_gets_a_404(client, territory, meeting):
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    factories.TrainingSessionFactory(circonscription=territory["caen"], trainers=[colleague])
    client.force_login(colleague)

    assert client.get(attendance_url(meeting)).status_code == 404
    assert client.get(sheet_url(meeting)).status_code == 404


def test_a_tutor_of_the_session_marks_attendance(client, cast, meeting, enrolments):
    factories.SessionStaffFactory(session=meeting.session, user=cast["tutor"], role="tutor")
    client.force_login(cast["tutor"])

    client.post(attendance_url(meeting), {f"status-{enrolments['Noé'].pk}": PRESENT})

    assert statuses(meeting) == {"Noé": PRESENT}


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(attendance_url(meeting))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Signing sheet ----------------------------------------------------------------------------------


def test_signing_sheet_is_an_a4_pdf_with_one_row_per_participant(
    trainer_client, meeting, cast, territory
):
    session = meeting.session

    response = trainer_client.get(sheet_url(meeting))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="emargement-')
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = pdf_text(response.content)
    assert "Feuille d’émargement" in text
    assert session.title in text and session.source.title in text
    assert session.source.matricule in text
    assert meeting.date.strftime("%d/%m/%Y") in text  # footer
    assert "9 h 00" in text and "12 h 00" in text
    assert "École Jules Ferry, 1 rue de l’École, 14000 Caen" in text
    assert cast["trainer"].get_full_name() in text
    for name in ("BERNARD", "PETIT", cast["teacher"].last_name.upper()):
        assert name in text
    assert territory["bayeux_school"].uai in text
    assert "Attente" not in text
    assert "Signature" in text


def test_signing_sheet_of_a_virtual_class_says_it_is_remote(trainer_client, session):
    remote = factories.MeetingFactory(session=session, virtual=True, title="Classe virtuelle")

    text = pdf_text(trainer_client.get(sheet_url(remote)).content)

    assert "À distance" in text


# Query count -------------------------------------------------------------------------------------


def test_roll_call_costs_the_same_queries_with_10_and_300_participants(
    trainer_client, meeting, territory, cast, count_queries
):
    session = meeting.session
    school = territory["caen_school"]
    queries = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the meeting with its session, if the user manages it",
        # The counts (present, absent, excused, not noted) are made from these rows.
        "participants with their names, school and status at the meeting",
        "meetings of the session (links to their roll calls)",
    ]
    for total in (10, 300):
        added = [
            Enrolment(session=session, user=user)
            for user in factories.teachers_at(school, total - enrolled(session))
        ]
        Enrolment.objects.bulk_create(added)
        services.mark_all_present(meeting=meeting, by=cast["trainer"])

        with count_queries() as ran:
            response = trainer_client.get(attendance_url(meeting))

        assert response.status_code == 200
        rows = response.content.decode().count('class="fr-segmented preau-attendance"')
        assert rows == enrolled(session) == total
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{total} participants: {len(ran)} queries instead of {len(queries)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )
