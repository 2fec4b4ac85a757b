"""What the notifications keep, and who sees them (domain.md §6): read or not is a boolean, no
time of reading; the admin shows neither the notifications nor the e-mail choices."""

import pytest
from django.contrib import admin
from django.db import models

from preau.notifications.models import EmailPreference, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_notification_keeps_the_time_of_the_event_only():
    times = [
        field.name
        for field in Notification._meta.get_fields()
        if isinstance(field, models.DateTimeField | models.TimeField | models.DurationField)
    ]
    assert times == ["created"]
    assert isinstance(Notification._meta.get_field("is_read"), models.BooleanField)


def test_opening_a_notification_changes_nothing_but_the_boolean(client):
    from preau.notifications.services import notify

    person = factories.teacher()
    notify(recipients=[person], kind=Notification.Kind.ATTESTATION, title="T", url="/")
    before = Notification.objects.values().get()
    client.force_login(person)
    client.get(f"/notifications/{before['id']}/")
    after = Notification.objects.values().get()
    assert {k for k in before if before[k] != after[k]} == {"is_read"}


def test_the_admin_registers_neither_notifications_nor_email_choices():
    assert Notification not in admin.site._registry
    assert EmailPreference not in admin.site._registry
