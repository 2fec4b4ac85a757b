"""The media storage on a full disk: a clear French error, no truncated file left."""

import errno
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from preau.core.storage import DiskFull, MediaStorage
from tests.disk import small_disk


def files_under(root) -> list[str]:
    return sorted(p.name for p in Path(root).rglob("*") if p.is_file())


def test_the_media_storage_is_the_one_that_cleans_up_after_a_full_disk():
    assert isinstance(default_storage, MediaStorage)


def test_a_file_that_fills_the_disk_is_refused_clearly_and_removed(settings):
    with small_disk(room=1000), pytest.raises(DiskFull) as refused:
        default_storage.save("parcours/gros.pdf", ContentFile(b"x" * 5000))

    assert "plus assez d’espace disque" in str(refused.value.messages[0])
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_that_fits_is_written_whole(settings):
    with small_disk(room=1000):
        name = default_storage.save("parcours/petit.pdf", ContentFile(b"x" * 900))

    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == b"x" * 900


def test_another_error_of_the_file_system_is_not_taken_for_a_full_disk(settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("django.core.files.storage.filesystem.os.open", refuse)

    with pytest.raises(PermissionError):
        default_storage.save("parcours/x.pdf", ContentFile(b"x"))
