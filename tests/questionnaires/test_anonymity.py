"""The satisfaction questionnaire is anonymous by construction: the answers hold no user, no
time, random ids; the « a répondu » marker holds the person and nothing of the answers; no
shared id, no sequence, no order links them; nothing is logged. Runs on SQLite and PostgreSQL."""

import logging
import uuid

import pytest
from django.db import OperationalError, connection, models

from preau.questionnaires import services
from preau.questionnaires.models import SatisfactionAnswer, SatisfactionMarker

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


def test_the_answers_of_one_person_are_written_in_random_order(room):
    """Within one person's answers too, the id order is not the order of the questions: the
    rows are shuffled before writing and get random ids."""
    _send_all(room)
    question_order = {q.pk: q.position for q in room["satisfaction"].questions.all()}
    orders = [[question_order[a.question_id] for a in SatisfactionAnswer.objects.order_by("id")]]
    assert orders[0] != sorted(orders[0])


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
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f'SELECT {columns} FROM "{table}"')
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def test_no_order_of_writing_survives_on_disk(room):
    """The database itself must not keep the order the rows came in. SQLite: both tables are
    WITHOUT ROWID (no hidden counter of insertions; the table is stored by its random id).
    PostgreSQL, whose heap keeps arrival order: the nightly `reorder_anonymous_answers`
    rewrites both tables by random id, after which a scan returns them in that order."""
    from django.core.management import call_command

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
