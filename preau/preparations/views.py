"""Pages of the collective preparations: an activity's groups (made by the session's
managers), and a group's document (the live editor, and its plain-HTTP fallback)."""

import base64
import binascii
import functools
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from preau.core.params import id_param
from preau.core.search import by_name
from preau.training.models import SessionStatus

from . import access, crdt, selectors, services
from .consumers import relay_from_http
from .forms import HandGroupForm, RandomGroupsForm
from .models import Group, Membership, Reply, Version


def _groups(place):
    memberships = Membership.objects.select_related("user").order_by(*by_name("user__"), "user__pk")
    return list(
        Group.objects.filter(activity=place.activity)
        .select_related("document")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )


def activity(request: HttpRequest, pk: int, hand_form=None, random_form=None) -> HttpResponse:
    place = access.get_place_or_404(request.user, pk)
    groups = _groups(place)
    mine = [g for g in groups if any(m.user_id == request.user.pk for m in g.memberships.all())]
    may_make = place.manages and not place.session.is_read_only
    context = {
        "place": place,
        "session": place.session,
        "activity": place.activity,
        # Participants see their own group only; the session's followers see them all.
        "groups": groups if (place.manages or place.staff) else mine,
        "mine": mine,
        # The other groups' plans shared with the session, for its participants.
        "shared": [g for g in groups if g.shared and g not in mine] if place.participant else [],
        "may_make": may_make,
    }
    if may_make:
        unassigned = services._unassigned(place.activity, place.session)
        context["unassigned"] = list(unassigned)
        context["hand_form"] = hand_form or HandGroupForm(participants=unassigned)
        context["random_form"] = random_form or RandomGroupsForm()
    return render(request, "preparations/activity.html", context)


