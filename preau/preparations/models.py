"""Collective lesson preparations (activity kind « Préparation collective »): the session's
managers split its participants into groups; each group co-writes one document, live.

A document is a Yjs document. Its content is nothing but the binary Yjs updates stored in
`DocumentUpdate`, appended as they arrive and replayed in id order (crdt.py); compaction merges
rows into one (services.compact). No row carries a time nor an author: nothing here measures
who typed when (domain.md §6). `Author` keeps, per document and without any time, which member
wrote with which editor (Yjs client id), for « qui a écrit quoi ».
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.parcours.models import Activity
from preau.training.models import TrainingSession


class Group(models.Model):
    # The session's copy of the « Préparation collective » activity.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="prep_groups")
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="prep_groups"
    )
    name = models.CharField(_("nom du groupe"), max_length=100)
    # Shared with the whole session: its participants read the document (never write it).
    shared = models.BooleanField(_("partagée avec la session"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="prep_groups"
    )

    class Meta:
        verbose_name = _("groupe de préparation")
        verbose_name_plural = _("groupes de préparation")
        ordering = ["activity", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="prep_group_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Copied from the group, so that the database keeps a person in one group per activity.
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("membre d’un groupe de préparation")
        verbose_name_plural = _("membres des groupes de préparation")
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="prep_one_group_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in group {self.group_id}"


class Document(models.Model):
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="document")
    # Bumped by every compaction: a cheap way to see that a document was compacted.
    compactions = models.PositiveIntegerField(default=0)
    # The bytes of its stored updates, kept as they are stored and compacted (services): the
    # document's size is checked against PREAU_PREP_MAX_DOCUMENT_BYTES without summing rows.
    stored_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("document de préparation")
        verbose_name_plural = _("documents de préparation")

    def __str__(self) -> str:
        return f"document of group {self.group_id}"

    @property
    def session(self) -> TrainingSession:
        return self.group.session


class DocumentUpdate(models.Model):
    """One binary Yjs update, as received (or the merge of a compaction). Append-only: rows are
    never changed, only deleted by a compaction that replaced them by their merge."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="updates")
    data = models.BinaryField()

    class Meta:
        verbose_name = _("modification d’un document de préparation")
        verbose_name_plural = _("modifications des documents de préparation")
        ordering = ["pk"]
        indexes = [models.Index(fields=["document", "id"], name="prep_update_document_id")]

    def __str__(self) -> str:
        return f"update {self.pk} of document {self.document_id}"


class Author(models.Model):
    """Which person wrote into a document with which Yjs client id (the `clientID` of one
    browser tab's editor, or of the server's copy that restores a version), for « qui a écrit
    quoi »: the browser colours each paragraph by the client ids of its characters.

    Filled when a client's first update is stored (services.record_update); the first person
    to write with a client id keeps it. No time, and nothing per change: `DocumentUpdate`
    still keeps none (domain.md §6). Read only by the document's writers (access.py)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="authors")
    client_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("auteur dans un document de préparation")
        verbose_name_plural = _("auteurs dans les documents de préparation")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "client_id"], name="prep_author_client_once"
            )
        ]

    def __str__(self) -> str:
        return f"client {self.client_id} of document {self.document_id}"


class Version(models.Model):
    """A named version of a document (« après la séance du 12 mars »), or an automatic
    snapshot: the document's full encoded state at that moment. Numbered in order; no time
    is kept, not even a day (domain.md §6)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(_("nom de la version"), max_length=120)
    state = models.BinaryField()
    # « Instantané automatique », kept by a compaction (services.compact); only the last
    # AUTO_SNAPSHOTS_KEPT of a document are kept. Named versions are never deleted.
    automatic = models.BooleanField(_("instantané automatique"), default=False)

    class Meta:
        verbose_name = _("version d’un document de préparation")
        verbose_name_plural = _("versions des documents de préparation")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="prep_version_number_once")
        ]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A comment on a passage of a document, by a member (or a trainer or tutor of the session).

    The passage is anchored by two Yjs relative positions (`Y.encodeRelativePosition`, made in
    the browser from the selection by y-prosemirror): each names the Yjs item the position sticks
    to, so the anchor follows the text through everyone's concurrent edits, without writing
    anything into the document itself (a mark would be a change of the shared text, restored
    or erased with versions, and exported). `quote` keeps the passage as it was selected, to
    show beside the document even once the passage is rewritten. No time is kept."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("commentaire"), max_length=2000)
    quote = models.CharField(_("passage commenté"), max_length=300)
    start = models.BinaryField()  # encoded Yjs relative position
    end = models.BinaryField()
    resolved = models.BooleanField(_("résolu"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("commentaire d’un document de préparation")
        verbose_name_plural = _("commentaires des documents de préparation")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.quote


class Reply(models.Model):
    """A reply in a comment's thread (same people, same limits as a comment). Deleted with its
    comment. No time is kept: the thread reads in the order the replies came."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("réponse"), max_length=2000)

    class Meta:
        verbose_name = _("réponse à un commentaire de préparation")
        verbose_name_plural = _("réponses aux commentaires de préparation")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"reply {self.pk} to comment {self.comment_id}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposée")
    KEPT = "kept", _("retenue")
    DISMISSED = "dismissed", _("écartée")


class Proposal(models.Model):
    """A plan shared with its session, proposed by the session's trainer to the designers of
    the parcours the session came from, for a later version. A read-only copy of the plan as
    it was when proposed (its HTML, not a link to the live document, which goes on changing
    or may be deleted with the session). No time is kept (domain.md §6); the designers mark
    it « retenue » or « écartée »."""

    # The parcours' line of versions: its designers (of any version) see the proposal.
    lineage = models.ForeignKey(
        "parcours.Lineage", on_delete=models.CASCADE, related_name="prep_proposals"
    )
    # The published version the session came from.
    parcours = models.ForeignKey(
        "parcours.Parcours",
        on_delete=models.CASCADE,
        related_name="prep_proposals",
        verbose_name=_("parcours"),
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    session_title = models.CharField(_("session"), max_length=200)
    activity_title = models.CharField(_("activité"), max_length=200)
    group_name = models.CharField(_("groupe"), max_length=100)
    # crdt.to_html of the document: known tags only, every text escaped.
    content_html = models.TextField(_("préparation"))
    note = models.TextField(_("mot du formateur"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    status = models.CharField(
        _("suite donnée"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )

    class Meta:
        verbose_name = _("préparation proposée aux concepteurs")
        verbose_name_plural = _("préparations proposées aux concepteurs")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.activity_title} — {self.group_name}"
