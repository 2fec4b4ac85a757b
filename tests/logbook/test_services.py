"""The writes of the logbook and their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from preau.logbook import services
from preau.logbook.models import ATTACHMENTS_MAX, BODY_MAX_CHARS, Attachment, Entry
from preau.training.models import SessionStatus
from tests import factories

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def test_an_entry_is_written_with_its_html_sanitised(room):
    entry = services.write_entry(
        by=room["teacher"],
        title="  Une   idée  ",
        body='<p onclick="x()">Idée<script>alert(1)</script></p>',
    )

    assert entry.title == "Une idée"
    assert "script" not in entry.body and "onclick" not in entry.body
    assert "Idée" in entry.body
    assert entry.written_on == datetime.date(2026, 12, 7)
    assert entry.session is None and not entry.shared


@pytest.mark.parametrize("body", ["", "<p> </p>", "<script>x</script>"])
def test_an_empty_entry_is_refused(room, body):
    with pytest.raises(ValidationError):
        services.write_entry(by=room["teacher"], title="Vide", body=body)


def test_a_too_long_entry_is_refused(room):
    with pytest.raises(ValidationError):
        services.write_entry(
            by=room["teacher"], title="Long", body="<p>" + "a" * (BODY_MAX_CHARS + 1) + "</p>"
        )


def test_an_entry_cannot_be_tied_to_a_session_its_author_does_not_take_part_in(room):
    with pytest.raises(PermissionDenied):
        services.write_entry(
            by=room["waiting"], title="Essai", body="<p>Texte</p>", session=room["session"]
        )
    other = factories.teacher()
    with pytest.raises(PermissionDenied):
        services.write_entry(by=other, title="Essai", body="<p>Texte</p>", session=room["session"])


def test_a_section_must_be_of_the_chosen_session(room):
    elsewhere = factories.SectionFactory()
    with pytest.raises(ValidationError):
        services.write_entry(
            by=room["teacher"],
            title="Essai",
            body="<p>Texte</p>",
            session=room["session"],
            section=elsewhere,
        )
    with pytest.raises(ValidationError):
        services.write_entry(
            by=room["teacher"], title="Essai", body="<p>Texte</p>", section=room["section"]
        )


def test_an_entry_may_be_tied_to_a_closed_session_after_the_training(room):
    room["session"].status = SessionStatus.CLOSED
    room["session"].save(update_fields=["status"])

    entry = services.write_entry(
        by=room["teacher"], title="Bilan", body="<p>Après coup</p>", session=room["session"]
    )

    assert entry.session == room["session"]


def test_attachments_follow_the_upload_rules(room, settings):
    with pytest.raises(ValidationError):
        services.write_entry(
            by=room["teacher"],
            title="Essai",
            body="<p>Texte</p>",
            files=[SimpleUploadedFile("virus.exe", b"MZ")],
        )
    settings.PREAU_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.write_entry(
            by=room["teacher"], title="Essai", body="<p>Texte</p>", files=[pdf_file()]
        )
    assert not Entry.objects.exists()


def test_an_entry_holds_at_most_ten_attachments(room, entry):
    with pytest.raises(ValidationError):
        services.update_entry(
            entry=entry,
            by=room["teacher"],
            title=entry.title,
            body=entry.body,
            session=entry.session,
            files=[pdf_file(f"f{i}.pdf") for i in range(ATTACHMENTS_MAX)],
        )


def test_only_its_author_changes_shares_or_deletes_an_entry(room, entry):
    for person in (room["classmate"], room["trainer"], room["admin"]):
        with pytest.raises(PermissionDenied):
            services.update_entry(entry=entry, by=person, title="x", body="<p>x</p>")
        with pytest.raises(PermissionDenied):
            services.share(entry=entry, by=person)
        with pytest.raises(PermissionDenied):
            services.unshare(entry=entry, by=person)
        with pytest.raises(PermissionDenied):
            services.delete_entry(entry=entry, by=person)
    assert Entry.objects.filter(pk=entry.pk, shared=False).exists()


def test_deleting_an_entry_deletes_it_and_its_files_for_good(
    room, entry, django_capture_on_commit_callbacks
):
    name = entry.attachments.get().file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_entry(entry=entry, by=room["teacher"])

    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    # Nothing of the logbook is left in the storage.
    folders, _files = default_storage.listdir("logbook")
    assert all(not default_storage.listdir(f"logbook/{f}")[1] for f in folders)


def test_a_rolled_back_deletion_keeps_the_files(room, entry, django_capture_on_commit_callbacks):
    name = entry.attachments.get().file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_entry(entry=entry, by=room["teacher"])
    # Not committed: the callback that deletes the file has not run.
    assert len(callbacks) == 1
    assert default_storage.exists(name)


def test_an_attachment_removed_on_edit_leaves_the_storage(
    room, entry, django_capture_on_commit_callbacks
):
    attachment = entry.attachments.get()
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_entry(
            entry=entry,
            by=room["teacher"],
            title=entry.title,
            body=entry.body,
            session=entry.session,
            files=[pdf_file("autre.pdf")],
            remove=[attachment],
        )

    assert not default_storage.exists(name)
    assert [a.filename for a in entry.attachments.all()] == ["autre.pdf"]


def test_sharing_needs_a_session(room):
    entry = services.write_entry(by=room["teacher"], title="Pour moi", body="<p>Texte</p>")

    with pytest.raises(ValidationError):
        services.share(entry=entry, by=room["teacher"])


def test_sharing_and_unsharing(room, entry):
    services.share(entry=entry, by=room["teacher"])
    entry.refresh_from_db()
    assert entry.shared

    services.unshare(entry=entry, by=room["teacher"])
    entry.refresh_from_db()
    assert not entry.shared


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_receives_no_new_share(room, entry, status):
    room["session"].status = status
    room["session"].save(update_fields=["status"])

    with pytest.raises(ValidationError):
        services.share(entry=entry, by=room["teacher"])
    entry.refresh_from_db()
    assert not entry.shared


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_unsharing_editing_and_deleting_stay_possible_once_the_session_is_closed(
    room, entry, status
):
    services.share(entry=entry, by=room["teacher"])
    room["session"].status = status
    room["session"].save(update_fields=["status"])

    services.unshare(entry=entry, by=room["teacher"])
    services.update_entry(
        entry=entry, by=room["teacher"], title="Bilan", body="<p>Bilan</p>", session=room["session"]
    )
    services.delete_entry(entry=entry, by=room["teacher"])

    assert not Entry.objects.exists()


def test_tying_a_shared_entry_to_another_session_unshares_it(room, entry, territory):
    services.share(entry=entry, by=room["teacher"])
    other = factories.TrainingSessionFactory(
        open=True, circonscription=territory["caen"], participants=[room["teacher"]]
    )

    services.update_entry(
        entry=entry, by=room["teacher"], title=entry.title, body=entry.body, session=other
    )

    entry.refresh_from_db()
    assert entry.session == other and not entry.shared


def test_a_shared_entry_needs_a_session_in_the_database(room, entry):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(shared=True, session=None)


def test_a_deleted_session_leaves_its_entries_in_the_logbook_untied_and_unshared(room, entry):
    services.share(entry=entry, by=room["teacher"])

    room["session"].delete()

    entry.refresh_from_db()
    assert entry.session is None and not entry.shared
    assert entry.attachments.exists()
