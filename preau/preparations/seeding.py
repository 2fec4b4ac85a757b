"""Demo collective preparation: in the demo teacher's started session (or the first started
session with enough participants), a « Préparation collective » activity, its groups by
school, and in the demo teacher's group a document written by its members over several edits
(texts in demo/preparation.json), stored as the Yjs updates the editor would have sent: a
history that the compaction and the live editor then work from. Seeding twice changes nothing.
"""

import json
from pathlib import Path

from django.db import transaction

from preau.parcours.models import Activity, Section
from preau.training.models import Enrolment, EnrolmentStatus, SessionStatus, TrainingSession

from . import crdt
from .models import Comment, Group, Version
from .services import load, make_groups_by_school, propose, record_update, share

DATA = Path(__file__).parent / "demo" / "preparation.json"
DEMO_TEACHER = "enseignant@demo.preau.fr"


@transaction.atomic
def seed_demo(rng, log) -> None:
    if Group.objects.exists():
        log("Préparations collectives : la préparation de démonstration est déjà en place.")
        return
    data = json.loads(DATA.read_text(encoding="utf-8"))
    started = TrainingSession.objects.filter(status=SessionStatus.OPEN).filter(
        staff__role="trainer"
    )
    session = (
        started.filter(
            enrolments__user__email=DEMO_TEACHER, enrolments__status=EnrolmentStatus.ENROLLED
        ).first()
        or started.order_by("start_date", "pk").first()
    )
    if session is None:
        log("Préparations collectives : aucune session ouverte, rien à préparer.")
        return
    trainer = session.staff.filter(role="trainer").select_related("user").first().user
    section = Section.objects.filter(parcours=session.content_id).order_by("position", "pk").last()
    if section is None:
        section = Section.objects.create(parcours_id=session.content_id, title="Préparer")
    activity = Activity.objects.create(
        section=section,
        kind="preparation",
        title=data["activity"]["title"],
        body=data["activity"]["body"],
        position=section.activities.count(),
    )
    groups = make_groups_by_school(activity=activity, session=session, by=trainer)
    demo = Enrolment.objects.filter(session=session, user__email=DEMO_TEACHER).first()
    group = next(
        (g for g in groups if demo and g.members.filter(pk=demo.user_id).exists()),
        max(groups, key=lambda g: g.members.count(), default=None),
    )
    if group is None:
        log("Préparations collectives : aucun participant inscrit.")
        return
    edits = _write_history(group.document, data, list(group.members.order_by("pk")))
    log(
        f"Préparations collectives : {len(groups)} groupes dans « {session.title} », "
        f"{edits} modifications dans le document du groupe « {group.name} »."
    )
    _share_and_propose(group, trainer, data["proposal_note"], log)


def _share_and_propose(group, trainer, note: str, log) -> None:
    """The group shares its plan with the session and the trainer proposes it to the designers
    of the parcours (their bells show it; nobody is mailed)."""
    from preau.notifications.services import muted

    from .access import designers_of_lineage

    share(document=group.document, shared=True, by=group.members.first())
    if not designers_of_lineage(group.session.source.lineage_id).exists():
        log("Préparations collectives : le parcours n’a pas de concepteur, rien de proposé.")
        return
    with muted():
        propose(document=group.document, note=note, by=trainer)
    log(f"Préparations collectives : la préparation du groupe « {group.name} » est proposée.")


def _write_history(document, data, members) -> int:
    """Each edit typed in its author's editor (one Yjs client per member, as a browser tab
    is), a few words per update, as the browser sends, and stored by the same service as the
    editor's (so who wrote with which editor is noted: « qui a écrit quoi »); a named version
    midway; comments anchored to the first words of some edits (Yjs relative positions on the
    items typed, as the editor makes them)."""
    from pycrdt import Doc

    doc = load(document)  # the server's copy: every edit
    editors: dict[int, Doc] = {}
    count = 0
    firsts = []  # per edit: (its editor, clock of its first piece, clock after it, the piece)
    for number, edit in enumerate(data["edits"]):
        member = members[edit.get("author", 0) % len(members)]
        editor = editors.setdefault(member.pk, Doc())
        editor.apply_update(doc.get_update(editor.get_state()))  # what the others wrote
        client = editor.client_id
        headings = [
            i
            for i, node in enumerate(crdt.fragment(editor).children)
            if getattr(node, "tag", None) == "heading" and str(node.children[0]) == edit["heading"]
        ]
        paragraph = crdt.fragment(editor).children[headings[0] + 1]
        text = paragraph.children[0]
        words = edit["text"].split(" ")
        for start in range(0, len(words), 3):
            piece = " ".join(words[start : start + 3]) + (" " if start + 3 < len(words) else "")
            before = editor.get_state()
            clock = crdt.state_vector(editor).get(client, 0)
            # pycrdt indexes are UTF-8 bytes: the end of the text is its encoded length.
            text.insert(len(str(text).encode()), piece)
            update = editor.get_update(before)
            record_update(document=document, update=update, by=member, checked=True)
            doc.apply_update(update)
            if start == 0:
                firsts.append((client, clock, crdt.state_vector(editor)[client] - 1, piece.strip()))
            count += 1
        if number + 1 == data.get("version_after_edit"):
            Version.objects.create(
                document=document, number=1, name=data["version_name"], state=doc.get_update()
            )
    for comment in data.get("comments", []):
        client, start, end, quote = firsts[comment["edit"]]
        resolver = comment["resolved_by"]
        Comment.objects.create(
            document=document,
            author=members[comment["author"] % len(members)],
            body=comment["body"],
            quote=quote,
            start=_relative_position(client, start),
            end=_relative_position(client, end),
            resolved=resolver is not None,
            resolved_by=members[resolver % len(members)] if resolver is not None else None,
        )
    return count


def _relative_position(client: int, clock: int) -> bytes:
    """`Y.encodeRelativePosition` of a position sticking to item (client, clock)."""
    out = bytearray([0])
    for number in (client, clock):
        while number > 0x7F:
            out.append(0x80 | (number & 0x7F))
            number >>= 7
        out.append(number)
    out.append(0)  # assoc
    return bytes(out)
