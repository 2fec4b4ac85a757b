"""The reviewers' queue and decisions, and the editorial committee's national label."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from preau.parcours.models import Event, Status
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"

QUEUE = reverse("parcours:review_queue")
LABELS = reverse("parcours:label_board")
pytestmark = pytest.mark.date_sensitive  # today decides the matricule's year

YY = f"{timezone.localdate().year % 100:02d}"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Queue ----------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_parcours_in_review_of_their_academie(
    client, people, in_review, draft, published, besancon
):
    elsewhere = factories.ParcoursFactory(in_review=True, academie=besancon, title="À Besançon")
    client.force_login(people["reviewer"])

    page = client.get(QUEUE).content.decode()

    assert in_review.title in page
    assert people["designer"].get_full_name() in page
    assert elsewhere.title not in page
    assert draft.title not in page and published.title not in page


def test_a_national_reviewer_sees_every_parcours_in_review(client, people, in_review, besancon):
    elsewhere = factories.ParcoursFactory(in_review=True, academie=besancon, title="À Besançon")
    client.force_login(people["national_reviewer"])

    page = client.get(QUEUE).content.decode()

    assert in_review.title in page and elsewhere.title in page


def test_the_queue_says_so_when_it_is_empty(client, people):
    client.force_login(people["reviewer"])

    assert "Aucun parcours n’attend votre relecture." in client.get(QUEUE).content.decode()


def test_the_queue_is_paginated_oldest_submission_first(client, people, normandie):
    parcours = factories.ParcoursFactory.create_batch(22, in_review=True, academie=normandie)
    for n, item in enumerate(parcours):
        event = factories.EventFactory(parcours=item, action=Event.Action.SUBMITTED)
        Event.objects.filter(pk=event.pk).update(
            created_at=timezone.now() - timezone.timedelta(days=30 - n)
        )
    client.force_login(people["reviewer"])

    first = client.get(QUEUE).context["page"]
    second = client.get(QUEUE, {"page": 2}).context["page"]

    assert list(first.object_list)[0] == parcours[0]
    assert len(first.object_list) == 20 and len(second.object_list) == 2


def test_the_editorial_committee_is_sent_to_the_label_board(client, people):
    client.force_login(people["editorial"])

    response = client.get(QUEUE)

    assert response["Location"] == LABELS


@pytest.mark.parametrize("member", ["designer", "trainer", "teacher", "manager"])
def test_the_queue_is_for_reviewers(client, people, member):
    client.force_login(people[member])

    assert client.get(QUEUE).status_code == 403


def test_the_queue_costs_the_same_queries_with_ten_times_more_parcours(
    client, people, normandie, count_queries
):
    client.force_login(people["reviewer"])
    expected = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "count of the parcours in review for this reviewer (paginator)",
        "page of them, with académie and date of submission",
        "their designers",
    ]
    for count in (2, 20):
        for parcours in factories.ParcoursFactory.create_batch(
            count, in_review=True, academie=normandie
        ):
            parcours.designers.set(factories.UserFactory.create_batch(2))
            factories.EventFactory(parcours=parcours, action=Event.Action.SUBMITTED)
        with count_queries() as ran:
            response = client.get(QUEUE)
        assert response.status_code == 200
        assert len(ran) == len(expected), ran.sql()


# Decisions ------------------------------------------------------------------------------------


def test_an_inspection_reviewer_approves_and_publishes(client, people, in_review):
    client.force_login(people["reviewer"])

    response = client.post(
        reverse("parcours:approve", args=[in_review.pk]), {"approval-comment": "Très clair."}
    )

    assert response["Location"] == QUEUE
    in_review.refresh_from_db()
    assert (in_review.status, in_review.matricule) == (Status.PUBLISHED, f"{YY}_A070_LIRECP_1.0")
    assert in_review.events.get(action=Event.Action.APPROVED).comment == "Très clair."
    assert f"publié sous le matricule {YY}_A070_LIRECP_1.0" in _messages(response)[0]


def test_a_matricule_already_taken_is_explained_to_the_reviewer(client, people, in_review):
    factories.ParcoursFactory(published=True, matricule=f"{YY}_A070_LIRECP_1.0")
    client.force_login(people["reviewer"])

    response = client.post(reverse("parcours:approve", args=[in_review.pk]), follow=True)

    assert "existe déjà : changez le titre court" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_sending_back_requires_a_comment(client, people, in_review):
    client.force_login(people["reviewer"])
    url = reverse("parcours:request_changes", args=[in_review.pk])

    response = client.post(url, {"comment": "  "})

    assert response.status_code == 200
    assert "le commentaire est obligatoire" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_sending_back_returns_the_parcours_to_its_designers_with_the_comment(
    client, people, in_review
):
    client.force_login(people["reviewer"])

    page = client.get(reverse("parcours:request_changes", args=[in_review.pk]))
    response = client.post(
        reverse("parcours:request_changes", args=[in_review.pk]),
        {"comment": "La partie à distance manque d’activités."},
    )

    assert page.status_code == 200
    assert response["Location"] == QUEUE
    in_review.refresh_from_db()
    assert in_review.status == Status.CONSTRUCTION
    event = in_review.events.first()
    assert (event.action, event.actor, event.comment) == (
        Event.Action.CHANGES_REQUESTED,
        people["reviewer"],
        "La partie à distance manque d’activités.",
    )


def test_the_reviewer_finds_both_decisions_on_the_parcours_page(client, people, in_review):
    client.force_login(people["reviewer"])

    page = client.get(reverse("parcours:detail", args=[in_review.pk])).content.decode()

    assert reverse("parcours:approve", args=[in_review.pk]) in page
    assert reverse("parcours:request_changes", args=[in_review.pk]) in page
    assert "Approuver et publier" in page
    assert "Ce qu’il faut reprendre" in page and "Commentaire (facultatif)" in page


def test_a_university_reviewer_is_offered_only_the_approval(client, people, in_review):
    client.force_login(people["university"])

    page = client.get(reverse("parcours:detail", args=[in_review.pk])).content.decode()
    client.post(reverse("parcours:approve", args=[in_review.pk]))
    again = client.get(reverse("parcours:detail", args=[in_review.pk])).content.decode()

    assert "Donner l’approbation universitaire" in page
    assert reverse("parcours:request_changes", args=[in_review.pk]) not in page
    assert "Validé par un universitaire" in again
    assert "Donner l’approbation universitaire" not in again


def test_a_decision_on_a_parcours_no_longer_in_review_is_refused(client, people, draft):
    client.force_login(people["national_reviewer"])

    # A draft is not in any reviewer's perimeter: it does not even exist for them.
    assert client.post(reverse("parcours:approve", args=[draft.pk])).status_code == 404


def test_decisions_are_posts(client, people, in_review):
    client.force_login(people["reviewer"])

    assert client.get(reverse("parcours:approve", args=[in_review.pk])).status_code == 405
    assert client.get(reverse("parcours:label_grant", args=[in_review.pk])).status_code == 405


# National label -------------------------------------------------------------------------------


def test_the_label_board_lists_published_parcours_with_their_label(
    client, people, published, besancon
):
    labelled = factories.ParcoursFactory(labelled=True, academie=besancon, title="Déjà labellisé")
    client.force_login(people["editorial"])

    every = client.get(LABELS).content.decode()
    only_labelled = client.get(LABELS, {"label": "oui"}).content.decode()
    not_labelled = client.get(LABELS, {"label": "non"}).content.decode()

    assert published.title in every and labelled.title in every
    assert labelled.title in only_labelled and published.title not in only_labelled
    assert published.title in not_labelled and labelled.title not in not_labelled


def test_the_committee_grants_the_label_with_a_comment(client, people, published):
    client.force_login(people["editorial"])

    response = client.post(
        reverse("parcours:label_grant", args=[published.pk]),
        {"label-comment": "Parcours exemplaire.", "next": LABELS + "?label=non"},
    )

    assert response["Location"] == LABELS + "?label=non"
    published.refresh_from_db()
    assert published.national_label
    assert published.events.first().comment == "Parcours exemplaire."


def test_the_label_is_withdrawn_after_confirmation(client, people, published):
    published.national_label = True
    published.save()
    client.force_login(people["editorial"])
    url = reverse("parcours:label_withdraw", args=[published.pk])

    confirmation = client.get(url)
    assert "Retirer le label" in confirmation.content.decode()
    published.refresh_from_db()
    assert published.national_label

    client.post(url, {"label-comment": "Ressources obsolètes."})
    published.refresh_from_db()
    assert not published.national_label
    assert published.events.first().action == Event.Action.UNLABELLED


def test_a_redirect_after_labelling_stays_on_this_site(client, people, published):
    client.force_login(people["editorial"])

    response = client.post(
        reverse("parcours:label_grant", args=[published.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("parcours:detail", args=[published.pk])


@pytest.mark.parametrize(
    "target", ["0", "parcours:detail", "javascript:alert(1)", "//evil.example/"]
)
def test_a_next_that_is_not_a_path_of_this_site_goes_back_to_the_parcours(
    client, people, published, target
):
    client.force_login(people["editorial"])

    response = client.post(reverse("parcours:label_grant", args=[published.pk]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("parcours:detail", args=[published.pk])


def test_a_draft_cannot_be_labelled(client, people, draft):
    client.force_login(people["editorial"])

    # The committee sees published parcours only: a draft does not exist for them.
    assert client.post(reverse("parcours:label_grant", args=[draft.pk])).status_code == 404


def test_the_label_board_is_for_the_committee(client, people):
    client.force_login(people["reviewer"])

    assert client.get(LABELS).status_code == 403


def test_the_label_board_costs_the_same_queries_with_ten_times_more_parcours(
    client, people, count_queries, besancon
):
    client.force_login(people["editorial"])
    expected = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "count of the published parcours (paginator)",
        "page of them, with académie",
    ]
    for count in (2, 20):
        factories.ParcoursFactory.create_batch(count, published=True, academie=besancon)
        factories.ParcoursFactory.create_batch(count, labelled=True)
        with count_queries() as ran:
            response = client.get(LABELS)
        assert response.status_code == 200
        assert len(ran) == len(expected), ran.sql()
