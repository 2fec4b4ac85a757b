"""Every write to the collective preparations, with its rules.

Groups are made by those who manage the session; a group's document is written by its members
and the session's trainers and tutors. A closed or archived session refuses every write."""

import logging
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core.numbers import french_number
from preau.training.access import may_manage
from preau.training.models import EnrolmentStatus

from . import crdt
from .access import KIND, may_edit, may_moderate
from .models import (
    Author,
    Comment,
    Document,
    DocumentUpdate,
    Group,
    Membership,
    Proposal,
    ProposalStatus,
    Reply,
    Version,
)

GROUP_SIZE_MAX = 30

logger = logging.getLogger(__name__)


# Rules ----------------------------------------------------------------------------------------


def _check_writable(session) -> None:
    if session.is_read_only:
        raise ValidationError(
            _("La session est close : ses préparations se lisent mais ne se modifient plus.")
        )


def _check_manager(session, by) -> None:
    _check_writable(session)
    if not may_manage(by, session):
        raise PermissionDenied(
            _("Seuls les formateurs de la session et ceux qui la pilotent font les groupes.")
        )


def _check_activity(activity, session) -> None:
    if activity.kind != KIND or activity.section.parcours_id != session.content_id:
        raise ValidationError(_("Cette activité n’est pas une préparation de cette session."))


def _participants(session):
    """The enrolled participants of the session (not those waiting)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        enrolments__session=session, enrolments__status=EnrolmentStatus.ENROLLED
    )


def _unassigned(activity, session):
    taken = Membership.objects.filter(activity=activity).values("user")
    return _participants(session).exclude(pk__in=taken).select_related("school").order_by("pk")


# Groups ---------------------------------------------------------------------------------------


def _lock_groups(activity) -> None:
    """Makes the groups of an activity one write at a time (a double submit, two managers at
    once): its checks (a name taken, a person already in a group) then see the other's
    groups. FOR NO KEY UPDATE on the activity's row: rows referring to it are not blocked."""
    from preau.parcours.models import Activity

    Activity.objects.select_for_update(no_key=True).filter(pk=activity.pk).first()


def _taken() -> ValidationError:
    return ValidationError(
        _("Ce groupe ou une de ces personnes vient d’être enregistré par ailleurs : réessayez.")
    )


def _new_group(*, activity, session, name: str) -> Group:
    group = Group.objects.create(activity=activity, session=session, name=name)
    # The document starts from the template of the session's copy of the activity.
    template = crdt.initial_update(crdt.template_blocks(activity.body))
    document = Document.objects.create(group=group, stored_bytes=len(template))
    DocumentUpdate.objects.create(document=document, data=template)
    return group


def _add(group: Group, users) -> None:
    Membership.objects.bulk_create(
        [Membership(group=group, user=user, activity_id=group.activity_id) for user in users]
    )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError(_("Donnez un nom au groupe."))
    return name


@transaction.atomic
def create_group(*, activity, session, name: str, members, by) -> Group:
    """A group made by hand, with participants not yet in a group of this activity."""
    _check_manager(session, by)
    _check_activity(activity, session)
    name = _clean_name(name)
    _lock_groups(activity)
    if Group.objects.filter(activity=activity, name=name).exists():
        raise ValidationError(_("Un groupe porte déjà ce nom."))
    members = list(members)
    free = set(_unassigned(activity, session).values_list("pk", flat=True))
    if any(user.pk not in free for user in members):
        raise ValidationError(
            _("Une des personnes choisies n’est pas participante ou a déjà un groupe.")
        )
    try:
        with transaction.atomic():  # (SQLite has no row lock: the constraints still hold)
            group = _new_group(activity=activity, session=session, name=name)
            _add(group, members)
    except IntegrityError as error:
        raise _taken() from error
    return group


@transaction.atomic
def make_groups_by_school(*, activity, session, by) -> list[Group]:
    """One group per school, for the participants not yet in a group (joining the school's
    group when it exists)."""
    _check_manager(session, by)
    _check_activity(activity, session)
    _lock_groups(activity)
    by_school: dict[str, list] = {}
    for user in _unassigned(activity, session):
        name = user.school.name if user.school_id else _("Sans école")
        by_school.setdefault(name[:100], []).append(user)
    groups = []
    for name, users in sorted(by_school.items()):
        group = Group.objects.filter(activity=activity, name=name).first()
        if group is None:
            group = _new_group(activity=activity, session=session, name=name)
        _add(group, users)
        groups.append(group)
    return groups


