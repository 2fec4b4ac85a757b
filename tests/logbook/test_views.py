"""The logbook's pages through HTTP: the author's, the trainers', everybody else's 404."""

import pytest
from django.core.files.storage import default_storage
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from preau.logbook import services
from preau.logbook.models import Entry
from tests import factories

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def _close(response) -> None:
    """Closes a file response without the signal that would close the test's database
    connection on PostgreSQL (as tests/core/test_access_matrix.py does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_an_empty_logbook_says_so_and_asks_for_nothing(client, room):
    client.force_login(room["teacher"])

    page = client.get(reverse("logbook:list")).content.decode()

    assert "Votre carnet est vide" in page
    assert "Rien n’est attendu de vous" in page


def test_the_menu_offers_the_logbook_to_teachers_only(client, room):
    client.force_login(room["teacher"])
    assert "Carnet de bord" in client.get(reverse("portal:home")).content.decode()
    client.force_login(room["ien"])
    assert "Carnet de bord" not in client.get(reverse("portal:home")).content.decode()


def test_a_teacher_writes_an_entry_with_an_attachment_tied_to_a_step(client, room):
    client.force_login(room["teacher"])
    url = reverse("logbook:entry_new")
    form = client.get(url).context["form"]
    tie = f"s{room['session'].pk}-e{room['section'].pk}"
    assert tie in dict(
        (value, label)
        for _group, options in form.fields["tie"].choices[1:]
        for value, label in options
    )

    response = client.post(
        url,
        {
            "title": "Les ateliers",
            "written_on": "2026-12-04",
            "body": "<p>Bien passé</p><script>x</script>",
            "tie": tie,
            "files": [pdf_file("fiche.pdf", b"%PDF fiche")],
        },
    )

    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("logbook:entry", args=[entry.pk])
    assert entry.section == room["section"] and entry.session == room["session"]
    assert str(entry.written_on) == "2026-12-04"
    assert "script" not in entry.body
    attachment = entry.attachments.get()
    download = client.get(reverse("logbook:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF fiche"
    _close(download)


def test_a_session_the_teacher_does_not_take_part_in_is_not_offered(client, room, territory):
    other = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    client.force_login(room["teacher"])

    response = client.post(
        reverse("logbook:entry_new"),
        {"title": "x", "written_on": "2026-12-04", "body": "<p>x</p>", "tie": f"s{other.pk}"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["tie"]
    assert not Entry.objects.exists()


def test_an_invalid_entry_comes_back_with_french_errors(client, room):
    client.force_login(room["teacher"])

    response = client.post(
        reverse("logbook:entry_new"), {"title": " ", "written_on": "2026-12-04", "body": ""}
    )

    page = response.content.decode()
    assert "L’entrée n’a pas été enregistrée" in page
    assert "L’entrée est vide" in page


def test_the_list_is_paginated_and_searched(client, room):
    for i in range(25):
        services.write_entry(by=room["teacher"], title=f"Entrée {i}", body=f"<p>Texte {i}</p>")
    services.write_entry(by=room["teacher"], title="Géographie", body="<p>Les cartes</p>")
    services.write_entry(by=room["classmate"], title="Géographie aussi", body="<p>Autre</p>")
    client.force_login(room["teacher"])

    first = client.get(reverse("logbook:list"))
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 26
    found = client.get(reverse("logbook:list"), {"q": "geographie"})
    assert [e.title for e in found.context["page"]] == ["Géographie"]
    nothing = client.get(reverse("logbook:list"), {"q": "introuvable"})
    assert "Aucune entrée ne contient ces mots." in nothing.content.decode()


def test_the_list_shows_no_count_of_entries(client, room):
    for i in range(3):
        services.write_entry(by=room["teacher"], title=f"Entrée {i}", body="<p>Texte</p>")
    client.force_login(room["teacher"])

    page = client.get(reverse("logbook:list")).content.decode()

    assert "3 entrées" not in page and "entrées)" not in page


def test_editing_an_entry(client, room, entry):
    client.force_login(room["teacher"])
    url = reverse("logbook:entry_edit", args=[entry.pk])
    assert client.get(url).context["form"]["tie"].value() == (
        f"s{room['session'].pk}-e{room['section'].pk}"
    )
    attachment = entry.attachments.get()

    response = client.post(
        url,
        {
            "title": "Ateliers, suite",
            "written_on": "2026-12-05",
            "body": "<p>Deuxième semaine</p>",
            "tie": "",
            "remove": [attachment.pk],
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Ateliers, suite" and entry.session is None
    assert not entry.attachments.exists()


def test_deleting_asks_for_confirmation_then_deletes_the_files(
    client, room, entry, django_capture_on_commit_callbacks
):
    client.force_login(room["teacher"])
    url = reverse("logbook:entry_delete", args=[entry.pk])
    name = entry.attachments.get().file.name

    confirm = client.get(url)
    assert "supprimée définitivement" in confirm.content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not Entry.objects.exists()
    assert not default_storage.exists(name)


def test_sharing_through_the_page_and_the_trainer_reads_it(client, room, entry):
    client.force_login(room["teacher"])
    client.post(reverse("logbook:entry_share", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.shared

    client.force_login(room["trainer"])
    page = client.get(reverse("logbook:session_shared", args=[room["session"].pk]))
    assert page.status_code == 200
    assert entry.title in page.content.decode()
    attachment = entry.attachments.get()
    download = client.get(reverse("logbook:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    _close(download)
    # The trainer reads it there, but does not change it.
    assert client.get(reverse("logbook:entry", args=[entry.pk])).status_code == 404
    assert client.post(reverse("logbook:entry_unshare", args=[entry.pk])).status_code == 404


def test_the_session_page_links_to_shared_entries_for_its_trainers_only(client, room):
    url = reverse("training:manage", args=[room["session"].pk])
    target = reverse("logbook:session_shared", args=[room["session"].pk])
    client.force_login(room["trainer"])
    assert target in client.get(url).content.decode()
    client.force_login(room["tutor"])
    assert target not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "who", ["classmate", "tutor", "waiting", "ien", "pilot", "designer", "manager", "admin"]
)
def test_nobody_else_reads_a_shared_entry_nor_its_file(client, room, entry, who):
    services.share(entry=entry, by=room["teacher"])
    attachment = entry.attachments.get()
    client.force_login(room[who])

    for url in [
        reverse("logbook:entry", args=[entry.pk]),
        reverse("logbook:entry_edit", args=[entry.pk]),
        reverse("logbook:entry_delete", args=[entry.pk]),
        reverse("logbook:attachment", args=[attachment.pk]),
        reverse("logbook:session_shared", args=[room["session"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert entry.title not in client.get(reverse("logbook:list")).content.decode()


def test_an_unshared_entry_is_not_shown_to_the_trainer(client, room, entry):
    client.force_login(room["trainer"])

    page = client.get(reverse("logbook:session_shared", args=[room["session"].pk]))

    assert entry.title not in page.content.decode()
    assert "Aucun participant n’a valorisé" in page.content.decode()
    attachment = entry.attachments.get()
    assert client.get(reverse("logbook:attachment", args=[attachment.pk])).status_code == 404


def test_a_shared_entry_of_a_participant_who_left_is_no_longer_shown(client, room, entry):
    services.share(entry=entry, by=room["teacher"])
    room["session"].enrolments.filter(user=room["teacher"]).delete()
    client.force_login(room["trainer"])

    page = client.get(reverse("logbook:session_shared", args=[room["session"].pk]))

    assert entry.title not in page.content.decode()


def test_the_trainer_of_another_session_does_not_read_it(client, room, entry, territory):
    services.share(entry=entry, by=room["teacher"])
    other_trainer = factories.with_role("trainer", circonscription=territory["caen"])
    factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[other_trainer],
        participants=[room["teacher"]],
    )
    client.force_login(other_trainer)

    attachment = entry.attachments.get()
    assert client.get(reverse("logbook:attachment", args=[attachment.pk])).status_code == 404
    assert (
        client.get(reverse("logbook:session_shared", args=[room["session"].pk])).status_code == 404
    )


def test_the_portfolio_is_a_pdf_not_stored_of_the_whole_logbook_or_a_selection(
    client, room, entry, monkeypatch
):
    other = services.write_entry(by=room["teacher"], title="Autre idée", body="<p>Deux</p>")
    foreign = services.write_entry(by=room["classmate"], title="Pas à moi", body="<p>Non</p>")
    client.force_login(room["teacher"])
    assert client.get(reverse("logbook:portfolio")).status_code == 200
    rendered = []
    import weasyprint

    class Recording(weasyprint.HTML):
        def __init__(self, *args, string=None, **kwargs):
            rendered.append(string)
            super().__init__(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", Recording)

    whole = client.get(reverse("logbook:portfolio_pdf"))
    assert whole["Content-Type"] == "application/pdf"
    assert whole.content.startswith(b"%PDF")
    assert "no-store" in whole["Cache-Control"]
    assert entry.title in rendered[-1] and other.title in rendered[-1]
    assert foreign.title not in rendered[-1]

    client.get(reverse("logbook:portfolio_pdf"), {"entree": [other.pk, foreign.pk, "x"]})
    assert other.title in rendered[-1]
    assert entry.title not in rendered[-1] and foreign.title not in rendered[-1]


def test_the_portfolio_form_with_nothing_ticked_asks_to_tick_an_entry(client, room, entry):
    """A browser sends no `entree` when every box is unticked: that is not « the whole
    logbook » (the link below the form is)."""
    client.force_login(room["teacher"])
    page = client.get(reverse("logbook:portfolio")).content.decode()
    assert 'name="choix"' in page
    response = client.get(reverse("logbook:portfolio_pdf"), {"choix": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("logbook:portfolio")
    assert "Cochez au moins une entrée" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_the_list_shows_an_excerpt_with_its_paragraphs_apart(client, room):
    services.write_entry(by=room["teacher"], title="Bilan", body="<p>Au calme.</p><p>Ce qui</p>")
    client.force_login(room["teacher"])

    page = client.get(reverse("logbook:list")).content.decode()

    assert "Au calme. Ce qui" in page


def test_the_edit_form_offers_to_remove_attachments_only_when_there_are_some(client, room, entry):
    bare = services.write_entry(by=room["teacher"], title="Sans fichier", body="<p>Texte</p>")
    client.force_login(room["teacher"])

    assert (
        "remove"
        in client.get(reverse("logbook:entry_edit", args=[entry.pk])).context["form"].fields
    )
    assert (
        "remove"
        not in client.get(reverse("logbook:entry_edit", args=[bare.pk])).context["form"].fields
    )


def test_the_participants_session_page_leads_to_an_entry_tied_to_it(client, room):
    client.force_login(room["teacher"])
    page = client.get(reverse("training:participant_session", args=[room["session"].pk]))
    link = reverse("logbook:entry_new") + f"?session={room['session'].pk}"
    assert link in page.content.decode()

    form = client.get(link).context["form"]

    assert form["tie"].value() == f"s{room['session'].pk}"
    # Another session's id preselects nothing it may not choose (the choices are the person's).
    other = client.get(reverse("logbook:entry_new") + "?session=999999").context["form"]
    assert "s999999" not in str(other["tie"])


def test_the_search_reads_the_text_not_its_markup(client, room):
    services.write_entry(
        by=room["teacher"],
        title="Mise en forme",
        body='<p><strong>Gras</strong> et <a href="https://eduscol.education.fr">lien</a></p>',
    )
    client.force_login(room["teacher"])

    for word, found in [("strong", 0), ("href", 0), ("gras", 1), ("lien", 1)]:
        page = client.get(reverse("logbook:list"), {"q": word})
        assert len(page.context["page"].object_list) == found, word
