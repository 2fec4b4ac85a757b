"""The BigBlueButton client: checksums, and each answer of the server it may get."""

import hashlib
import logging
import urllib.parse
import urllib.request

import pytest

from preau.virtualclasses.client import BBBClient, BBBError

from .conftest import SECRET

# The example of BigBlueButton's API documentation (docs.bigbluebutton.org/development/api).
DOC_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
DOC_QUERY = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"


def test_sha1_checksum_matches_the_example_of_bigbluebuttons_documentation():
    client = BBBClient("https://bbb.example/bigbluebutton/api", DOC_SECRET, sha1=True)
    assert client.checksum("create", DOC_QUERY) == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"


def test_sha256_is_the_default_checksum():
    client = BBBClient("https://bbb.example/bigbluebutton/api", DOC_SECRET)
    expected = hashlib.sha256(f"create{DOC_QUERY}{DOC_SECRET}".encode()).hexdigest()
    assert client.checksum("create", DOC_QUERY) == expected
    assert len(expected) == 64


def test_signed_url_covers_the_query_exactly_as_sent():
    client = BBBClient("https://bbb.example/bigbluebutton/", DOC_SECRET, sha1=True)
    url = client.url(
        "create",
        {"name": "Test Meeting", "meetingID": "abc123", "attendeePW": "111222",
         "moderatorPW": "333444"},
    )  # fmt: skip
    assert url == (
        f"https://bbb.example/bigbluebutton/api/create?{DOC_QUERY}"
        "&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


def test_booleans_are_sent_as_bigbluebutton_spells_them():
    url = BBBClient("https://b.example/api", "x").url("create", {"record": False, "x": None})
    assert "record=false" in url and "x=" not in url


def test_create_then_join_against_the_stand_in(standin):
    client = BBBClient(standin.api_url, SECRET)
    answer = client.create("salle-1", "Classe virtuelle", record=False)
    assert answer.message_key == "" and answer.text("voiceBridge").isdigit()
    again = client.create("salle-1", "Classe virtuelle", record=False)
    assert again.message_key == "duplicateWarning"
    assert not client.is_meeting_running("salle-1")
    join = client.join_url("salle-1", "Anne Martin", role="VIEWER", user_id="p7")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(join)
    assert redirect.value.code == 302
    assert "/salle/" in redirect.value.headers["Location"]
    redirect.value.close()
    assert client.is_meeting_running("salle-1")
    assert client.attendee_user_ids("salle-1") == {"p7"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_sha1_is_accepted_by_the_stand_in(standin):
    client = BBBClient(standin.api_url, SECRET, sha1=True)
    assert client.create("salle-sha1", "Classe").message_key == ""


def test_wrong_secret_is_a_checksum_error(standin, caplog):
    client = BBBClient(standin.api_url, "not-the-secret")
    with caplog.at_level(logging.WARNING), pytest.raises(BBBError) as error:
        client.create("salle-1", "Classe")
    assert error.value.key == "checksumError"
    assert "secret" in error.value.reason
    logged = [r for r in caplog.records if r.name == "preau.virtualclasses.client"]
    assert len(logged) == 1
    text = logged[0].getMessage()
    assert "not-the-secret" not in text and "checksum=" not in text


def test_unknown_meeting_is_not_found(standin):
    client = BBBClient(standin.api_url, SECRET)
    with pytest.raises(BBBError) as error:
        client.get_meeting_info("inconnue")
    assert error.value.key == "notFound"
    assert client.attendee_user_ids("inconnue") == set()
    with pytest.raises(BBBError) as error:
        client.end("inconnue")
    assert error.value.key == "notFound"


def test_create_with_another_meetings_passwords_is_id_not_unique(standin):
    client = BBBClient(standin.api_url, SECRET)
    client.create("salle-1", "Classe", moderatorPW="un")
    with pytest.raises(BBBError) as error:
        client.create("salle-1", "Classe", moderatorPW="deux")
    assert error.value.key == "idNotUnique"


def test_create_without_a_name_is_a_validation_error(standin):
    with pytest.raises(BBBError) as error:
        BBBClient(standin.api_url, SECRET).create("salle-1", "")
    assert error.value.key == "validationError"


def test_delete_an_unknown_recording_is_not_found(standin):
    with pytest.raises(BBBError) as error:
        BBBClient(standin.api_url, SECRET).delete_recordings("rien")
    assert error.value.key == "notFound"


def test_an_html_answer_is_an_error_for_the_trainer(html_server):
    with pytest.raises(BBBError) as error:
        BBBClient(html_server, SECRET).is_meeting_running("salle-1")
    assert error.value.key == "notXml"
    assert "HTML" in error.value.reason


def test_a_proxy_error_is_an_http_error_for_the_trainer(bad_gateway_server):
    with pytest.raises(BBBError) as error:
        BBBClient(bad_gateway_server, SECRET).is_meeting_running("salle-1")
    assert error.value.key == "http"
    assert "502" in error.value.reason


def test_a_server_that_hangs_times_out(silent_server):
    with pytest.raises(BBBError) as error:
        BBBClient(silent_server, SECRET, timeout=0.3).is_meeting_running("salle-1")
    assert error.value.key == "timeout"


def test_a_server_that_is_down_is_unreachable(closed_port_url):
    with pytest.raises(BBBError) as error:
        BBBClient(closed_port_url, SECRET).is_meeting_running("salle-1")
    assert error.value.key == "unreachable"


def test_a_failed_answer_without_a_known_key_keeps_the_servers_message(standin):
    client = BBBClient(standin.api_url, SECRET)
    with pytest.raises(BBBError) as error:
        client.call("publishRecordings", {"recordID": "x", "publish": "true"})
    assert error.value.key == "unsupportedRequest"
    assert "not supported" in error.value.reason


def test_the_query_is_urlencoded_as_sent(standin):
    client = BBBClient(standin.api_url, SECRET)
    name = "Réunion & co = « classe »"
    client.create("salle-accents", name)
    info = client.get_meeting_info("salle-accents")
    assert info.text("meetingName") == name
    assert urllib.parse.quote_plus("é") in client.url("create", {"name": "é"})
