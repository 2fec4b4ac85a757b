"""Groups and documents through the services: the rules, and the storage of Yjs updates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pycrdt import Doc

from preau.preparations import crdt, services
from preau.preparations.models import Document, DocumentUpdate, Group, Membership
from preau.training.models import SessionStatus
from tests import factories

from .conftest import close, typed

pytestmark = pytest.mark.django_db


def test_a_new_group_document_starts_from_the_template_of_the_activity(prep):
    html = crdt.to_html(services.load(prep["document"]))

    assert html.startswith("<h2>Objectifs</h2><p></p><h2>Déroulé en étapes</h2>")
    assert "<h2>Bilan après la mise en œuvre</h2>" in html


def test_groups_by_school_gather_the_participants_left(prep):
    groups = services.make_groups_by_school(
        activity=prep["activity"], session=prep["session"], by=prep["trainer"]
    )

    # Lou (École Jules Ferry) joins the school's group rather than a new one.
    assert [g.name for g in groups] == ["École Jules Ferry"]
    assert set(groups[0].members.all()) == {prep["lou"]}


def test_random_groups_have_the_size_asked_and_take_everyone_left(prep, territory):
    newcomers = factories.teachers_at(territory["caen_school"], 7)
    for person in newcomers:
        factories.EnrolmentFactory(session=prep["session"], user=person)

    groups = services.make_random_groups(
        activity=prep["activity"], session=prep["session"], size=3, by=prep["trainer"], seed=1
    )

    assert [g.members.count() for g in groups] == [3, 3, 2]
    assert [g.name for g in groups] == ["Groupe 1", "Groupe 2", "Groupe 3"]
    assert Membership.objects.filter(activity=prep["activity"]).count() == 3 + 8
    assert all(hasattr(g, "document") for g in groups)


@pytest.mark.parametrize("size", [0, 1, 31])
def test_random_groups_refuse_a_silly_size(prep, size):
    with pytest.raises(ValidationError):
        services.make_random_groups(
            activity=prep["activity"], session=prep["session"], size=size, by=prep["trainer"]
        )


def test_a_person_is_in_one_group_per_preparation(prep):
    with pytest.raises(ValidationError, match="déjà un groupe"):
        services.create_group(
            activity=prep["activity"],
            session=prep["session"],
            name="Autre",
            members=[prep["teacher"]],
            by=prep["trainer"],
        )
    with pytest.raises(ValidationError):
        services.add_member(group=prep["other_group"], user=prep["teacher"], by=prep["trainer"])


def test_only_enrolled_participants_join_a_group(prep):
    with pytest.raises(ValidationError):
        services.add_member(group=prep["group"], user=prep["nobody"], by=prep["trainer"])


@pytest.mark.parametrize("person", ["tutor", "teacher", "nobody"])
def test_only_the_session_managers_make_groups(prep, person):
    with pytest.raises(PermissionDenied):
        services.make_groups_by_school(
            activity=prep["activity"], session=prep["session"], by=prep[person]
        )
    with pytest.raises(PermissionDenied):
        services.remove_member(group=prep["group"], user=prep["teacher"], by=prep[person])


def test_the_ien_who_runs_the_session_may_make_its_groups(prep):
    services.add_member(group=prep["group"], user=prep["lou"], by=prep["ien"])

    assert prep["group"].members.filter(pk=prep["lou"].pk).exists()


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_session_refuses_every_write(prep, status):
    update = typed(prep["document"], "Dénombrer")
    close(prep["session"], status)
    kwargs = {"activity": prep["activity"], "session": prep["session"], "by": prep["trainer"]}
    with pytest.raises(ValidationError, match="close"):
        services.make_groups_by_school(**kwargs)
    with pytest.raises(ValidationError, match="close"):
        services.make_random_groups(size=2, **kwargs)
    with pytest.raises(ValidationError, match="close"):
        services.create_group(name="Tard", members=[], **kwargs)
    with pytest.raises(ValidationError, match="close"):
        services.add_member(group=prep["group"], user=prep["lou"], by=prep["trainer"])
    with pytest.raises(ValidationError, match="close"):
        services.remove_member(group=prep["group"], user=prep["teacher"], by=prep["trainer"])
    with pytest.raises(ValidationError, match="close"):
        services.record_update(document=prep["document"], update=update, by=prep["teacher"])
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1


def test_a_member_update_is_stored_and_rebuilds_the_document(prep):
    update = typed(prep["document"], "Résoudre des problèmes à étapes")

    assert services.record_update(document=prep["document"], update=update, by=prep["teacher"])

    text = crdt.to_text(services.load(prep["document"]))
    assert text.startswith("Objectifs\nRésoudre des problèmes à étapes\n")


@pytest.mark.parametrize("person", ["other", "lou", "ien", "admin", "nobody"])
def test_nobody_but_members_and_staff_writes_a_document(prep, person):
    update = typed(prep["document"], "intrus")

    with pytest.raises(PermissionDenied):
        services.record_update(document=prep["document"], update=update, by=prep[person])
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1


def test_a_member_taken_out_of_the_group_no_longer_writes(prep):
    services.remove_member(group=prep["group"], user=prep["classmate"], by=prep["trainer"])

    with pytest.raises(PermissionDenied):
        services.record_update(
            document=prep["document"], update=typed(prep["document"], "x"), by=prep["classmate"]
        )


@pytest.mark.parametrize(
    "update, code",
    [
        (b"\x01\x02 not an update", "invalid"),
        (b"", "invalid"),
        (b"\xff" * 64, "invalid"),
        (b"x" * (crdt.UPDATE_MAX_BYTES + 1), "too_large"),
    ],
)
def test_a_forged_or_oversize_update_is_refused_and_nothing_stored(prep, update, code):
    with pytest.raises(ValidationError) as refused:
        services.record_update(document=prep["document"], update=update, by=prep["teacher"])

    assert refused.value.code == code
    assert "rien n’a été enregistré" in refused.value.messages[0]
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1


def test_an_update_writing_outside_the_document_is_refused(prep):
    doc = Doc()
    doc.get("comments", type=crdt.XmlFragment).children.append(crdt.XmlText("caché"))

    with pytest.raises(ValidationError):
        services.record_update(
            document=prep["document"], update=doc.get_update(), by=prep["trainer"]
        )


def test_a_50_mb_paste_is_refused_before_being_parsed(prep):
    doc = services.load(prep["document"])
    before = doc.get_state()
    crdt.fragment(doc).children[1].children[0].insert(0, "a" * 50_000_000)

    with pytest.raises(ValidationError, match="trop grande"):
        services.record_update(
            document=prep["document"], update=doc.get_update(before), by=prep["teacher"]
        )
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1


def test_compaction_keeps_the_document_and_leaves_one_row(prep):
    for word in ["Dénombrer", " des ", "collections"]:
        services.record_update(
            document=prep["document"], update=typed(prep["document"], word), by=prep["teacher"]
        )
    before = crdt.to_html(services.load(prep["document"]))

    assert services.compact(document=prep["document"]) == 4

    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1
    assert crdt.to_html(services.load(prep["document"])) == before
    prep["document"].refresh_from_db()
    assert prep["document"].compactions == 1


def test_compaction_is_not_fooled_by_the_order_of_a_state_vectors_clients(prep):
    """pycrdt encodes a state vector's clients in no fixed order: with these client ids the
    merged update's lists them unlike the replayed log's. Compared decoded, they are equal and
    the compaction goes on (compared as bytes, it refused: « would change it »)."""
    template = Doc(client_id=1)
    for _block in range(2):
        crdt.fragment(template).children.append(
            crdt.XmlElement("paragraph", {}, [crdt.XmlText("")])
        )
    rows = [template.get_update()]
    for client_id, block in [(1001, 0), (2002, 1)]:
        editor = Doc(client_id=client_id)
        for row in rows:
            editor.apply_update(row)
        before = editor.get_state()
        crdt.fragment(editor).children[block].children[0].insert(0, "abc")
        rows.append(editor.get_update(before))
    DocumentUpdate.objects.filter(document=prep["document"]).delete()
    for row in rows:
        DocumentUpdate.objects.create(document=prep["document"], data=row)
    replayed = crdt.rebuild(rows)
    assert replayed.get_state() != crdt.rebuild([crdt.merge(rows)]).get_state()

    assert services.compact(document=prep["document"]) == 3

    assert crdt.to_html(services.load(prep["document"])) == crdt.to_html(replayed)


def test_compaction_deletes_exactly_the_rows_it_read(prep, monkeypatch):
    """An update that commits while the compaction merges (here: during the merge) stays,
    even with a smaller id than the last row read (ids are taken in one order and committed
    in another): deleting `id <= the last id read` would lose it."""
    late = typed(prep["document"], "tardif")
    template = DocumentUpdate.objects.get(document=prep["document"]).pk
    top = DocumentUpdate.objects.order_by("-pk").values_list("pk", flat=True).first()
    # The last row read has id top + 100; the late one takes top + 50, unread.
    DocumentUpdate.objects.create(
        pk=top + 100, document=prep["document"], data=typed(prep["document"], "tôt")
    )
    real_merge = crdt.merge

    def merge_while_someone_types(updates):
        DocumentUpdate.objects.create(pk=top + 50, document=prep["document"], data=late)
        return real_merge(updates)

    monkeypatch.setattr(crdt, "merge", merge_while_someone_types)

    assert services.compact(document=prep["document"]) == 2

    kept = DocumentUpdate.objects.filter(document=prep["document"]).order_by("pk")
    assert list(kept.values_list("pk", flat=True)) == [template, top + 50]
    assert "tardif" in crdt.to_text(services.load(prep["document"]))


def test_the_compaction_command_compacts_the_documents_with_many_updates(prep):
    from io import StringIO

    from django.core.management import call_command

    for word in ["un", "deux", "trois"]:
        services.record_update(
            document=prep["document"], update=typed(prep["document"], word), by=prep["teacher"]
        )
    before = crdt.to_html(services.load(prep["document"]))
    out = StringIO()

    call_command("compact_preparations", "--min-updates", "3", stdout=out)

    assert "1 document(s) compacté(s), 4 modifications fusionnées." in out.getvalue()
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1
    assert DocumentUpdate.objects.filter(document=prep["other_document"]).count() == 1
    assert crdt.to_html(services.load(prep["document"])) == before


# The cap on a document's size -------------------------------------------------------------------


def _stored(document) -> int:
    return sum(
        len(data)
        for data in DocumentUpdate.objects.filter(document=document).values_list("data", flat=True)
    )


def test_the_document_counts_the_bytes_it_stores_and_its_compaction_gives_back(prep):
    document = prep["document"]
    for word in ["Dénombrer", " des ", "collections"]:
        services.record_update(document=document, update=typed(document, word), by=prep["teacher"])
    document.refresh_from_db()
    assert document.stored_bytes == _stored(document) > 0

    services.compact(document=document)

    document.refresh_from_db()
    assert document.stored_bytes == _stored(document)


def test_an_update_the_document_has_no_room_for_is_refused_and_nothing_stored(prep, settings):
    document = prep["document"]
    services.record_update(document=document, update=typed(document, "Compter"), by=prep["teacher"])
    document.refresh_from_db()
    size = document.stored_bytes
    update = typed(document, "Un long passage collé")
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = size + len(update) - 1

    with pytest.raises(ValidationError) as refused:
        services.record_update(document=document, update=update, by=prep["teacher"])

    assert refused.value.code == "document_full"
    cap = f"{(size + len(update) - 1) / 1_000_000:g}".replace(".", ",")  # e.g. « 0,000734 »
    assert refused.value.messages == [
        f"Ce document est plein ({cap} Mo au plus) : cette modification n’a pas été enregistrée."
    ]
    assert DocumentUpdate.objects.filter(document=document).count() == 2
    document.refresh_from_db()
    assert document.stored_bytes == size
    # Exactly the room it needs: stored.
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = size + len(update)
    assert services.record_update(document=document, update=update, by=prep["teacher"])


def test_the_cap_is_read_in_the_database_not_from_a_stale_document(prep, settings):
    """Two requests holding the same document: the second one's copy still says « empty »;
    the check is the database's (one conditional UPDATE), so it is refused all the same."""
    stale = Document.objects.get(pk=prep["document"].pk)
    fresh = Document.objects.get(pk=prep["document"].pk)
    first = typed(fresh, "Premier")
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = fresh.stored_bytes + len(first) + 10
    services.record_update(document=fresh, update=first, by=prep["teacher"])

    with pytest.raises(ValidationError, match="Ce document est plein"):
        services.record_update(document=stale, update=typed(stale, "Second"), by=prep["classmate"])


