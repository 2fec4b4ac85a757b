import pytest

ADMIN_PAGES = [
    "/admin/hours/hourspolicy/",
    "/admin/hours/hourspolicy/add/",
    "/admin/hours/entry/",
    "/admin/hours/animation/",
    "/admin/training/trainingsession/",
    "/admin/training/enrolment/",
    "/admin/parcours/parcours/",
    "/admin/accounts/user/",
    "/admin/territories/school/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_technical_admin_pages_open_for_a_superuser(client, db, url):
    from tests import factories

    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get(url).status_code == 200


def test_technical_admin_is_closed_to_a_teacher(client, cast):
    client.force_login(cast["teacher"])

    assert client.get("/admin/hours/hourspolicy/").status_code == 302


def test_an_animation_cannot_be_deleted_in_the_admin(client, territory):
    """Deleting it would remove its attendees' ledger lines behind the yearly totals' back."""
    import datetime

    from preau.hours.models import Animation
    from tests import factories

    animation = Animation.objects.create(
        title="Conférence", date=datetime.date(2026, 10, 7), circonscription=territory["caen"]
    )
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get(f"/admin/hours/animation/{animation.pk}/delete/").status_code == 403
    assert Animation.objects.filter(pk=animation.pk).exists()