@transaction.atomic
def make_random_groups(*, activity, session, size: int, by, seed=None) -> list[Group]:
    """Groups of `size` drawn at random among the participants not yet in a group (the last
    one smaller when the count does not divide)."""
    _check_manager(session, by)
    _check_activity(activity, session)
    if not 2 <= size <= GROUP_SIZE_MAX:
        raise ValidationError(
            _("Un groupe compte de 2 à %(max)s personnes.") % {"max": GROUP_SIZE_MAX}
        )
    _lock_groups(activity)
    users = list(_unassigned(activity, session))
    if not users:
        raise ValidationError(_("Tous les participants ont déjà un groupe."))
    random.Random(seed).shuffle(users)
    taken = set(Group.objects.filter(activity=activity).values_list("name", flat=True))
    groups, number = [], 0
    for start in range(0, len(users), size):
        number += 1
        while (name := _("Groupe %(n)s") % {"n": number}) in taken:
            number += 1
        group = _new_group(activity=activity, session=session, name=name)
        _add(group, users[start : start + size])
        groups.append(group)
    return groups


@transaction.atomic
def add_member(*, group: Group, user, by) -> None:
    _check_manager(group.session, by)
    _lock_groups(group.activity)
    if not _unassigned(group.activity, group.session).filter(pk=user.pk).exists():
        raise ValidationError(_("Cette personne n’est pas participante ou a déjà un groupe."))
    try:
        with transaction.atomic():
            _add(group, [user])
    except IntegrityError as error:
        raise _taken() from error


@transaction.atomic
def remove_member(*, group: Group, user, by) -> None:
    """Takes a person out of a group: they no longer reach its document; what they wrote
    stays in it."""
    _check_manager(group.session, by)
    deleted, _detail = Membership.objects.filter(group=group, user=user).delete()
    if not deleted:
        raise ValidationError(_("Cette personne n’est pas dans ce groupe."))
    _revoke_live_access(Document.objects.filter(group=group), user)


def enrolment_cancelled(*, user, session) -> None:
    """A person no longer enrolled in the session (training.services.unenrol) no longer
    reaches its groups' documents: their open sockets are told to check and close."""
    _revoke_live_access(
        Document.objects.filter(group__session=session, group__memberships__user=user), user
    )


def _revoke_live_access(documents, user) -> None:
    from .consumers import revoke

    pks = list(documents.values_list("pk", flat=True))
    if pks:
        transaction.on_commit(lambda: revoke(pks, user.pk))


@transaction.atomic
def move_member(*, user, to: Group, by) -> Group:
    """Moves a person from their group to another group of the same preparation, in one step
    (they reach the other document at once, no longer their former one; what they wrote
    stays in it). Returns the group they left."""
    _check_manager(to.session, by)
    membership = (
        Membership.objects.select_for_update()
        .select_related("group")
        .filter(activity_id=to.activity_id, user=user)
        .first()
    )
    if membership is None:
        raise ValidationError(_("Cette personne n’est dans aucun groupe de cette préparation."))
    if membership.group_id == to.pk:
        raise ValidationError(_("Cette personne est déjà dans ce groupe."))
    Membership.objects.filter(pk=membership.pk).update(group=to)
    return membership.group


@transaction.atomic
def rename_group(*, group: Group, name: str, by) -> Group:
    _check_manager(group.session, by)
    name = _clean_name(name)
    if Group.objects.filter(activity_id=group.activity_id, name=name).exclude(pk=group.pk).exists():
        raise ValidationError(_("Un groupe porte déjà ce nom."))
    Group.objects.filter(pk=group.pk).update(name=name)
    group.name = name
    return group


@transaction.atomic
def delete_group(*, group: Group, by) -> None:
    """Deletes a group with its document and the document's whole history (every stored
    change, its versions, its comments): nothing of it can be recovered. Its members have no
    group any more (they may be put in another). A proposal made of its plan keeps its copy
    (Proposal.document is set to null)."""
    _check_manager(group.session, by)
    Group.objects.filter(pk=group.pk).delete()


# Documents ------------------------------------------------------------------------------------


