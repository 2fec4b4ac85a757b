"""Reads of the forums, computed by the database. Unread counts are the viewer's own: every
function here takes the viewer and counts for them only (never for anyone else, never in a
figure about others)."""

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import PAGE_SIZE, Forum, Post, ReadMark, Thread


def _my_mark(user, thread_ref: str = "pk"):
    """The viewer's read position in the outer thread (0 when they never opened it)."""
    return Coalesce(
        Subquery(
            ReadMark.objects.filter(user=user, thread=OuterRef(thread_ref)).values(
                "last_read_post_id"
            )[:1]
        ),
        Value(0),
        output_field=IntegerField(),
    )


def _unread_in_thread(user):
    """How many posts of the outer thread (annotated `my_mark`) the viewer has not reached:
    not theirs, not hidden, beyond their read position; an index range scan on (thread, id)."""
    posts = (
        Post.objects.filter(thread=OuterRef("pk"), pk__gt=OuterRef("my_mark"), hidden=False)
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(posts, output_field=IntegerField()), Value(0))


def unread_threads(user, threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """The threads among `threads` whose last post is beyond the viewer's read position, each
    annotated with `unread`, the posts the viewer has not reached. Threads whose last post the
    viewer has reached are skipped by its id first, so the cost follows what is new, not the
    size of the forum.

    A row may count 0 (the posts beyond the position are the viewer's own, or hidden): callers
    sum the counts or skip the zeros in Python. Filtering `unread > 0` in SQL would make the
    database count every thread's posts twice (Django repeats an annotation's subquery in the
    WHERE clause): 14.7 ms of SQL instead of 3.5 ms on the 25,000-participant bench."""
    return (
        threads.annotate(my_mark=_my_mark(user))
        .filter(last_post_id__gt=F("my_mark"))
        .annotate(unread=_unread_in_thread(user))
        .order_by()
    )


def session_forums(session, user) -> list[Forum]:
    """The session's forums (announcements first, then discussions in the order of the
    content), each with `thread_count`, `post_count` and the viewer's `unread` count: three
    queries, whatever the number of participants, threads or posts."""
    forums = list(
        Forum.objects.filter(session=session)
        .select_related("activity__section")
        .order_by("kind", "activity__section__position", "activity__position", "pk")
    )
    counts = dict(
        Thread.objects.filter(forum__session=session)
        .order_by()
        .values("forum")
        .annotate(n=Count("pk"))
        .values_list("forum", "n")
    )
    unread = Counter()
    for forum_id, n in unread_threads(
        user, Thread.objects.filter(forum__session=session)
    ).values_list("forum", "unread"):
        unread[forum_id] += n
    for forum in forums:
        forum.thread_count = counts.get(forum.pk, 0)
        forum.unread = unread.get(forum.pk, 0)
    return forums


def session_unread_count(session, user) -> int:
    """New posts for the viewer in all the forums of one session (for their session page)."""
    rows = unread_threads(user, Thread.objects.filter(forum__session=session))
    return sum(rows.values_list("unread", flat=True))


def unread_by_session(user) -> list[dict]:
    """For the home page: the viewer's sessions with new forum posts, `{"session": id,
    "title": …, "unread": n}`, in one query."""
    from .access import sessions_with_forums_for

    threads = Thread.objects.filter(forum__session__in=sessions_with_forums_for(user))
    totals: dict[int, dict] = {}
    for session_id, title, n in unread_threads(user, threads).values_list(
        "forum__session", "forum__session__title", "unread"
    ):
        if not n:
            continue
        row = totals.setdefault(
            session_id,
            {"thread__forum__session": session_id, "thread__forum__session__title": title},
        )
        row["unread"] = row.get("unread", 0) + n
    return sorted(
        totals.values(),
        key=lambda r: (r["thread__forum__session__title"], r["thread__forum__session"]),
    )


def forum_threads(forum, user, page: int):
    """A page of the forum's threads (pinned first, then by latest post), each with
    `post_count`, its author's name, and the viewer's `unread` count."""
    threads = (
        Thread.objects.filter(forum=forum)
        .select_related("author")
        .only(
            "title",
            "pinned",
            "locked",
            "last_post_id",
            "forum",
            "author__first_name",
            "author__last_name",
        )
        .annotate(post_count=Count("posts"))
        .order_by("-pinned", "-last_post_id", "-pk")
    )
    page_obj = Paginator(threads, PAGE_SIZE).get_page(page)
    ids = [t.pk for t in page_obj.object_list]
    unread = dict(
        unread_threads(user, Thread.objects.filter(pk__in=ids)).values_list("pk", "unread")
    )
    for thread in page_obj.object_list:
        thread.unread = unread.get(thread.pk, 0)
    return page_obj


def thread_posts(thread, page: int):
    """A page of 25 posts, with their authors and quoted posts: two queries (count, page)."""
    posts = (
        Post.objects.filter(thread=thread).select_related("author", "quote__author").order_by("pk")
    )
    return Paginator(posts, PAGE_SIZE).get_page(page)


def page_of_post(post) -> int:
    before = Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).count()
    return before // PAGE_SIZE + 1


def my_read_position(user, thread) -> int:
    return (
        ReadMark.objects.filter(user=user, thread=thread)
        .values_list("last_read_post_id", flat=True)
        .first()
        or 0
    )


def following(user, forum_ids=(), thread_ids=()) -> tuple[set, set]:
    from .models import Subscription

    rows = Subscription.objects.filter(user=user).filter(
        Q(forum__in=list(forum_ids)) | Q(thread__in=list(thread_ids))
    )
    forums, threads = set(), set()
    for forum_id, thread_id in rows.values_list("forum", "thread"):
        (forums.add(forum_id) if forum_id else threads.add(thread_id))
    return forums, threads
