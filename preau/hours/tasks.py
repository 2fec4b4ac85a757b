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


@task()
def build_hours_report(report_id: int) -> str:
    """The yearly hours report asked on its page (report.py): computes it and writes its
    files; a report already taken by another worker is left to it. Returns its status."""
    from .models import HoursReport
    from .report import build_report

    return build_report(HoursReport.objects.get(pk=report_id)).status
