"""Groups and documents through the services: the rules, and the storage of Yjs updates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pycrdt import Doc

from preau.preparations import crdt, services
from preau.preparations.models import DocumentUpdate, Membership
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
