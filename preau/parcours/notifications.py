"""Notifications about the review of a parcours, written through the one notification service
(preau/notifications): the records land in each person's notification centre, and their
e-mails leave after the transaction commits, one message per person (nobody sees who else
received it)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.notifications.models import Notification
from preau.notifications.services import muted, notify

from . import access
from .models import Parcours

__all__ = ["muted", "review_requested", "changes_requested", "approved"]

# `muted()`: the demo seed plays the review workflow through the services; inside it the
# notifications are written (the demo's bells show them) but nobody is mailed.

Kind = Notification.Kind


def _url(parcours: Parcours) -> str:
    return reverse("parcours:detail", args=[parcours.pk])


def _text(template: str, context: dict) -> str:
    return render_to_string(template, context).strip()


def _designers(parcours: Parcours):
    return parcours.designers.filter(is_active=True, is_placeholder=False).order_by("pk")


def review_requested(parcours: Parcours) -> int:
    """To each reviewer who may review the parcours (access.reviewers_of)."""
    return notify(
        recipients=access.reviewers_of(parcours),
        kind=Kind.REVIEW_ASKED,
        title=_("Le parcours « %(title)s » attend votre relecture") % {"title": parcours.title},
        text=_text("parcours/email/review_requested.txt", {"parcours": parcours}),
        url=_url(parcours),
    )


def changes_requested(parcours: Parcours, *, reviewer_name: str, comment: str) -> int:
    """To the designers: sent back to construction, with the reviewer's comment."""
    return notify(
        recipients=_designers(parcours),
        kind=Kind.REVIEW_DECIDED,
        title=_("Le parcours « %(title)s » est renvoyé en construction")
        % {"title": parcours.title},
        text=_text(
            "parcours/email/changes_requested.txt",
            {"parcours": parcours, "reviewer_name": reviewer_name, "comment": comment},
        ),
        url=_url(parcours),
    )


def approved(parcours: Parcours, *, reviewer_name: str, comment: str, university: bool) -> int:
    """To the designers: approved by the inspection (so published), or by a university
    reviewer."""
    if university:
        title = _("Le parcours « %(title)s » est approuvé par un universitaire")
    else:
        title = _("Le parcours « %(title)s » est approuvé et publié")
    return notify(
        recipients=_designers(parcours),
        kind=Kind.REVIEW_DECIDED,
        title=title % {"title": parcours.title},
        text=_text(
            "parcours/email/approved.txt",
            {
                "parcours": parcours,
                "reviewer_name": reviewer_name,
                "comment": comment,
                "university": university,
            },
        ),
        url=_url(parcours),
    )
