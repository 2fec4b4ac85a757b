"""E-mails rendered from Notification records: the subject, body and link come from the
record, so that the e-mail says what the notification centre says."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notification
from .services import FORUM_KINDS
from .tokens import absolute, forum_email_off_url

BATCH = 500


def subject_of(title: str) -> str:
    """« Préau : le parcours … » from the title « Le parcours … » (an acronym keeps its
    capitals)."""
    if len(title) > 1 and title[0].isupper() and not title[1].isupper():
        title = title[0].lower() + title[1:]
    return f"Préau : {title}"


def _attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """An enrolment or a place obtained comes with the session's dates for the agenda."""
    if notification.kind not in {Notification.Kind.ENROLMENT, Notification.Kind.PROMOTED}:
        return []
    if notification.session_id is None:
        return []
    from preau.training.calendar import session_invitation
    from preau.training.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("session", "user")
        .filter(session_id=notification.session_id, user_id=notification.recipient_id)
        .first()
    )
    if enrolment is None:
        return []
    return [("session.ics", session_invitation(enrolment), "text/calendar")]


def _headers(off_url: str | None) -> dict[str, str]:
    if not off_url:
        return {}
    # One click from the mail client (RFC 8058): it POSTs to the link.
    return {
        "List-Unsubscribe": f"<{off_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def message_for(notification: Notification) -> EmailMessage:
    person = notification.recipient
    forum = notification.kind in FORUM_KINDS
    off_url = forum_email_off_url(person) if forum else None
    body = render_to_string(
        "notifications/email/notification.txt",
        {
            "notification": notification,
            "person": person,
            "link": absolute(notification.url),
            "unsubscribe_url": absolute(notification.unsubscribe_url)
            if notification.unsubscribe_url
            else "",
            "forum": forum,
            "off_url": off_url,
            "profile_url": absolute(reverse("accounts:profile")) if forum else "",
        },
    )
    message = EmailMessage(
        subject_of(notification.title),
        body.strip(),
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
        headers=_headers(off_url),
    )
    for name, content, mimetype in _attachments(notification):
        message.attach(name, content, mimetype)
    return message


def send_notifications(ids: list[int]) -> int:
    """Sends the e-mail of each notification (one message per person: nobody sees who else
    received it), over one connection, reading the rows by batches."""
    sent = 0
    connection = get_connection()
    for start in range(0, len(ids), BATCH):
        rows = Notification.objects.filter(pk__in=ids[start : start + BATCH]).select_related(
            "recipient"
        )
        messages = [message_for(row) for row in rows.order_by("pk")]
        sent += connection.send_messages(messages) or 0
    return sent
