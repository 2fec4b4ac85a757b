"""A virtual class through the UI, on the BigBlueButton stand-in: the trainer adds a meeting
« à distance » and allows recording; a participant is told so and joins (the stand-in's
« salle de démonstration » lists her); the trainer confirms the attendance prefilled from who
joined; the class ends, the recording is made ready, and appears for the session's members.
axe-core checks Préau's pages."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from preau.training.models import Attendance, Meeting
from preau.virtualclasses.models import Recording, Room
from preau.virtualclasses.standin import StandIn
from tests import factories
from tests.factories import PASSWORD
from tests.virtualclasses.conftest import SECRET

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def standin(settings, live_server):
    fake = StandIn(SECRET)  # callbacks sent in threads, as a real server does
    server = fake.serve_in_thread()
    settings.PREAU_BBB_URL = fake.api_url
    settings.PREAU_BBB_SECRET = SECRET
    settings.PREAU_SITE_URL = live_server.url  # where the stand-in calls back
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def session(territory):
    caen = territory["caen"]
    trainer = factories.with_role(
        Role.TRAINER,
        circonscription=caen,
        user=factories.UserFactory(first_name="Julien", last_name="Marchand"),
    )
    school = territory["caen_school"]
    camille = factories.teacher(school=school, first_name="Camille", last_name="Arnaud")
    louis = factories.teacher(school=school, first_name="Louis", last_name="Bernard")
    return factories.TrainingSessionFactory(
        open=True,
        title="Lire au CP",
        circonscription=caen,
        trainers=[trainer],
        participants=[camille, louis],
    )


def _wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the stand-in's callback did not arrive"
        time.sleep(0.1)


def test_trainer_creates_participant_joins_attendance_prefilled_recording_listed(
    page: Page, session, standin, frozen_today
):
    trainer = session.staff.get().user
    camille = session.enrolments.get(user__first_name="Camille").user

    # The trainer adds a meeting « à distance » today, 10:00–12:00 (it is 10:00 in Paris).
    sign_in(page, trainer.email, PASSWORD)
    page.goto(reverse("training:manage", args=[session.pk]))
    calendar = page.get_by_role("region", name="Calendrier")
    calendar.get_by_role("link", name="Ajouter une réunion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une réunion")
    form = page.get_by_role("main")
    form.get_by_role("textbox", name=re.compile("^Intitulé")).fill("Classe virtuelle de lancement")
    form.get_by_role("textbox", name="Date", exact=True).fill(frozen_today.isoformat())
    form.get_by_role("textbox", name="Début", exact=True).fill("10:00")
    form.get_by_role("textbox", name="Fin", exact=True).fill("12:00")
    form.locator("label[for=id_remote]").click()  # a DSFR checkbox: its label takes the tap
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Réunion enregistrée.")).to_be_visible()
    meeting = Meeting.objects.get(session=session, remote=True)

    # Its virtual class: recording allowed.
    page.get_by_role("link", name=re.compile("^classe virtuelle")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Classe virtuelle")
    check_accessibility(page)
    page.get_by_role("link", name="Réglages de la classe virtuelle").click()
    check_accessibility(page)
    page.locator("label[for=id_recording_allowed]").click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Réglages de la classe virtuelle enregistrés.")).to_be_visible()
    room = Room.objects.get(meeting=meeting)
    assert room.recording_allowed

    # The trainer opens the room: the stand-in's « salle de démonstration ».
    page.get_by_role("button", name="Rejoindre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Salle de démonstration")
    expect(page.locator("#dans-la-salle")).to_contain_text("Julien Marchand (modérateur)")

    # Camille is told the class may be recorded, and joins.
    page.context.clear_cookies()
    sign_in(page, camille.email, PASSWORD)
    page.goto(f"/sessions/mes-sessions/{session.pk}/")
    page.get_by_role("link", name=re.compile("^Ouvrir la classe virtuelle")).click()
    expect(page.get_by_text(re.compile("peut être enregistrée"))).to_be_visible()
    expect(page.locator("#room-state")).to_contain_text("En cours")
    assert standin.base_url not in page.content()  # no join URL before the click
    check_accessibility(page)
    page.get_by_role("button", name="Rejoindre").click()
    expect(page.locator("#dans-la-salle")).to_contain_text("Camille Arnaud (participant)")
    expect(page.locator("#dans-la-salle")).to_contain_text("Julien Marchand")

    # The trainer's roll call is prefilled from who joined; the trainer confirms it.
    page.context.clear_cookies()
    sign_in(page, trainer.email, PASSWORD)
    page.goto(f"/sessions/reunions/{meeting.pk}/presences/")
    expect(page.locator("#prefill-notice")).to_contain_text("Prérempli d’après la classe virtuelle")
    check_accessibility(page)
    camille_row = page.get_by_role("group", name=re.compile("Arnaud Camille"))
    louis_row = page.get_by_role("group", name=re.compile("Bernard Louis"))
    expect(camille_row.get_by_role("radio", name=re.compile("^Présent"))).to_be_checked()
    expect(louis_row.get_by_role("radio", name=re.compile("^Absent"))).to_be_checked()
    assert not Attendance.objects.exists()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées.")).to_be_visible()
    recorded = dict(Attendance.objects.values_list("enrolment__user__first_name", "status"))
    assert recorded == {"Camille": "present", "Louis": "absent"}

    # The class ends; BigBlueButton processes the recording and calls back.
    from preau.virtualclasses.servers import client_for

    client_for(session).end(room.bbb_meeting_id)
    _wait_for(lambda: any("/rappels/fin/" in url for url, _outcome in standin.callbacks))
    standin.recording_ready(next(iter(standin.recordings)))
    _wait_for(Recording.objects.exists)
    assert [outcome for _url, outcome in standin.callbacks] == ["200", "200"]

    page.goto(f"/sessions/{session.pk}/classes-virtuelles/")
    expect(page.get_by_role("link", name=re.compile("^Enregistrement 1"))).to_be_visible()
    check_accessibility(page)
    page.context.clear_cookies()
    sign_in(page, camille.email, PASSWORD)
    page.goto(f"/sessions/classes-virtuelles/{room.pk}/")
    expect(page.get_by_role("link", name=re.compile("^Enregistrement 1"))).to_be_visible()
