"""Background tasks of the hours app (Django's tasks API, database backend)."""

import datetime

from django.utils import timezone
from django_tasks import task

from .reminders import send_hours_reminders as send


@task()
def send_hours_reminders(day: str | None = None) -> dict[str, int]:
    """The spring reminder of the 18 hours (see reminders.py), for `day` (ISO date) or today.

    Safe to enqueue daily and from several places at once: nothing before the reminder date,
    and each e-mail is claimed before it is sent. Returns counts, stored with the task result."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = send(today=today)
    return {"sent": len(report.sent), "skipped": len(report.skipped), "failed": len(report.failed)}
