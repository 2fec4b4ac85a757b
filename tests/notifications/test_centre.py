"""The notification centre: the bell, the list, opening one, « tout marquer comme lu »; a
person's notifications are theirs alone, whatever the role of who asks."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from preau.notifications.models import Notification
from preau.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def give(person, n: int = 1, *, url: str = "/sessions/mes-sessions/", title="Annonce") -> None:
    for i in range(n):
        notify(recipients=[person], kind=Kind.ANNOUNCEMENT, title=f"{title} {i}", url=url)


@pytest.fixture
def camille(db):
    return factories.teacher(first_name="Camille", last_name="Martin")


def test_the_bell_tells_the_unread_count_in_words_for_screen_readers(client, camille):
    give(camille, 3)
    client.force_login(camille)
    page = client.get(reverse("portal:home")).content.decode()
    assert "(3 non lues)" in page
    assert 'class="fr-sr-only"' in page


def test_the_bell_says_one_unread_in_the_singular(client, camille):
    give(camille, 1)
    client.force_login(camille)
    assert "(1 non lue)" in client.get(reverse("portal:home")).content.decode()


def test_the_bell_shows_no_number_when_all_are_read(client, camille):
    give(camille, 2)
    Notification.objects.update(is_read=True)
    client.force_login(camille)
    page = client.get(reverse("portal:home")).content.decode()
    assert "non lue" not in page
    assert reverse("notifications:list") in page


def test_the_list_shows_the_persons_notifications_newest_first(client, camille):
    give(camille, 3)
    client.force_login(camille)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Annonce 2") < page.index("Annonce 1") < page.index("Annonce 0")


def test_the_list_is_paginated_by_25(client, camille):
    give(camille, 30)
    client.force_login(camille)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "Annonce 29<" in first and "Annonce 5<" in first and "Annonce 4<" not in first
    assert "Annonce 4<" in second and "Annonce 0<" in second and "Annonce 5<" not in second


def test_opening_one_marks_it_read_and_goes_to_its_page(client, camille):
    give(camille, 2, url="/sessions/mes-sessions/7/")
    opened = Notification.objects.first()
    client.force_login(camille)
    response = client.get(reverse("notifications:open", args=[opened.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/sessions/mes-sessions/7/"
    assert list(Notification.objects.filter(is_read=True)) == [opened]


def test_a_link_outside_the_site_is_never_followed(client, camille):
    give(camille, 1, url="https://example.org/phishing")
    client.force_login(camille)
    response = client.get(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_reads_only_the_persons_own(client, camille):
    other = factories.teacher()
    give(camille, 3)
    give(other, 2)
    client.force_login(camille)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=camille, is_read=False).exists()
    assert Notification.objects.filter(recipient=other, is_read=False).count() == 2


ROLES = [
    Role.TEACHER,
    Role.TRAINER,
    Role.TUTOR,
    Role.DESIGNER,
    Role.REVIEWER,
    Role.IEN,
    Role.PILOT,
    Role.ACADEMIC_MANAGER,
    Role.ADMIN,
]


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_sees_or_opens_a_persons_notification_whatever_their_role(
    client, camille, territory, role
):
    give(camille, 1, title="Secret de Camille")
    scope = {
        Role.TRAINER: {"circonscription": territory["caen"]},
        Role.TUTOR: {"circonscription": territory["caen"]},
        Role.IEN: {"circonscription": territory["caen"]},
        Role.PILOT: {"departement": territory["calvados"]},
        Role.DESIGNER: {"academie": territory["academie"]},
        Role.ACADEMIC_MANAGER: {"academie": territory["academie"]},
    }.get(role, {})
    someone = factories.with_role(role, **scope)
    client.force_login(someone)
    notification = Notification.objects.get()

    assert "Secret de Camille" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    notification.refresh_from_db()
    assert notification.is_read is False


def test_signed_out_visitors_are_sent_to_sign_in(client, camille):
    give(camille, 1)
    notification = Notification.objects.get()
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    notification.refresh_from_db()
    assert notification.is_read is False


LIST_QUERIES = [
    "session",
    "user",
    "count of the person's notifications (paginator, in the view)",
    "count of the unread ones (the bell, at the top of the header)",
    "roles of the user with their territories (the menu, further down the header)",
    "page of notifications (the content, after the header)",
]


def test_the_list_keeps_its_query_count_with_ten_times_more_rows(client, camille, count_queries):
    for n in (3, 30):
        Notification.objects.all().delete()
        give(camille, n)
        give(factories.teacher(), n)
        client.force_login(camille)
        with count_queries() as ran:
            response = client.get(reverse("notifications:list"))
        assert response.status_code == 200
        assert len(ran) == len(LIST_QUERIES), ran.sql()
        assert "notifications_notification" in ran.captured_queries[3]["sql"]
        assert (
            "COUNT" in ran.captured_queries[3]["sql"]
            and "is_read" in (ran.captured_queries[3]["sql"])
        )
