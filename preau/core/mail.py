"""The e-mails of the demo (`make run`): each message is written as one .eml file (RFC 5322, the
format any mail reader opens) under var/mail/, named after its time, recipient and subject, and
one line on the console says where it is. Production sends through SMTP (config/settings/base.py).
"""

import logging
import os
import re

from django.core.mail.backends.filebased import EmailBackend as FileBasedBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone
from django.utils.text import slugify

logger = logging.getLogger(__name__)

# Characters kept from an address in a file name (the rest becomes "-").
_UNSAFE_IN_ADDRESS = re.compile(r"[^A-Za-z0-9@._+-]+")
SUBJECT_CHARS_IN_NAME = 60


def eml_file_name(message: EmailMessage, now=None) -> str:
    """« 2026-12-07_100000_enseignant@demo.preau.fr_reinitialisation-du-mot-de-passe.eml »:
    sorted by time in a file listing, and telling whom and what at a glance."""
    now = timezone.localtime(now)
    recipients = message.recipients()
    to = _UNSAFE_IN_ADDRESS.sub("-", recipients[0]).strip("-") if recipients else "personne"
    if len(recipients) > 1:
        to += f"-et-{len(recipients) - 1}"
    subject = slugify(message.subject)[:SUBJECT_CHARS_IN_NAME].strip("-") or "sans-objet"
    return f"{now:%Y-%m-%d_%H%M%S}_{to}_{subject}.eml"


class EmlFileBackend(FileBasedBackend):
    """One .eml file per message in EMAIL_FILE_PATH, and a console line with its path."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            path = self.write_eml(message)
            logger.info(
                "Courriel « %s » pour %s : %s",
                message.subject,
                ", ".join(message.recipients()),
                _shown(path),
            )
            sent += 1
        return sent

    def write_eml(self, message: EmailMessage) -> str:
        # CRLF line endings, as RFC 5322 writes a message on the wire.
        content = message.message().as_bytes(linesep="\r\n")
        name = eml_file_name(message)
        stem, suffix = name.removesuffix(".eml"), 1
        while True:
            path = os.path.join(self.file_path, name)
            try:
                # "x": never overwrite a message written in the same second to the same person.
                with open(path, "xb") as file:
                    file.write(content)
                return path
            except FileExistsError:
                suffix += 1
                name = f"{stem}-{suffix}.eml"


def _shown(path: str) -> str:
    """The path as typed from where the server was started (var/mail/…), when it is below."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