def stored_updates(document: Document) -> list[bytes]:
    return [
        bytes(data)
        for data in DocumentUpdate.objects.filter(document=document)
        .order_by("pk")
        .values_list("data", flat=True)
    ]


def load(document: Document):
    """The document rebuilt from its stored updates alone."""
    return crdt.rebuild(stored_updates(document))


def check_may_write(*, document: Document, by) -> None:
    _check_writable(document.group.session)
    if not may_edit(by, document):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce document."))


def _megabytes(size: int) -> str:
    return french_number(size / 1_000_000, 6)


def _append(document: Document, update: bytes) -> DocumentUpdate:
    """Stores an update, counted in the document's size: refused, nothing stored, when the
    document would weigh more than PREAU_PREP_MAX_DOCUMENT_BYTES. The check and the count are
    one conditional UPDATE, so two updates arriving at once cannot both slip under the cap
    (the document's row is locked until the update's row is written: a few microseconds).
    Called inside the caller's transaction."""
    limit, size = settings.PREAU_PREP_MAX_DOCUMENT_BYTES, len(update)
    grown = Document.objects.filter(pk=document.pk, stored_bytes__lte=limit - size).update(
        stored_bytes=F("stored_bytes") + size
    )
    if not grown:
        raise ValidationError(
            _(
                "Ce document est plein (%(max)s Mo au plus) : "
                "cette modification n’a pas été enregistrée."
            )
            % {"max": _megabytes(limit)},
            code="document_full",
        )
    return DocumentUpdate.objects.create(document=document, data=update)


