"""A group shares its finished plan with the whole session: the session's participants read
it (page, PDF, versions), never write it nor join its websocket; the IEN still reads nothing."""

import base64
import json

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from preau.preparations import services
from preau.preparations.consumers import CLOSE_NOT_FOUND
from preau.preparations.models import DocumentUpdate

from .conftest import typed
from .yclient import YClient

pytestmark = pytest.mark.django_db


def _share(client, prep, value="1"):
    client.force_login(prep["teacher"])
    return client.post(
        reverse("preparations:share", args=[prep["document"].pk]), {"partager": value}
    )


def test_a_shared_plan_is_read_by_the_session_and_written_by_its_group_only(client, prep):
    services.record_update(
        document=prep["document"], update=typed(prep["document"], "Notre plan"), by=prep["teacher"]
    )
    assert _share(client, prep).status_code == 302
    client.force_login(prep["other"])  # Sacha, of the Bayeux group
    document = prep["document"]

    page = client.get(reverse("preparations:document", args=[document.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Notre plan" in html
    assert 'id="preparation-live"' not in html  # no editor
    assert client.get(reverse("preparations:pdf", args=[document.pk])).status_code == 200
    activity = client.get(reverse("preparations:activity", args=[prep["activity"].pk]))
    assert "Préparations partagées avec la session" in activity.content.decode()

    response = client.post(
        reverse("preparations:update", args=[document.pk]),
        json.dumps({"update": base64.b64encode(typed(document, "intrus")).decode()}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.post(reverse("preparations:share", args=[document.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.name_version(document=document, name="x", by=prep["other"])
    assert DocumentUpdate.objects.filter(document=document).count() == 2

    async def scenario():
        sacha = YClient(prep["other"], document)
        assert await sacha.connect()
        assert await sacha.close_code() == CLOSE_NOT_FOUND

    async_to_sync(scenario)()


@pytest.mark.parametrize("person", ["ien", "pilot", "admin", "nobody"])
def test_a_shared_plan_stays_out_of_reach_of_those_outside_the_session(client, prep, person):
    _share(client, prep)
    client.force_login(prep[person])

    assert (
        client.get(reverse("preparations:document", args=[prep["document"].pk])).status_code == 404
    )


def test_an_unshared_plan_is_back_to_the_group(client, prep):
    _share(client, prep)
    _share(client, prep, "0")
    client.force_login(prep["other"])

    assert (
        client.get(reverse("preparations:document", args=[prep["document"].pk])).status_code == 404
    )


def test_sharing_is_refused_once_the_session_is_closed(prep):
    from .conftest import close

    close(prep["session"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.share(document=prep["document"], shared=True, by=prep["teacher"])
