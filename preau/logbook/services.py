"""Every write to a logbook, with its rules. Only an entry's author writes it (the views reach
entries through access.get_own_entry_or_404; the services check again).

The logbook belongs to the teacher, not to a session: an entry may be written, changed, unshared
or deleted whatever the state of the session it is tied to (a portfolio is often written after
the training). Sharing is a message to a session's trainers: a closed or archived session
receives none (`share` refuses), as it receives no forum post.

Deleting deletes for good: the row, its attachments' rows, and their files in the storage (once
the transaction is committed, so that a rolled-back deletion keeps its files).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from preau.core.numbers import french_count
from preau.parcours.models import Section
from preau.parcours.sanitize import clean_html
from preau.parcours.uploads import validate_upload

from .access import sessions_taken_part_in
from .models import (
    ATTACHMENTS_MAX,
    BODY_MAX_CHARS,
    TITLE_MAX_CHARS,
    Attachment,
    Entry,
    plain_text,
)


def clean_body(body: str) -> str:
    """Sanitised HTML, or a French error: empty, or longer than the cap."""
    if len(body or "") > BODY_MAX_CHARS * 2:  # before any parsing of a huge paste
        raise _too_long()
    body = clean_html(body or "")
    if not strip_tags(body).strip():
        raise ValidationError(_("L’entrée est vide : écrivez quelques mots."), code="empty")
    if len(body) > BODY_MAX_CHARS:
        raise _too_long()
    return body


def _too_long() -> ValidationError:
    return ValidationError(
        _("Le texte est trop long : %(max)s caractères au plus.")
        % {"max": french_count(BODY_MAX_CHARS)},
        code="too_long",
    )


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Donnez un titre à l’entrée."), code="empty_title")
    return title[:TITLE_MAX_CHARS]


def _check_tie(*, by, session, section) -> None:
    if section is not None and session is None:
        raise ValidationError(_("Une étape se choisit avec sa session."), code="section_alone")
    if session is not None and not sessions_taken_part_in(by).filter(pk=session.pk).exists():
        raise PermissionDenied(_("Vous ne participez pas à cette session."))
    if (
        section is not None
        and not Section.objects.filter(pk=section.pk, parcours_id=session.content_id).exists()
    ):
        raise ValidationError(_("Cette étape n’est pas dans la session choisie."), code="section")


def _check_owner(entry: Entry, by) -> None:
    if entry.owner_id != by.pk:
        raise PermissionDenied


def _check_files(entry: Entry | None, files) -> None:
    files = list(files or [])
    for uploaded in files:
        validate_upload(uploaded)
    already = entry.attachments.count() if entry is not None and entry.pk else 0
    if already + len(files) > ATTACHMENTS_MAX:
        raise ValidationError(
            _("Une entrée porte au plus %(max)s pièces jointes.") % {"max": ATTACHMENTS_MAX},
            code="too_many_files",
        )


def _delete_files_on_commit(names: list[str], storage) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def write_entry(
    *, by, title: str, body: str, written_on=None, session=None, section=None, files=()
) -> Entry:
    _check_tie(by=by, session=session, section=section)
    _check_files(None, files)
    entry = Entry.objects.create(
        owner=by,
        title=clean_title(title),
        body=(cleaned := clean_body(body)),
        text=plain_text(cleaned),
        written_on=written_on or timezone.localdate(),
        session=session,
        section=section,
    )
    for uploaded in files:
        Attachment.objects.create(entry=entry, file=uploaded)
    return entry


@transaction.atomic
def update_entry(
    *,
    entry: Entry,
    by,
    title: str,
    body: str,
    written_on=None,
    session=None,
    section=None,
    files=(),
    remove=(),
) -> Entry:
    """Changes an entry. Tied to another session (or to none), a shared entry stops being
    shared: its author shares it again, knowingly, with the new session's trainers."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _check_owner(entry, by)
    _check_tie(by=by, session=session, section=section)
    removed = list(entry.attachments.filter(pk__in=[a.pk for a in remove]))
    _check_files(entry, files)
    entry.title = clean_title(title)
    entry.body = clean_body(body)
    entry.text = plain_text(entry.body)
    entry.written_on = written_on or entry.written_on
    if entry.session_id != (session.pk if session else None):
        entry.shared = False
    entry.session, entry.section = session, section
    entry.save(
        update_fields=["title", "body", "text", "written_on", "session", "section", "shared"]
    )
    if removed:
        _delete_files_on_commit([a.file.name for a in removed], removed[0].file.storage)
        Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    for uploaded in files:
        Attachment.objects.create(entry=entry, file=uploaded)
    return entry


@transaction.atomic
def delete_entry(*, entry: Entry, by) -> None:
    """For good: the entry, its attachments and their files."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _check_owner(entry, by)
    attachments = list(entry.attachments.all())
    if attachments:
        _delete_files_on_commit([a.file.name for a in attachments], attachments[0].file.storage)
    entry.delete()


@transaction.atomic
def share(*, entry: Entry, by) -> Entry:
    """« Valoriser »: the trainers of the entry's session may read it (docs/logbook.md)."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("session").get(pk=entry.pk)
    _check_owner(entry, by)
    if entry.session is None:
        raise ValidationError(
            _("Rattachez d’abord l’entrée à une session : elle sera partagée avec ses formateurs."),
            code="no_session",
        )
    if entry.session.is_read_only:
        raise ValidationError(
            _("La session est close : ses formateurs ne reçoivent plus d’entrées valorisées."),
            code="closed",
        )
    if not sessions_taken_part_in(by).filter(pk=entry.session_id).exists():
        raise PermissionDenied(_("Vous ne participez plus à cette session."))
    if not entry.shared:
        entry.shared = True
        entry.save(update_fields=["shared"])
    return entry


@transaction.atomic
def unshare(*, entry: Entry, by) -> Entry:
    """Always possible, even once the session is closed: a consent withdrawn at will."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    _check_owner(entry, by)
    if entry.shared:
        entry.shared = False
        entry.save(update_fields=["shared"])
    return entry
