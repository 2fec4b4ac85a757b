"""The session's trainer proposes a plan shared with the session to the designers of the
parcours it came from: a copy of the plan, a notification; the designers (of any version of the
parcours' line) read it on the parcours' page and mark it « retenue » or « écartée »; nobody else
proposes nor reads it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from preau.accounts.models import Role
from preau.notifications.models import Notification
from preau.preparations import services
from preau.preparations.models import Proposal, ProposalStatus
from preau.training.models import SessionStatus
from tests import factories
from tests.html_checker import JAVA, MISSING_JAVA, check_documents

from .conftest import close, typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def designed(prep, territory):
    """The session's source has a designer; a newer draft of the same line has another one; a
    designer of another parcours; a trainer of another session of the same parcours. The
    group's plan says « Notre plan <b> » and is shared with the session."""
    source = prep["session"].source
    designer = factories.with_role(Role.DESIGNER, academie=territory["academie"])
    source.designers.add(designer)
    next_designer = factories.with_role(Role.DESIGNER, academie=territory["academie"])
    next_version = factories.ParcoursFactory(lineage=source.lineage, designers=[next_designer])
    stranger_designer = factories.with_role(Role.DESIGNER, academie=territory["academie"])
    factories.ParcoursFactory(designers=[stranger_designer])
    other_trainer = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    factories.TrainingSessionFactory(
        open=True, source=source, circonscription=territory["caen"], trainers=[other_trainer]
    )
    document = prep["document"]
    services.record_update(
        document=document, update=typed(document, "Notre plan <b>"), by=prep["teacher"]
    )
    services.share(document=document, shared=True, by=prep["teacher"])
    return {
        **prep,
        "source": source,
        "designer": designer,
        "next_version": next_version,
        "next_designer": next_designer,
        "stranger_designer": stranger_designer,
        "other_trainer": other_trainer,
    }


def _propose(client, d, person="trainer", note="Très réussie en CE1."):
    client.force_login(d[person])
    return client.post(reverse("preparations:propose", args=[d["document"].pk]), {"mot": note})


def test_the_trainer_proposes_a_shared_plan_and_the_designers_are_notified(client, designed):
    d = designed

    response = _propose(client, d)

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.parcours == d["source"] and proposal.lineage_id == d["source"].lineage_id
    assert proposal.note == "Très réussie en CE1."
    assert proposal.group_name == "Jules Ferry"
    assert "Notre plan &lt;b&gt;" in proposal.content_html
    assert proposal.status == ProposalStatus.PROPOSED
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.PREPARATION_PROPOSED).values_list(
            "recipient", flat=True
        )
    )
    assert notified == {d["designer"].pk, d["next_designer"].pk}
    note = Notification.objects.filter(recipient=d["designer"]).get()
    assert note.url == reverse("preparations:proposal", args=[proposal.pk])


def test_the_proposal_is_a_copy_not_a_live_link(client, designed):
    d = designed
    _propose(client, d)
    document = d["document"]
    services.record_update(
        document=document, update=typed(document, "Ajout après "), by=d["teacher"]
    )
    client.force_login(d["designer"])

    html = client.get(reverse("preparations:proposal", args=[Proposal.objects.get().pk]))

    assert "Notre plan &lt;b&gt;" in html.content.decode()
    assert "Ajout après" not in html.content.decode()