def record_update(
    *, document: Document, update: bytes, by, checked: bool = False, known_clients=None
) -> DocumentUpdate | None:
    """Stores one Yjs update of the document, after checking who sends it, that the session
    still takes writes, that the bytes are an update of this document and that the document
    has room for it; and notes who writes with the editors (client ids) whose first items it
    carries (« qui a écrit quoi »). What is stored is what the document integrates: the part
    of an update that depends on changes the server lacks is left out (the editor sends it
    again with them), so the stored row's data may differ from `update`: relay the row's.
    `known_clients`: the client ids this connection already noted (a set, completed here), to
    skip the database for them. Returns the stored row, or None when nothing is stored (the
    empty update, or one that integrates nothing yet)."""
    if not checked:
        check_may_write(document=document, by=by)
    update = bytes(update)
    if len(update) > crdt.UPDATE_MAX_BYTES:
        raise ValidationError(
            _("La modification est trop grande (%(max)s Mo au plus) : rien n’a été enregistré.")
            % {"max": crdt.UPDATE_MAX_BYTES // 1_000_000},
            code="too_large",
        )
    if update == crdt.EMPTY_UPDATE:
        return None
    try:
        # Checked against the document as stored: what an update does depends on it. What
        # depends on changes the server lacks is left out (crdt.check_update says why).
        update = crdt.check_update(update, load(document))
        if update == crdt.EMPTY_UPDATE:
            return None
        clients = crdt.update_clients(update)
    except crdt.InvalidUpdate as error:
        raise ValidationError(
            _("Cette modification n’est pas lisible : rien n’a été enregistré."), code="invalid"
        ) from error
    new = clients - known_clients if known_clients is not None else clients
    with transaction.atomic():
        row = _append(document, update)
        if new:
            _note_authors(document, new, by)
    if known_clients is not None:
        known_clients |= new
    return row


def _note_authors(document: Document, clients: set[int], by) -> None:
    """Notes that `by` writes with these client ids, unless one is already another person's:
    the first to write with a client id keeps it (an update carrying someone else's first
    items, as a forged one would, does not take them over; it is logged)."""
    taken = dict(
        Author.objects.filter(document=document, client_id__in=clients).values_list(
            "client_id", "user_id"
        )
    )
    for client, user_id in sorted(taken.items()):
        if user_id != by.pk:
            # (No person named: a log line is dated, and nothing dates who writes.)
            logger.warning(
                "Preparation document %s: an update carried the first items of editor %s, "
                "which another person wrote with; not reassigned.",
                document.pk,
                client,
            )
    Author.objects.bulk_create(
        [Author(document=document, client_id=c, user=by) for c in sorted(clients - set(taken))],
        ignore_conflicts=True,  # (two first updates at once: the first committed keeps it)
    )


@transaction.atomic
def compact(*, document: Document, skip_locked: bool = False) -> int:
    """Replaces the document's stored updates by their merge; returns how many rows it read
    (0 when `skip_locked` and another compaction holds the document).

    The merge goes into the first row read (so that it keeps its place in the arrival order),
    and exactly the other rows read are deleted: an update that commits while this runs, even
    with a smaller id than the last one read, is left as it is."""
    # Two compactions of one document run one after the other: otherwise the later one's
    # write of the first row replaces a merge that holds an update it never read (READ
    # COMMITTED). FOR NO KEY UPDATE, taken before reading the rows: the updates stored
    # meanwhile (their foreign key's KEY SHARE) are not blocked.
    locked = Document.objects.select_for_update(no_key=True, skip_locked=skip_locked)
    if not locked.filter(pk=document.pk).values_list("pk", flat=True):
        return 0
    rows = list(
        DocumentUpdate.objects.filter(document=document).order_by("pk").values_list("pk", "data")
    )
    if len(rows) < 2:
        return len(rows)
    ids = [pk for pk, _data in rows]
    datas = [bytes(data) for _pk, data in rows]
    merged = crdt.merge(datas)
    replayed = crdt.rebuild(datas)
    check = crdt.rebuild([merged])
    html = crdt.to_html(replayed)
    if not crdt.same_document(check, replayed):
        raise RuntimeError(f"compaction of document {document.pk} would change it")
    DocumentUpdate.objects.filter(pk=ids[0]).update(data=merged)
    DocumentUpdate.objects.filter(pk__in=ids[1:]).delete()
    # The size counts what the rows read weighed less what their merge weighs (not a fresh
    # sum: an update stored meanwhile has counted itself already).
    freed = sum(len(data) for data in datas) - len(merged)
    Document.objects.filter(pk=document.pk).update(
        compactions=F("compactions") + 1,
        stored_bytes=Greatest(F("stored_bytes") - freed, 0),
    )
    _snapshot(document, replayed, html)
    return len(rows)


AUTO_SNAPSHOTS_KEPT = 10


def compaction_due(document_pk: int) -> bool:
    """Whether the document has PREAU_PREP_COMPACT_AFTER stored updates (two at least): one
    count on the updates' index."""
    least = max(2, settings.PREAU_PREP_COMPACT_AFTER)
    return DocumentUpdate.objects.filter(document_id=document_pk).count() >= least


def compact_if_due(*, document_pk: int) -> int:
    """Compacts the document if it is due (compaction_due) and no other compaction holds it;
    returns how many rows were merged (0: not due, gone, or held)."""
    document = Document.objects.filter(pk=document_pk).first()
    if document is None or not compaction_due(document_pk):
        return 0
    return compact(document=document, skip_locked=True)


def _snapshot(document: Document, doc, html: str) -> Version | None:
    """Keeps the document as the compaction found it as an automatic version (numbered with
    the named ones, no time), unless the last version is already this content; only the last
    AUTO_SNAPSHOTS_KEPT automatic ones stay. A document is compacted once it has
    PREAU_PREP_COMPACT_AFTER stored updates (500), hence a snapshot every few hundred changes
    (tasks.compact_document; the command for the others)."""
    # Numbers versions one at a time (name_version locks the same row). The compaction holds
    # the row already (its size changed): the updates stored meanwhile wait for the commit.
    Document.objects.select_for_update(no_key=True).get(pk=document.pk)
    last = document.versions.order_by("-number").only("number", "state").first()
    if last is not None and crdt.to_html(crdt.rebuild([bytes(last.state)])) == html:
        return None
    version = Version.objects.create(
        document=document,
        number=(last.number if last else 0) + 1,
        name=_("Instantané automatique"),
        state=doc.get_update(),
        automatic=True,
    )
    old = document.versions.filter(automatic=True).order_by("-number")[AUTO_SNAPSHOTS_KEPT:]
    Version.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return version


# Versions -------------------------------------------------------------------------------------

VERSION_NAME_MAX = 120


@transaction.atomic
def name_version(*, document: Document, name: str, by) -> Version:
    """Keeps the document as it is now under a name, for the group to come back to."""
    check_may_write(document=document, by=by)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Donnez un nom à la version (par exemple « après la séance »)."))
    # Read before locking: the updates stored meanwhile (each counts itself in the document's
    # row) do not wait for the document to be rebuilt.
    state = load(document).get_update()
    # Locks the document: two versions named at once get two numbers.
    Document.objects.select_for_update().get(pk=document.pk)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return Version.objects.create(
        document=document, number=last + 1, name=name[:VERSION_NAME_MAX], state=state
    )


@transaction.atomic
def restore_version(*, version, by) -> DocumentUpdate | None:
    """Brings the document back to a version, as a new change stored like any other (the
    history stays, and the restore can itself be undone by restoring another version).
    Returns the stored row, for the live editors (None: nothing to store)."""
    document = version.document
    check_may_write(document=document, by=by)
    update = crdt.replace_content(load(document), crdt.rebuild([bytes(version.state)]))
    return record_update(document=document, update=update, by=by, checked=True)


@transaction.atomic
def share(*, document: Document, shared: bool, by) -> None:
    """A group shares its finished plan with the whole session (read only), or stops."""
    check_may_write(document=document, by=by)
    Group.objects.filter(pk=document.group_id).update(shared=shared)


# Comments -------------------------------------------------------------------------------------

COMMENT_MAX_CHARS = 2000
QUOTE_MAX_CHARS = 300


def _clean_body(body: str, *, empty: str, too_long: str) -> str:
    """A comment's or a reply's text: not empty, COMMENT_MAX_CHARS at most."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(empty)
    if len(body) > COMMENT_MAX_CHARS:
        raise ValidationError(too_long % {"max": COMMENT_MAX_CHARS})
    return body


@transaction.atomic
def add_comment(*, document: Document, body: str, quote: str, start: bytes, end: bytes, by):
    """A comment on the passage between two Yjs relative positions (made by the editor from
    the selection); `quote` is the passage's text as selected."""
    check_may_write(document=document, by=by)
    body = _clean_body(
        body,
        empty=_("Écrivez votre commentaire."),
        too_long=_("Un commentaire compte %(max)s caractères au plus."),
    )
    quote = " ".join((quote or "").split())
    if not quote:
        raise ValidationError(_("Sélectionnez dans le document le passage à commenter."))
    doc = load(document)
    try:
        crdt.check_anchor(start, doc)
        crdt.check_anchor(end, doc)
    except crdt.InvalidUpdate as error:
        raise ValidationError(
            _("Le passage commenté n’est pas dans ce document : sélectionnez-le de nouveau.")
        ) from error
    if len(quote) > QUOTE_MAX_CHARS:
        quote = quote[: QUOTE_MAX_CHARS - 1] + "…"
    return Comment.objects.create(
        document=document, author=by, body=body, quote=quote, start=start, end=end
    )


@transaction.atomic
def resolve_comment(*, comment: Comment, by) -> None:
    """« Résolu », by any member (or trainer, tutor): the comment stays, shown as resolved."""
    check_may_write(document=comment.document, by=by)
    if _locked(comment).resolved:
        raise ValidationError(_("Ce commentaire est déjà résolu."))
    Comment.objects.filter(pk=comment.pk).update(resolved=True, resolved_by=by)


def _locked(comment: Comment) -> Comment:
    """The comment's row, locked until the end of the transaction (a reply and the deletion
    of its comment, or two clicks, do not cross); refused if it was deleted meanwhile."""
    found = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if found is None:
        raise ValidationError(_("Ce commentaire a été supprimé entre-temps."))
    return found


@transaction.atomic
def reopen_comment(*, comment: Comment, by) -> None:
    """Brings a resolved comment back (any member, trainer or tutor): its passage is
    highlighted again, and it takes replies."""
    check_may_write(document=comment.document, by=by)
    if not _locked(comment).resolved:
        raise ValidationError(_("Ce commentaire n’est pas résolu."))
    Comment.objects.filter(pk=comment.pk).update(resolved=False, resolved_by=None)


@transaction.atomic
def reply_to_comment(*, comment: Comment, body: str, by) -> Reply:
    """A reply in the thread of a comment not resolved (reopen it first)."""
    check_may_write(document=comment.document, by=by)
    body = _clean_body(
        body,
        empty=_("Écrivez votre réponse."),
        too_long=_("Une réponse compte %(max)s caractères au plus."),
    )
    if _locked(comment).resolved:
        raise ValidationError(_("Ce commentaire est résolu : rouvrez-le pour y répondre."))
    return Reply.objects.create(comment=comment, author=by, body=body)


def check_may_delete(*, document, author_id: int | None, by) -> None:
    """A comment or a reply is deleted by its author, or by a trainer or tutor of the session
    (who moderate); by nobody once the session is closed."""
    check_may_write(document=document, by=by)
    if not (author_id is not None and author_id == by.pk) and not may_moderate(by, document):
        raise PermissionDenied(
            _(
                "Seul son auteur, ou un formateur ou tuteur de la session, supprime un "
                "commentaire ou une réponse."
            )
        )


@transaction.atomic
def delete_comment(*, comment: Comment, by) -> None:
    """Deletes a comment and its replies (the confirmation says how many)."""
    check_may_delete(document=comment.document, author_id=comment.author_id, by=by)
    Comment.objects.filter(pk=comment.pk).delete()


@transaction.atomic
def delete_reply(*, reply: Reply, by) -> None:
    check_may_delete(document=reply.comment.document, author_id=reply.author_id, by=by)
    Reply.objects.filter(pk=reply.pk).delete()


# Proposals to the parcours' designers ---------------------------------------------------------

NOTE_MAX = 1000


def propose(*, document: Document, note: str, by) -> Proposal:
    """The session's trainer proposes a plan shared with the session to the designers of the
    parcours it came from: a copy of the plan as it is now, and a notification to each of
    them. A closed session's plan may be proposed (the bilan is written after the lessons, the
    end of the session is when a plan is worth proposing); an archived session's may not (its
    record is frozen). One pending proposal per document at a time."""
    from preau.notifications.models import Notification
    from preau.notifications.services import notify
    from preau.training.models import SessionStatus

    from .access import designers_of_lineage, may_propose

    if not may_propose(by, document):
        raise PermissionDenied(
            _("Seuls les formateurs de la session proposent une préparation aux concepteurs.")
        )
    group = Group.objects.select_related("session__source", "activity").get(pk=document.group_id)
    session = group.session
    if session.status == SessionStatus.ARCHIVED:
        raise ValidationError(_("Cette session est archivée : rien ne peut plus en être proposé."))
    if not group.shared:
        raise ValidationError(
            _("Seule une préparation partagée avec la session peut être proposée : partagez-la.")
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("Le mot aux concepteurs tient en %(max)s caractères au plus.") % {"max": NOTE_MAX}
        )
    source = session.source
    # Rendered before locking the document's row, which each update stored takes a moment.
    content_html = crdt.to_html(load(document))
    with transaction.atomic():
        # Locks the document's row: two clicks make one proposal.
        Document.objects.select_for_update().get(pk=document.pk)
        if Proposal.objects.filter(document=document, status=ProposalStatus.PROPOSED).exists():
            raise ValidationError(
                _("Cette préparation attend déjà la réponse des concepteurs du parcours.")
            )
        proposal = Proposal.objects.create(
            lineage_id=source.lineage_id,
            parcours=source,
            document=document,
            session_title=session.title,
            activity_title=group.activity.title,
            group_name=group.name,
            content_html=content_html,
            note=note,
            proposed_by=by,
        )
        url = reverse("preparations:proposal", args=[proposal.pk])
        notify(
            recipients=designers_of_lineage(source.lineage_id).exclude(pk=by.pk),
            kind=Notification.Kind.PREPARATION_PROPOSED,
            title=_("Une préparation est proposée pour le parcours « %(title)s »")
            % {"title": source.title},
            text=_(
                "%(name)s, formateur de la session « %(session)s », vous propose la préparation "
                "du groupe « %(group)s » (« %(activity)s ») pour une prochaine version du parcours."
            )
            % {
                "name": by.get_full_name(),
                "session": session.title,
                "group": group.name,
                "activity": group.activity.title,
            },
            url=url,
        )
    return proposal


def decide_proposal(*, proposal: Proposal, status: str, by) -> Proposal:
    """A designer of the parcours marks a proposal « retenue » or « écartée » (or back to
    « proposée »)."""
    from .access import proposals_visible_to

    if not proposals_visible_to(by).filter(pk=proposal.pk).exists():
        raise PermissionDenied(
            _("Seuls les concepteurs du parcours donnent suite à une proposition.")
        )
    if status not in ProposalStatus.values:
        raise ValidationError(_("Choisissez « retenue » ou « écartée »."))
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=status, decided_by=by)
    proposal.status, proposal.decided_by = status, by
    return proposal
