"""The designers' pages through HTTP: dashboard, parcours page, indexation, content editor,
and the lifecycle actions (submit, duplicate, new version, archive)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from preau.parcours.models import Activity, Event, Parcours, Section, Status
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"

DASHBOARD = reverse("parcours:design_dashboard")


def _png(name="vignette.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _indexation_data(parcours, **changes) -> dict:
    """What the indexation form posts for `parcours`, with some values changed."""
    data = {
        "title": parcours.title,
        "short_title": parcours.short_title,
        "objectives": parcours.objectives,
        "description": parcours.description,
        "collection": parcours.collection,
        "domain": parcours.domain,
        "keywords": parcours.keywords,
        "duration_hours": parcours.duration_hours or "",
        "presence_hours": parcours.presence_hours or "",
        "distance_hours": parcours.distance_hours or "",
        "rhythm": parcours.rhythm,
        "accompaniment": parcours.accompaniment,
        "origin": parcours.origin,
        "academie": parcours.academie_id or "",
        "departement": "",
        "authors": parcours.authors,
        "contact": parcours.contact,
        "version_notes": "",
        "thumbnail_alt": parcours.thumbnail_alt,
        "enrolment_key": "",
        "audiences": parcours.audience_codes,
    }
    data.update(changes)
    return data


# Dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_lists_my_parcours_in_every_status(
    client, people, draft, in_review, published
):
    factories.ParcoursFactory(title="Parcours d’un collègue", designers=[people["colleague"]])
    client.force_login(people["designer"])

    page = client.get(DASHBOARD).content.decode()

    for parcours in (draft, in_review, published):
        assert parcours.title in page
    assert "En construction" in page and "En relecture" in page and "Publié" in page
    assert "Parcours d’un collègue" not in page


def test_the_dashboard_says_so_when_there_is_nothing_yet(client, people):
    client.force_login(people["colleague"])

    page = client.get(DASHBOARD).content.decode()

    assert "Vous n’avez encore aucun parcours" in page
    assert "Aucun gabarit n’est disponible" in page


def test_the_dashboard_is_paginated(client, people, normandie):
    for n in range(25):
        factories.ParcoursFactory(title=f"Parcours {n:02d}", designers=[people["designer"]])
    client.force_login(people["designer"])

    first = client.get(DASHBOARD)
    second = client.get(DASHBOARD, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5


def test_a_designer_creates_a_parcours_from_scratch_in_their_academie(client, people, normandie):
    client.force_login(people["designer"])

    response = client.post(DASHBOARD, {"title": "Enseigner la grammaire", "template": ""})

    parcours = Parcours.objects.get(title="Enseigner la grammaire")
    assert response.status_code == 302
    assert response["Location"] == reverse("parcours:indexation", args=[parcours.pk])
    assert (parcours.academie, parcours.status) == (normandie, Status.CONSTRUCTION)
    assert list(parcours.designers.all()) == [people["designer"]]


def test_a_designer_creates_a_parcours_from_a_template(client, people):
    template = factories.ParcoursFactory(template=True, complete=True, title="Gabarit hybride 3 h")
    client.force_login(people["designer"])

    page = client.get(DASHBOARD).content.decode()
    client.post(DASHBOARD, {"title": "Mon parcours hybride", "template": template.pk})

    assert "Gabarit hybride 3 h" in page
    parcours = Parcours.objects.get(title="Mon parcours hybride")
    assert parcours.derived_from == template
    assert parcours.objectives == template.objectives
    assert parcours.sections.count() == 1


def test_a_parcours_without_a_title_is_refused(client, people):
    client.force_login(people["designer"])

    response = client.post(DASHBOARD, {"title": "   ", "template": ""})

    assert response.status_code == 200
    assert "Donnez un titre au parcours." in response.content.decode()
    assert not Parcours.objects.exists()


def test_the_dashboard_costs_the_same_queries_with_ten_times_more_parcours(
    client, people, count_queries
):
    """Names each query: the count does not grow with the number of parcours or activities."""
    client.force_login(people["designer"])
    factories.ParcoursFactory(template=True)
    expected = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "count of my parcours (paginator)",
        "page of my parcours, with académie and activity count",
        "templates, listed",
        "templates, as choices of the creation form",
    ]
    for count in (2, 20):
        factories.ParcoursFactory.create_batch(count, complete=True, designers=[people["designer"]])
        factories.ParcoursFactory.create_batch(count, template=True)
        with count_queries() as ran:
            response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert len(ran) == len(expected), ran.sql()


# Parcours page ----------------------------------------------------------------------------


def test_the_parcours_page_lists_what_is_missing_before_review(client, people):
    parcours = factories.ParcoursFactory(title="Brouillon", designers=[people["designer"]])
    client.force_login(people["designer"])

    page = client.get(reverse("parcours:detail", args=[parcours.pk])).content.decode()

    assert "Avant de soumettre à la relecture, il reste à :" in page
    assert "Renseignez le titre court." in page
    assert reverse("parcours:submit", args=[parcours.pk]) not in page


def test_the_parcours_page_offers_the_actions_of_its_status(client, people, draft, published):
    client.force_login(people["designer"])

    draft_page = client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    published_page = client.get(reverse("parcours:detail", args=[published.pk])).content.decode()

    assert reverse("parcours:submit", args=[draft.pk]) in draft_page
    assert reverse("parcours:indexation", args=[draft.pk]) in draft_page
    assert reverse("parcours:archive", args=[draft.pk]) not in draft_page
    assert reverse("parcours:indexation", args=[published.pk]) not in published_page
    assert reverse("parcours:content", args=[published.pk]) not in published_page
    assert reverse("parcours:new_version", args=[published.pk]) in published_page
    assert reverse("parcours:archive", args=[published.pk]) in published_page


def test_the_designers_read_the_reviewers_comments_in_the_history(client, people, in_review):
    client.force_login(people["reviewer"])
    client.post(
        reverse("parcours:request_changes", args=[in_review.pk]),
        {"comment": "Précisez les objectifs de la deuxième section."},
    )
    client.force_login(people["designer"])

    page = client.get(reverse("parcours:detail", args=[in_review.pk])).content.decode()

    assert "Renvoyé en construction" in page
    assert "Précisez les objectifs de la deuxième section." in page
    assert people["reviewer"].get_full_name() in page


def test_the_history_dates_its_events_in_paris_time_to_the_second(client, people, in_review):
    # A <time datetime> takes at most milliseconds: microseconds (date:"c") are not valid HTML.
    event = factories.EventFactory(parcours=in_review, actor=people["designer"])
    Event.objects.filter(pk=event.pk).update(
        created_at=datetime.datetime(2026, 12, 7, 9, 4, 54, 578476, tzinfo=datetime.UTC)
    )
    client.force_login(people["designer"])

    page = client.get(reverse("parcours:detail", args=[in_review.pk])).content.decode()

    assert '<time datetime="2026-12-07T10:04:54+0100">7 décembre 2026 à 10:04</time>' in page


def test_the_parcours_page_costs_the_same_queries_with_ten_times_more_sections(
    client, people, draft, count_queries
):
    client.force_login(people["designer"])
    expected = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the parcours, if visible, with académie and the user's rights",
        "its audiences",
        "its designers",
        "missing for review: is there an activity",
        "its sections",
        "their activities",
        "its history, with actors",
        "its other versions",
        "the collective preparations proposed for its line, to its designers (preparations)",
    ]
    for count in (2, 20):
        for section in factories.SectionFactory.create_batch(count, parcours=draft):
            factories.ActivityFactory.create_batch(2, section=section)
            factories.ActivityFactory(section=section, trainer_note=True)
        factories.EventFactory.create_batch(count, parcours=draft, actor=people["designer"])
        with count_queries() as ran:
            response = client.get(reverse("parcours:detail", args=[draft.pk]))
        assert response.status_code == 200
        assert len(ran) == len(expected), ran.sql()


# Indexation -------------------------------------------------------------------------------


def test_a_draft_indexation_saves_incomplete(client, people):
    parcours = factories.ParcoursFactory(title="Brouillon", designers=[people["designer"]])
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[parcours.pk]),
        _indexation_data(
            parcours,
            title="Brouillon renommé",
            rhythm="Une heure par semaine",
            academie=parcours.academie_id or people["designer"].roles.get().academie_id,
            audiences=["cycle1", "cycle3"],
        ),
    )

    assert response.status_code == 302
    parcours.refresh_from_db()
    assert (parcours.title, parcours.rhythm) == ("Brouillon renommé", "Une heure par semaine")
    assert sorted(parcours.audience_codes) == ["cycle1", "cycle3"]
    assert "Indexation enregistrée." in _messages(response)


def test_bad_input_is_shown_again_with_every_value_typed(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]),
        _indexation_data(
            draft, short_title="algo codage", rhythm="Trois mercredis", contact="pas-un-courriel"
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Le titre court s’écrit en majuscules et chiffres" in page
    assert 'value="algo codage"' in page
    assert 'value="Trois mercredis"' in page
    draft.refresh_from_db()
    assert (draft.short_title, draft.rhythm) == ("PROBLEMES", "1 h par semaine pendant 3 semaines")


def test_an_empty_title_is_refused(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]), _indexation_data(draft, title="")
    )

    assert response.status_code == 200
    assert "Donnez un titre au parcours." in response.content.decode()


def test_an_unusual_duration_and_a_wrong_split_warn_while_drafting(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]),
        _indexation_data(draft, duration_hours="4", presence_hours="1", distance_hours="2"),
    )

    assert response.status_code == 302
    messages = _messages(response)
    assert any(m.startswith("Durée inhabituelle (4 h)") for m in messages)
    assert "Présence (1 h) + distance (2 h) doit être égal à la durée annoncée (4 h)." in messages
    draft.refresh_from_db()
    assert draft.duration_hours == Decimal(4)


def test_a_thumbnail_is_saved_with_its_alternative_text(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]),
        _indexation_data(draft, thumbnail=_png(), thumbnail_alt="Une classe de CP"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.thumbnail.name.startswith("parcours/thumbnails/vignette")
    assert draft.thumbnail_alt == "Une classe de CP"


def test_the_indexation_form_says_which_images_are_accepted(client, people, draft):
    client.force_login(people["designer"])

    page = client.get(reverse("parcours:indexation", args=[draft.pk])).content.decode()

    assert "Image jpeg, jpg, png, webp, 50,0\xa0Mio au plus." in page
    assert 'list="standard-durations"' in page


def test_a_thumbnail_without_alternative_text_is_refused(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]), _indexation_data(draft, thumbnail=_png())
    )

    assert response.status_code == 200
    assert "le texte alternatif est obligatoire" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.thumbnail


def test_a_thumbnail_of_another_type_is_refused(client, people, draft):
    client.force_login(people["designer"])
    gif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(gif, "GIF")

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]),
        _indexation_data(
            draft, thumbnail=SimpleUploadedFile("anim.gif", gif.getvalue()), thumbnail_alt="x"
        ),
    )

    assert response.status_code == 200
    assert "Type de fichier non accepté (.gif)" in response.content.decode()


def test_a_thumbnail_over_the_size_limit_is_refused(client, people, draft, settings):
    settings.PREAU_UPLOAD_MAX_BYTES = 20
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:indexation", args=[draft.pk]),
        _indexation_data(draft, thumbnail=_png(), thumbnail_alt="Une classe"),
    )

    assert response.status_code == 200
    assert "Fichier trop volumineux" in response.content.decode()


def test_a_published_parcours_indexation_is_frozen(client, people, published):
    client.force_login(people["designer"])
    url = reverse("parcours:indexation", args=[published.pk])

    shown = client.get(url)
    posted = client.post(url, _indexation_data(published, title="Changé"))

    assert shown.status_code == posted.status_code == 302
    assert shown["Location"] == reverse("parcours:detail", args=[published.pk])
    assert any("figé" in m for m in _messages(posted))
    published.refresh_from_db()
    assert published.title == "Le numérique en maternelle"


# Content editor -----------------------------------------------------------------------------


def test_a_section_is_added_without_javascript(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(reverse("parcours:section_add", args=[draft.pk]), {"title": "Débattre"})

    section = draft.sections.get(title="Débattre")
    assert response["Location"] == (
        reverse("parcours:content", args=[draft.pk]) + f"#section-{section.pk}"
    )
    assert list(draft.sections.all())[-1] == section


def test_a_section_is_added_in_place_with_htmx(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:section_add", args=[draft.pk]),
        {"title": "Débattre"},
        headers={"HX-Request": "true"},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="content-editor"' in page
    assert "2. Débattre" in page
    assert "Section « Débattre » ajoutée." in page  # announced in the status region


def test_an_empty_section_title_is_refused_in_place(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:section_add", args=[draft.pk]),
        {"title": " "},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Donnez un titre à la section." in response.content.decode()
    assert draft.sections.count() == 1


def test_sections_are_renamed_and_moved(client, people, draft):
    first = draft.sections.get()
    second = factories.SectionFactory(parcours=draft, title="Deux")
    client.force_login(people["designer"])

    renamed = client.post(reverse("parcours:section_rename", args=[second.pk]), {"title": "Bilan"})
    moved = client.post(reverse("parcours:section_move", args=[second.pk]), {"direction": "up"})

    assert renamed.status_code == moved.status_code == 302
    assert [s.title for s in draft.sections.all()] == ["Bilan", first.title]


def test_an_unknown_direction_is_a_bad_request(client, people, draft):
    client.force_login(people["designer"])
    url = reverse("parcours:section_move", args=[draft.sections.get().pk])

    assert client.post(url, {"direction": "sideways"}).status_code == 400
    assert client.get(url).status_code == 405


def test_deleting_a_section_asks_for_confirmation(client, people, draft):
    section = draft.sections.get()
    client.force_login(people["designer"])
    url = reverse("parcours:section_delete", args=[section.pk])

    confirmation = client.get(url)
    assert "1 activité(s) seront supprimées" in confirmation.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()

    client.post(url)
    assert not Section.objects.filter(pk=section.pk).exists()


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("page", {"title": "Lire", "body": "<p>Un texte</p>"}),
        ("link", {"title": "Vidéo", "url": "https://www.example.org/video.mp4", "body": ""}),
        ("trainer_note", {"title": "Conseils", "body": "<p>Prévoir du temps</p>"}),
        ("file", {"title": "Programme", "body": ""}),
    ],
)
def test_each_kind_of_activity_is_added(client, people, draft, kind, data):
    section = draft.sections.get()
    if kind == "file":
        data = {**data, "file": SimpleUploadedFile("programme.pdf", b"%PDF-1.4")}
    client.force_login(people["designer"])

    form = client.get(reverse("parcours:activity_add", args=[section.pk, kind]))
    response = client.post(reverse("parcours:activity_add", args=[section.pk, kind]), data)

    assert form.status_code == 200
    assert response.status_code == 302, response.content.decode()
    activity = section.activities.get(title=data["title"])
    assert activity.kind == kind
    assert list(section.activities.all())[-1] == activity


def test_an_unknown_kind_of_activity_is_a_bad_request(client, people, draft):
    client.force_login(people["designer"])

    url = reverse("parcours:activity_add", args=[draft.sections.get().pk, "sondage"])

    assert client.get(url).status_code == 400


def test_a_script_in_a_page_never_reaches_the_html(client, people, draft):
    section = draft.sections.get()
    client.force_login(people["designer"])

    client.post(
        reverse("parcours:activity_add", args=[section.pk, "page"]),
        {
            "title": "Piège",
            "body": '<p>Bonjour</p><script>alert("x")</script><img src=x onerror="alert(1)">',
        },
    )

    page = client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    assert "<p>Bonjour</p>" in page
    assert 'alert("x")' not in page
    assert "onerror" not in page


def test_an_upload_of_a_forbidden_type_is_refused(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:activity_add", args=[draft.sections.get().pk, "file"]),
        {"title": "Programme", "file": SimpleUploadedFile("virus.exe", b"MZ")},
    )

    assert response.status_code == 200
    assert "Type de fichier non accepté (.exe)" in response.content.decode()
    assert not Activity.objects.filter(kind="file").exists()


def test_an_upload_over_the_size_limit_is_refused(client, people, draft, settings):
    settings.PREAU_UPLOAD_MAX_BYTES = 10
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:activity_add", args=[draft.sections.get().pk, "file"]),
        {"title": "Programme", "file": SimpleUploadedFile("gros.pdf", b"%PDF-" + b"x" * 20)},
    )

    assert response.status_code == 200
    assert "Fichier trop volumineux" in response.content.decode()
    assert "la limite est de 10\xa0octets" in response.content.decode()


def test_subtitles_must_be_webvtt_or_subrip(client, people, draft):
    client.force_login(people["designer"])

    response = client.post(
        reverse("parcours:activity_add", args=[draft.sections.get().pk, "link"]),
        {
            "title": "Vidéo",
            "url": "https://www.example.org/v.mp4",
            "subtitles": SimpleUploadedFile("sous-titres.pdf", b"x"),
        },
    )

    assert "Type de fichier non accepté (.pdf)" in response.content.decode()


def test_an_activity_is_edited_moved_and_deleted(client, people, draft):
    section = draft.sections.get()
    first = section.activities.get()
    second = factories.ActivityFactory(section=section, title="Deuxième")
    client.force_login(people["designer"])

    client.post(
        reverse("parcours:activity_edit", args=[second.pk]),
        {"title": "Synthèse", "body": "<p>Résumé</p>"},
    )
    client.post(reverse("parcours:activity_move", args=[second.pk]), {"direction": "up"})
    assert [a.title for a in section.activities.all()] == ["Synthèse", first.title]

    confirmation = client.get(reverse("parcours:activity_delete", args=[second.pk]))
    assert "Supprimer l’activité « Synthèse »" in confirmation.content.decode()
    client.post(reverse("parcours:activity_delete", args=[second.pk]))
    assert list(section.activities.all()) == [first]


def test_the_content_of_a_published_parcours_is_frozen(client, people, published):
    section = published.sections.get()
    activity = section.activities.get()
    client.force_login(people["designer"])

    responses = [
        client.get(reverse("parcours:content", args=[published.pk])),
        client.post(reverse("parcours:section_add", args=[published.pk]), {"title": "Nouvelle"}),
        client.post(reverse("parcours:section_move", args=[section.pk]), {"direction": "down"}),
        client.post(reverse("parcours:section_delete", args=[section.pk])),
        client.post(
            reverse("parcours:activity_edit", args=[activity.pk]),
            {"title": "Changé", "body": "<p>Changé</p>"},
        ),
        client.post(reverse("parcours:activity_delete", args=[activity.pk])),
    ]

    detail = reverse("parcours:detail", args=[published.pk])
    assert all(r.status_code == 302 and r["Location"] == detail for r in responses)
    assert published.sections.get().activities.get().title == activity.title


def test_the_content_editor_costs_the_same_queries_with_ten_times_more_sections(
    client, people, draft, count_queries
):
    client.force_login(people["designer"])
    expected = [
        SESSION,
        USER,
        ROLES,
        BELL,
        "the parcours with rights",
        "its sections",
        "their activities",
    ]
    for count in (2, 20):
        for section in factories.SectionFactory.create_batch(count, parcours=draft):
            factories.ActivityFactory.create_batch(3, section=section)
        with count_queries() as ran:
            response = client.get(reverse("parcours:content", args=[draft.pk]))
        assert response.status_code == 200
        assert len(ran) == len(expected), ran.sql()


# Lifecycle actions ----------------------------------------------------------------------------


def test_an_incomplete_parcours_is_not_submitted_and_the_designer_is_told_why(client, people):
    parcours = factories.ParcoursFactory(title="Brouillon", designers=[people["designer"]])
    client.force_login(people["designer"])

    response = client.post(reverse("parcours:submit", args=[parcours.pk]), follow=True)

    page = response.content.decode()
    assert "Le parcours n’a pas été soumis :" in page
    assert "Renseignez les objectifs." in page
    parcours.refresh_from_db()
    assert parcours.status == Status.CONSTRUCTION


def test_a_complete_parcours_is_submitted(client, people, draft):
    client.force_login(people["designer"])

    client.post(reverse("parcours:submit", args=[draft.pk]))

    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_a_designer_duplicates_a_published_parcours_of_a_colleague(client, people, published):
    client.force_login(people["colleague"])

    response = client.post(reverse("parcours:duplicate", args=[published.pk]))

    copy = Parcours.objects.exclude(pk=published.pk).get()
    assert response["Location"] == reverse("parcours:detail", args=[copy.pk])
    assert list(copy.designers.all()) == [people["colleague"]]
    assert copy.status == Status.CONSTRUCTION


def test_a_trainer_may_not_duplicate(client, people, published):
    client.force_login(people["trainer"])

    assert client.post(reverse("parcours:duplicate", args=[published.pk])).status_code == 403


def test_a_new_version_opens_as_a_draft_of_the_same_lineage(client, people, published):
    client.force_login(people["designer"])

    response = client.post(reverse("parcours:new_version", args=[published.pk]))

    draft = Parcours.objects.get(version="2.0")
    assert response["Location"] == reverse("parcours:detail", args=[draft.pk])
    assert draft.lineage_id == published.lineage_id
    page = client.get(response["Location"]).content.decode()
    assert "Autres versions" in page


def test_archiving_asks_for_confirmation(client, people, published):
    client.force_login(people["designer"])
    url = reverse("parcours:archive", args=[published.pk])

    confirmation = client.get(url)
    assert "Archiver le parcours" in confirmation.content.decode()
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED

    client.post(url)
    published.refresh_from_db()
    assert published.status == Status.ARCHIVED
    assert published.events.first().action == Event.Action.ARCHIVED
