"""The only door to a notification: its recipient's. Anybody else gets a 404, whatever their
role (a notification says what a person was told; nobody else is told it)."""

from django.shortcuts import get_object_or_404

from .models import Notification


def get_notification_for_user_or_404(user, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_recipient(user), pk=pk)
