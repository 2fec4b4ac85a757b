"""Trainers adapt their session's own copy of the content, with the parcours editor; the
source parcours never changes, and a closed or archived session's content is frozen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.parcours.models import Activity, Parcours, Section, Status
from preau.training.models import SessionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"training:{name}", args=args)


def content_of(parcours) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Sections in order, each with its activities in order: (kind, title, body)."""
    return [
        (
            section.title,
            [(a.kind, a.title, a.body) for a in section.activities.order_by("position")],
        )
        for section in Section.objects.filter(parcours=parcours).order_by("position", "pk")
    ]


@pytest.fixture
def source(territory):
    """A published parcours of two sections: "Découvrir" (two pages) and "Pratiquer"."""
    parcours = factories.ParcoursFactory(published=True, academie=territory["academie"])
    parcours.sections.update(title="Découvrir", position=1)
    first = parcours.sections.get()
    first.activities.update(position=1)
    factories.ActivityFactory(section=first, title="Lire l’article", position=5)
    practise = factories.SectionFactory(parcours=parcours, title="Pratiquer", position=10)
    factories.ActivityFactory(section=practise, title="Essayer en classe", link=True)
    return parcours


@pytest.fixture
def session(territory, cast, source):
    return factories.TrainingSessionFactory(
        source=source, circonscription=territory["caen"], trainers=[cast["trainer"]]
    )


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


def test_the_session_starts_with_a_copy_of_the_source_content(source, session):
    assert session.content.status == Status.SESSION_COPY
    assert content_of(session.content) == content_of(source)
    assert not Parcours.objects.filter(pk=session.content.pk).exists()  # hidden from catalogues


def test_adapting_every_part_of_the_content_leaves_the_source_untouched(
    trainer_client, source, session
):
    before = content_of(source)
    source_activities = set(Activity.objects.filter(section__parcours=source).values_list("pk"))
    copy = session.content
    discover, practise = copy.sections.order_by("position")
    read = discover.activities.get(title="Lire l’article")

    # Sections: add, rename, move, delete.
    response = trainer_client.post(url("manage_section_add", session.pk), {"title": "Bilan"})
    assert response.status_code == 302
    bilan = copy.sections.get(title="Bilan")
    trainer_client.post(url("manage_section_rename", discover.pk), {"title": "Découvrir ensemble"})
    trainer_client.post(url("manage_section_move", bilan.pk), {"direction": "up"})
    trainer_client.post(url("manage_section_delete", practise.pk))
    # Activities: add (a page and a file), edit, move, delete.
    trainer_client.post(
        url("manage_activity_add", bilan.pk, "page"),
        {"title": "Questionnaire", "body": "<p>Vos impressions ?</p>"},
    )
    trainer_client.post(
        url("manage_activity_add", bilan.pk, "file"),
        {"title": "Programme", "file": SimpleUploadedFile("programme.pdf", b"%PDF-1.4 test")},
    )
    trainer_client.post(
        url("manage_activity_edit", read.pk), {"title": "Lire et discuter", "body": "<p>Lu</p>"}
    )
    trainer_client.post(url("manage_activity_move", read.pk), {"direction": "up"})
    first_page = discover.activities.exclude(pk=read.pk).get()
    trainer_client.post(url("manage_activity_delete", first_page.pk))

    assert content_of(copy) == [
        ("Découvrir ensemble", [("page", "Lire et discuter", "<p>Lu</p>")]),
        (
            "Bilan",
            [("page", "Questionnaire", "<p>Vos impressions ?</p>"), ("file", "Programme", "")],
        ),
    ]
    assert content_of(source) == before
    assert set(Activity.objects.filter(section__parcours=source).values_list("pk")) == (
        source_activities
    )
    source.refresh_from_db()
    assert source.status == Status.PUBLISHED


def test_editor_shows_the_copy_and_points_its_tools_at_the_session(trainer_client, source, session):
    response = trainer_client.get(url("manage_content", session.pk))
    page = response.content.decode()
    section = session.content.sections.order_by("position").first()

    assert response.status_code == 200
    assert "Le parcours d’origine ne change pas." in page
    assert url("manage_section_rename", section.pk) in page
    assert url("manage_section_add", session.pk) in page
    assert reverse("parcours:section_rename", args=[section.pk]) not in page


def test_htmx_requests_get_the_editor_fragment_only(trainer_client, session):
    section = session.content.sections.order_by("position").first()
    response = trainer_client.post(
        url("manage_section_move", section.pk),
        {"direction": "down"},
        headers={"HX-Request": "true"},
        follow=True,
    )
    page = response.content.decode()
    assert '<div id="content-editor">' in page
    assert "<html" not in page
    assert "descend d’un cran" in page


@pytest.mark.parametrize("data", [{"title": "   "}, {}])
def test_a_section_needs_a_title(trainer_client, session, data):
    response = trainer_client.post(url("manage_section_add", session.pk), data)
    assert response.status_code == 200
    assert "Donnez un titre à la section." in response.content.decode()
    assert session.content.sections.count() == 2


def test_bad_activity_kind_or_direction_is_a_bad_request(trainer_client, session):
    section = session.content.sections.first()
    assert trainer_client.get(url("manage_activity_add", section.pk, "quiz")).status_code == 400
    response = trainer_client.post(url("manage_section_move", section.pk), {"direction": "left"})
    assert response.status_code == 400


def test_an_empty_page_is_refused(trainer_client, session):
    section = session.content.sections.first()
    response = trainer_client.post(
        url("manage_activity_add", section.pk, "page"),
        {"title": "Vide", "body": "<script></script>"},
    )
    assert "La page est vide." in response.content.decode()
    assert not section.activities.filter(title="Vide").exists()


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_the_content_of_a_closed_or_archived_session_is_frozen(trainer_client, session, status):
    session.status = status
    session.save()
    before = content_of(session.content)
    section = session.content.sections.order_by("position").first()
    activity = section.activities.first()

    response = trainer_client.get(url("manage_content", session.pk), follow=True)
    assert "son contenu ne peut plus être adapté" in response.content.decode()
    trainer_client.post(url("manage_section_add", session.pk), {"title": "Tard"})
    trainer_client.post(url("manage_section_rename", section.pk), {"title": "Tard"})
    trainer_client.post(url("manage_section_move", section.pk), {"direction": "down"})
    trainer_client.post(url("manage_section_delete", section.pk))
    trainer_client.post(url("manage_activity_add", section.pk, "page"), {"title": "T", "body": "x"})
    trainer_client.post(url("manage_activity_edit", activity.pk), {"title": "T", "body": "x"})
    trainer_client.post(url("manage_activity_delete", activity.pk))

    assert content_of(session.content) == before
