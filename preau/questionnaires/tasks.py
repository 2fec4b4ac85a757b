"""Background tasks of the questionnaires (Django's tasks API, database backend)."""

from django_tasks import task


@task()
def send_closing_reminders(day: str | None = None) -> dict[str, int]:
    """The reminders of the closing questionnaire (reminders.py), for `day` (ISO) or today.
    Safe to enqueue more than once a day: a participant is reminded once."""
    import datetime

    from django.utils import timezone

    from .reminders import send_closing_reminders as send

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = send(today=today)
    return {"sessions": report.sessions, "reminded": report.reminded}
