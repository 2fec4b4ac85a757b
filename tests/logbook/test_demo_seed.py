"""The demo's logbook: the demo teacher has a few entries, one shared with her session's
trainer, who reads it on the session's page; a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from preau.accounts.models import User
from preau.logbook.models import Entry
from preau.training.models import SessionStaff, StaffRole

pytestmark = pytest.mark.django_db


def test_the_demo_teacher_has_entries_one_shared_that_its_trainer_reads(client):
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    entries = Entry.objects.filter(owner=teacher)
    assert entries.count() == 4
    shared = entries.get(shared=True)
    assert shared.section is not None

    client.force_login(teacher)
    assert shared.title in client.get(reverse("logbook:list")).content.decode()
    trainer = SessionStaff.objects.filter(session=shared.session, role=StaffRole.TRAINER).first()
    client.force_login(trainer.user)
    page = client.get(reverse("logbook:session_shared", args=[shared.session_id]))
    assert shared.title in page.content.decode()
    assert entries.exclude(pk=shared.pk).first().title not in page.content.decode()

    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert Entry.objects.count() == 4
