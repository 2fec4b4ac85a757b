"""The satisfaction questionnaire is anonymous by construction: the answers hold no user, no
time, random ids; the « a répondu » marker holds the person and nothing of the answers; no
shared id, no sequence, no order links them; nothing is logged. Runs on SQLite and PostgreSQL."""

import logging
import random
import secrets
import uuid

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, models, transaction

from preau.questionnaires import services
from preau.questionnaires.models import (
    OptionCount,
    SatisfactionAnswer,
    SatisfactionDraft,
    SatisfactionMarker,
)

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def test_the_answers_table_has_no_user_and_no_time():
    fields = {f.name: f for f in SatisfactionAnswer._meta.get_fields()}
    assert set(fields) == {"id", "question", "choices", "text"}
    for field in fields.values():
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        if field.is_relation:
            assert field.related_model.__name__ == "Question"
    assert isinstance(fields["id"], models.UUIDField)


def test_the_marker_holds_the_person_and_nothing_of_the_answers():
    fields = {f.name for f in SatisfactionMarker._meta.get_fields()}
    assert fields == {"id", "questionnaire", "user"}
    assert isinstance(SatisfactionMarker._meta.pk, models.UUIDField)


def _send_all(room):
    people = [room["teacher"], *room["classmates"]]
    questionnaire = room["satisfaction"]
    for seed, person in enumerate(people):
        services.send(
            questionnaire=questionnaire, by=person, answers=answer_all(questionnaire, person, seed)
        )
    return people


def test_answers_and_markers_share_no_id_no_sequence_and_no_order(room):
    people = _send_all(room)
    answers = list(SatisfactionAnswer.objects.all())
    markers = list(SatisfactionMarker.objects.all())
    assert len(markers) == len(people)
    for row in [*answers, *markers]:
        assert isinstance(row.pk, uuid.UUID) and row.pk.version == 4
    answer_ids = {row.pk for row in answers}
    assert not answer_ids & {row.pk for row in markers}
    # Version 4: 122 random bits, no time in them (versions 1, 6 and 7 carry a timestamp that
    # would order the rows of both tables by writing time).
    assert SatisfactionMarker._meta.ordering == []
    assert SatisfactionAnswer._meta.ordering == ["id"]
    # No sequence (auto-increment counter) exists for either table, so no counter value can
    # be compared between them.
    tables = [SatisfactionAnswer._meta.db_table, SatisfactionMarker._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                assert cursor.fetchone()[0] is None
                cursor.execute(
                    "SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = 'id'",
                    [table],
                )
                assert cursor.fetchone()[0] is None
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='sqlite_sequence'"
            )
            if cursor.fetchone():
                cursor.execute("SELECT name FROM sqlite_sequence WHERE name IN (%s, %s)", tables)
                assert cursor.fetchall() == []


def _orders_written(room, monkeypatch) -> list[list[int]]:
    """For each person who sends, the positions of the questions of their answers in the order
    the rows are handed to the database (spying on the bulk insert of `services.record`)."""
    positions = {q.pk: q.position for q in room["satisfaction"].questions.all()}
    orders = []
    insert = SatisfactionAnswer.objects.bulk_create

    def spy(rows, *args, **kwargs):
        orders.append([positions[row.question_id] for row in rows])
        return insert(rows, *args, **kwargs)

    monkeypatch.setattr(SatisfactionAnswer.objects, "bulk_create", spy)
    _send_all(room)
    return orders


def test_the_answers_of_one_person_are_written_in_random_order(room, monkeypatch):
    """The rows of one person's answers are shuffled before they are written: where a database
    keeps the order of writing, it is not the order of the questions. (The order of their ids
    says nothing here: the ids are random whether or not the rows are shuffled.)"""
    orders = _orders_written(room, monkeypatch)
    assert len(orders) == 7 and all(len(order) >= 6 for order in orders)
    # Seven shuffles of at least 6 rows all in question order: a chance under 1 in 10^19.
    assert any(order != sorted(order) for order in orders)
    assert len({tuple(order) for order in orders}) > 1


def test_the_shuffle_check_fails_when_the_rows_are_not_shuffled(room, monkeypatch):
    """The check above can fail: with the shuffle made a no-op, every person's rows are written
    in the order of the questions."""
    monkeypatch.setattr(random.SystemRandom, "shuffle", lambda self, rows: None)
    orders = _orders_written(room, monkeypatch)
    assert orders and all(order == sorted(order) for order in orders)


def test_nothing_of_the_answers_is_logged(room, caplog):
    questionnaire = room["satisfaction"]
    secret = "Texte très reconnaissable 8f3a"
    answers = answer_all(questionnaire, room["teacher"], 1)
    text_question = questionnaire.questions.filter(kind="long_text").first()
    answers[str(text_question.pk)] = secret
    with caplog.at_level(logging.DEBUG):
        services.send(questionnaire=questionnaire, by=room["teacher"], answers=answers)
    assert SatisfactionAnswer.objects.filter(text=secret).exists()
    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert secret not in logged
    assert room["teacher"].email not in logged


def _physical_ids(table: str, columns: str = "id") -> list[str]:
    """The ids in the order the database stores the rows: a scan of the table itself (not of an
    index that holds the ids too), no ORDER BY."""
    with transaction.atomic(), connection.cursor() as cursor:  # SET LOCAL: in a transaction
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f'SELECT {columns} FROM "{table}"')
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


