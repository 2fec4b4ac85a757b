"""Managing the groups once made: renaming, deleting (the document and its history go with
the group), moving a person from one group to another in one step. The app's rule for groups:
those who manage the session (its trainers, the IEN and pilots of its territory) do it; a tutor
gets the training app's 403; closed and archived sessions refuse it all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from preau.preparations import access, crdt, services
from preau.preparations.models import (
    Comment,
    Document,
    DocumentUpdate,
    Group,
    Membership,
    Proposal,
    Version,
)
from preau.training.models import SessionStatus
from tests.html_checker import JAVA, MISSING_JAVA, check_documents

from .conftest import close, typed

pytestmark = pytest.mark.django_db


def _group_of(prep, person) -> str:
    return Membership.objects.get(activity=prep["activity"], user=prep[person]).group.name


# Services -------------------------------------------------------------------------------------


def test_the_trainer_renames_a_group_and_its_name_stays_unique(prep):
    services.rename_group(group=prep["group"], name="  Les   Ferry ", by=prep["trainer"])

    assert Group.objects.get(pk=prep["group"].pk).name == "Les Ferry"
    with pytest.raises(ValidationError, match="Un groupe porte déjà ce nom"):
        services.rename_group(group=prep["group"], name="Bayeux", by=prep["trainer"])
    with pytest.raises(ValidationError, match="Donnez un nom"):
        services.rename_group(group=prep["group"], name="  ", by=prep["trainer"])
    # Its own name again: nothing to refuse.
    services.rename_group(group=prep["group"], name="Les Ferry", by=prep["trainer"])


def test_a_person_moves_to_another_group_in_one_step_and_reaches_its_document_only(prep):
    services.record_update(
        document=prep["document"],
        update=typed(prep["document"], "Écrit avant"),
        by=prep["classmate"],
    )

    left = services.move_member(user=prep["classmate"], to=prep["other_group"], by=prep["trainer"])

    assert left == prep["group"]
    assert _group_of(prep, "classmate") == "Bayeux"
    assert Membership.objects.filter(activity=prep["activity"]).count() == 3
    assert access.may_edit(prep["classmate"], prep["other_document"])
    assert not access.may_edit(prep["classmate"], prep["document"])
    # What she wrote stays in her former group's document.
    assert "Écrit avant" in crdt.to_text(services.load(prep["document"]))


def test_moving_someone_without_a_group_or_into_their_own_group_is_refused(prep):
    with pytest.raises(ValidationError, match="dans aucun groupe"):
        services.move_member(user=prep["lou"], to=prep["group"], by=prep["trainer"])
    with pytest.raises(ValidationError, match="déjà dans ce groupe"):
        services.move_member(user=prep["teacher"], to=prep["group"], by=prep["trainer"])
    assert _group_of(prep, "teacher") == "Jules Ferry"


def test_deleting_a_group_deletes_its_document_and_history_and_frees_its_members(prep):
    document = prep["document"]
    services.record_update(document=document, update=typed(document, "Plan"), by=prep["teacher"])
    services.name_version(document=document, name="Lundi", by=prep["teacher"])
    services.share(document=document, shared=True, by=prep["teacher"])
    proposal = services.propose(document=document, note="", by=prep["trainer"])
    Comment.objects.create(document=document, author=prep["teacher"], body="?", quote="Plan")

    services.delete_group(group=prep["group"], by=prep["trainer"])

    assert not Group.objects.filter(pk=prep["group"].pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not DocumentUpdate.objects.filter(document_id=document.pk).exists()
    assert not Version.objects.filter(document_id=document.pk).exists()
    assert not Comment.objects.filter(document_id=document.pk).exists()
    # Its members have no group any more: they may be put in another.
    free = services._unassigned(prep["activity"], prep["session"])
    assert {prep["teacher"], prep["classmate"]} <= set(free)
    # The copy proposed to the parcours' designers stays.
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.document is None and "Plan" in proposal.content_html
    # The other group is untouched.
    assert DocumentUpdate.objects.filter(document=prep["other_document"]).count() == 1


@pytest.mark.parametrize("person", ["tutor", "teacher", "other", "nobody"])
def test_only_those_who_manage_the_session_manage_its_groups(prep, person):
    by = prep[person]
    with pytest.raises(PermissionDenied):
        services.rename_group(group=prep["group"], name="Autre nom", by=by)
    with pytest.raises(PermissionDenied):
        services.move_member(user=prep["teacher"], to=prep["other_group"], by=by)
    with pytest.raises(PermissionDenied):
        services.delete_group(group=prep["group"], by=by)
    assert Group.objects.get(pk=prep["group"].pk).name == "Jules Ferry"
    assert _group_of(prep, "teacher") == "Jules Ferry"


@pytest.mark.parametrize("person", ["ien", "admin"])
def test_the_ien_and_the_administrators_who_run_the_session_manage_its_groups_too(prep, person):
    """As they make groups (training/access.py: the IEN pilots the session's territory; the
    administrators run every session). Neither reads a group's document."""
    by = prep[person]
    services.rename_group(group=prep["other_group"], name="Bayeux centre", by=by)
    services.move_member(user=prep["classmate"], to=prep["other_group"], by=by)
    services.delete_group(group=prep["other_group"], by=by)

    assert list(Group.objects.filter(activity=prep["activity"])) == [prep["group"]]


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_refuses_to_rename_move_or_delete(prep, status):
    close(prep["session"], status)
    with pytest.raises(ValidationError, match="close"):
        services.rename_group(group=prep["group"], name="Autre nom", by=prep["trainer"])
    with pytest.raises(ValidationError, match="close"):
        services.move_member(user=prep["teacher"], to=prep["other_group"], by=prep["trainer"])
    with pytest.raises(ValidationError, match="close"):
        services.delete_group(group=prep["group"], by=prep["trainer"])
    assert Group.objects.get(pk=prep["group"].pk).name == "Jules Ferry"
    assert _group_of(prep, "teacher") == "Jules Ferry"
    assert Document.objects.filter(pk=prep["document"].pk).exists()


