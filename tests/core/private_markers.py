"""Private content planted in the world of tests/core/world.py, each with the few people who may
see it: tests/core/test_private_content.py visits every page as every role of the cast and
checks that each marker appears only where it may.

To prove another kind of private content:
write a planter `plant_<kind>(cast, world) -> list[Marker]` that creates the content with
unique marker strings (and adds to world["private_urls"] the pages of it that no row of the
access matrix names), add it to PLANTERS, and the walk covers it.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.urls import reverse

from preau.logbook.models import Attachment, Entry, plain_text


@dataclass(frozen=True)
class Marker:
    text: str  # a string that only this content holds (a word of it, a file's bytes)
    what: str  # what it is, for the failure message
    # The cast keys of those who may see it (an empty set: its author alone, `owner`).
    seen_by: frozenset = field(default_factory=frozenset)
    owner: str = "teacher"
    # Another word of the same content, typed in every search box: a search that looked into
    # the content would find it and show `text` (the marker itself would be echoed in the box).
    search: str = ""
    # A positive control: the walk must find it in some answer to its owner (False when no page
    # shows it back at all, e.g. an anonymous answer once sent).
    owner_must_see: bool = True


def plant_logbook(cast, world) -> list[Marker]:
    """Camille's logbook: an unshared entry (title, text and attachment secret), and a shared
    one (its text for her and the session's trainers only), both tied to the session."""
    session, teacher = world["session"], cast["teacher"]
    private = Entry.objects.create(
        owner=teacher,
        title="Titre-intime-QZ7",
        body=(
            body := "<p>Mon doute du jour : carnet-secret-VKW3 sur la classe, cherchable-RT6.</p>"
        ),
        text=plain_text(body),
        session=session,
        section=world["session_section"],
    )
    Attachment.objects.create(
        entry=private, file=ContentFile(b"piece-jointe-secrete-JX8", name="notes.txt")
    )
    shared = Entry.objects.create(
        owner=teacher,
        title="Titre-valorise-PL2",
        body=(
            body := "<p>Ce que je montre : carnet-valorise-HN5 aux formateurs, cherchable-MB9.</p>"
        ),
        text=plain_text(body),
        session=session,
        shared=True,
    )
    Attachment.objects.create(
        entry=shared, file=ContentFile(b"piece-jointe-valorisee-TD4", name="seance.txt")
    )
    # Pages of the content that no row of the access matrix names: visited by every role too.
    world.setdefault("private_urls", []).extend(
        [
            reverse("logbook:entry", args=[shared.pk]),
            reverse("logbook:attachment", args=[shared.attachments.get().pk]),
        ]
    )
    world["logbook_entry"] = private
    world["logbook_attachment"] = private.attachments.get()
    world["shared_entry"] = shared
    trainers = frozenset({"trainer"})
    return [
        Marker("Titre-intime-QZ7", "an unshared logbook entry's title", search="cherchable-RT6"),
        Marker("carnet-secret-VKW3", "an unshared logbook entry's text", search="cherchable-RT6"),
        Marker("piece-jointe-secrete-JX8", "an unshared logbook entry's attachment"),
        Marker(
            "Titre-valorise-PL2",
            "a shared logbook entry's title",
            trainers,
            search="cherchable-MB9",
        ),
        Marker(
            "carnet-valorise-HN5",
            "a shared logbook entry's text",
            trainers,
            search="cherchable-MB9",
        ),
        Marker("piece-jointe-valorisee-TD4", "a shared logbook entry's attachment", trainers),
    ]


def plant_questionnaires(cast, world) -> list[Marker]:
    """Camille's classmate answered the session's self-positioning (with a free-text note) and
    its closing satisfaction questionnaire (with a comment): one answer, under the threshold of
    the aggregates, so no page may show either text to anybody but (at most) their author."""
    from preau.questionnaires import services
    from preau.questionnaires.models import QuestionKind

    classmate = world["other_enrolment"].user
    positioning = world["positioning"]
    note = positioning.questions.create(
        kind=QuestionKind.SHORT_TEXT, text="Ce que je veux travailler", position=50
    )
    answers = {str(q.pk): 1 for q in positioning.questions.filter(kind="scale")}
    answers[str(note.pk)] = "Positionnement-secret-4b1d"
    services.send(questionnaire=positioning, by=classmate, answers=answers)
    closing = services.closing_questionnaire(world["session"])
    comment = closing.questions.filter(kind="long_text").first()
    single = closing.questions.filter(kind="single").first()
    services.send(
        questionnaire=closing,
        by=classmate,
        answers={str(comment.pk): "Satisfaction-secrete-77e0", str(single.pk): 0},
    )
    return [
        Marker(
            "Positionnement-secret-4b1d",
            "a self-positioning answer",
            owner="classmate",
            owner_must_see=False,
        ),
        Marker(
            "Satisfaction-secrete-77e0",
            "an anonymous satisfaction comment",
            owner="classmate",
            owner_must_see=False,
        ),
    ]


def plant_preparations(cast, world) -> list[Marker]:
    """Camille's group's collective preparation (with her classmate): its text and her reply to
    a comment for the group and the session's trainer and tutor only (never the IEN, pilots,
    administrators); and a plan the trainer proposed to the parcours' designers: its copy and
    note for the designers of the parcours' line only (not even the trainer, once proposed)."""
    from pycrdt import XmlText

    from preau.preparations import crdt, services
    from preau.preparations.models import Reply

    document = world["prep_document"]
    doc = services.load(document)
    before = doc.get_state()
    crdt.fragment(doc).children.append(
        crdt.XmlElement("paragraph", {}, [XmlText("Preparation-secrete-c41f")])
    )
    services.record_update(document=document, update=doc.get_update(before), by=cast["teacher"])
    # A reply in the comments' thread: the group's working notes, not shown to the session.
    Reply.objects.filter(pk=world["prep_reply"].pk).update(body="Reponse-au-commentaire-3b8e")
    proposal = world["prep_proposal"]
    proposal.content_html = "<p>Proposition-secrete-9e2a</p>"
    proposal.note = "Mot-aux-concepteurs-5d7b"
    proposal.save(update_fields=["content_html", "note"])
    return [
        Marker(
            "Preparation-secrete-c41f",
            "a group's collective preparation",
            seen_by=frozenset({"classmate", "trainer", "tutor"}),
        ),
        Marker(
            "Reponse-au-commentaire-3b8e",
            "a reply to a comment on a group's preparation",
            seen_by=frozenset({"classmate", "trainer", "tutor"}),
        ),
        Marker(
            "Proposition-secrete-9e2a",
            "a preparation proposed to the parcours' designers",
            owner="trainer",
            seen_by=frozenset({"designer"}),
            owner_must_see=False,
        ),
        Marker(
            "Mot-aux-concepteurs-5d7b",
            "the trainer's note to the parcours' designers",
            owner="trainer",
            seen_by=frozenset({"designer"}),
            owner_must_see=False,
        ),
    ]


PLANTERS = [plant_logbook, plant_questionnaires, plant_preparations]


def plant_all(cast, world) -> list[Marker]:
    return [marker for plant in PLANTERS for marker in plant(cast, world)]