# The nightly command runs outside any transaction (as cron runs it): the test commits its rows.
@pytest.mark.django_db(transaction=True)
def test_no_order_of_writing_survives_on_disk(room):
    """The database itself must not keep the order the rows came in. SQLite: both tables are
    WITHOUT ROWID (no hidden counter of insertions; the table is stored by its random id).
    PostgreSQL, whose heap keeps arrival order: the nightly `reorder_anonymous_answers`
    rewrites both tables by random id, after which a scan returns them in that order."""
    people = _send_all(room)
    call_command("reorder_anonymous_answers", verbosity=0)

    tables = [SatisfactionAnswer._meta.db_table, SatisfactionMarker._meta.db_table]
    if connection.vendor == "postgresql":
        for table in tables:
            ids = _physical_ids(table)
            assert ids == sorted(ids), table
    else:
        for table in tables:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
                )
                assert cursor.fetchone()[0].upper().endswith("WITHOUT ROWID")
                with pytest.raises(OperationalError):
                    cursor.execute(f'SELECT rowid FROM "{table}"')
        # `text` is in no index: the scan reads the table, stored by id.
        ids = _physical_ids(tables[0], columns="id, text")
        assert ids == sorted(ids)
    assert SatisfactionMarker.objects.filter(user__in=people).count() == len(people)


def _sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _answers_by_marker() -> dict[int, set[str]]:
    """What a database user reads by matching the transaction ids of both tables (PostgreSQL's
    `xmin`, readable by any SQL user): each person who answered, with the answers written in
    the same transaction as their marker."""
    linked: dict[int, set[str]] = {}
    for user_id, answer_id in _sql(
        f'SELECT m.user_id, a.id FROM "{SatisfactionMarker._meta.db_table}" m '
        f'JOIN "{SatisfactionAnswer._meta.db_table}" a ON a.xmin::text = m.xmin::text'
    ):
        linked.setdefault(user_id, set()).add(str(answer_id))
    return linked


def _holds_no_old_row_version(table: str) -> bool:
    """Whether the table's file holds its live rows only: rewritten without dead versions, the
    live rows fill each page from its first slot without a gap (a dead version kept beside its
    live row leaves one). Without extensions (pageinspect needs a superuser)."""
    slots: dict[int, list[int]] = {}
    for (ctid,) in _sql(f'SELECT ctid::text FROM "{table}"'):
        page, slot = map(int, ctid.strip("()").split(","))
        slots.setdefault(page, []).append(slot)
    if not slots:  # no live row: the file must be empty
        return _sql("SELECT pg_relation_size(%s)", [table])[0][0] == 0
    return all(sorted(found) == list(range(1, len(found) + 1)) for found in slots.values())


@pytest.mark.django_db(transaction=True)
def test_after_the_nightly_run_no_transaction_id_links_a_person_to_their_answers(room):
    """PostgreSQL stamps each row with the id of the transaction that wrote it, and a send
    writes one person's answers, their marker and the counts in one transaction. The nightly
    command gives all those rows one transaction id, and rewrites the tables without the old
    row versions (nor the drafts deleted by the sends), so that the join on `xmin` links every
    person to every answer alike."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no transaction id in its rows")
    questionnaire = room["satisfaction"]
    long_text = questionnaire.questions.filter(kind="long_text").first()
    people = [room["teacher"], *room["classmates"][:2]]
    for seed, person in enumerate(people):
        answers = answer_all(questionnaire, person, seed)
        # Incompressible and long: stored out of line (TOAST), where it has its own xmin.
        answers[str(long_text.pk)] = secrets.token_hex(2_000)
        services.save_draft(questionnaire=questionnaire, by=person, answers=answers)
        services.send(questionnaire=questionnaire, by=person, answers=answers)

    # What the command is for: before it runs, the join isolates each person's answers.
    linked = _answers_by_marker()
    assert set(linked) == {p.pk for p in people}
    assert sum(len(ids) for ids in linked.values()) == SatisfactionAnswer.objects.count()

    answers = SatisfactionAnswer._meta.db_table
    toast_file = _sql(
        "SELECT pg_relation_filenode(reltoastrelid) FROM pg_class WHERE oid = %s::regclass",
        [answers],
    )[0][0]
    call_command("reorder_anonymous_answers", verbosity=0)

    markers = SatisfactionMarker._meta.db_table
    counts = OptionCount._meta.db_table
    stamps = _sql(
        f'SELECT count(DISTINCT x) FROM (SELECT xmin::text x FROM "{answers}" '
        f'UNION ALL SELECT xmin::text FROM "{markers}" '
        f'UNION ALL SELECT xmin::text FROM "{counts}") t'
    )
    assert stamps == [(1,)]
    everything = {str(pk) for pk in SatisfactionAnswer.objects.values_list("id", flat=True)}
    assert _answers_by_marker() == {p.pk: everything for p in people}
    # Out-of-line texts (TOAST) carry the xmin of the transaction that stored them; only a
    # superuser reads that table. CLUSTER stores them again (a new file), stamped with its own
    # transaction id, which no other table holds.
    (toast,) = _sql("SELECT reltoastrelid FROM pg_class WHERE oid = %s::regclass", [answers])[0]
    assert _sql("SELECT pg_relation_filenode(%s)", [toast])[0][0] != toast_file
    if _sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]:
        assert _sql(f"SELECT count(DISTINCT xmin::text) FROM {toast}::regclass") == [(1,)]
    # The old versions (with the sends' transaction ids) and the deleted drafts are gone.
    assert not SatisfactionDraft.objects.exists()
    for model in (SatisfactionAnswer, SatisfactionMarker, OptionCount, SatisfactionDraft):
        assert _holds_no_old_row_version(model._meta.db_table), model.__name__