# Through HTTP ----------------------------------------------------------------------------------


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_the_trainer_renames_moves_and_deletes_through_the_pages(client, prep):
    client.force_login(prep["trainer"])
    activity_page = client.get(reverse("preparations:activity", args=[prep["activity"].pk]))
    group_url = reverse("preparations:group", args=[prep["group"].pk])
    assert group_url in activity_page.content.decode()
    assert "Changer une personne de groupe" in activity_page.content.decode()

    renamed = client.post(group_url, {"nom": "Ferry et Lemaire"})
    assert renamed.status_code == 302
    assert Group.objects.get(pk=prep["group"].pk).name == "Ferry et Lemaire"

    moved = client.post(
        reverse("preparations:move_member", args=[prep["activity"].pk]),
        {"personne": prep["classmate"].pk, "vers": prep["other_group"].pk},
    )
    assert moved.status_code == 302
    assert "a quitté le groupe « Ferry et Lemaire » pour le groupe « Bayeux »" in _messages(moved)
    assert _group_of(prep, "classmate") == "Bayeux"

    page = client.get(group_url).content.decode()
    assert "Rien ne pourra être récupéré" in page
    assert "Son membre n’aura plus de groupe" in page  # Camille, alone now
    deleted = client.post(reverse("preparations:delete_group", args=[prep["group"].pk]))
    assert deleted.status_code == 302
    assert deleted.url == reverse("preparations:activity", args=[prep["activity"].pk])
    assert not Group.objects.filter(pk=prep["group"].pk).exists()


def test_a_name_already_taken_is_said_on_the_group_page(client, prep):
    client.force_login(prep["trainer"])

    page = client.post(reverse("preparations:group", args=[prep["group"].pk]), {"nom": "Bayeux"})

    assert page.status_code == 400
    assert "Un groupe porte déjà ce nom." in page.content.decode()
    assert Group.objects.get(pk=prep["group"].pk).name == "Jules Ferry"


def test_a_group_of_another_activity_or_nobody_chosen_moves_no_one(client, prep):
    other_activity = prep["activity"].__class__.objects.create(
        section=prep["activity"].section, kind="preparation", title="Une autre", body=""
    )
    elsewhere = services.create_group(
        activity=other_activity,
        session=prep["session"],
        name="Ailleurs",
        members=[],
        by=prep["trainer"],
    )
    client.force_login(prep["trainer"])
    url = reverse("preparations:move_member", args=[prep["activity"].pk])

    for data in [{"personne": prep["teacher"].pk, "vers": elsewhere.pk}, {"vers": "x"}]:
        response = client.post(url, data)
        assert response.status_code == 302
        assert "Choisissez une personne et le groupe" in _messages(response)
    assert _group_of(prep, "teacher") == "Jules Ferry"


