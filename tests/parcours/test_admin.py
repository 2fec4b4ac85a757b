"""The technical admin keeps the rules of the application: the history of a parcours cannot be
rewritten or erased there, and its uploads are checked as the application's are."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from preau.parcours.models import Activity, Event
from tests import factories


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def event(db):
    return factories.EventFactory(
        action=Event.Action.CHANGES_REQUESTED, comment="Précisez les objectifs."
    )


def test_the_history_of_a_parcours_can_be_read_in_the_admin(superuser_client, event):
    listing = superuser_client.get(reverse("admin:parcours_event_changelist"))
    page = superuser_client.get(reverse("admin:parcours_event_change", args=[event.pk]))

    assert listing.status_code == page.status_code == 200
    assert "Précisez les objectifs." in page.content.decode()
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]


def test_the_history_of_a_parcours_cannot_be_changed_in_the_admin(superuser_client, event):
    response = superuser_client.post(
        reverse("admin:parcours_event_change", args=[event.pk]),
        {"parcours": event.parcours_id, "action": "approved", "comment": "Réécrit."},
    )

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.comment == "Précisez les objectifs."


def test_the_history_of_a_parcours_cannot_be_added_to_or_deleted_in_the_admin(
    superuser_client, event
):
    add = superuser_client.get(reverse("admin:parcours_event_add"))
    delete = superuser_client.post(
        reverse("admin:parcours_event_delete", args=[event.pk]), {"post": "yes"}
    )
    bulk = superuser_client.post(
        reverse("admin:parcours_event_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    assert add.status_code == delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_parcours_admin_shows_its_history_read_only(superuser_client, event):
    page = superuser_client.get(
        reverse("admin:parcours_parcours_change", args=[event.parcours_id])
    ).content.decode()

    assert "Précisez les objectifs." in page
    assert 'name="events-0-comment"' not in page
    assert 'name="events-0-DELETE"' not in page


# Uploads ------------------------------------------------------------------------------------


def add_file_activity(client, section, upload):
    return client.post(
        reverse("admin:parcours_activity_add"),
        {
            "section": section.pk,
            "kind": "file",
            "title": "Document",
            "position": 1,
            "body": "",
            "url": "",
            "file": upload,
        },
    )


def test_the_admin_refuses_a_file_of_a_type_the_application_refuses(superuser_client, db):
    section = factories.SectionFactory()

    response = add_file_activity(
        superuser_client, section, SimpleUploadedFile("outil.exe", b"MZ\x90\x00")
    )

    assert response.status_code == 200
    assert "Type de fichier non accepté (.exe)" in response.content.decode()
    assert not Activity.objects.filter(section=section).exists()


def test_the_admin_refuses_a_file_over_the_size_limit(superuser_client, settings, db):
    settings.PREAU_UPLOAD_MAX_BYTES = 1000
    section = factories.SectionFactory()

    response = add_file_activity(
        superuser_client, section, SimpleUploadedFile("notes.pdf", b"%PDF" + b"x" * 2000)
    )

    assert "Fichier trop volumineux" in response.content.decode()
    assert not Activity.objects.filter(section=section).exists()


def test_the_admin_accepts_a_file_the_application_accepts(superuser_client, db):
    section = factories.SectionFactory()

    response = add_file_activity(
        superuser_client, section, SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes")
    )

    assert response.status_code == 302
    assert Activity.objects.get(section=section).file.name.endswith(".pdf")


def test_subtitles_and_thumbnails_are_checked_by_their_fields_in_any_form(db):
    activity = factories.ActivityFactory()
    activity.subtitles = SimpleUploadedFile("sous-titres.txt", b"WEBVTT")
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        activity.full_clean()

    gif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(gif, "GIF")
    parcours = factories.ParcoursFactory()
    parcours.thumbnail = SimpleUploadedFile("vignette.gif", gif.getvalue())
    with pytest.raises(ValidationError, match="Type de fichier non accepté"):
        parcours.full_clean()


def test_a_file_already_stored_is_not_checked_again(db, settings):
    activity = factories.ActivityFactory(
        kind="file", file=SimpleUploadedFile("ancien.pdf", b"%PDF" + b"x" * 2000)
    )
    activity.refresh_from_db()
    settings.PREAU_UPLOAD_MAX_BYTES = 1000  # lowered since

    activity.title = "Nouveau titre"
    activity.full_clean()  # no error: the stored file was accepted when it came
