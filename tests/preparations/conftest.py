import pytest

from preau.parcours.models import Activity
from preau.preparations import crdt, services
from preau.preparations.activities import DEFAULT_TEMPLATE
from preau.training.models import SessionStatus
from tests import factories


@pytest.fixture
def prep(cast, territory):
    """An open session of Caen Nord with a « Préparation collective » in its content: its
    trainer and tutor (cast); Camille (the cast's teacher) and Dominique of École Jules Ferry
    in group « Jules Ferry » (by school), Sacha of Bayeux in group « Bayeux »; Lou enrolled
    with no group yet."""
    t = territory
    classmate = factories.teacher(
        school=t["caen_school"], first_name="Dominique", last_name="Lemaire"
    )
    other = factories.teacher(school=t["bayeux_school"], first_name="Sacha", last_name="Roux")
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"], classmate, other],
    )
    section = session.content.sections.first() or factories.SectionFactory(parcours=session.content)
    activity = Activity.objects.create(
        section=section,
        kind="preparation",
        title="Préparer une séance de résolution de problèmes",
        body=DEFAULT_TEMPLATE,
    )
    ours = services.create_group(
        activity=activity,
        session=session,
        name="Jules Ferry",
        members=[cast["teacher"], classmate],
        by=cast["trainer"],
    )
    theirs = services.create_group(
        activity=activity, session=session, name="Bayeux", members=[other], by=cast["trainer"]
    )
    lou = factories.teacher(school=t["caen_school"], first_name="Lou", last_name="Martin")
    factories.EnrolmentFactory(session=session, user=lou)
    return {
        "session": session,
        "activity": activity,
        "group": ours,
        "document": ours.document,
        "other_group": theirs,
        "other_document": theirs.document,
        "trainer": cast["trainer"],
        "tutor": cast["tutor"],
        "teacher": cast["teacher"],
        "classmate": classmate,
        "other": other,
        "lou": lou,
        "ien": cast["ien"],
        "pilot": cast["pilot"],
        "manager": cast["manager"],
        "admin": cast["admin"],
        "nobody": cast["nobody"],
    }


def close(session, status=SessionStatus.CLOSED):
    session.status = status
    session.save(update_fields=["status"])


def typed(document, text: str, at_block: int = 1) -> bytes:
    """An update that a client holding the stored document makes by typing `text` in its
    `at_block`-th block (the empty paragraph under « Objectifs »)."""
    doc = services.load(document)
    before = doc.get_state()
    block = crdt.fragment(doc).children[at_block]
    block.children[0].insert(0, text)
    return doc.get_update(before)


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels' database_sync_to_async closes "old" connections around each call; with the
    tests' CONN_MAX_AGE=0 that would close the test's own PostgreSQL connection in the middle
    of its transaction (the calls run in the test's thread)."""
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)
