"""Background tasks of the training app (Django's tasks API, database backend)."""

import datetime

from django.utils import timezone
from django_tasks import task

from .reminders import send_due_reminders


@task()
def send_reminders(day: str | None = None) -> dict[str, int]:
    """The daily reminders to trainers (see reminders.py), for `day` (ISO date) or today.

    Safe to enqueue from several places at once: each reminder is claimed before it is sent.
    Returns counts, stored with the task result."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = send_due_reminders(today=today)
    return {
        "sent": len(report.sent),
        "skipped": len(report.skipped),
        "failed": len(report.failed),
        "unaddressed": len(report.unaddressed),
    }
