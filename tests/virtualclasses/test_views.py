"""Virtual classes through HTTP, against the BigBlueButton stand-in."""

import datetime
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from preau.virtualclasses import services
from preau.virtualclasses.models import Room, Server
from tests import factories

from .conftest import SECRET, _enter, _join

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.mark.parametrize(("who", "role"), [("trainer", "MODERATOR"), ("tutor", "MODERATOR"),
                                           ("teacher", "VIEWER")])  # fmt: skip
def test_members_join_with_their_role_and_their_own_user_id(client, standin, vc, who, role):
    response = _join(client, vc[who], vc["room"])
    assert response.status_code == 302
    url = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert url.startswith(standin.api_url + "/join?")
    assert query["role"] == [role]
    assert query["userID"] == [f"preau-{vc[who].pk}"]
    assert query["meetingID"] == [vc["room"].bbb_meeting_id]
    page = _enter(url)
    assert vc[who].get_full_name() in page
    assert standin.calls.count("create") == 1


@pytest.mark.parametrize("who", ["nobody", "outsider", "ien", "pilot", "admin", "other_trainer"])
def test_strangers_and_participants_of_other_sessions_get_a_404(client, standin, vc, who):
    person = vc.get(who) or factories.UserFactory()
    client.force_login(person)
    room = vc["room"]
    assert client.get(reverse("virtualclasses:room", args=[room.pk])).status_code == 404
    assert client.post(reverse("virtualclasses:join", args=[room.pk])).status_code == 404
    meeting_url = reverse("virtualclasses:meeting", args=[vc["meeting"].pk])
    assert client.get(meeting_url).status_code == 404
    assert "create" not in standin.calls


def test_the_join_url_is_never_in_the_page_before_the_click(client, standin, vc):
    client.force_login(vc["teacher"])
    response = client.get(reverse("virtualclasses:room", args=[vc["room"].pk]))
    content = response.content.decode()
    assert "Rejoindre" in content
    assert "checksum" not in content and standin.base_url not in content
    assert vc["room"].bbb_meeting_id not in content


def test_the_page_says_whether_the_room_is_running(client, standin, vc):
    client.force_login(vc["teacher"])
    url = reverse("virtualclasses:room", args=[vc["room"].pk])
    assert "personne n’est encore entré" in client.get(url).content.decode()
    _enter(_join(client, vc["trainer"], vc["room"])["Location"])
    client.force_login(vc["teacher"])
    assert "En cours" in client.get(url).content.decode()


def test_join_opens_fifteen_minutes_before_the_start(client, standin, vc):
    meeting = vc["meeting"]
    meeting.start_time, meeting.end_time = datetime.time(10, 16), datetime.time(11, 0)
    meeting.save()
    response = _join(client, vc["teacher"], vc["room"])
    assert response.status_code == 302 and "/classes-virtuelles/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    today = timezone.localdate()  # the frozen clock's day, 10:00 (replayed on other days)
    with translation.override("fr"):
        long_day = formats.date_format(today, "l j F Y")
    assert f"La classe virtuelle ouvre le {today:%d/%m/%Y} à 10:01." in page
    assert f"La salle ouvre le {long_day} à 10:01" in page
    assert "create" not in standin.calls
    meeting.start_time = datetime.time(10, 15)
    meeting.save()
    assert _join(client, vc["teacher"], vc["room"])["Location"].startswith(standin.api_url)


def test_a_past_meeting_is_over(client, standin, vc):
    meeting = vc["meeting"]
    meeting.date -= datetime.timedelta(days=1)
    meeting.save()
    response = _join(client, vc["teacher"], vc["room"])
    assert "/classes-virtuelles/" in response["Location"]
    assert "terminée" in client.get(response["Location"]).content.decode()


