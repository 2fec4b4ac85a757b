"""GAIA's three files uploaded on a full disk: a clear error, no import, none of the files."""

from pathlib import Path

from preau.hr.models import HrImport
from tests.disk import small_disk

from .gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads
from .test_views import upload


def test_gaia_files_uploaded_on_a_full_disk_leave_no_import_and_no_file(
    client, cast, territory, settings
):
    client.force_login(cast["manager"])
    files = gaia_uploads(FORMATIONS, TRAINERS, TRAINEES)
    # Room for the first file and part of the second.
    room = files["formations"].size + files["intervenants"].size // 2

    with small_disk(room=room):
        response = upload(client, territory["academie"].pk)

    assert response.status_code == 200
    assert "Le serveur n’a plus assez d’espace disque" in response.content.decode()
    assert not HrImport.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
