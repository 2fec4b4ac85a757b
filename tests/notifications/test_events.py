"""The events of the other apps reach people through notify(): a record in their centre, and
the e-mail rendered from it (or none, for HR imports)."""

import pytest
from django.core import mail

from preau.notifications.models import Notification
from preau.parcours import services as parcours_services
from preau.training import services
from preau.training.models import EnrolmentStatus
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
State = Notification.EmailState


@pytest.fixture
def session(db):
    return factories.TrainingSessionFactory(open=True, title="Lire au CP", capacity=1)


def test_an_enrolment_is_a_notification_mailed_with_the_sessions_dates(
    session, django_capture_on_commit_callbacks
):
    teacher = factories.teacher()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(session=session, user=teacher)
    record = Notification.objects.get(recipient=teacher)
    assert (record.kind, record.session, record.email_state) == (
        Kind.ENROLMENT,
        session,
        State.SENT,
    )
    assert record.url == f"/sessions/mes-sessions/{session.pk}/"
    [message] = mail.outbox
    assert message.subject == "Préau : vous êtes inscrit à la session « Lire au CP »"
    assert message.attachments[0][0] == "session.ics"


def test_the_waiting_list_gets_no_enrolment_notification_until_a_place_frees(
    session, django_capture_on_commit_callbacks
):
    first, second = factories.teacher(), factories.teacher()
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(session=session, user=first)
        waiting = services.enrol(session=session, user=second)
    assert waiting.status == EnrolmentStatus.WAITING
    assert not Notification.objects.filter(recipient=second).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.unenrol(enrolment=session.enrolments.get(user=first))

    record = Notification.objects.get(recipient=second)
    assert record.kind == Kind.PROMOTED
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "une place s’est libérée" in mail.outbox[0].subject


def test_an_hr_import_notifies_in_bulk_without_any_email(django_capture_on_commit_callbacks):
    session = factories.TrainingSessionFactory(open=True, capacity=2)
    people = [factories.teacher() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        enrolled, waiting = services.enrol_from_hr(session=session, user_ids=[p.pk for p in people])
    assert (enrolled, waiting) == (2, 1)
    records = Notification.objects.filter(kind=Kind.ENROLMENT)
    assert sorted(records.values_list("recipient_id", flat=True)) == [people[0].pk, people[1].pk]
    assert set(records.values_list("email_state", flat=True)) == {State.NONE}
    assert mail.outbox == []


def test_an_attestation_notifies_each_attested_participant(django_capture_on_commit_callbacks):
    trainer = factories.UserFactory()
    session = factories.TrainingSessionFactory(open=True, trainers=[trainer])
    enrolments = [factories.EnrolmentFactory(session=session) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.attest(
            session=session,
            by=trainer,
            enrolment_ids=[e.pk for e in enrolments],
            reason="Groupe en avance",
        )
    records = Notification.objects.filter(kind=Kind.ATTESTATION)
    assert sorted(records.values_list("recipient_id", flat=True)) == sorted(
        e.user_id for e in enrolments
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in enrolments)


def test_a_closed_session_refuses_the_enrolment_and_notifies_nobody(
    django_capture_on_commit_callbacks,
):
    from django.core.exceptions import ValidationError

    closed = factories.TrainingSessionFactory(closed=True)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.enrol(session=closed, user=factories.teacher())
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_review_asked_then_decided_notifies_reviewers_then_designers(
    django_capture_on_commit_callbacks, territory
):
    from preau.accounts.models import Role

    designer = factories.with_role(Role.DESIGNER, academie=territory["academie"])
    reviewer = factories.with_role(Role.REVIEWER)
    draft = factories.ParcoursFactory(
        complete=True, academie=territory["academie"], designers=[designer]
    )
    with django_capture_on_commit_callbacks(execute=True):
        parcours_services.submit_for_review(parcours=draft, by=designer)
    asked = Notification.objects.get(recipient=reviewer)
    assert asked.kind == Kind.REVIEW_ASKED
    assert asked.url == f"/parcours/{draft.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        parcours_services.request_changes(parcours=draft, by=reviewer, comment="Reprendre 2.")
    decided = Notification.objects.get(recipient=designer)
    assert decided.kind == Kind.REVIEW_DECIDED
    assert "Reprendre 2." in decided.text
    assert "renvoyé en construction" in decided.title
