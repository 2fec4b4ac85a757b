"""The demo's virtual class: `manage.py seed` adds a meeting « à distance » today to a session of
the demo trainer where the demo teacher is enrolled; she sees it and may open it; a second run
adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import User
from preau.virtualclasses.models import Room

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_the_demo_has_a_virtual_class_today_for_the_demo_teacher(client):
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    room = Room.objects.select_related("meeting", "session").get()
    assert room.meeting.remote and room.meeting.date == timezone.localdate()
    assert room.recording_allowed and "Bienvenue" in room.welcome
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    client.force_login(teacher)
    page = client.get(reverse("training:participant_session", args=[room.session_id]))
    assert reverse("virtualclasses:meeting", args=[room.meeting_id]) in page.content.decode()
    assert client.get(reverse("virtualclasses:room", args=[room.pk])).status_code == 200
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert Room.objects.count() == 1
