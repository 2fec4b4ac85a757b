"""Bad input answered with a refusal, not a 500: an anchor whose root name is not UTF-8, a
JSON body nested 100,000 deep, a member id of twenty digits, a group submitted twice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.preparations import services
from preau.preparations.models import Comment, DocumentUpdate, Group, Membership

pytestmark = pytest.mark.django_db


def test_an_anchor_that_is_not_utf_8_is_refused(client, prep):
    client.force_login(prep["teacher"])

    response = client.post(
        reverse("preparations:add_comment", args=[prep["document"].pk]),
        # 01 01 ff: « the end of the root named » one byte that is not UTF-8.
        {"commentaire": "Et ici ?", "passage": "x", "debut": "AQH/", "fin": "AQH/"},
        follow=True,
    )

    assert response.status_code == 200
    assert "sélectionnez-le de nouveau" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_json_body_nested_too_deep_is_refused(client, prep):
    client.force_login(prep["teacher"])

    response = client.post(
        reverse("preparations:update", args=[prep["document"].pk]),
        "[" * 100_000,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "rien n’a été enregistré" in response.json()["error"]
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == 1


@pytest.mark.parametrize("member", ["99999999999999999999", "2147483648", "-1", "١", "abc"])
def test_a_member_id_that_is_not_an_id_is_an_invalid_choice(client, prep, member):
    client.force_login(prep["trainer"])

    response = client.post(
        reverse("preparations:make_groups", args=[prep["activity"].pk]),
        {"mode": "main", "name": "Les retardataires", "members": [prep["lou"].pk, member]},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "members" in response.context["hand_form"].errors
    assert not Group.objects.filter(name="Les retardataires").exists()


def test_a_group_submitted_twice_at_once_is_refused_not_a_500(prep, monkeypatch):
    """The second of two submissions passed its checks before the first committed (SQLite
    has no row lock; PostgreSQL's lock is tested in test_group_races.py): the database's
    constraint refuses it, and the service says so."""
    everyone = services._unassigned

    def as_if_before_the_first_committed(activity, session):
        return everyone(activity, session) | services._participants(session)

    monkeypatch.setattr(services, "_unassigned", as_if_before_the_first_committed)
    kwargs = {"activity": prep["activity"], "session": prep["session"], "by": prep["trainer"]}

    with pytest.raises(ValidationError, match="réessayez"):
        services.create_group(name="Encore", members=[prep["teacher"]], **kwargs)
    with pytest.raises(ValidationError, match="réessayez"):
        services.add_member(group=prep["other_group"], user=prep["teacher"], by=prep["trainer"])
    assert not Group.objects.filter(name="Encore").exists()
    assert Membership.objects.filter(user=prep["teacher"]).count() == 1
