"""An activity's file uploaded on a full disk: the form says so, no activity, no file."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.parcours.models import Activity
from tests.disk import small_disk


def test_a_file_uploaded_on_a_full_disk_is_refused_clearly_and_nothing_is_kept(
    client, people, draft, media_root
):
    client.force_login(people["designer"])
    section = draft.sections.get()

    with small_disk(room=100):
        response = client.post(
            reverse("parcours:activity_add", args=[section.pk, "file"]),
            {"title": "Programme", "file": SimpleUploadedFile("programme.pdf", b"%PDF" * 500)},
        )

    assert response.status_code == 200
    assert "Le serveur n’a plus assez d’espace disque" in response.content.decode()
    assert not Activity.objects.filter(kind="file").exists()
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []
