"""« Terminé » for an open-access module (issue #13): a teacher who joined a module marks it
done for themself, and may undo it. It credits no hours, is kept without a date, and nobody
else sees it: not trainers, the IEN, pilots, exports, nor the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from preau.hours.models import Entry
from preau.hours.rules import school_year_of
from preau.hours.selectors import teacher_year
from preau.parcours import services
from preau.parcours.models import OpenAccessMembership, Status
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TITLE = "Jouer avec les nombres au cycle 2"


@pytest.fixture
def module(territory):
    return factories.ParcoursFactory(
        open_access_module=True,
        academie=territory["academie"],
        title=TITLE,
        duration_hours=Decimal(3),
    )


@pytest.fixture
def teacher(cast, module):
    services.join_open_access(parcours=module, user=cast["teacher"])
    return cast["teacher"]


def done_url(module) -> str:
    return reverse("parcours:module_done", args=[module.pk])


def is_done(user, module) -> bool:
    return OpenAccessMembership.objects.get(user=user, parcours=module).done


# The service ---------------------------------------------------------------------------------


def test_a_member_marks_the_module_done_and_undoes_it(teacher, module):
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    assert is_done(teacher, module)

    services.mark_open_access_done(parcours=module, user=teacher, done=False)
    assert not is_done(teacher, module)


def test_a_teacher_who_has_not_joined_cannot_mark_it_done(cast, module):
    with pytest.raises(ValidationError) as error:
        services.mark_open_access_done(parcours=module, user=cast["nobody"], done=True)
    assert error.value.code == "not_member"


def test_a_module_no_longer_open_access_cannot_be_marked(teacher, module):
    module.status = Status.ARCHIVED
    module.save()

    with pytest.raises(ValidationError):
        services.mark_open_access_done(parcours=module, user=teacher, done=True)
    assert not is_done(teacher, module)


def test_marking_done_credits_no_hours(teacher, module):
    year = school_year_of(datetime.date(2026, 12, 7))
    before = (Entry.objects.filter(teacher=teacher).count(), teacher_year(teacher, year))

    services.mark_open_access_done(parcours=module, user=teacher, done=True)

    assert Entry.objects.filter(teacher=teacher).count() == before[0] == 0
    after = teacher_year(teacher, year)
    assert after["entries"] == before[1]["entries"] == []
    assert after["assessment"] == before[1]["assessment"]


def test_being_done_is_stored_without_a_date():
    """The membership's only date is when the teacher joined, as before: nothing says when
    they marked the module done."""
    timed = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
    dates = [f.name for f in OpenAccessMembership._meta.get_fields() if isinstance(f, timed)]
    assert dates == ["joined_at"]


# Through HTTP ----------------------------------------------------------------------------------


def test_the_member_marks_it_done_on_the_module_page_with_htmx(client, teacher, module):
    client.force_login(teacher)
    page = client.get(reverse("parcours:module", args=[module.pk])).content.decode()
    assert "J’ai terminé ce module" in page

    response = client.post(done_url(module), {"done": "1"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous avez marqué ce module comme terminé" in html
    assert "Marquer comme non terminé" in html
    assert 'data-hx-post="' in html and " hx-post" not in html
    assert is_done(teacher, module)


def test_without_javascript_the_module_page_comes_back(client, teacher, module):
    client.force_login(teacher)

    response = client.post(done_url(module), {"done": "1"})

    assert response.status_code == 302
    assert response.url == reverse("parcours:module", args=[module.pk])
    page = client.get(response.url).content.decode()
    assert "Vous avez marqué ce module comme terminé" in page
    home = client.get(reverse("portal:home")).content.decode()
    assert TITLE in home and "Terminé" in home


def test_the_member_undoes_it(client, teacher, module):
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    client.force_login(teacher)

    client.post(done_url(module), {"done": "0"})

    assert not is_done(teacher, module)


def test_a_teacher_who_has_not_joined_gets_an_error_and_nothing_changes(client, cast, module):
    client.force_login(cast["nobody"])

    response = client.post(done_url(module), {"done": "1"}, follow=True)

    assert "Rejoignez d’abord ce module" in response.content.decode()
    assert not OpenAccessMembership.objects.filter(user=cast["nobody"]).exists()


def test_another_member_has_their_own_mark(client, teacher, module, territory):
    other = factories.teacher(school=territory["caen_school"])
    services.join_open_access(parcours=module, user=other)
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    client.force_login(other)

    page = client.get(reverse("parcours:module", args=[module.pk])).content.decode()

    assert "Vous avez marqué ce module comme terminé" not in page
    assert not is_done(other, module)


@pytest.mark.parametrize("value", ["", "2", "oui"])
def test_a_bad_value_is_a_400(client, teacher, module, value):
    client.force_login(teacher)

    assert client.post(done_url(module), {"done": value}).status_code == 400
    assert not is_done(teacher, module)


def test_an_unknown_or_draft_module_is_a_404(client, teacher, territory):
    draft = factories.ParcoursFactory(academie=territory["academie"])
    client.force_login(teacher)

    assert client.post(done_url(draft), {"done": "1"}).status_code == 404
    assert (
        client.post(reverse("parcours:module_done", args=[999999]), {"done": "1"}).status_code
        == 404
    )


def test_a_get_is_a_405(client, teacher, module):
    client.force_login(teacher)

    assert client.get(done_url(module)).status_code == 405


# Nobody else sees it -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["trainer", "tutor", "ien", "pilot", "manager", "admin"])
def test_no_other_role_sees_that_a_teacher_finished_a_module(client, cast, teacher, module, who):
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    client.force_login(cast[who])

    page = client.get(reverse("parcours:module", args=[module.pk])).content.decode()

    assert "Vous avez marqué ce module comme terminé" not in page
    assert "Marquer comme non terminé" not in page


def test_the_ien_sees_nothing_of_it_in_the_teachers_ledger_nor_the_exports(
    client, cast, teacher, module, territory
):
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    client.force_login(cast["ien"])
    caen = territory["caen"].code
    year = school_year_of(datetime.date(2026, 12, 7))
    ledger = client.get(reverse("hours:teacher_ledger", args=[caen, teacher.pk]))
    export = client.get(reverse("hours:circonscription_csv", args=[caen]) + f"?annee={year}")

    assert ledger.status_code == 200 and export.status_code == 200
    assert TITLE not in ledger.content.decode()
    assert TITLE not in b"".join(export).decode("utf-8-sig", errors="replace")


def test_the_admin_does_not_show_it(client, teacher, module):
    services.mark_open_access_done(parcours=module, user=teacher, done=True)
    membership = OpenAccessMembership.objects.get(user=teacher)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:parcours_openaccessmembership_change", args=[membership.pk]))
    listing = client.get(reverse("admin:parcours_openaccessmembership_changelist"))

    assert change.status_code == 200 and listing.status_code == 200
    assert 'name="done"' not in change.content.decode()
    assert "done" not in change.context["adminform"].form.fields
    assert "column-done" not in listing.content.decode()
