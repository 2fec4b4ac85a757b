"""Background tasks of the notifications app (Django's tasks API, database backend)."""

from django_tasks import task


@task()
def send_notification_emails(ids: list[int]) -> int:
    """The e-mails of a large fan-out (notify() hands over more than INLINE_EMAILS rows).
    Returns the number sent."""
    from .emails import send_notifications

    return send_notifications(ids)


@task()
def send_forum_digests(day: str | None = None) -> dict[str, int]:
    """The daily digest of forum notifications (digest.py), for `day` (ISO date) or today.
    Safe to enqueue more than once a day: a person gets one digest a day at most."""
    import datetime

    from django.utils import timezone

    from .digest import send_forum_digests as send

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = send(today=today)
    return {"sent": report.sent, "items": report.items, "skipped": report.skipped}