def test_fifty_megabytes_pasted_in_pieces_stop_at_the_documents_cap(prep, settings):
    """The issue's « 50 MB paste », cut into pieces under the 1 MB an update may weigh: the
    document takes them until its cap (5 MB by default), then refuses, nothing more stored."""
    assert settings.PREAU_PREP_MAX_DOCUMENT_BYTES == 5_000_000
    document = prep["document"]
    doc = services.load(document)
    text = crdt.fragment(doc).children[1].children[0]
    stored = refused = 0
    for _piece in range(56):  # 56 pieces of 900,000 characters: 50.4 MB
        before = doc.get_state()
        text.insert(0, "a" * 900_000)
        try:
            services.record_update(
                document=document, update=doc.get_update(before), by=prep["teacher"]
            )
        except ValidationError as error:
            assert error.code == "document_full"
            refused += 1
            break
        stored += 1

    assert (stored, refused) == (5, 1)
    document.refresh_from_db()
    assert document.stored_bytes == _stored(document) <= 5_000_000
    assert DocumentUpdate.objects.filter(document=document).count() == 1 + 5


def test_the_migration_counts_the_bytes_already_stored(prep):
    """The data migration that added the size (found by its name: the lead renumbers)."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    import preau.preparations.migrations as migrations

    (path,) = Path(migrations.__file__).parent.glob("*_document_stored_bytes.py")
    module = importlib.import_module(f"preau.preparations.migrations.{path.stem}")
    document = prep["document"]
    services.record_update(document=document, update=typed(document, "Avant"), by=prep["teacher"])
    Document.objects.update(stored_bytes=0)
    empty = Document.objects.create(
        group=Group.objects.create(
            activity=prep["activity"], session=prep["session"], name="Sans modification"
        )
    )

    module.count_stored_bytes(apps, None)

    document.refresh_from_db()
    assert document.stored_bytes == _stored(document) > 0
    assert Document.objects.get(pk=empty.pk).stored_bytes == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_updates_at_once_cannot_both_fill_the_last_room(prep, settings):
    """The first update is stored but not yet committed; the second, which would fit were the
    first not there, waits for the document's row, then sees the first one counted: refused.
    (A size read first and checked in Python would let both in.)"""
    import threading

    from django.db import transaction

    document = Document.objects.get(pk=prep["document"].pk)
    first_update = typed(document, "Le premier écrit ici. ")
    second_update = typed(document, "Le second écrit là. ")
    settings.PREAU_PREP_MAX_DOCUMENT_BYTES = (
        document.stored_bytes + max(len(first_update), len(second_update)) + 5
    )
    first_stored, second_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.record_update(document=document, update=first_update, by=prep["teacher"])
                first_stored.set()
                second_started.wait(5)
                threading.Event().wait(0.5)  # the second one reaches the row meanwhile
            outcome["first"] = "stored"
        except Exception as error:
            outcome["first"] = error
        finally:
            connection.close()

    def second():
        try:
            first_stored.wait(5)
            second_started.set()
            services.record_update(document=document, update=second_update, by=prep["classmate"])
            outcome["second"] = "stored"
        except ValidationError as error:
            outcome["second"] = error.code
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome == {"first": "stored", "second": "document_full"}
    assert DocumentUpdate.objects.filter(document=document).count() == 2


def test_the_compaction_command_goes_on_after_a_document_it_cannot_compact(
    prep, monkeypatch, caplog
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from preau.preparations.management.commands import compact_preparations

    for document in (prep["document"], prep["other_document"]):
        for word in ["un", "deux"]:
            services.record_update(
                document=document, update=typed(document, word), by=prep["trainer"]
            )
    real_compact = compact_preparations.compact

    def compact(*, document, **options):
        if document.pk == prep["document"].pk:
            raise RuntimeError("compaction of this document would change it")
        return real_compact(document=document, **options)

    monkeypatch.setattr(compact_preparations, "compact", compact)
    out = StringIO()

    with pytest.raises(CommandError, match=f"non compacté.*{prep['document'].pk}"):
        call_command("compact_preparations", "--min-updates", "3", stdout=out)

    assert "1 document(s) compacté(s), 3 modifications fusionnées." in out.getvalue()
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 3
    assert DocumentUpdate.objects.filter(document=prep["other_document"]).count() == 1
    assert f"preparation document {prep['document'].pk} failed" in caplog.text
