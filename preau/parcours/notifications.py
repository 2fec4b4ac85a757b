"""E-mails about the review of a parcours. Services send them after their transaction commits
(transaction.on_commit), one message per person: nobody sees who else received it."""

import contextvars
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from . import access
from .models import Parcours

_muted = contextvars.ContextVar("parcours_mails_muted", default=False)


@contextmanager
def muted():
    """No review e-mail is queued inside: the demo seed plays the review workflow through the
    services, and must mail nobody. Usable as a decorator."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(send, *args, **kwargs) -> None:
    """Queues `send(*args, **kwargs)` for when the transaction commits (never a mail about a
    write that rolled back), unless muted."""
    if not _muted.get():
        transaction.on_commit(partial(send, *args, **kwargs))


def _link(parcours: Parcours) -> str:
    return settings.PREAU_SITE_URL.rstrip("/") + reverse("parcours:detail", args=[parcours.pk])


def _send(recipients, template: str, context: dict) -> int:
    sent = 0
    for person in recipients:
        text = render_to_string(template, {**context, "person": person})
        subject, _sep, body = text.partition("\n")
        EmailMessage(
            subject.strip(), body.strip(), settings.DEFAULT_FROM_EMAIL, [person.email]
        ).send()
        sent += 1
    return sent


def _designers(parcours: Parcours):
    return parcours.designers.filter(is_active=True, is_placeholder=False).order_by("pk")


def send_review_requested(parcours_pk: int) -> int:
    """To each reviewer who may review the parcours (access.reviewers_of)."""
    parcours = Parcours.objects.select_related("academie").get(pk=parcours_pk)
    return _send(
        access.reviewers_of(parcours),
        "parcours/email/review_requested.txt",
        {"parcours": parcours, "link": _link(parcours)},
    )


def send_changes_requested(parcours_pk: int, *, reviewer_name: str, comment: str) -> int:
    """To the designers: sent back to construction, with the reviewer's comment."""
    parcours = Parcours.objects.get(pk=parcours_pk)
    return _send(
        _designers(parcours),
        "parcours/email/changes_requested.txt",
        {
            "parcours": parcours,
            "reviewer_name": reviewer_name,
            "comment": comment,
            "link": _link(parcours),
        },
    )


def send_approved(parcours_pk: int, *, reviewer_name: str, comment: str, university: bool) -> int:
    """To the designers: approved by the inspection (so published), or by a university
    reviewer."""
    parcours = Parcours.objects.get(pk=parcours_pk)
    return _send(
        _designers(parcours),
        "parcours/email/approved.txt",
        {
            "parcours": parcours,
            "reviewer_name": reviewer_name,
            "comment": comment,
            "university": university,
            "link": _link(parcours),
        },
    )
