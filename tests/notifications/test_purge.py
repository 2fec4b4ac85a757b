"""Notifications are kept a year, then purged by `purge_notifications --wet-run`."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from preau.notifications.models import Notification
from preau.notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db


def notify_on(day: datetime.date, person, title: str) -> None:
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(moment, tick=False):
        notify(recipients=[person], kind=Notification.Kind.ATTESTATION, title=title, url="/")


def test_the_purge_is_dry_by_default_then_deletes_what_is_older_than_a_year(capsys):
    today = timezone.localdate()
    person = factories.teacher()
    notify_on(today - datetime.timedelta(days=366), person, "Vieille")
    notify_on(today - datetime.timedelta(days=364), person, "Récente")
    Notification.objects.filter(title="Vieille").update(is_read=False)

    call_command("purge_notifications")
    assert "1 notification(s) de plus de 365 jours à supprimer" in capsys.readouterr().out
    assert Notification.objects.count() == 2

    call_command("purge_notifications", "--wet-run")
    assert "1 notification(s) de plus de 365 jours supprimées" in capsys.readouterr().out
    assert list(Notification.objects.values_list("title", flat=True)) == ["Récente"]


def test_the_purge_deletes_by_batches(monkeypatch):
    from preau.notifications import services

    monkeypatch.setattr(services, "PURGE_BATCH", 2)
    person = factories.teacher()
    for i in range(5):
        notify_on(timezone.localdate() - datetime.timedelta(days=400), person, f"N{i}")
    assert services.purge_old_notifications(wet_run=True) == 5
    assert not Notification.objects.exists()
