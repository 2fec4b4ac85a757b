"""Notifications about sessions, written through the one notification service
(preau/notifications): the record goes to the person's notification centre, its e-mail after
the transaction commits (an enrolment and a place obtained carry the session's dates as an
iCalendar attachment: notifications/emails.py)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.notifications.models import Notification
from preau.notifications.services import muted, notify

from .models import TrainingSession

Kind = Notification.Kind


def _url(session: TrainingSession) -> str:
    return reverse("training:participant_session", args=[session.pk])


def _schedule(session: TrainingSession) -> str:
    return render_to_string("training/email/schedule.txt", {"session": session}).strip()


def enrolled(session: TrainingSession, people) -> int:
    """People enrolled by a trainer or by themselves (not those put on the waiting list)."""
    return notify(
        recipients=people,
        kind=Kind.ENROLMENT,
        title=_("Vous êtes inscrit à la session « %(title)s »") % {"title": session.title},
        text=_schedule(session),
        url=_url(session),
        session=session,
    )


def enrolled_by_hr(session: TrainingSession, people) -> int:
    """People the HR application (GAIA) enrolled: in their notification centre only. GAIA
    sends the official convocation, and an import enrols tens of thousands at once: Préau adds
    no e-mail of its own (written in bulk, muted)."""
    with muted():
        return notify(
            recipients=people,
            kind=Kind.ENROLMENT,
            title=_("Vous êtes inscrit à la session « %(title)s »") % {"title": session.title},
            text=_("Inscription transmise par l’application de gestion (GAIA)."),
            url=_url(session),
            session=session,
        )


def promoted(session: TrainingSession, person) -> int:
    """From the waiting list to the enrolled."""
    return notify(
        recipients=[person],
        kind=Kind.PROMOTED,
        title=_("Une place s’est libérée dans la session « %(title)s »") % {"title": session.title},
        text=_("Vous passez de la liste d’attente aux inscrits.") + "\n\n" + _schedule(session),
        url=_url(session),
        session=session,
    )


def attested(session: TrainingSession, people) -> int:
    """The trainer attested them: their attestation is on their session page."""
    return notify(
        recipients=people,
        kind=Kind.ATTESTATION,
        title=_("Votre attestation de la session « %(title)s » est disponible")
        % {"title": session.title},
        text=_("Vous la téléchargez depuis la page de la session."),
        url=_url(session),
        session=session,
    )
