"""The forum e-mail preference: on the profile page, and through the signed link of every forum
e-mail, which turns them off without signing in."""

import pytest
from django.core import signing
from django.urls import reverse

from preau.notifications import services
from preau.notifications.models import ForumEmail
from preau.notifications.tokens import SALT, forum_email_off_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(db):
    return factories.teacher(first_name="Camille")


def off_url(token: str) -> str:
    return reverse("notifications:forum_email_off", args=[token])


def test_the_profile_offers_the_three_choices_each_message_by_default(client, camille):
    client.force_login(camille)
    page = client.get(reverse("accounts:profile")).content.decode()
    for label in ("À chaque message", "Un résumé par jour", "Aucun e-mail"):
        assert label in page
    assert (
        'value="each" checked' in page
        or 'checked value="each"' in page
        or (page.index('value="each"') < page.index("checked"))
    )


def test_the_profile_saves_the_choice(client, camille):
    client.force_login(camille)
    response = client.post(reverse("notifications:email_preference"), {"forum_email": "digest"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert services.forum_email_of(camille) == ForumEmail.DIGEST


def test_a_bad_choice_changes_nothing(client, camille):
    client.force_login(camille)
    client.post(reverse("notifications:email_preference"), {"forum_email": "hourly"})
    assert services.forum_email_of(camille) == ForumEmail.EACH


def test_the_signed_link_asks_then_turns_forum_emails_off_without_signing_in(client, camille):
    url = off_url(forum_email_off_token(camille))
    page = client.get(url)
    assert page.status_code == 200
    assert services.forum_email_of(camille) == ForumEmail.EACH  # a link checker changes nothing
    assert camille.email in page.content.decode()

    done = client.post(url)

    assert done.status_code == 200
    assert "ne recevra plus d’e-mails des forums" in done.content.decode()
    assert services.forum_email_of(camille) == ForumEmail.NONE


def test_the_mail_clients_one_click_post_works_without_a_csrf_token(camille):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        off_url(forum_email_off_token(camille)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert services.forum_email_of(camille) == ForumEmail.NONE


def test_a_tampered_link_changes_nothing(client, camille):
    token = forum_email_off_token(camille)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(off_url(tampered))
    assert response.status_code == 400
    assert "n’est pas valide" in response.content.decode()
    assert services.forum_email_of(camille) == ForumEmail.EACH


def test_a_link_signed_for_another_purpose_changes_nothing(client, camille):
    other_salt = signing.dumps(camille.pk, salt="another.purpose")
    unsalted = signing.dumps(camille.pk)
    for token in (other_salt, unsalted):
        assert client.post(off_url(token)).status_code == 400
    assert services.forum_email_of(camille) == ForumEmail.EACH


def test_one_persons_link_turns_off_only_their_emails(client, camille):
    other = factories.teacher()
    client.post(off_url(forum_email_off_token(other)))
    assert services.forum_email_of(other) == ForumEmail.NONE
    assert services.forum_email_of(camille) == ForumEmail.EACH


def test_the_token_is_salted(camille):
    token = forum_email_off_token(camille)
    assert signing.loads(token, salt=SALT) == camille.pk
    with pytest.raises(signing.BadSignature):
        signing.loads(token)


def test_the_signed_link_is_capped_per_address_with_the_forums_links(client, camille, settings):
    """One cap per IP address for every link that works without signing in (the forums'
    unsubscribe link counts in it too): past it, a 429 says when to try again and nothing
    changes, even for a valid link."""
    settings.PREAU_UNSUBSCRIBE_RATE_PER_IP = "2/h"
    client.get(reverse("forums:unsubscribe", args=["forged-token"]))
    client.get(off_url("forged-token"))

    refused = client.post(off_url(forum_email_off_token(camille)))

    assert refused.status_code == 429
    assert "Réessayez dans 60 minutes" in refused.content.decode()
    assert services.forum_email_of(camille) == ForumEmail.EACH
