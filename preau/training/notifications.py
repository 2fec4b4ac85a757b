"""E-mails about sessions. Sent after the transaction commits (services use on_commit)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from .models import Enrolment


def _send(to: str, template: str, context: dict, attachments=()) -> None:
    subject, _sep, body = render_to_string(template, context).partition("\n")
    message = EmailMessage(subject.strip(), body.strip(), settings.DEFAULT_FROM_EMAIL, [to])
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def send_enrolment(enrolment: Enrolment) -> None:
    """An invitation with the session's meetings as an iCalendar attachment."""
    from .calendar import session_invitation

    _send(
        enrolment.user.email,
        "training/email/enrolment.txt",
        {"enrolment": enrolment, "session": enrolment.session},
        attachments=[("session.ics", session_invitation(enrolment), "text/calendar")],
    )


def send_promotion(enrolment: Enrolment) -> None:
    """From the waiting list to the enrolled: an invitation too, with the same attachment."""
    from .calendar import session_invitation

    _send(
        enrolment.user.email,
        "training/email/promotion.txt",
        {"enrolment": enrolment, "session": enrolment.session},
        attachments=[("session.ics", session_invitation(enrolment), "text/calendar")],
    )
