"""The lifecycle rules of a parcours, at the service level: what may be saved, submitted,
published, copied, and what is frozen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from preau.parcours import services
from preau.parcours.activities import get_kind
from preau.parcours.models import (
    Activity,
    Event,
    OpenAccessMembership,
    Origin,
    Parcours,
    Section,
    Status,
)
from tests import factories

pytestmark = pytest.mark.date_sensitive  # today decides the matricule's year

YY = f"{timezone.localdate().year % 100:02d}"


def _page_form(section, body="<p>Bonjour</p>", title="Page"):
    spec = get_kind("page")
    return spec.form_class(
        {"title": title, "body": body}, instance=Activity(section=section, kind="page")
    )


# Drafts and submission ----------------------------------------------------------------------


def test_a_draft_saves_with_only_its_title(people, normandie):
    parcours = services.create_parcours(by=people["designer"], title="  Brouillon  ")

    services.update_indexation(
        parcours=parcours, by=people["designer"], data={"rhythm": "Libre"}, audiences=[]
    )

    parcours.refresh_from_db()
    assert parcours.title == "Brouillon"
    assert parcours.status == Status.CONSTRUCTION
    assert list(parcours.designers.all()) == [people["designer"]]
    assert parcours.events.get().action == Event.Action.CREATED


def test_a_parcours_needs_a_title(people):
    with pytest.raises(ValidationError):
        services.create_parcours(by=people["designer"], title="   ")


def test_missing_fields_block_the_submission_and_are_listed_in_french(people):
    parcours = services.create_parcours(by=people["designer"], title="Incomplet")

    with pytest.raises(ValidationError) as raised:
        services.submit_for_review(parcours=parcours, by=people["designer"])

    messages = raised.value.messages
    assert "Renseignez le titre court." in messages
    assert "Choisissez au moins un public visé." in messages
    assert "Indiquez la durée annoncée (3, 6 ou 9 h)." in messages
    assert "Ajoutez au moins une section contenant une activité." in messages
    parcours.refresh_from_db()
    assert parcours.status == Status.CONSTRUCTION


def test_a_complete_draft_goes_to_review(people, draft):
    services.submit_for_review(parcours=draft, by=people["designer"])

    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    event = draft.events.get(action=Event.Action.SUBMITTED)
    assert (event.actor, event.from_status, event.to_status) == (
        people["designer"],
        Status.CONSTRUCTION,
        Status.REVIEW,
    )


def test_presence_plus_distance_must_equal_the_duration_at_submission(people, draft):
    draft.presence_hours, draft.distance_hours = Decimal(2), Decimal(2)
    draft.save()

    with pytest.raises(ValidationError) as raised:
        services.submit_for_review(parcours=draft, by=people["designer"])

    assert raised.value.messages == [
        "Présence (2 h) + distance (2 h) doit être égal à la durée annoncée (3 h)."
    ]


def test_an_unusual_duration_warns_but_does_not_block_a_local_parcours(people, draft):
    draft.duration_hours, draft.presence_hours, draft.distance_hours = (
        Decimal("4.5"),
        Decimal("1.5"),
        Decimal(3),
    )
    draft.save()

    assert services.duration_warnings(draft) == [
        "Durée inhabituelle (4,5 h) : les parcours durent d’ordinaire 3, 6 ou 9 h. "
        "C’est possible pour un parcours local."
    ]
    submitted = services.submit_for_review(parcours=draft, by=people["designer"])
    assert submitted.status == Status.REVIEW


def test_a_national_parcours_lasts_3_6_or_9_hours(people, draft):
    draft.origin = Origin.NATIONAL
    draft.duration_hours, draft.presence_hours, draft.distance_hours = (
        Decimal(4),
        Decimal(1),
        Decimal(3),
    )
    draft.save()

    assert "Un parcours national dure 3, 6 ou 9 h." in services.missing_for_review(draft)


def test_a_thumbnail_needs_an_alternative_text(people, draft):
    draft.thumbnail.save("vignette.png", ContentFile(b"png"), save=True)

    assert "Décrivez la vignette par un texte alternatif." in services.missing_for_review(draft)


# Review and publication ---------------------------------------------------------------------


def test_the_matricule_reads_year_origin_short_title_and_version(people, in_review):
    services.approve(parcours=in_review, by=people["reviewer"])

    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED
    assert in_review.matricule == f"{YY}_A070_LIRECP_1.0"
    assert in_review.published_at is not None
    assert "(inspection)" in in_review.validated_by
    assert list(in_review.events.values_list("action", flat=True)[:2]) == [
        Event.Action.PUBLISHED,
        Event.Action.APPROVED,
    ]


@pytest.mark.parametrize(
    ("origin", "code"),
    [
        (Origin.NATIONAL, "NAT"),
        (Origin.ESPE, "ESPE"),
        (Origin.SHARED, "MUT"),
        (Origin.DEPARTEMENT, "D014"),
    ],
)
def test_the_matricule_names_the_origin(territory, origin, code):
    parcours = factories.ParcoursFactory.build(
        short_title="ALGOCODAGE", origin=origin, departement=territory["calvados"], version="2.0"
    )

    assert services.build_matricule(parcours, 2016) == f"16_{code}_ALGOCODAGE_2.0"


def test_a_taken_matricule_is_refused_and_the_parcours_stays_in_review(people, normandie):
    factories.ParcoursFactory(
        published=True,
        academie=normandie,
        short_title="ALGO",
        matricule=f"{YY}_A070_ALGO_1.0",
    )
    twin = factories.ParcoursFactory(in_review=True, academie=normandie, short_title="ALGO")

    with pytest.raises(ValidationError) as raised:
        services.approve(parcours=twin, by=people["reviewer"])

    assert raised.value.messages == [
        f"Le matricule {YY}_A070_ALGO_1.0 existe déjà : changez le titre court avant de publier."
    ]
    twin.refresh_from_db()
    assert (twin.status, twin.matricule) == (Status.REVIEW, None)
    assert not twin.events.filter(action=Event.Action.APPROVED).exists()


def test_sending_back_needs_a_comment(people, in_review):
    with pytest.raises(ValidationError):
        services.request_changes(parcours=in_review, by=people["reviewer"], comment="  ")

    services.request_changes(
        parcours=in_review, by=people["reviewer"], comment="Précisez les objectifs."
    )
    in_review.refresh_from_db()
    assert in_review.status == Status.CONSTRUCTION
    assert in_review.events.first().comment == "Précisez les objectifs."


def test_a_university_reviewer_approves_without_publishing_nor_sending_back(people, in_review):
    services.approve(parcours=in_review, by=people["university"], comment="Solide.")

    in_review.refresh_from_db()
    assert (in_review.status, in_review.university_approved) == (Status.REVIEW, True)
    assert "(université)" in in_review.validated_by
    with pytest.raises(PermissionDenied):
        services.request_changes(parcours=in_review, by=people["university"], comment="Non.")


def test_only_reviewers_approve(people, in_review):
    with pytest.raises(PermissionDenied):
        services.approve(parcours=in_review, by=people["designer"])


def test_a_reviewer_who_designed_the_parcours_cannot_review_it(people, in_review):
    reviewer = people["reviewer"]
    in_review.designers.add(reviewer)

    with pytest.raises(ValidationError) as raised:
        services.approve(parcours=in_review, by=reviewer)
    assert raised.value.messages == [
        "Vous êtes concepteur de ce parcours : un autre relecteur doit l’examiner."
    ]
    with pytest.raises(ValidationError):
        services.request_changes(parcours=in_review, by=reviewer, comment="À reprendre.")
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_only_the_editorial_committee_labels(people, published):
    with pytest.raises(PermissionDenied):
        services.set_national_label(parcours=published, by=people["reviewer"], granted=True)

    services.set_national_label(
        parcours=published, by=people["editorial"], granted=True, comment="Exemplaire."
    )
    published.refresh_from_db()
    assert published.national_label
    assert published.events.first().action == Event.Action.LABELLED


def test_only_a_published_parcours_is_archived(people, draft, published):
    with pytest.raises(ValidationError):
        services.archive(parcours=draft, by=people["designer"])

    services.archive(parcours=published, by=people["designer"])
    assert published.status == Status.ARCHIVED


# Versions and copies ------------------------------------------------------------------------


def test_a_new_version_keeps_the_lineage_and_archives_the_previous_at_publication(
    people, published
):
    services.set_national_label(parcours=published, by=people["editorial"], granted=True)
    version_2 = services.create_new_version(parcours=published, by=people["designer"])

    assert (version_2.lineage_id, version_2.derived_from) == (published.lineage_id, published)
    assert (version_2.version, version_2.status, version_2.matricule) == (
        "2.0",
        Status.CONSTRUCTION,
        None,
    )
    assert version_2.sections.count() == published.sections.count()
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED  # readable until the new one is published

    services.submit_for_review(parcours=version_2, by=people["designer"])
    services.approve(parcours=version_2, by=people["reviewer"])

    published.refresh_from_db()
    version_2.refresh_from_db()
    assert published.status == Status.ARCHIVED
    assert version_2.matricule == f"{YY}_A070_NUMMAT_2.0"
    assert version_2.national_label  # the label follows the parcours
    assert published.events.first().comment == "Remplacé par la version 2.0"


def test_one_new_version_at_a_time(people, published):
    services.create_new_version(parcours=published, by=people["designer"])

    with pytest.raises(ValidationError):
        services.create_new_version(parcours=published, by=people["designer"])


def test_a_duplicate_copies_content_and_files_without_user_data(people, published, normandie):
    section = published.sections.get()
    attached = factories.ActivityFactory(section=section, with_file=True)
    published.thumbnail.save("vignette.png", ContentFile(b"image"), save=False)
    published.thumbnail_alt = "Des enfants devant une tablette"
    published.national_label = published.university_approved = True
    published.validated_by = "Inspection"
    published.save()
    OpenAccessMembership.objects.create(parcours=published, user=people["teacher"])

    copy = services.duplicate_parcours(
        parcours=published, by=people["colleague"], academie=normandie
    )

    assert copy.lineage_id != published.lineage_id
    assert (copy.status, copy.matricule, copy.version) == (Status.CONSTRUCTION, None, "1.0")
    assert (copy.national_label, copy.university_approved, copy.validated_by) == (False, False, "")
    assert copy.title == f"Copie de {published.title}"
    assert list(copy.designers.all()) == [people["colleague"]]
    assert not copy.members.exists()
    assert list(copy.events.values_list("action", flat=True)) == [Event.Action.DUPLICATED]
    assert copy.audience_codes == published.audience_codes
    copied_file = Activity.objects.get(section__parcours=copy, kind="file").file
    assert copied_file.name != attached.file.name
    with copied_file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 test"
    assert copy.thumbnail.name != published.thumbnail.name
    with copy.thumbnail.open("rb") as handle:
        assert handle.read() == b"image"
    assert [s.title for s in copy.sections.all()] == [section.title]


def test_a_copy_belongs_to_the_academie_of_who_duplicates(people, besancon):
    elsewhere = factories.ParcoursFactory(labelled=True, academie=besancon)

    copy = services.duplicate_parcours(
        parcours=elsewhere, by=people["designer"], academie=people["designer"].roles.get().academie
    )

    assert copy.academie.code == "A070"


def test_creating_from_a_template_copies_it_into_the_designers_academie(
    people, normandie, besancon
):
    template = factories.ParcoursFactory(template=True, complete=True, academie=besancon)

    parcours = services.create_parcours(
        by=people["designer"], title="Mon parcours", academie=normandie, template=template
    )

    assert (parcours.title, parcours.academie, parcours.status) == (
        "Mon parcours",
        normandie,
        Status.CONSTRUCTION,
    )
    assert parcours.objectives == template.objectives
    assert parcours.derived_from == template
    assert Activity.objects.filter(section__parcours=parcours).count() == 1
    assert "gabarit" in parcours.events.get().comment


def test_only_a_template_is_a_starting_point(people, published):
    with pytest.raises(ValidationError):
        services.create_parcours(by=people["designer"], title="X", template=published)


# Frozen content -------------------------------------------------------------------------------


def test_a_published_parcours_is_frozen(people, published):
    section = published.sections.get()
    activity = section.activities.get()

    attempts = [
        lambda: services.update_indexation(
            parcours=published, by=people["designer"], data={"title": "Autre"}, audiences=[]
        ),
        lambda: services.add_section(parcours=published, title="Nouvelle"),
        lambda: services.rename_section(section=section, title="Autre"),
        lambda: services.delete_section(section=section),
        lambda: services.save_activity(form=_page_form(section), section=section, kind="page"),
        lambda: services.delete_activity(activity=activity),
        lambda: services.move(item=section, direction=1),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="figé"):
            attempt()
    published.refresh_from_db()
    assert published.title == "Le numérique en maternelle"
    assert published.sections.count() == 1


def test_a_parcours_in_review_is_frozen_until_sent_back(people, in_review):
    with pytest.raises(ValidationError, match="en relecture"):
        services.add_section(parcours=in_review, title="Nouvelle")


# Content --------------------------------------------------------------------------------------


def test_sections_move_up_and_down(people, draft):
    first = draft.sections.get()
    second = services.add_section(parcours=draft, title="Deux")
    third = services.add_section(parcours=draft, title="Trois")

    services.move(item=third, direction=-1)
    assert list(draft.sections.all()) == [first, third, second]
    services.move(item=first, direction=-1)  # already at the top: nothing moves
    assert list(draft.sections.all()) == [first, third, second]


def test_a_page_body_is_sanitised(draft):
    form = _page_form(
        draft.sections.get(), body='<p onclick="x()">Texte</p><script>alert(1)</script>'
    )

    assert form.is_valid()
    activity = services.save_activity(form=form, section=draft.sections.get(), kind="page")
    assert activity.body == "<p>Texte</p>"


def test_deleting_an_activity_removes_its_file(draft, django_capture_on_commit_callbacks):
    activity = factories.ActivityFactory(section=draft.sections.get(), with_file=True)
    storage, name = activity.file.storage, activity.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_activity(activity=activity)

    assert not storage.exists(name)


def test_deleting_a_section_removes_its_activities(draft, django_capture_on_commit_callbacks):
    section = draft.sections.get()
    attached = factories.ActivityFactory(section=section, with_file=True)
    name = attached.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_section(section=section)

    assert not Section.objects.filter(pk=section.pk).exists()
    assert not Activity.objects.filter(section_id=section.pk).exists()
    assert not attached.file.storage.exists(name)


def test_submission_refuses_a_parcours_not_in_construction(people, published):
    with pytest.raises(ValidationError):
        services.submit_for_review(parcours=published, by=people["designer"])
    assert Parcours.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_a_reviewer_does_not_find_their_own_parcours_in_their_queue(people, in_review):
    from preau.parcours.selectors import review_queue

    assert in_review in review_queue(people["reviewer"])
    in_review.designers.add(people["reviewer"])
    assert in_review not in review_queue(people["reviewer"])


def test_the_editor_title_becomes_a_third_level_heading_and_script_is_removed():
    from preau.parcours.sanitize import clean_html

    assert clean_html("<h1>Titre</h1><div>Du <strong>gras</strong><script>x()</script></div>") == (
        "<h3>Titre</h3><div>Du <strong>gras</strong></div>"
    )
