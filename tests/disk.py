"""A disk that fills up, for the tests of uploads: the media storage writes real bytes into
the temporary media folder until `room` bytes are used, then the write fails with ENOSPC, as
a full file system does (the truncated file stays on disk unless someone removes it)."""

import errno
import os
from contextlib import contextmanager
from unittest import mock

_fdopen = os.fdopen


class _Limited:
    def __init__(self, disk, file):
        self.disk, self.file = disk, file

    def write(self, data):
        if len(data) > self.disk.room:
            self.file.write(data[: self.disk.room])
            self.file.flush()
            self.disk.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.disk.room -= len(data)
        return self.file.write(data)

    def close(self):
        self.file.close()


class SmallDisk:
    def __init__(self, room: int):
        self.room = room

    def fdopen(self, fd, *args, **kwargs):
        return _Limited(self, _fdopen(fd, *args, **kwargs))


@contextmanager
def small_disk(room: int):
    """The file system storage (django.core.files.storage.filesystem) writes through
    os.fdopen: its files get `room` bytes in all."""
    disk = SmallDisk(room)
    with mock.patch("django.core.files.storage.filesystem.os.fdopen", disk.fdopen):
        yield disk
