"""What the forums tell people, through the one notification service (preau/notifications):
announcements to every participant, new posts to followers, mentions to the people named.
Every call leaves the author out; e-mails leave after commit (the service's rule)."""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from preau.training.models import Enrolment, EnrolmentStatus

from .models import Post

EXCERPT_CHARS = 300


def _notify(**kwargs) -> int:
    from preau.notifications.services import notify

    return notify(**kwargs)


def _kind(name: str):
    from preau.notifications.models import Notification

    return getattr(Notification.Kind, name)


def post_url(post: Post) -> str:
    return reverse("forums:post", args=[post.pk])


def _excerpt(post: Post) -> str:
    return Truncator(" ".join(strip_tags(post.body).split())).chars(EXCERPT_CHARS)


def announcement(post: Post) -> int:
    """Every enrolled participant of the session (not those waiting) hears of an announcement."""
    thread = post.thread
    session = thread.forum.session
    recipients = (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .exclude(user=post.author_id)
        .select_related("user")
    )
    return _notify(
        recipients=[e.user for e in recipients],
        kind=_kind("ANNOUNCEMENT"),
        title=_("Annonce : %(title)s") % {"title": thread.title},
        url=post_url(post),
        text=_excerpt(post),
        session=session,
    )


def new_post(post: Post, *, followers) -> int:
    """Followers of the thread (or of its forum) hear of a new post, each with a signed link
    that ends the subscription that brought it to them."""
    from .services import unsubscribe_url

    if not followers:
        return 0
    thread = post.thread
    by_user = {s.user_id: s for s in followers}
    return _notify(
        recipients=[s.user for s in followers],
        kind=_kind("REPLY"),
        title=_("Nouveau message dans « %(title)s »") % {"title": thread.title},
        url=post_url(post),
        text=_excerpt(post),
        session=thread.forum.session,
        unsubscribe_url=lambda user: unsubscribe_url(by_user[user.pk]),
    )


def mentions(post: Post, *, already=()) -> int:
    """The session members named `@Prénom Nom` (not already told through a subscription)."""
    from .services import mentioned_users

    told = {s.user_id for s in already}
    people = [p for p in mentioned_users(post) if p.pk not in told]
    if not people:
        return 0
    author = post.author.get_full_name() if post.author else ""
    return _notify(
        recipients=people,
        kind=_kind("MENTION"),
        title=_("%(author)s vous mentionne dans « %(title)s »")
        % {"author": author, "title": post.thread.title},
        url=post_url(post),
        text=_excerpt(post),
        session=post.thread.forum.session,
    )
