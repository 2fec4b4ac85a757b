"""The media storage: Django's file system storage, which a full disk cannot leave half-written.

Django's FileSystemStorage writes an upload chunk by chunk into a new file and, when the disk
fills up (ENOSPC) or the quota is reached (EDQUOT), leaves the truncated file behind. Here the
truncated file is removed and the error becomes a DiskFull, a ValidationError with a French
message: the services that save files run in a transaction, so their row is not written, and
the views that already show a service's ValidationError on the form show this one too."""

import errno
import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

FULL = {errno.ENOSPC, errno.EDQUOT}


class DiskFull(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Le serveur n’a plus assez d’espace disque : votre fichier n’a pas été "
                "enregistré. Réessayez plus tard ; l’équipe technique est prévenue."
            ),
            code="disk_full",
        )


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno not in FULL:
                raise
            # `name` is the one this call created (Django opens it with O_EXCL), or none.
            try:
                self.delete(name)
            except OSError:
                logger.exception("Could not remove the truncated file %s", name)
            logger.error("Disk full while saving %s: %s", name, error)
            raise DiskFull() from error


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, DiskFull) or (isinstance(error, OSError) and error.errno in FULL)
