"""Reads of a person's notifications."""

from .models import Notification


def unread_count(request) -> int:
    """The bell's number: one COUNT on the partial index, once per request (cached on it)."""
    user = request.user
    if not user.is_authenticated:
        return 0
    if not hasattr(request, "_notifications_unread"):
        request._notifications_unread = Notification.objects.for_recipient(user).unread().count()
    return request._notifications_unread


def notifications_of(user):
    return Notification.objects.for_recipient(user).only(
        "pk", "kind", "title", "text", "is_read", "created"
    )
