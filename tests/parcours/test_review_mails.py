"""« Les relecteurs sont prévenus » is true: submitting a parcours mails each reviewer who may
review it (access.reviewers_of, the other side of reviewable_filter); the designers are mailed
when it is sent back or approved, and read the send-back comment at the top of its page."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role
from preau.parcours import access, services
from preau.parcours.models import Parcours, Status
from tests import factories

COMMENT = "Précisez les objectifs de la deuxième section."


def recipients() -> list[str]:
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others
    return sorted(message.to[0] for message in mail.outbox)


def emails(*users) -> list[str]:
    return sorted(user.email for user in users)


def test_submitting_mails_each_reviewer_who_may_review_it_and_nobody_else(
    client, people, draft, django_capture_on_commit_callbacks
):
    # A reviewer of Normandie who designed it: nobody reviews their own work.
    co_designer = factories.with_role(Role.REVIEWER, academie=draft.academie)
    draft.designers.add(co_designer)
    client.force_login(people["designer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("parcours:submit", args=[draft.pk]), follow=True)

    assert "Les relecteurs sont prévenus." in response.content.decode()
    assert recipients() == emails(
        people["reviewer"], people["national_reviewer"], people["university"]
    )
    message = mail.outbox[0]
    assert message.subject == (
        "Préau : le parcours « Résoudre des problèmes au cycle 2 » attend votre relecture"
    )
    assert f"http://localhost:8000/parcours/{draft.pk}/" in message.body


def test_the_reviewers_mailed_are_exactly_those_the_review_pages_let_in(people, draft, besancon):
    draft.status = Status.REVIEW
    draft.save(update_fields=["status"])
    elsewhere = factories.ParcoursFactory(in_review=True, academie=besancon)
    national = factories.ParcoursFactory(in_review=True, academie=None)

    for parcours in (draft, elsewhere, national):
        mailed = set(access.reviewers_of(parcours))
        allowed = {
            person
            for person in people.values()
            if Parcours.objects.filter(access.reviewable_filter(person), pk=parcours.pk).exists()
            and person.roles.filter(role__in=[Role.REVIEWER, Role.UNIVERSITY_REVIEWER]).exists()
        }
        assert mailed == allowed, parcours
    assert set(access.reviewers_of(elsewhere)) == {
        people["other_reviewer"],
        people["national_reviewer"],
    }


def test_a_refused_submission_mails_nobody(client, people, django_capture_on_commit_callbacks):
    incomplete = factories.ParcoursFactory(designers=[people["designer"]])
    client.force_login(people["designer"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("parcours:submit", args=[incomplete.pk]))

    assert mail.outbox == []
    incomplete.refresh_from_db()
    assert incomplete.status == Status.CONSTRUCTION


def test_without_any_reviewer_the_designer_is_told_so_instead_of_told_they_are_warned(
    client, territory, django_capture_on_commit_callbacks
):
    lonely = factories.AcademieFactory(code="A099", name="Sans relecteur")
    designer = factories.with_role(Role.DESIGNER, academie=lonely)
    parcours = factories.ParcoursFactory(complete=True, academie=lonely, designers=[designer])
    client.force_login(designer)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("parcours:submit", args=[parcours.pk]), follow=True)

    content = page.content.decode()
    assert "Les relecteurs sont prévenus" not in content
    assert "aucun relecteur n’est désigné pour lui" in content
    assert mail.outbox == []


def test_a_send_back_mails_the_designers_with_the_comment(
    client, people, in_review, django_capture_on_commit_callbacks
):
    colleague = people["colleague"]
    in_review.designers.add(colleague)
    client.force_login(people["reviewer"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("parcours:request_changes", args=[in_review.pk]), {"comment": COMMENT})

    assert recipients() == emails(people["designer"], colleague)
    message = mail.outbox[0]
    assert (
        message.subject
        == "Préau : le parcours « Lire et comprendre au CP » est renvoyé en construction"
    )
    assert COMMENT in message.body
    assert people["reviewer"].get_full_name() in message.body


def test_an_inspection_approval_mails_the_designers_the_matricule(
    client, people, in_review, django_capture_on_commit_callbacks
):
    client.force_login(people["reviewer"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("parcours:approve", args=[in_review.pk]), {"approval-comment": "Très clair."}
        )

    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED
    assert recipients() == emails(people["designer"])
    [message] = mail.outbox
    assert (
        message.subject == "Préau : le parcours « Lire et comprendre au CP » est approuvé et publié"
    )
    assert in_review.matricule in message.body
    assert "Très clair." in message.body


def test_a_university_approval_mails_the_designers_too(
    people, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(parcours=in_review, by=people["university"])

    assert recipients() == emails(people["designer"])
    assert "approuvé par un universitaire" in mail.outbox[0].subject


def test_no_mail_leaves_when_the_approval_is_refused(
    people, in_review, django_capture_on_commit_callbacks
):
    factories.ParcoursFactory(
        published=True, matricule=services.build_matricule(in_review, timezone.localdate().year)
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.approve(parcours=in_review, by=people["reviewer"])

    assert mail.outbox == []


# The send-back comment on the parcours page -----------------------------------------------


def detail(client, parcours) -> str:
    return client.get(reverse("parcours:detail", args=[parcours.pk])).content.decode()


def test_after_a_send_back_the_comment_is_at_the_top_of_the_designers_page(
    client, people, in_review
):
    services.request_changes(parcours=in_review, by=people["reviewer"], comment=COMMENT)
    client.force_login(people["designer"])

    page = detail(client, in_review)

    alert = page.index('id="renvoi"')
    assert page.index("<h1>") < alert < page.index(COMMENT) < page.index("Historique")
    assert f"Renvoyé en construction par {people['reviewer'].get_full_name()}" in page


def test_the_comment_leaves_the_top_once_the_parcours_is_submitted_again(client, people, in_review):
    services.request_changes(parcours=in_review, by=people["reviewer"], comment=COMMENT)
    services.submit_for_review(parcours=in_review, by=people["designer"])
    client.force_login(people["designer"])

    page = detail(client, in_review)

    assert 'id="renvoi"' not in page
    assert COMMENT in page[page.index("Historique") :]  # still in the history


def test_a_parcours_never_sent_back_has_no_such_alert(client, people, draft):
    client.force_login(people["designer"])

    assert 'id="renvoi"' not in detail(client, draft)


def test_the_demo_seed_plays_the_review_workflow_without_mailing_anyone(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", "--scale", "demo", verbosity=0, i_know_this_is_production=True)

    assert Parcours.objects.filter(status=Status.PUBLISHED).exists()
    assert [
        m.subject for m in mail.outbox if "relecture" in m.subject or "parcours" in m.subject
    ] == []
