"""Who may see, edit, review and label which parcours, through HTTP.

A parcours one may not see is a 404 (its existence is not revealed); one that is seen but may
not be changed by this person is a 403.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from preau.parcours import access
from preau.parcours.models import OpenAccessMembership, Status
from tests import factories


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# Drafts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "status"),
    [
        ("designer", 200),
        ("manager", 200),
        ("admin", 200),
        ("colleague", 404),
        ("other_manager", 404),
        ("reviewer", 404),
        ("national_reviewer", 404),
        ("editorial", 404),
        ("trainer", 404),
        ("teacher", 404),
        ("nobody", 404),
    ],
)
def test_a_draft_is_seen_by_its_designers_and_managers_only(client, people, draft, member, status):
    assert _get(
        client, people[member], reverse("parcours:detail", args=[draft.pk])
    ).status_code == (status)


@pytest.mark.parametrize(
    ("member", "status"),
    [
        ("designer", 200),
        ("manager", 200),
        ("colleague", 404),
        ("other_manager", 404),
        ("teacher", 404),
    ],
)
@pytest.mark.parametrize("page", ["indexation", "content"])
def test_a_draft_is_edited_by_its_designers_and_the_academic_manager(
    client, people, draft, member, status, page
):
    url = reverse(f"parcours:{page}", args=[draft.pk])

    assert _get(client, people[member], url).status_code == status


def test_a_colleague_cannot_change_the_content_of_a_draft_they_do_not_design(client, people, draft):
    section = draft.sections.get()
    activity = section.activities.get()
    client.force_login(people["colleague"])

    responses = [
        client.post(reverse("parcours:section_add", args=[draft.pk]), {"title": "Intrus"}),
        client.post(reverse("parcours:section_rename", args=[section.pk]), {"title": "Intrus"}),
        client.post(reverse("parcours:section_move", args=[section.pk]), {"direction": "down"}),
        client.post(reverse("parcours:section_delete", args=[section.pk])),
        client.post(reverse("parcours:activity_add", args=[section.pk, "page"]), {"title": "X"}),
        client.post(reverse("parcours:activity_edit", args=[activity.pk]), {"title": "X"}),
        client.post(reverse("parcours:activity_delete", args=[activity.pk])),
        client.post(reverse("parcours:submit", args=[draft.pk])),
        client.post(reverse("parcours:duplicate", args=[draft.pk])),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert [s.title for s in draft.sections.all()] == [section.title]
    assert draft.sections.get().activities.count() == 1


def test_a_designer_sees_a_published_parcours_of_a_colleague_but_may_not_edit_it(
    client, people, published
):
    client.force_login(people["colleague"])
    section = published.sections.get()

    assert client.get(reverse("parcours:detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("parcours:indexation", args=[published.pk])).status_code == 403
    assert client.post(reverse("parcours:archive", args=[published.pk])).status_code == 403
    assert client.post(reverse("parcours:new_version", args=[published.pk])).status_code == 403
    assert client.get(reverse("parcours:section_rename", args=[section.pk])).status_code == 403
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_a_teacher_sees_nothing_of_drafts_reviews_templates_nor_closed_parcours(
    client, people, draft, in_review, published
):
    template = factories.ParcoursFactory(template=True)
    client.force_login(people["teacher"])

    for parcours in (draft, in_review, published, template):
        assert client.get(reverse("parcours:detail", args=[parcours.pk])).status_code == 404
    assert client.get(reverse("parcours:design_dashboard")).status_code == 403
    assert client.get(reverse("parcours:review_queue")).status_code == 403


def test_templates_are_seen_by_designers(client, people):
    template = factories.ParcoursFactory(template=True)

    assert (
        _get(
            client, people["colleague"], reverse("parcours:detail", args=[template.pk])
        ).status_code
        == 200
    )
    assert (
        _get(client, people["trainer"], reverse("parcours:detail", args=[template.pk])).status_code
        == 404
    )


# Review ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "status"),
    [
        ("reviewer", 200),
        ("national_reviewer", 200),
        ("university", 200),
        ("designer", 200),
        ("other_reviewer", 404),
        ("colleague", 404),
        ("trainer", 404),
        ("teacher", 404),
    ],
)
def test_a_parcours_in_review_is_seen_by_the_reviewers_of_its_academie(
    client, people, in_review, member, status
):
    url = reverse("parcours:detail", args=[in_review.pk])

    assert _get(client, people[member], url).status_code == status


@pytest.mark.parametrize(
    ("member", "status"),
    [("other_reviewer", 404), ("designer", 403), ("editorial", 404), ("teacher", 404)],
)
def test_only_the_reviewers_of_its_academie_decide_on_a_parcours(
    client, people, in_review, member, status
):
    client.force_login(people[member])

    approve = client.post(reverse("parcours:approve", args=[in_review.pk]))
    send_back = client.post(
        reverse("parcours:request_changes", args=[in_review.pk]), {"comment": "Non."}
    )

    assert (approve.status_code, send_back.status_code) == (status, status)
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_a_university_reviewer_may_approve_but_not_send_back(client, people, in_review):
    client.force_login(people["university"])

    send_back = client.post(
        reverse("parcours:request_changes", args=[in_review.pk]), {"comment": "Non."}
    )
    approve = client.post(reverse("parcours:approve", args=[in_review.pk]))

    assert (send_back.status_code, approve.status_code) == (403, 302)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.university_approved) == (Status.REVIEW, True)


@pytest.mark.parametrize(
    ("member", "status"), [("reviewer", 403), ("designer", 403), ("teacher", 404)]
)
def test_only_the_editorial_committee_grants_the_label(client, people, published, member, status):
    client.force_login(people[member])

    response = client.post(reverse("parcours:label_grant", args=[published.pk]))

    assert response.status_code == status
    published.refresh_from_db()
    assert not published.national_label


# Files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "status"),
    [("designer", 200), ("manager", 200), ("colleague", 404), ("teacher", 404)],
)
def test_a_file_of_a_draft_is_downloaded_only_by_who_may_see_the_draft(
    client, people, draft, member, status
):
    activity = factories.ActivityFactory(section=draft.sections.get(), with_file=True)

    response = _get(
        client, people[member], reverse("parcours:activity_file", args=[activity.pk, "file"])
    )

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
        assert "attachment" in response["Content-Disposition"]


def test_a_teacher_of_an_open_access_module_gets_its_files_but_not_the_trainer_notes(
    client, people, normandie
):
    module = factories.ParcoursFactory(open_access_module=True, academie=normandie)
    section = module.sections.get()
    handout = factories.ActivityFactory(section=section, with_file=True)
    note = factories.ActivityFactory(section=section, trainer_note=True)
    note.file.save("consignes.pdf", ContentFile(b"secret"), save=True)
    OpenAccessMembership.objects.create(parcours=module, user=people["teacher"])
    client.force_login(people["teacher"])

    handout_response = client.get(reverse("parcours:activity_file", args=[handout.pk, "file"]))
    note_response = client.get(reverse("parcours:activity_file", args=[note.pk, "file"]))

    assert (handout_response.status_code, note_response.status_code) == (200, 404)
    assert b"".join(handout_response.streaming_content) == b"%PDF-1.4 test"


def test_the_thumbnail_is_served_only_to_who_may_see_the_parcours(client, people, draft):
    draft.thumbnail.save("vignette.png", ContentFile(b"\x89PNG"), save=True)
    url = reverse("parcours:thumbnail", args=[draft.pk])

    assert _get(client, people["colleague"], url).status_code == 404
    response = _get(client, people["designer"], url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    # Reading to the end closes the file (the test client's wrapper), without ending the test.
    assert b"".join(response.streaming_content) == b"\x89PNG"
    page = client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    assert url in page
    assert "/media/" not in page  # the storage path is never linked


# Trainer notes and history on the parcours page -------------------------------------------


def test_trainer_notes_are_hidden_from_teachers_of_an_open_access_module(client, people, normandie):
    module = factories.ParcoursFactory(open_access_module=True, academie=normandie)
    factories.ActivityFactory(
        section=module.sections.get(), trainer_note=True, body="<p>Réservé aux formateurs ici</p>"
    )

    as_teacher = _get(client, people["teacher"], reverse("parcours:detail", args=[module.pk]))
    as_trainer = _get(client, people["trainer"], reverse("parcours:detail", args=[module.pk]))

    assert "Réservé aux formateurs ici" not in as_teacher.content.decode()
    assert "Réservé aux formateurs ici" in as_trainer.content.decode()


def test_the_history_is_shown_to_designers_not_to_trainers(client, people, published):
    factories.EventFactory(parcours=published, comment="Commentaire interne de relecture")

    as_designer = _get(client, people["designer"], reverse("parcours:detail", args=[published.pk]))
    as_trainer = _get(client, people["trainer"], reverse("parcours:detail", args=[published.pk]))

    assert "Commentaire interne de relecture" in as_designer.content.decode()
    assert "Commentaire interne de relecture" not in as_trainer.content.decode()


# What the page offers, from the rights ----------------------------------------------------------


def _rights(user, parcours):
    return access.rights_on(user, access.get_parcours_with_rights_or_404(user, parcours.pk))


def test_rights_follow_the_status_and_the_role(people, draft, in_review, published):
    assert _rights(people["designer"], draft).edit
    assert _rights(people["designer"], draft).submit
    assert not _rights(people["designer"], in_review).edit
    assert not _rights(people["designer"], published).edit
    assert _rights(people["designer"], published).new_version
    assert _rights(people["designer"], published).archive
    assert not _rights(people["colleague"], published).archive
    assert _rights(people["colleague"], published).duplicate
    assert not _rights(people["trainer"], published).duplicate
    assert _rights(people["reviewer"], in_review).review
    assert not _rights(people["university"], in_review).review
    assert _rights(people["university"], in_review).university_approve
    assert _rights(people["editorial"], published).label
    assert not _rights(people["trainer"], published).see_history
    assert _rights(people["trainer"], published).see_trainer_notes


def test_the_admin_cleans_activity_bodies_too(client, people, draft):
    activity = draft.sections.get().activities.get()
    people["admin"].is_staff = people["admin"].is_superuser = True
    people["admin"].save()
    client.force_login(people["admin"])

    client.post(
        reverse("admin:parcours_activity_change", args=[activity.pk]),
        {
            "section": activity.section_id,
            "kind": "page",
            "title": activity.title,
            "position": 1,
            "body": "<p>Bonjour</p><script>alert(1)</script>",
            "url": "",
        },
    )

    activity.refresh_from_db()
    assert activity.body == "<p>Bonjour</p>"
