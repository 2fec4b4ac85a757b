"""The daily digest of forum notifications: one e-mail per person and day at most, listing each
item with its link, and nothing more when run twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from preau.notifications import digest as digest_module
from preau.notifications import services
from preau.notifications.digest import send_forum_digests
from preau.notifications.models import ForumEmail, Notification
from preau.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
State = Notification.EmailState
TODAY = datetime.date(2026, 12, 7)


def digest_reader(**kwargs):
    person = factories.teacher(**kwargs)
    services.set_forum_email(user=person, forum_email=ForumEmail.DIGEST)
    return person


def post(recipients, title="Nouvelle réponse : « Rituels »", url="/forums/1/", **kwargs):
    notify(recipients=recipients, kind=Kind.REPLY, title=title, url=url, **kwargs)


def test_each_digest_reader_gets_one_email_listing_each_item_with_its_link(
    django_capture_on_commit_callbacks,
):
    alice = digest_reader(first_name="Alice")
    bob = digest_reader(first_name="Bob")
    with django_capture_on_commit_callbacks(execute=True):
        post([alice, bob], title="Nouvelle réponse : « Rituels »", url="/forums/1/")
        post(
            [alice],
            title="Nouvelle annonce : la salle change",
            url="/forums/2/",
            unsubscribe_url=lambda user: f"/forums/stop/{user.pk}/",
        )
    assert mail.outbox == []  # nothing before the digest

    report = send_forum_digests(today=TODAY)

    assert report.sent == 2 and report.items == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    to_alice = next(m for m in mail.outbox if m.to == [alice.email])
    assert to_alice.subject == "Préau : 2 notifications des forums aujourd’hui"
    assert "Bonjour Alice," in to_alice.body
    assert "Nouvelle réponse : « Rituels »" in to_alice.body
    assert "http://localhost:8000/forums/1/" in to_alice.body
    assert "http://localhost:8000/forums/2/" in to_alice.body
    assert f"Ne plus suivre : http://localhost:8000/forums/stop/{alice.pk}/" in to_alice.body
    assert "Ne plus recevoir ces e-mails : http://localhost:8000/notifications/e-mails/" in (
        to_alice.body
    )
    assert not Notification.objects.filter(email_state=State.PENDING).exists()


def test_running_twice_the_same_day_sends_nothing_more(django_capture_on_commit_callbacks):
    alice = digest_reader()
    with django_capture_on_commit_callbacks(execute=True):
        post([alice])
    send_forum_digests(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        post([alice], title="Une autre réponse")

    again = send_forum_digests(today=TODAY)

    assert again.sent == 0 and again.skipped == 1
    assert len(mail.outbox) == 1
    # The new one waits for tomorrow's digest.
    assert Notification.objects.get(title="Une autre réponse").email_state == State.PENDING
    tomorrow = send_forum_digests(today=TODAY + datetime.timedelta(days=1))
    assert tomorrow.sent == 1
    assert "Une autre réponse" in mail.outbox[1].body
    assert "Rituels" not in mail.outbox[1].body


def test_people_who_chose_each_message_or_none_get_no_digest(django_capture_on_commit_callbacks):
    each = factories.teacher()
    none = factories.teacher()
    services.set_forum_email(user=none, forum_email=ForumEmail.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        post([each, none])
    mail.outbox.clear()
    assert send_forum_digests(today=TODAY).sent == 0
    assert mail.outbox == []


def test_turning_emails_off_drops_what_waited_for_the_digest(django_capture_on_commit_callbacks):
    alice = digest_reader()
    with django_capture_on_commit_callbacks(execute=True):
        post([alice])
    services.set_forum_email(user=alice, forum_email=ForumEmail.NONE)
    assert send_forum_digests(today=TODAY).sent == 0
    assert Notification.objects.get().email_state == State.NONE


def test_a_long_digest_lists_the_first_items_and_counts_the_rest(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(digest_module, "ITEMS_SHOWN", 2)
    alice = digest_reader()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            post([alice], title=f"Réponse {i}")
    send_forum_digests(today=TODAY)
    [message] = mail.outbox
    assert "Réponse 0" in message.body and "Réponse 1" in message.body
    assert "Réponse 2" not in message.body
    assert "… et 3 autres notifications." in message.body
    assert message.subject == "Préau : 5 notifications des forums aujourd’hui"
    assert not Notification.objects.filter(email_state=State.PENDING).exists()


def test_people_are_taken_by_batches(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(digest_module, "PEOPLE_PER_BATCH", 2)
    monkeypatch.setattr(digest_module, "ROWS_PER_FETCH", 3)
    readers = [digest_reader() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        post(readers)
        post(readers[:3], title="Deuxième")
    report = send_forum_digests(today=TODAY)
    assert report.sent == 5 and report.items == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)


def test_an_inactive_person_gets_no_digest(django_capture_on_commit_callbacks):
    alice = digest_reader()
    with django_capture_on_commit_callbacks(execute=True):
        post([alice])
    alice.is_active = False
    alice.save()
    assert send_forum_digests(today=TODAY).sent == 0
    assert Notification.objects.get().email_state == State.NONE


def test_the_command_and_the_task_send_the_digest(django_capture_on_commit_callbacks, capsys):
    from preau.notifications.tasks import send_forum_digests as task

    alice, bob = digest_reader(), digest_reader()
    with django_capture_on_commit_callbacks(execute=True):
        post([alice])
    call_command("send_forum_digests", "--date", "2026-12-07")
    assert "1 résumé(s) envoyé(s)" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        post([bob])
    result = task.enqueue("2026-12-07")
    assert result.return_value == {"sent": 1, "items": 1, "skipped": 0}
    assert [m.to[0] for m in mail.outbox] == [alice.email, bob.email]
