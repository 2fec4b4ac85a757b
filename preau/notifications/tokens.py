"""The signed link in every forum e-mail that turns the person's forum e-mails off without
signing in. Salted, so that no other signed value of the site can stand for it; it names the
person, so that it turns off nobody else's e-mails."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "preau.notifications.forum-email-off"


def forum_email_off_token(user) -> str:
    return signing.dumps(user.pk, salt=SALT)


def user_id_from_token(token: str) -> int | None:
    """The person the token was made for, or None if it was not made by this site."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def forum_email_off_url(user) -> str:
    path = reverse("notifications:forum_email_off", args=[forum_email_off_token(user)])
    return absolute(path)


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.PREAU_SITE_URL.rstrip("/") + url
