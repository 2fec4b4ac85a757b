"""Forum pages: a session's forums, a forum's threads, a thread's posts, and the actions on
them. Each view reaches its object through access.py and writes through one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from preau.accounts import throttling
from preau.core.params import int_param
from preau.training.models import SessionStatus

from . import access, selectors, services
from .forms import HideForm, PostForm, ThreadForm
from .models import Post


def _page(request) -> int:
    return int_param(request.GET, "page", lo=1, default=1, lenient=True)


def _refused(request, error, url) -> HttpResponse:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    return redirect(url)


def _may_write(forum, moderator: bool) -> bool:
    """Whether the page offers the form (the service decides in the end)."""
    session = forum.session
    if session.is_read_only:
        return False
    if moderator:
        return True
    return not forum.is_announcements and session.status == SessionStatus.OPEN


def session_forums(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_forums_or_404(request.user, pk)
    services.ensure_forums(session=session)
    forums = selectors.session_forums(session, request.user)
    return render(
        request,
        "forums/session_forums.html",
        {
            "session": session,
            "forums": forums,
            "unread_total": sum(f.unread for f in forums),
            "moderator": access.is_moderator(request.user, session),
        },
    )


@require_POST
def mark_all_read(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_forums_or_404(request.user, pk)
    services.mark_all_read(user=request.user, session=session)
    messages.success(request, _("Tous les messages de la session sont marqués comme lus."))
    return redirect("forums:session", pk=session.pk)


def activity_forum(request: HttpRequest, pk: int) -> HttpResponse:
    """The forum of a « Forum de discussion » activity of a session's content."""
    activity, session = access.get_activity_forum_session_or_404(request.user, pk)
    services.ensure_forums(session=session)
    return redirect("forums:forum", pk=activity.forum.pk)


def forum(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_or_404(request.user, pk)
    page = selectors.forum_threads(forum, request.user, _page(request))
    followed_forums, _threads = selectors.following(request.user, forum_ids=[forum.pk])
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "session": forum.session,
            "page": page,
            "page_url": reverse("forums:forum", args=[forum.pk]),
            "may_write": _may_write(forum, access.is_moderator(request.user, forum.session)),
            "follows": forum.pk in followed_forums,
        },
    )


@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_or_404(request.user, pk)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(
                forum=forum,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except (ValidationError, PermissionDenied) as error:
            return _refused(request, error, reverse("forums:forum", args=[forum.pk]))
        messages.success(request, _("Discussion publiée."))
        return redirect("forums:thread", pk=thread.pk)
    return render(
        request,
        "forums/thread_new.html",
        {"forum": forum, "session": forum.session, "form": form},
    )


@require_POST
def forum_follow(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_or_404(request.user, pk)
    return _follow(request, reverse("forums:forum", args=[forum.pk]), forum=forum)


def _follow(request, url: str, **target) -> HttpResponse:
    if request.POST.get("suivre") == "1":
        try:
            services.follow(user=request.user, **target)
        except ValidationError as error:
            return _refused(request, error, url)
        messages.success(request, _("Vous suivez désormais ces échanges : vous serez prévenu."))
    else:
        services.unfollow(user=request.user, **target)
        messages.success(request, _("Vous ne suivez plus ces échanges."))
    return redirect(url)


def thread(request: HttpRequest, pk: int, form: PostForm | None = None) -> HttpResponse:
    thread = access.get_thread_or_404(request.user, pk)
    forum = thread.forum
    page = selectors.thread_posts(thread, _page(request))
    mark = selectors.my_read_position(request.user, thread)
    posts = list(page.object_list)
    for item in posts:
        item.editable = not forum.session.is_read_only and services.may_edit(item, request.user)
    if posts and posts[-1].pk > mark:
        services.mark_read(user=request.user, thread=thread, post_id=posts[-1].pk)
    moderator = access.is_moderator(request.user, forum.session)
    may_write = _may_write(forum, moderator) and (not thread.locked or moderator)
    _forums, followed = selectors.following(request.user, thread_ids=[thread.pk])
    return render(
        request,
        "forums/thread.html",
        {
            "thread": thread,
            "forum": forum,
            "session": forum.session,
            "page": page,
            "page_url": reverse("forums:thread", args=[thread.pk]),
            "posts": posts,
            "first_new": mark,
            "moderator": moderator,
            "may_write": may_write,
            "form": form or (PostForm() if may_write else None),
            "follows": thread.pk in followed,
            "read_only": forum.session.is_read_only,
        },
    )


@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread_obj = access.get_thread_or_404(request.user, pk)
    form = PostForm(request.POST, request.FILES)
    if not form.is_valid():
        return thread(request, pk, form=form)
    quote = None
    if quote_pk := int_param(request.POST, "citation", lo=1, default=None, lenient=True):
        quote = Post.objects.filter(thread=thread_obj, pk=quote_pk, hidden=False).first()
    try:
        post = services.reply(
            thread=thread_obj,
            by=request.user,
            body=form.cleaned_data["body"],
            quote=quote,
            attachment=form.cleaned_data.get("attachment"),
        )
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, reverse("forums:thread", args=[thread_obj.pk]))
    messages.success(request, _("Réponse publiée."))
    return redirect(_post_url(post))


def _post_url(post) -> str:
    page = selectors.page_of_post(post)
    url = reverse("forums:thread", args=[post.thread_id])
    return f"{url}?page={page}#message-{post.pk}" if page > 1 else f"{url}#message-{post.pk}"


@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access.get_thread_or_404(request.user, pk)
    return _follow(request, reverse("forums:thread", args=[thread.pk]), thread=thread)


@require_POST
def thread_pin(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access.get_thread_or_404(request.user, pk)
    pinned = request.POST.get("epingler") == "1"
    try:
        services.set_pinned(thread=thread, by=request.user, pinned=pinned)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, reverse("forums:thread", args=[thread.pk]))
    messages.success(request, _("Discussion épinglée.") if pinned else _("Discussion désépinglée."))
    return redirect("forums:thread", pk=thread.pk)


@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access.get_thread_or_404(request.user, pk)
    locked = request.POST.get("verrouiller") == "1"
    try:
        services.set_locked(thread=thread, by=request.user, locked=locked)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, reverse("forums:thread", args=[thread.pk]))
    messages.success(request, _("Discussion verrouillée.") if locked else _("Discussion rouverte."))
    return redirect("forums:thread", pk=thread.pk)