def test_without_a_server_the_class_is_not_configured_and_a_link_goes_to_participants(
    client, settings, vc
):
    settings.PREAU_BBB_URL = settings.PREAU_BBB_SECRET = ""
    room_url = reverse("virtualclasses:room", args=[vc["room"].pk])
    client.force_login(vc["trainer"])
    assert "Classe virtuelle non configurée" in client.get(room_url).content.decode()
    response = client.post(
        reverse("virtualclasses:settings", args=[vc["room"].pk]),
        {"welcome": "Bonjour", "mute_on_start": "on", "external_url": "visio.example.org/abc"},
    )
    assert response.status_code == 302
    assert "https://visio.example.org/abc" not in client.get(room_url).content.decode()
    client.force_login(vc["teacher"])
    page = client.get(room_url).content.decode()
    assert "Classe virtuelle non configurée" in page
    assert 'href="https://visio.example.org/abc"' in page
    assert "Classe virtuelle non configurée" in " ".join(
        m.message for m in _join(client, vc["teacher"], vc["room"]).wsgi_request._messages
    )


def test_a_server_of_the_academie_is_preferred_to_the_environment(settings, standin, vc):
    Server.objects.create(
        name="BBB Normandie",
        url=standin.api_url,
        secret=SECRET,
        academie=vc["session"].departement.academie,
    )
    settings.PREAU_BBB_URL = "http://127.0.0.1:9/nothing"
    assert services.join_url(room=vc["room"], user=vc["teacher"]).startswith(standin.api_url)


@pytest.mark.parametrize("fault", ["wrong_secret", "html", "timeout"])
def test_a_failing_server_calms_participants_and_tells_trainers_why(
    client, settings, standin, html_server, silent_server, vc, fault
):
    if fault == "wrong_secret":
        settings.PREAU_BBB_SECRET = "pas-le-bon"
    elif fault == "html":
        settings.PREAU_BBB_URL = html_server
    else:
        settings.PREAU_BBB_URL = silent_server
        settings.PREAU_BBB_TIMEOUT_SECONDS = 0.3
    room_url = reverse("virtualclasses:room", args=[vc["room"].pk])
    client.force_login(vc["teacher"])
    page = client.get(room_url).content.decode()
    assert "La classe virtuelle ne répond pas, réessayez dans un instant." in page
    response = _join(client, vc["teacher"], vc["room"])
    assert response["Location"] == room_url
    page = client.get(room_url).content.decode()  # the message of the refused join
    assert page.count("La classe virtuelle ne répond pas") == 2
    client.force_login(vc["trainer"])
    page = client.get(room_url).content.decode()
    assert "Le serveur de classe virtuelle a échoué" in page
    assert "réessayez dans un instant" not in page


def test_the_room_page_lets_rejoindre_be_redirected_to_the_server(client, standin, vc):
    client.force_login(vc["teacher"])
    response = client.get(reverse("virtualclasses:room", args=[vc["room"].pk]))
    policy = response["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert standin.base_url in form_action and "'self'" in form_action
    other = client.get(reverse("virtualclasses:session", args=[vc["session"].pk]))
    assert standin.base_url not in other["Content-Security-Policy"]


def test_https_servers_allow_a_scalelite_redirect_to_another_host():
    from preau.virtualclasses.views import join_origins

    assert join_origins("https://sl.example.fr/bigbluebutton/api") == [
        "https://sl.example.fr",
        "https:",
    ]
    assert join_origins("http://127.0.0.1:8090/bigbluebutton/api") == ["http://127.0.0.1:8090"]


def test_the_sessions_page_lists_every_virtual_meeting_even_never_opened(client, standin, vc):
    later = factories.MeetingFactory(session=vc["session"], virtual=True, title="Bilan à distance")
    client.force_login(vc["teacher"])
    page = client.get(reverse("virtualclasses:session", args=[vc["session"].pk])).content.decode()
    assert "Bilan à distance" in page and "Classe virtuelle de lancement" in page
    assert Room.objects.filter(meeting=later).exists()
