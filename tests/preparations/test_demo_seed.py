"""The demo's collective preparation: `manage.py seed` gives the demo teacher's open session a
« Préparation collective », groups by school, and a group document with a history of updates;
the demo teacher reads it; a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from preau.accounts.models import User
from preau.preparations import crdt, selectors, services
from preau.preparations.models import Document, DocumentUpdate, Group

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_group_document_with_history_that_the_demo_teacher_opens(client):
    call_command("seed", verbosity=0, i_know_this_is_production=True)

    document = max(Document.objects.all(), key=lambda d: d.updates.count())
    assert document.updates.count() > 20
    text = crdt.to_text(services.load(document))
    assert "modèle en barres" in text and "Bilan après la mise en œuvre" in text
    teacher = User.objects.get(email="enseignant@demo.preau.fr")
    assert document.group.members.filter(pk=teacher.pk).exists()
    client.force_login(teacher)
    page = client.get(reverse("preparations:document", args=[document.pk]))
    assert page.status_code == 200
    assert "Léa a 48 billes" in page.content.decode()
    # A named version, and comments anchored to the document's own items, one resolved.
    assert document.versions.get().name == "Premier jet, avant la séance"
    comments = list(document.comments.all())
    assert [c.resolved for c in comments] == [True, False]
    doc = services.load(document)
    for comment in comments:
        crdt.check_anchor(bytes(comment.start), doc)
        crdt.check_anchor(bytes(comment.end), doc)
    assert comments[1].body in page.content.decode()
    # Each member typed in their own editor: « qui a écrit quoi » names them.
    members = list(document.group.members.order_by("pk"))
    names = [author["name"] for author in selectors.authorship(document)["authors"]]
    assert len(members) >= 2 and sorted(names) == sorted(m.get_full_name() for m in members[:3])

    groups, updates = Group.objects.count(), DocumentUpdate.objects.count()
    call_command("seed", verbosity=0, i_know_this_is_production=True)
    assert (Group.objects.count(), DocumentUpdate.objects.count()) == (groups, updates)


def test_the_demo_plan_is_shared_and_proposed_to_the_parcours_designers(client):
    from preau.preparations.models import Proposal

    call_command("seed", verbosity=0, i_know_this_is_production=True)

    proposal = Proposal.objects.get()
    assert "modèle en barres" in proposal.content_html
    assert "élèves les plus fragiles" in proposal.note
    assert proposal.document.group.shared
    designer = proposal.parcours.designers.first()
    client.force_login(designer)
    page = client.get(reverse("parcours:detail", args=[proposal.parcours.pk]))
    assert reverse("preparations:proposal", args=[proposal.pk]) in page.content.decode()
    assert client.get(reverse("preparations:proposal", args=[proposal.pk])).status_code == 200
