"""notify(): one record per recipient, e-mails rendered from the records after the commit."""

import pytest
from django.core import mail

from preau.notifications import services
from preau.notifications.models import EmailPreference, ForumEmail, Notification
from preau.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
State = Notification.EmailState


def people(n: int) -> list:
    return [factories.teacher(first_name=f"Prénom{i}") for i in range(n)]


def test_notify_writes_one_record_per_recipient_and_returns_the_count(
    django_capture_on_commit_callbacks,
):
    alice, bob = people(2)
    with django_capture_on_commit_callbacks(execute=True):
        written = notify(
            recipients=[alice, bob],
            kind=Kind.ATTESTATION,
            title="Votre attestation est disponible",
            text="Session « Lire au CP »",
            url="/sessions/mes-sessions/1/",
        )
    assert written == 2
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [alice.pk, bob.pk]
    )
    row = Notification.objects.get(recipient=alice)
    assert (row.kind, row.is_read, row.email_state) == (Kind.ATTESTATION, False, State.SENT)


def test_other_kinds_are_mailed_at_once_one_message_per_person(
    django_capture_on_commit_callbacks,
):
    alice, bob = people(2)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[alice, bob],
            kind=Kind.ATTESTATION,
            title="Votre attestation est disponible",
            text="Session « Lire au CP »",
            url="/sessions/mes-sessions/1/",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    message = next(m for m in mail.outbox if m.to == [alice.email])
    assert message.subject == "Préau : votre attestation est disponible"
    assert "Bonjour Prénom0," in message.body
    assert "Session « Lire au CP »" in message.body
    assert "http://localhost:8000/sessions/mes-sessions/1/" in message.body
    assert "Ne plus recevoir" not in message.body  # not a forum e-mail
    assert "List-Unsubscribe" not in message.extra_headers


def test_no_mail_leaves_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    (alice,) = people(1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                notify(recipients=[alice], kind=Kind.ATTESTATION, title="T", url="/")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_forum_kinds_follow_each_persons_preference(django_capture_on_commit_callbacks):
    each, digest, none, default = people(4)
    services.set_forum_email(user=each, forum_email=ForumEmail.EACH)
    services.set_forum_email(user=digest, forum_email=ForumEmail.DIGEST)
    services.set_forum_email(user=none, forum_email=ForumEmail.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[each, digest, none, default],
            kind=Kind.REPLY,
            title="Nouvelle réponse : « Rituels du matin »",
            url="/sessions/forums/1/",
        )
    states = dict(Notification.objects.values_list("recipient_id", "email_state"))
    assert states == {
        each.pk: State.SENT,
        digest.pk: State.PENDING,
        none.pk: State.NONE,
        default.pk: State.SENT,  # no choice made: each message
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([each.email, default.email])


def test_a_forum_email_carries_the_records_unsubscribe_link_and_the_signed_off_link(
    django_capture_on_commit_callbacks,
):
    (alice,) = people(1)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[alice],
            kind=Kind.ANNOUNCEMENT,
            title="Nouvelle annonce : la salle change",
            text="Rendez-vous salle 12.",
            url="/sessions/forums/1/",
            unsubscribe_url=lambda user: f"/forums/desabonnement/{user.pk}/",
        )
    row = Notification.objects.get()
    assert row.unsubscribe_url == f"/forums/desabonnement/{alice.pk}/"
    [message] = mail.outbox
    assert f"http://localhost:8000/forums/desabonnement/{alice.pk}/" in message.body
    assert "Ne plus recevoir ces e-mails : http://localhost:8000/notifications/e-mails/" in (
        message.body
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_inactive_people_get_the_record_but_no_mail(django_capture_on_commit_callbacks):
    (alice,) = people(1)
    alice.is_active = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind=Kind.ATTESTATION, title="T", url="/")
    assert Notification.objects.get().email_state == State.NONE
    assert mail.outbox == []


def test_muted_notifications_are_listed_but_mail_nobody(django_capture_on_commit_callbacks):
    (alice,) = people(1)
    with services.muted(), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind=Kind.ATTESTATION, title="T", url="/")
    assert Notification.objects.get().email_state == State.NONE
    assert mail.outbox == []


def test_a_queryset_of_recipients_is_streamed_in_batches(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BATCH", 2)
    people(5)
    with django_capture_on_commit_callbacks(execute=True):
        written = notify(
            recipients=factories.User.objects.order_by("pk"),
            kind=Kind.ENROLMENT,
            title="Inscription",
            url="/",
        )
    assert written == 5
    assert len(mail.outbox) == 5


def test_a_large_fan_out_is_mailed_by_the_background_task(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_EMAILS", 2)
    enqueued = []
    from preau.notifications import tasks

    task = tasks.send_notification_emails

    class Recording:
        def enqueue(self, ids):
            enqueued.append(len(ids))
            return task.call(ids)

    monkeypatch.setattr(tasks, "send_notification_emails", Recording())
    group = people(3)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=group, kind=Kind.ATTESTATION, title="T", url="/")
    assert enqueued == [3]
    assert len(mail.outbox) == 3


def test_preference_defaults_to_each_message():
    (alice,) = people(1)
    assert services.forum_email_of(alice) == ForumEmail.EACH
    assert not EmailPreference.objects.exists()
