"""The « Classe virtuelle » activity kind in the content editor."""

import pytest
from django.urls import reverse

from preau.parcours.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_designer_places_a_virtual_class_in_a_parcours(client, cast, territory):
    designer = cast["designer"]
    draft = factories.ParcoursFactory(
        complete=True, academie=territory["academie"], designers=[designer]
    )
    section = factories.SectionFactory(parcours=draft)
    client.force_login(designer)
    url = reverse("parcours:activity_add", args=[section.pk, "virtual_class"])
    assert "Titre de la classe virtuelle" in client.get(url).content.decode()
    response = client.post(
        url, {"title": "Échanges en classe virtuelle", "body": "<p>Venez avec une séance.</p>"}
    )
    assert response.status_code == 302
    activity = Activity.objects.get(kind="virtual_class")
    assert activity.title == "Échanges en classe virtuelle"
    page = client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    assert "Chaque session issue de ce parcours aura sa propre classe virtuelle." in page
