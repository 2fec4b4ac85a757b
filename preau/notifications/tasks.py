"""Background tasks of the notifications app (Django's tasks API, database backend)."""

from django_tasks import task


@task()
def send_notification_emails(ids: list[int]) -> int:
    """The e-mails of a large fan-out (notify() hands over more than INLINE_EMAILS rows).
    Returns the number sent."""
    from .emails import send_notifications

    return send_notifications(ids)