def test_designers_of_the_line_see_and_decide_on_the_parcours_page(client, designed):
    d = designed
    _propose(client, d)
    proposal = Proposal.objects.get()
    client.force_login(d["next_designer"])  # a designer of the next version of the line

    page = client.get(reverse("parcours:detail", args=[d["next_version"].pk]))
    assert "Préparations proposées par les sessions" in page.content.decode()
    assert reverse("preparations:proposal", args=[proposal.pk]) in page.content.decode()

    url = reverse("preparations:proposal", args=[proposal.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"suite": "kept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.KEPT
    assert proposal.decided_by == d["next_designer"]
    client.force_login(d["designer"])
    client.post(url, {"suite": "dismissed"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    client.post(url, {"suite": "n'importe quoi"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED


@pytest.mark.parametrize(
    "person", ["stranger_designer", "other_trainer", "trainer", "tutor", "teacher", "ien", "admin"]
)
def test_only_the_designers_of_the_line_read_a_proposal(client, designed, person):
    d = designed
    _propose(client, d)
    proposal = Proposal.objects.get()
    client.force_login(d[person])
    url = reverse("preparations:proposal", args=[proposal.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"suite": "kept"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.decide_proposal(proposal=proposal, status="kept", by=d[person])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_a_designer_of_another_parcours_sees_no_proposal_on_the_page(client, designed):
    d = designed
    _propose(client, d)
    client.force_login(d["designer"])
    assert (
        "Préparations proposées"
        in client.get(reverse("parcours:detail", args=[d["source"].pk])).content.decode()
    )
    client.force_login(d["trainer"])  # sees the published parcours, designs nothing

    page = client.get(reverse("parcours:detail", args=[d["source"].pk]))

    assert page.status_code == 200
    assert "Préparations proposées" not in page.content.decode()


@pytest.mark.parametrize(
    "person, status",
    [
        ("other_trainer", 404),  # trainer of another session of the same parcours
        ("tutor", 403),  # reads the document, does not run the session
        ("ien", 404),  # runs the session, never reads a group's document
        ("pilot", 404),
        ("designer", 404),
        ("teacher", 404),  # a member of the group
        ("other", 404),  # a participant who reads the shared plan
        ("admin", 404),
    ],
)
def test_only_the_session_trainer_proposes(client, designed, person, status):
    d = designed

    response = _propose(client, d, person)

    assert response.status_code == status
    with pytest.raises(PermissionDenied):
        services.propose(document=d["document"], note="", by=d[person])
    assert not Proposal.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.PREPARATION_PROPOSED).exists()


def test_a_plan_not_shared_with_the_session_is_not_proposed(designed):
    d = designed
    services.share(document=d["document"], shared=False, by=d["teacher"])

    with pytest.raises(ValidationError, match="partagée avec la session"):
        services.propose(document=d["document"], note="", by=d["trainer"])
    assert not Proposal.objects.exists()


def test_one_pending_proposal_per_plan_and_a_long_note_is_refused(designed):
    d = designed
    with pytest.raises(ValidationError, match="1000 caractères"):
        services.propose(document=d["document"], note="x" * 1001, by=d["trainer"])
    services.propose(document=d["document"], note="", by=d["trainer"])

    with pytest.raises(ValidationError, match="attend déjà"):
        services.propose(document=d["document"], note="", by=d["trainer"])

    proposal = Proposal.objects.get()
    services.decide_proposal(proposal=proposal, status="dismissed", by=d["designer"])
    services.propose(document=d["document"], note="Revue après la 2e séance", by=d["trainer"])
    assert Proposal.objects.count() == 2


def test_a_closed_session_plan_may_be_proposed_an_archived_one_may_not(client, designed):
    d = designed
    close(d["session"])

    assert _propose(client, d).status_code == 302
    assert Proposal.objects.count() == 1

    Proposal.objects.update(status=ProposalStatus.DISMISSED)
    close(d["session"], SessionStatus.ARCHIVED)
    with pytest.raises(ValidationError, match="archivée"):
        services.propose(document=d["document"], note="", by=d["trainer"])
    assert Proposal.objects.count() == 1


def test_the_document_page_offers_the_proposal_to_the_trainer_only(client, designed):
    d = designed
    url = reverse("preparations:document", args=[d["document"].pk])
    client.force_login(d["trainer"])
    assert "Proposer aux concepteurs du parcours" in client.get(url).content.decode()
    for person in ["tutor", "teacher", "other"]:
        client.force_login(d[person])
        assert "Proposer aux concepteurs" not in client.get(url).content.decode()
    services.share(document=d["document"], shared=False, by=d["teacher"])
    client.force_login(d["trainer"])
    assert "Proposer aux concepteurs" not in client.get(url).content.decode()


@pytest.mark.skipif(not JAVA, reason=MISSING_JAVA)
def test_the_proposal_pages_are_valid_html(client, designed):
    d = designed
    _propose(client, d)
    proposal = Proposal.objects.get()
    services.decide_proposal(proposal=proposal, status="kept", by=d["designer"])
    documents = {}
    client.force_login(d["trainer"])
    url = reverse("preparations:document", args=[d["document"].pk])
    documents[url] = client.get(url).content.decode()
    client.force_login(d["designer"])
    for url in [
        reverse("preparations:proposal", args=[proposal.pk]),
        reverse("parcours:detail", args=[d["source"].pk]),
    ]:
        documents[url] = client.get(url).content.decode()
    assert (
        "Proposer aux concepteurs"
        in documents[reverse("preparations:document", args=[d["document"].pk])]
    )

    # The checker predates `<script type="importmap">` (as in tests/browser/conftest.py).
    CHECKER_BEHIND = "Bad value “importmap” for attribute “type” on element “script”"
    errors = [e for e in check_documents(documents) if not e.message.startswith(CHECKER_BEHIND)]

    assert not errors, "\n".join(map(str, errors))
