"""What the forums tell people: announcements, replies to followers, mentions; and the signed
link that ends a subscription without signing in."""

import pytest
from django.core import mail
from django.core.signing import TimestampSigner, dumps
from django.urls import reverse

from preau.forums import services
from preau.forums.models import Subscription
from preau.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_announcement_is_notified_and_emailed_to_every_enrolled_participant(
    room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.start_thread(
            forum=room["announcements"],
            by=room["trainer"],
            title="Réunion du 12",
            body="<p>Elle aura lieu en salle 3.</p>",
        )

    assert _kinds(room["teacher"]) == ["announcement"]
    assert _kinds(room["classmate"]) == ["announcement"]
    assert _kinds(room["waiting"]) == []
    assert _kinds(room["trainer"]) == []
    recipients = {address for message in mail.outbox for address in message.to}
    assert {room["teacher"].email, room["classmate"].email} <= recipients
    assert room["waiting"].email not in recipients
    assert any("Réunion du 12" in message.subject for message in mail.outbox)


def test_a_reply_notifies_the_threads_followers_but_not_its_author(room, thread):
    services.reply(thread=thread, by=room["classmate"], body="<p>Chez moi, le calendrier.</p>")

    assert _kinds(room["teacher"]) == ["reply"]  # the author of the thread follows it
    assert _kinds(room["classmate"]) == []
    notification = Notification.objects.get(recipient=room["teacher"])
    assert notification.url == reverse("forums:post", args=[thread.posts.last().pk])
    assert notification.unsubscribe_url.startswith("/sessions/forums/desabonnement/")


def test_a_forum_follower_hears_of_new_threads_and_replies(room):
    services.follow(user=room["tutor"], forum=room["discussion"])
    thread = services.start_thread(
        forum=room["discussion"], by=room["teacher"], title="Lecture", body="<p>Idées ?</p>"
    )
    services.reply(thread=thread, by=room["classmate"], body="<p>Oui</p>")

    assert _kinds(room["tutor"]) == ["reply", "reply"]


def test_a_mention_of_a_session_member_notifies_them(room, thread):
    trainer = room["trainer"]
    services.reply(
        thread=thread,
        by=room["classmate"],
        body=f"<p>@{trainer.first_name} {trainer.last_name} qu’en pensez-vous ?</p>",
    )

    assert _kinds(room["trainer"]) == ["mention"]


def test_a_mention_of_someone_outside_the_session_notifies_nobody(room, thread):
    services.reply(
        thread=thread,
        by=room["classmate"],
        body=f"<p>@{room['ien'].first_name} {room['ien'].last_name} et @Personne Inconnue</p>",
    )

    assert _kinds(room["ien"]) == []


def test_a_follower_who_is_mentioned_gets_one_notification(room, thread):
    services.reply(
        thread=thread,
        by=room["classmate"],
        body="<p>@Camille " + room["teacher"].last_name + " merci</p>",
    )

    assert len(_kinds(room["teacher"])) == 1


def test_the_signed_link_ends_the_subscription_without_signing_in(client, room, thread):
    subscription = Subscription.objects.get(user=room["teacher"], thread=thread)
    url = services.unsubscribe_url(subscription)

    assert client.get(url).status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # GET only asks
    response = client.post(url)

    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_tampered_link_ends_nothing(client, room, thread):
    subscription = Subscription.objects.get(user=room["teacher"], thread=thread)
    token = services.unsubscribe_token(subscription)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        dumps([subscription.pk, subscription.user_id], salt="another-salt"),
        TimestampSigner().sign(str(subscription.pk)),
    ]

    for token in forged:
        url = reverse("forums:unsubscribe", args=[token])
        assert "n’est pas valide" in client.get(url).content.decode()
        assert client.post(url).status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_unsubscribe_link_is_capped_per_address(client, room, thread, settings):
    """Without signing in, nobody may try signatures at will: past the cap, every answer is a
    429 that says when to try again, and nothing is ended, even by a valid link."""
    settings.PREAU_UNSUBSCRIBE_RATE_PER_IP = "3/h"
    subscription = Subscription.objects.get(user=room["teacher"], thread=thread)
    url = services.unsubscribe_url(subscription)
    forged = reverse("forums:unsubscribe", args=["forged-token"])

    answers = [client.get(forged).status_code for _ in range(3)]
    refused = client.post(url)

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert "Réessayez dans 60 minutes" in refused.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_link_signed_for_another_user_ends_nothing(client, room, thread):
    mine = Subscription.objects.get(user=room["teacher"], thread=thread)
    theirs = services.follow(user=room["classmate"], thread=thread)
    # A valid signature over (my subscription, their user id) names no subscription.
    token = dumps([mine.pk, theirs.user_id], salt=services.UNSUBSCRIBE_SALT)

    client.post(reverse("forums:unsubscribe", args=[token]))

    assert Subscription.objects.filter(pk=mine.pk).exists()
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_following_and_unfollowing_through_the_page(client, room, thread):
    client.force_login(room["classmate"])
    url = reverse("forums:thread_follow", args=[thread.pk])

    client.post(url, {"suivre": "1"})
    assert services.is_following(room["classmate"], thread=thread)
    client.post(url, {"suivre": "0"})
    assert not services.is_following(room["classmate"], thread=thread)
