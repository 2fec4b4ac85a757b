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