def test_a_tutor_is_told_why_they_cannot_manage_the_groups(client, prep):
    client.force_login(prep["tutor"])
    group = prep["group"]

    assert client.get(reverse("preparations:group", args=[group.pk])).status_code == 403
    assert (
        client.post(reverse("preparations:group", args=[group.pk]), {"nom": "X"}).status_code == 403
    )
    assert client.post(reverse("preparations:delete_group", args=[group.pk])).status_code == 403
    moved = client.post(
        reverse("preparations:move_member", args=[prep["activity"].pk]),
        {"personne": prep["teacher"].pk, "vers": prep["other_group"].pk},
    )
    assert moved.status_code == 403
    assert Group.objects.get(pk=group.pk).name == "Jules Ferry"
    assert _group_of(prep, "teacher") == "Jules Ferry"


@pytest.mark.parametrize("person, move_status", [("teacher", 403), ("other", 403), ("nobody", 404)])
def test_participants_and_outsiders_reach_no_group_management(client, prep, person, move_status):
    client.force_login(prep[person])
    group = prep["group"]

    assert client.get(reverse("preparations:group", args=[group.pk])).status_code == 404
    assert client.post(reverse("preparations:delete_group", args=[group.pk])).status_code == 404
    moved = client.post(
        reverse("preparations:move_member", args=[prep["activity"].pk]),
        {"personne": prep["teacher"].pk, "vers": prep["other_group"].pk},
    )
    assert moved.status_code == move_status
    assert Group.objects.filter(pk=group.pk).exists()
    assert _group_of(prep, "teacher") == "Jules Ferry"


def test_the_ien_manages_the_groups_through_the_pages(client, prep):
    client.force_login(prep["ien"])

    page = client.get(reverse("preparations:group", args=[prep["other_group"].pk]))
    deleted = client.post(reverse("preparations:delete_group", args=[prep["other_group"].pk]))

    assert page.status_code == 200 and deleted.status_code == 302
    assert not Group.objects.filter(pk=prep["other_group"].pk).exists()


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_session_shows_no_way_to_change_its_groups_and_refuses_it(client, prep, status):
    close(prep["session"], status)
    client.force_login(prep["trainer"])
    group_url = reverse("preparations:group", args=[prep["group"].pk])

    page = client.get(group_url).content.decode()
    activity_page = client.get(
        reverse("preparations:activity", args=[prep["activity"].pk])
    ).content.decode()
    deleted = client.post(reverse("preparations:delete_group", args=[prep["group"].pk]))
    renamed = client.post(group_url, {"nom": "Autre nom"})
    moved = client.post(
        reverse("preparations:move_member", args=[prep["activity"].pk]),
        {"personne": prep["teacher"].pk, "vers": prep["other_group"].pk},
    )

    assert "ses groupes ne se modifient plus" in page and "Supprimer définitivement" not in page
    assert group_url not in activity_page and "Changer une personne de groupe" not in activity_page
    assert deleted.status_code == 302 and "La session est close" in _messages(deleted)
    assert renamed.status_code == 400
    assert "La session est close" in _messages(moved)
    assert Group.objects.get(pk=prep["group"].pk).name == "Jules Ferry"
    assert _group_of(prep, "teacher") == "Jules Ferry"


@pytest.mark.skipif(not JAVA, reason=MISSING_JAVA)
def test_the_group_pages_are_valid_html(client, prep):
    client.force_login(prep["trainer"])
    urls = [
        reverse("preparations:activity", args=[prep["activity"].pk]),
        reverse("preparations:group", args=[prep["group"].pk]),
    ]
    documents = {url: client.get(url).content.decode() for url in urls}
    assert "Changer une personne de groupe" in documents[urls[0]]
    assert "Supprimer définitivement" in documents[urls[1]]

    errors = check_documents(documents)

    assert not errors, "\n".join(map(str, errors))