def post(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's address (in notifications): its thread, at the right page."""
    return redirect(_post_url(access.get_post_or_404(request.user, pk)))


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_or_404(request.user, pk)
    back = _post_url(post)
    if not services.may_edit(post, request.user) or post.session.is_read_only:
        messages.error(
            request, _("Un message se modifie par son auteur, dans les 30 minutes après l’envoi.")
        )
        return redirect(back)
    form = PostForm(request.POST or None, initial={"body": post.body}, with_attachment=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"])
        except (ValidationError, PermissionDenied) as error:
            return _refused(request, error, back)
        messages.success(request, _("Message modifié."))
        return redirect(back)
    return render(
        request,
        "forums/post_edit.html",
        {"post": post, "thread": post.thread, "session": post.session, "form": form},
    )


@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_or_404(request.user, pk)
    back = _post_url(post)
    if post.author_id != request.user.pk:
        raise Http404
    if request.method == "GET":
        return render(
            request,
            "forums/post_delete.html",
            {"post": post, "thread": post.thread, "session": post.session, "back": back},
        )
    forum_pk = post.thread.forum_id
    try:
        remaining = services.delete_post(post=post, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, back)
    messages.success(request, _("Message supprimé."))
    if remaining is None:
        return redirect("forums:forum", pk=forum_pk)
    return redirect("forums:thread", pk=remaining.pk)


@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_or_404(request.user, pk)
    if not access.is_moderator(request.user, post.session):
        raise Http404
    back = _post_url(post)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            return _refused(request, error, back)
        messages.success(request, _("Message masqué. Son auteur voit le motif."))
        return redirect(back)
    return render(
        request,
        "forums/post_hide.html",
        {"post": post, "thread": post.thread, "session": post.session, "form": form, "back": back},
    )


@require_POST
def post_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.get_post_or_404(request.user, pk)
    back = _post_url(post)
    try:
        services.unhide_post(post=post, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, error, back)
    messages.success(request, _("Message de nouveau visible."))
    return redirect(back)


def post_attachment(request: HttpRequest, pk: int) -> FileResponse:
    post = access.get_post_or_404(request.user, pk)
    if not post.attachment or (post.hidden and not access.is_moderator(request.user, post.session)):
        raise Http404
    return FileResponse(
        post.attachment.open("rb"),
        as_attachment=True,
        filename=post.attachment.name.rsplit("/", 1)[-1],
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a notification e-mail: no sign-in, the signature is the key. GET asks for
    confirmation (mail scanners open links), POST stops the subscription."""
    if throttling.unsubscribe_is_limited(request):
        return render(
            request,
            "forums/unsubscribe.html",
            {"limited": True, "minutes": throttling.unsubscribe_wait_minutes()},
            status=429,
        )
    if request.method == "GET":
        valid = services.unsubscribe_is_valid(token)
        return render(
            request, "forums/unsubscribe.html", {"valid": valid, "done": False}, status=200
        )
    done = services.unsubscribe(token=token)
    return render(
        request,
        "forums/unsubscribe.html",
        {"valid": done, "done": done},
        status=200 if done else 400,
    )
