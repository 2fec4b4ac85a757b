"""Who may manage a session, through HTTP: its trainers, the IEN of its circonscription, the
pilot team of its département, the academic managers of its académie, administrators. Its
tutors follow it (tests/training/test_tutor_role.py). Anyone else gets a 404 — for the session
and for everything inside it."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

MAY_MANAGE = ["trainer", "ien", "pilot", "manager", "admin"]
MAY_NOT = ["other_trainer", "other_ien", "other_pilot", "teacher", "participant", "designer"]


@pytest.fixture
def session(territory, cast):
    """A session of Caen Nord, run by the cast's trainer and tutor, with one participant, a
    meeting, a distance window."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"]],
    )
    factories.MeetingFactory(session=session)
    factories.DistanceWindowFactory(session=session)
    return session


@pytest.fixture
def people(cast, territory):
    """The cast, plus a trainer of another session, an IEN of another circonscription, a pilot
    of another département, a teacher enrolled in the session (cast["teacher"])."""
    other_trainer = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    factories.TrainingSessionFactory(circonscription=territory["caen"], trainers=[other_trainer])
    return {
        **cast,
        "other_trainer": other_trainer,
        "other_pilot": factories.with_role(Role.PILOT, departement=territory["manche"]),
        "participant": cast["teacher"],
    }


def session_urls(session) -> list[str]:
    """Every organiser page of the session and of the objects inside it (GET pages)."""
    meeting, window = session.meetings.get(), session.distance_windows.get()
    enrolment, member = session.enrolments.get(), session.staff.first()
    section = session.content.sections.first()
    activity = section.activities.first()

    def url(name, *args):
        return reverse(f"training:{name}", args=args)

    return [
        url("manage", session.pk),
        url("manage_settings", session.pk),
        url("manage_meeting_add", session.pk),
        url("manage_meeting_edit", meeting.pk),
        url("manage_meeting_delete", meeting.pk),
        url("manage_window_add", session.pk),
        url("manage_window_edit", window.pk),
        url("manage_window_delete", window.pk),
        url("manage_enrol", session.pk),
        url("manage_enrol_pick", session.pk),
        url("manage_unenrol", enrolment.pk),
        url("manage_staff_remove", member.pk),
        url("manage_close", session.pk),
        url("manage_content", session.pk),
        url("manage_section_rename", section.pk),
        url("manage_section_delete", section.pk),
        url("manage_activity_add", section.pk, "page"),
        url("manage_activity_edit", activity.pk),
        url("manage_activity_delete", activity.pk),
    ]


@pytest.mark.parametrize("who", MAY_MANAGE)
def test_organisers_of_the_session_reach_every_page(client, people, session, who):
    client.force_login(people[who])
    for page in session_urls(session):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("who", MAY_NOT)
def test_anyone_else_gets_a_404_on_every_page(client, people, session, who):
    client.force_login(people[who])
    for page in session_urls(session):
        assert client.get(page).status_code == 404, page


@pytest.mark.parametrize("who", MAY_NOT)
def test_anyone_else_cannot_change_anything(client, people, session, who):
    client.force_login(people[who])
    meeting, enrolment = session.meetings.get(), session.enrolments.get()
    section = session.content.sections.first()

    def post(name, *args, data=None):
        return client.post(reverse(f"training:{name}", args=args), data or {}).status_code

    assert post("manage_staff_add", session.pk, data={"email": people[who].email}) == 404
    assert post("manage_meeting_delete", meeting.pk) == 404
    assert post("manage_unenrol", enrolment.pk) == 404
    assert post("manage_close", session.pk) == 404
    assert post("manage_archive", session.pk) == 404
    assert post("manage_section_add", session.pk, data={"title": "Intrus"}) == 404
    assert post("manage_section_move", section.pk, data={"direction": "down"}) == 404
    assert post("manage_section_delete", section.pk) == 404

    session.refresh_from_db()
    assert session.status == "open"
    assert session.meetings.exists() and session.enrolments.exists()
    assert not session.content.sections.filter(title="Intrus").exists()
    assert session.content.sections.exists()


def test_the_session_copy_is_not_reachable_as_a_parcours(client, people, session):
    """The copy is the session's: the parcours pages and editor do not know it."""
    client.force_login(people["trainer"])
    section = session.content.sections.first()
    assert client.get(reverse("parcours:detail", args=[session.content.pk])).status_code == 404
    assert client.get(reverse("parcours:content", args=[session.content.pk])).status_code == 404
    assert client.get(reverse("parcours:section_rename", args=[section.pk])).status_code == 404


def test_an_ordinary_parcours_section_is_not_reachable_through_the_session_editor(
    client, people, session
):
    client.force_login(people["trainer"])
    section = session.source.sections.first()
    activity = section.activities.first()
    for name, pk in [
        ("manage_section_rename", section.pk),
        ("manage_section_delete", section.pk),
        ("manage_activity_edit", activity.pk),
        ("manage_activity_delete", activity.pk),
    ]:
        assert client.get(reverse(f"training:{name}", args=[pk])).status_code == 404