@require_POST
def make_groups(request: HttpRequest, pk: int) -> HttpResponse:
    place = access.get_place_or_404(request.user, pk)
    if not place.manages:
        raise PermissionDenied(_("Seuls ceux qui gèrent la session font les groupes."))
    mode = request.POST.get("mode")
    kwargs = {"activity": place.activity, "session": place.session, "by": request.user}
    try:
        if mode == "ecole":
            groups = services.make_groups_by_school(**kwargs)
        elif mode == "hasard":
            form = RandomGroupsForm(request.POST)
            if not form.is_valid():
                return activity(request, pk, random_form=form)
            groups = services.make_random_groups(size=form.cleaned_data["size"], **kwargs)
        elif mode == "main":
            form = HandGroupForm(
                request.POST,
                participants=services._unassigned(place.activity, place.session),
            )
            if not form.is_valid():
                return activity(request, pk, hand_form=form)
            groups = [
                services.create_group(
                    name=form.cleaned_data["name"], members=form.cleaned_data["members"], **kwargs
                )
            ]
        else:
            return HttpResponse(status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("preparations:activity", pk=pk)
    if groups:
        messages.success(request, _("Groupes enregistrés : %(n)s.") % {"n": len(groups)})
    else:
        messages.info(request, _("Tous les participants ont déjà un groupe."))
    return redirect("preparations:activity", pk=pk)


def _member_change(request, pk, service, done: str) -> HttpResponse:
    group = access.get_group_to_manage_or_404(request.user, pk)
    user = get_user_model().objects.filter(pk=id_param(request.POST, "personne") or 0).first()
    if user is None:
        messages.error(request, _("Choisissez une personne."))
        return redirect("preparations:activity", pk=group.activity_id)
    try:
        service(group=group, user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": user.get_full_name(), "group": group.name})
    return redirect("preparations:activity", pk=group.activity_id)


@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_change(
        request, pk, services.remove_member, _("%(name)s a quitté le groupe « %(group)s ».")
    )


@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_change(
        request, pk, services.add_member, _("%(name)s a rejoint le groupe « %(group)s ».")
    )


@require_POST
def move_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves a person from their group to another group of the activity, in one step."""
    place = access.get_place_or_404(request.user, pk)
    if not place.manages:
        raise PermissionDenied(_("Seuls ceux qui gèrent la session font les groupes."))
    user = get_user_model().objects.filter(pk=id_param(request.POST, "personne") or 0).first()
    to = (
        Group.objects.select_related("session")
        .filter(activity=place.activity, pk=id_param(request.POST, "vers") or 0)
        .first()
    )
    if user is None or to is None:
        messages.error(request, _("Choisissez une personne et le groupe où la placer."))
        return redirect("preparations:activity", pk=pk)
    try:
        left = services.move_member(user=user, to=to, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
    else:
        messages.success(
            request,
            _("%(name)s a quitté le groupe « %(old)s » pour le groupe « %(new)s ».")
            % {"name": user.get_full_name(), "old": left.name, "new": to.name},
        )
    return redirect("preparations:activity", pk=pk)


def group(request: HttpRequest, pk: int) -> HttpResponse:
    """A group, for those who make the groups: a POST renames it; the way to delete it."""
    found = access.get_group_to_manage_or_404(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.rename_group(group=found, name=request.POST.get("nom", ""), by=request.user)
        except (ValidationError, PermissionDenied) as refused:
            error = " ".join(getattr(refused, "messages", None) or [str(refused)])
        else:
            messages.success(
                request, _("Le groupe s’appelle désormais « %(name)s ».") % {"name": found.name}
            )
            return redirect("preparations:activity", pk=found.activity_id)
    return render(
        request,
        "preparations/group.html",
        {
            "group": found,
            "session": found.session,
            "activity": found.activity,
            "members": found.memberships.count(),
            "name": request.POST.get("nom", found.name) if error else found.name,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
def delete_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a group, its document and the document's history (confirmed on the group's
    page, which says what is lost)."""
    found = access.get_group_to_manage_or_404(request.user, pk)
    try:
        services.delete_group(group=found, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
        return redirect("preparations:group", pk=found.pk)
    messages.success(
        request,
        _("Le groupe « %(name)s » est supprimé, avec sa préparation et son historique.")
        % {"name": found.name},
    )
    return redirect("preparations:activity", pk=found.activity_id)


@functools.cache
def _importmap() -> str:
    """The import map of the vendored modules (bin/vendor-coedit writes it), for STATIC_URL."""
    path = Path(__file__).parent / "static" / "vendor" / "importmap.json"
    imports = json.loads(path.read_text())["imports"]
    prefix = f"{settings.STATIC_URL}vendor/"
    return json.dumps(
        {"imports": {k: prefix + v.removeprefix("/static/vendor/") for k, v in imports.items()}}
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc_row = access.get_document_to_read_or_404(request.user, pk)
    may_write = access.may_edit(request.user, doc_row)
    doc = services.load(doc_row)
    session = doc_row.group.session
    return render(
        request,
        "preparations/document.html",
        {
            "document": doc_row,
            "group": doc_row.group,
            "session": session,
            "activity": doc_row.group.activity,
            "content_html": crdt.to_html(doc),
            "may_write": may_write,
            "may_propose": doc_row.group.shared
            and session.status != SessionStatus.ARCHIVED
            and access.may_propose(request.user, doc_row),
            "live": may_write and not session.is_read_only,
            # The group's comments (not shown to the session a plan is shared with).
            "comments": _comments_of(doc_row, request.user) if may_write else None,
            "importmap": _importmap(),
            "editor": {
                "document": doc_row.pk,
                "state": _b64(doc.get_update()),
                "readOnly": session.is_read_only,
                "user": {"name": request.user.get_full_name(), "id": request.user.pk},
                "updateUrl": reverse("preparations:update", args=[doc_row.pk]),
                "authorsUrl": reverse("preparations:authors", args=[doc_row.pk]),
                "csrf": get_token(request),
                "liveUrl": settings.PREAU_LIVE_URL,
                "label": _("Préparation du groupe « %(name)s »") % {"name": doc_row.group.name},
            },
        },
    )


def document_authors(request: HttpRequest, pk: int) -> HttpResponse:
    """« Qui a écrit quoi »: who wrote with which editor (Yjs client id), and each one's
    colour, for the editor to mark each paragraph. For the document's writers only (its
    group, the session's trainers and tutors: not the session a plan is shared with), also
    once the session is closed (a read)."""
    doc_row = access.get_document_or_404(request.user, pk)
    return JsonResponse(selectors.authorship(doc_row))


def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as a PDF (WeasyPrint), for the same people as its page; also once the
    session is closed."""
    from preau.training.pdf import pdf_response, render_pdf

    doc_row = access.get_document_to_read_or_404(request.user, pk)
    group = doc_row.group
    pdf = render_pdf(
        "preparations/document_pdf.html",
        {
            "group": group,
            "session": group.session,
            "activity": group.activity,
            "content_html": crdt.to_html(services.load(doc_row)),
            "comments": _exported_comments(doc_row, request.user),
        },
    )
    return pdf_response(pdf, f"preparation-{slugify(group.name) or group.pk}.pdf")


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def document_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The plain-HTTP save, for a browser whose websocket cannot connect: the editor posts its
    Yjs update (base64, JSON `update`: what the server lacks, computed from the server's state
    vector of the previous answer) and its state vector (`state`); the update goes through the
    same checks and storage as over the websocket, and the answer carries what the server has
    that the client lacks (`update`) and the server's state vector (`state`)."""
    doc_row = access.get_document_or_404(request.user, pk)
    unreadable = _("Cette modification n’est pas lisible : rien n’a été enregistré.")
    if request.content_type != "application/json":
        return _error(unreadable, 400)  # (a form's body is read by the middlewares already)
    too_large = _("La modification est trop grande : rien n’a été enregistré.")
    if len(request.body) > crdt.UPDATE_MAX_BYTES * 2:
        return _error(too_large, 413)
    try:
        payload = json.loads(request.body)
        update = base64.b64decode(payload.get("update") or "", validate=True)
        state = base64.b64decode(payload.get("state") or "", validate=True)
        if state:
            # Before anything is stored (a refusal stores nothing), and before pycrdt sees it.
            crdt.read_state_vector(state)
    # (InvalidUpdate is a ValueError; RecursionError: JSON nested 100,000 deep.)
    except (ValueError, AttributeError, TypeError, RecursionError, binascii.Error):
        return _error(unreadable, 400)
    try:
        if update:
            stored = services.record_update(document=doc_row, update=update, by=request.user)
            if stored:
                # Those editing live see it at once (after the commit: a relayed update must
                # already be in the database that answers their next sync).
                # What was stored, which may be less than the update (record_update).
                transaction.on_commit(
                    lambda: relay_from_http(doc_row.pk, bytes(stored.data), stored.pk)
                )
        else:
            services.check_may_write(document=doc_row, by=request.user)
    except PermissionDenied as error:
        return _error(str(error), 403)
    except ValidationError as error:
        status = {"too_large": 413, "document_full": 413, "invalid": 400}.get(error.code, 403)
        return _error(" ".join(error.messages), status)
    doc = services.load(doc_row)
    answer = crdt.update_since(doc, state) if state else doc.get_update()
    # The server's state vector: the editor's next save sends what it lacks (editor.js).
    return JsonResponse({"update": _b64(answer), "state": _b64(doc.get_state())})


# Versions -------------------------------------------------------------------------------------


def versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's named versions; a POST names the document as it is now."""
    doc_row = access.get_document_to_read_or_404(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            version = services.name_version(
                document=doc_row, name=request.POST.get("nom", ""), by=request.user
            )
        except (ValidationError, PermissionDenied) as refused:
            error = " ".join(getattr(refused, "messages", None) or [str(refused)])
        else:
            messages.success(request, _("Version « %(name)s » enregistrée.") % {"name": version})
            return redirect("preparations:versions", pk=doc_row.pk)
    group = doc_row.group
    return render(
        request,
        "preparations/versions.html",
        {
            "document": doc_row,
            "group": group,
            "session": group.session,
            "activity": group.activity,
            "versions": doc_row.versions.only("pk", "number", "name", "automatic"),
            "all_versions": doc_row.versions.only("pk", "number", "name"),
            "kept": services.AUTO_SNAPSHOTS_KEPT,
            "may_write": access.may_edit(request.user, doc_row),
            "error": error,
        },
        status=400 if error else 200,
    )


def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A version, and how the document changed since (line by line); a POST restores it."""
    found = access.get_version_or_404(request.user, pk)
    doc_row = found.document
    if request.method == "POST":
        try:
            row = services.restore_version(version=found, by=request.user)
        except (ValidationError, PermissionDenied) as refused:
            messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
        else:
            if row is not None:
                transaction.on_commit(lambda: relay_from_http(doc_row.pk, bytes(row.data), row.pk))
            messages.success(
                request, _("Le document a repris la version « %(name)s ».") % {"name": found}
            )
            return redirect("preparations:document", pk=doc_row.pk)
    old = crdt.rebuild([bytes(found.state)])
    current = services.load(doc_row)
    group = doc_row.group
    return render(
        request,
        "preparations/version.html",
        {
            "version": found,
            "document": doc_row,
            "group": group,
            "session": group.session,
            "activity": group.activity,
            "content_html": crdt.to_html(old),
            "changes": crdt.diff_blocks(crdt.blocks(old), crdt.blocks(current)),
            "may_write": access.may_edit(request.user, doc_row),
        },
    )


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The change between any two versions (`de`, `a`: version ids of this document; no `a`:
    the current document; no `de`: the last version), paragraph by paragraph, word by word
    within a changed paragraph. A version of another document, or none: 404."""
    from django.http import Http404

    doc_row = access.get_document_to_read_or_404(request.user, pk)
    all_versions = list(doc_row.versions.only("pk", "number", "name", "automatic"))
    by_pk = {v.pk: v for v in all_versions}
    old_pk, new_pk = id_param(request.GET, "de"), id_param(request.GET, "a")
    if "de" not in request.GET and all_versions:
        old_pk = all_versions[0].pk  # the last version, against the current document
    if old_pk not in by_pk or (new_pk is not None and new_pk not in by_pk):
        raise Http404
    old_version = Version.objects.only("state").get(pk=old_pk)
    old = crdt.rebuild([bytes(old_version.state)])
    if new_pk is None:
        new, new_label = services.load(doc_row), _("le document actuel")
    else:
        new = crdt.rebuild([bytes(Version.objects.only("state").get(pk=new_pk).state)])
        new_label = f"{by_pk[new_pk].number}. {by_pk[new_pk].name}"
    group = doc_row.group
    return render(
        request,
        "preparations/compare.html",
        {
            "document": doc_row,
            "group": group,
            "session": group.session,
            "activity": group.activity,
            "all_versions": all_versions,
            "old_pk": old_pk,
            "new_pk": new_pk,
            "old_label": f"{by_pk[old_pk].number}. {by_pk[old_pk].name}",
            "new_label": new_label,
            "changes": crdt.diff_blocks(crdt.blocks(old), crdt.blocks(new)),
        },
    )


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    doc_row = access.get_document_or_404(request.user, pk)
    shared = request.POST.get("partager") == "1"
    try:
        services.share(document=doc_row, shared=shared, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
    else:
        messages.success(
            request,
            _("La préparation est partagée avec la session, en lecture seule.")
            if shared
            else _("La préparation n’est plus partagée avec la session."),
        )
    return redirect("preparations:document", pk=doc_row.pk)


# Comments -------------------------------------------------------------------------------------
#
# Server-rendered, with htmx: without JavaScript each form posts and the page comes back (a
# message, the list at the comment); with htmx the answer is the part of the list that changed
# (the comment; the whole list when a comment is added or deleted), a refusal included, said
# in it (htmx does not swap an error's answer). Deleting asks first: a confirmation in place
# (htmx) or on its own page.

# Which element of a comment's answer takes the focus (htmx `autofocus`), so that a keyboard
# stays where it was: the button that replaced the one pressed, the reply box, the notice.
FOCUS = {"repondre", "resoudre", "rouvrir", "supprimer", "confirmer", "annonce"}


def _refusal(refused) -> str:
    return " ".join(getattr(refused, "messages", None) or [str(refused)])


def _anchor(value: str) -> bytes:
    try:
        return base64.b64decode(value or "", validate=True)
    except (ValueError, binascii.Error):
        return b""


def _comments_of(doc_row, user, pk: int | None = None) -> list:
    """The document's comments and their replies (3 queries), each marked with what the person
    may do (delete: its author, or the session's trainers and tutors), with its anchors in
    base64 for the editor's highlights."""
    moderate = access.may_moderate(user, doc_row)
    comments = doc_row.comments.select_related("author", "resolved_by").prefetch_related(
        Prefetch("replies", queryset=Reply.objects.select_related("author"))
    )
    if pk is not None:
        comments = comments.filter(pk=pk)
    comments = list(comments)
    for comment in comments:
        comment.deletable = moderate or comment.author_id == user.pk
        comment.anchors = (_b64(bytes(comment.start)), _b64(bytes(comment.end)))
        for found in comment.replies.all():
            found.deletable = moderate or found.author_id == user.pk
    return comments


def _back_to(doc_row, anchor: str = "commentaires") -> HttpResponse:
    return redirect(reverse("preparations:document", args=[doc_row.pk]) + f"#{anchor}")


def _list_answer(request, doc_row, *, done: str = "", error: str = "", **extra) -> HttpResponse:
    """The comments' list again (htmx), or the page (a message)."""
    if not request.htmx:
        if error or done:
            (messages.error if error else messages.success)(request, error or done)
        return _back_to(doc_row)
    session = doc_row.group.session
    context = {
        "document": doc_row,
        "session": session,
        "live": not session.is_read_only,
        "comments": _comments_of(doc_row, request.user),
        "notice": done,
        "error": error,
        **extra,
    }
    return render(request, "preparations/partials/comments.html", context)


def _comment_answer(request, comment, *, done: str = "", error: str = "", **extra) -> HttpResponse:
    """One comment again, as listed (htmx), or the page at that comment (a message)."""
    doc_row = comment.document
    if not request.htmx:
        if error or done:
            (messages.error if error else messages.success)(request, error or done)
        return _back_to(doc_row, f"commentaire-{comment.pk}")
    found = _comments_of(doc_row, request.user, pk=comment.pk)
    if not found:  # deleted meanwhile: the whole list
        return retarget(
            reswap(_list_answer(request, doc_row, error=error), "outerHTML"), "#commentaires"
        )
    context = {
        "document": doc_row,
        "session": doc_row.group.session,
        "live": not doc_row.group.session.is_read_only,
        "comment": found[0],
        "notice": done,
        "error": error,
        **extra,
    }
    return render(request, "preparations/partials/comments.html#comment", context)


@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment on the passage selected in the editor (its anchors: Yjs relative positions,
    base64, written into the form by editor.js)."""
    doc_row = access.get_document_or_404(request.user, pk)
    body = request.POST.get("commentaire", "")
    try:
        services.add_comment(
            document=doc_row,
            body=body,
            quote=request.POST.get("passage", ""),
            start=_anchor(request.POST.get("debut", "")),
            end=_anchor(request.POST.get("fin", "")),
            by=request.user,
        )
    except (ValidationError, PermissionDenied) as refused:
        return _list_answer(request, doc_row, error=_refusal(refused), body=body)
    return _list_answer(request, doc_row, done=_("Commentaire ajouté."), added=True)


@require_GET
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The comments' list again (htmx: when others changed it, editor.js), else the page."""
    return _list_answer(request, access.get_document_or_404(request.user, pk))


@require_GET
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment as listed (htmx: « Annuler » a deletion), else the page at the comment."""
    found = access.get_comment_or_404(request.user, pk)
    focus = request.GET.get("focus", "")
    return _comment_answer(
        request,
        found,
        focus=focus if focus in FOCUS else "",
        focus_reply=id_param(request.GET, "reponse"),
    )


@require_POST
def resolve_comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_comment_or_404(request.user, pk)
    try:
        services.resolve_comment(comment=found, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        return _comment_answer(request, found, error=_refusal(refused), focus="annonce")
    return _comment_answer(
        request, found, done=_("Commentaire marqué comme résolu."), focus="rouvrir"
    )


@require_POST
def reopen_comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_comment_or_404(request.user, pk)
    try:
        services.reopen_comment(comment=found, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        return _comment_answer(request, found, error=_refusal(refused), focus="annonce")
    return _comment_answer(request, found, done=_("Commentaire rouvert."), focus="resoudre")


@require_POST
def reply_comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_comment_or_404(request.user, pk)
    body = request.POST.get("reponse", "")
    try:
        services.reply_to_comment(comment=found, body=body, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        return _comment_answer(
            request, found, error=_refusal(refused), reply_body=body, focus="repondre"
        )
    return _comment_answer(request, found, done=_("Réponse ajoutée."), focus="repondre")


@require_http_methods(["GET", "POST"])
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (in place with htmx, else a page); POST: deletes the comment and
    its replies. Its author, or the session's trainers and tutors; never a closed session."""
    found = access.get_comment_or_404(request.user, pk)
    doc_row = found.document
    try:
        if request.method == "POST":
            services.delete_comment(comment=found, by=request.user)
        else:
            services.check_may_delete(document=doc_row, author_id=found.author_id, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        return _comment_answer(request, found, error=_refusal(refused), focus="annonce")
    if request.method == "POST":
        return _list_answer(request, doc_row, done=_("Commentaire supprimé."))
    if request.htmx:
        return _comment_answer(request, found, confirm=True, focus="confirmer")
    return _delete_page(request, doc_row, comment=_comments_of(doc_row, request.user, found.pk)[0])


@require_http_methods(["GET", "POST"])
def delete_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (in place with htmx, else a page); POST: deletes the reply."""
    found = access.get_reply_or_404(request.user, pk)
    parent = found.comment
    doc_row = parent.document
    try:
        if request.method == "POST":
            services.delete_reply(reply=found, by=request.user)
        else:
            services.check_may_delete(document=doc_row, author_id=found.author_id, by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        return _comment_answer(request, parent, error=_refusal(refused), focus="annonce")
    if request.method == "POST":
        return _comment_answer(request, parent, done=_("Réponse supprimée."), focus="annonce")
    if request.htmx:
        return _comment_answer(request, parent, confirm_reply=found.pk, focus="confirmer")
    return _delete_page(request, doc_row, comment=parent, reply=found)


def _delete_page(request, doc_row, *, comment, reply=None) -> HttpResponse:
    """The confirmation of a deletion, as a page (without JavaScript)."""
    group = doc_row.group
    return render(
        request,
        "preparations/comment_delete.html",
        {
            "document": doc_row,
            "group": group,
            "session": group.session,
            "activity": group.activity,
            "comment": comment,
            "reply": reply,
        },
    )


def _author_name(user) -> str:
    return user.get_full_name() if user is not None else _("Ancien membre")


def _exported_comments(doc_row, user) -> list:
    """The unresolved comments and their replies, for the PDF and the ODT of those who write
    the document: comments are the group's working notes, not the session's (a plan shared
    with it is exported without them)."""
    if not access.may_edit(user, doc_row):
        return []
    replies = Reply.objects.select_related("author")
    return list(
        doc_row.comments.filter(resolved=False)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def document_odt(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as an OpenDocument Text file (LibreOffice, OnlyOffice, Word), for the same
    people as its page and PDF; also once the session is closed."""
    from django.utils.http import content_disposition_header

    from . import odt

    doc_row = access.get_document_to_read_or_404(request.user, pk)
    group = doc_row.group
    title = _("Préparation du groupe « %(name)s »") % {"name": group.name}
    comments = [
        odt.Thread(
            quote=found.quote,
            author=_author_name(found.author),
            body=found.body,
            replies=[(_author_name(r.author), r.body) for r in found.replies.all()],
        )
        for found in _exported_comments(doc_row, request.user)
    ]
    response = HttpResponse(
        odt.to_odt(services.load(doc_row), title=title, comments=comments),
        content_type=odt.MIMETYPE,
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"preparation-{slugify(group.name) or group.pk}.odt"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Proposals to the parcours' designers ---------------------------------------------------------


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's trainer proposes a shared plan to the parcours' designers, with a note."""
    doc_row = access.get_document_to_propose_or_404(request.user, pk)
    try:
        services.propose(document=doc_row, note=request.POST.get("mot", ""), by=request.user)
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
    else:
        messages.success(
            request,
            _("La préparation est proposée aux concepteurs du parcours « %(title)s ».")
            % {"title": doc_row.group.session.source.title},
        )
    return redirect("preparations:document", pk=doc_row.pk)


def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal, for the parcours' designers: the plan as it was when proposed (a copy), the
    trainer's note; a POST marks it « retenue » or « écartée »."""
    found = access.get_proposal_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.decide_proposal(
                proposal=found, status=request.POST.get("suite", ""), by=request.user
            )
        except (ValidationError, PermissionDenied) as refused:
            messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
            return redirect("preparations:proposal", pk=found.pk)
        messages.success(
            request,
            _("Proposition marquée « %(status)s ».") % {"status": found.get_status_display()},
        )
        return redirect("preparations:proposal", pk=found.pk)
    return render(request, "preparations/proposal.html", {"proposal": found})
