"""The offre de formation of teachers (for now the open-access modules): finding a module,
joining it (with its key when it has one), reading it, leaving it; and what it costs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from preau.parcours import services
from preau.parcours.access import parcours_visible_to
from preau.parcours.models import (
    Activity,
    Audience,
    Domain,
    Lineage,
    OpenAccessMembership,
    Origin,
    Parcours,
    Section,
    Status,
    TargetAudience,
)
from preau.parcours.selectors import my_open_access_modules
from tests import factories

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
FORMATION = reverse("parcours:formation")


def module_url(parcours: Parcours, name: str = "module") -> str:
    return reverse(f"parcours:{name}", args=[parcours.pk])


def open_module(**fields) -> Parcours:
    return factories.ParcoursFactory(open_access_module=True, **fields)


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


def is_member(user, parcours) -> bool:
    return OpenAccessMembership.objects.filter(user=user, parcours=parcours).exists()


@pytest.fixture
def teacher(cast):
    return cast["teacher"]


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


# The offre de formation ------------------------------------------------------------------


def test_formation_lists_published_open_access_modules_only(teacher_client, territory):
    open_module(title="Module ouvert")
    open_module(title="Module d’une autre académie", academie=factories.AcademieFactory())
    factories.ParcoursFactory(published=True, title="Publié, pas en libre accès")
    factories.ParcoursFactory(complete=True, open_access=True, title="Brouillon ouvert")
    factories.ParcoursFactory(in_review=True, open_access=True, title="En relecture ouvert")
    factories.ParcoursFactory(archived=True, open_access=True, title="Archivé ouvert")

    response = teacher_client.get(FORMATION)

    assert response.status_code == 200
    assert titles(response) == ["Module d’une autre académie", "Module ouvert"]
    content = response.content.decode()
    for hidden in ["Publié, pas en libre accès", "Brouillon ouvert", "Archivé ouvert"]:
        assert hidden not in content


def test_formation_filters_like_the_offre_de_parcours(teacher_client):
    open_module(title="Court", duration_hours=Decimal(2), domain=Domain.ARTS)
    open_module(title="Long", duration_hours=Decimal(9), domain=Domain.ARTS)
    open_module(title="Autre domaine", duration_hours=Decimal(9), audiences=[Audience.CYCLE_1])

    assert titles(teacher_client.get(FORMATION, {"duration": "6-9", "domain": "arts"})) == ["Long"]
    assert titles(teacher_client.get(FORMATION, {"audience": Audience.CYCLE_1})) == [
        "Autre domaine"
    ]
    assert titles(teacher_client.get(FORMATION, {"origin": Origin.NATIONAL})) == []


def test_formation_offers_to_join_or_to_leave_each_module(teacher_client, teacher):
    joined = open_module(title="Déjà suivi")
    services.join_open_access(parcours=joined, user=teacher)
    free = open_module(title="Sans clé")
    keyed = open_module(title="Avec clé", enrolment_key="PRINTEMPS")

    content = teacher_client.get(FORMATION).content.decode()

    assert f'href="{module_url(joined, "module_leave")}"' in content
    assert f'action="{module_url(joined, "module_join")}"' not in content
    assert f'action="{module_url(free, "module_join")}"' in content
    assert f'action="{module_url(keyed, "module_join")}"' in content
    assert f'id="module-{keyed.pk}-key"' in content
    assert f'id="module-{free.pk}-key"' not in content
    assert "PRINTEMPS" not in content


def test_formation_says_when_there_is_no_module_and_when_nothing_matches(teacher_client):
    assert "Aucun module en libre accès pour le moment" in (
        teacher_client.get(FORMATION).content.decode()
    )
    open_module(domain=Domain.ARTS)
    content = teacher_client.get(FORMATION, {"domain": Domain.EPS}).content.decode()
    assert "Aucun module ne correspond à votre recherche" in content
    assert "Élargissez la recherche" in content


def test_formation_results_fragment_for_htmx(teacher_client):
    open_module(title="Module ouvert")

    content = teacher_client.get(FORMATION, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in content
    assert "Module ouvert" in content


@pytest.mark.parametrize("member", ["trainer", "nobody"])
def test_open_access_modules_are_open_to_every_signed_in_person(client, cast, member):
    parcours = open_module(title="Module ouvert")
    client.force_login(cast[member])

    assert titles(client.get(FORMATION)) == ["Module ouvert"]
    assert client.get(module_url(parcours)).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    parcours = open_module()

    for url in [FORMATION, module_url(parcours)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# Joining ---------------------------------------------------------------------------------


def test_teacher_joins_a_module_in_one_click(teacher_client, teacher):
    parcours = open_module(title="Module ouvert")

    response = teacher_client.post(module_url(parcours, "module_join"), follow=True)

    assert response.redirect_chain == [(module_url(parcours), 302)]
    assert is_member(teacher, parcours)
    assert "Vous avez rejoint le module « Module ouvert »." in response.content.decode()


def test_joining_twice_keeps_one_membership(teacher_client, teacher):
    parcours = open_module()

    for _ in range(2):
        response = teacher_client.post(module_url(parcours, "module_join"))
        assert response.status_code == 302
    services.join_open_access(parcours=parcours, user=teacher)

    assert OpenAccessMembership.objects.filter(user=teacher, parcours=parcours).count() == 1


def test_a_member_posting_the_join_form_again_needs_no_key(teacher_client, teacher):
    parcours = open_module(enrolment_key="PRINTEMPS")
    services.join_open_access(parcours=parcours, user=teacher, key="PRINTEMPS")

    response = teacher_client.post(module_url(parcours, "module_join"), {"key": ""})

    assert response.status_code == 302
    assert is_member(teacher, parcours)


def test_teacher_joins_a_keyed_module_with_its_key(teacher_client, teacher):
    parcours = open_module(enrolment_key="PRINTEMPS")

    response = teacher_client.post(module_url(parcours, "module_join"), {"key": " PRINTEMPS "})

    assert response.status_code == 302
    assert is_member(teacher, parcours)


@pytest.mark.parametrize(
    ("key", "error"),
    [
        ("AUTOMNE", "Clé d’inscription incorrecte."),
        ("", "Saisissez la clé d’inscription de ce module."),
    ],
)
def test_a_wrong_or_missing_key_is_refused_in_french_and_changes_nothing(
    teacher_client, teacher, key, error
):
    parcours = open_module(enrolment_key="PRINTEMPS")

    response = teacher_client.post(module_url(parcours, "module_join"), {"key": key})

    assert response.status_code == 200
    content = response.content.decode()
    assert error in content
    assert "fr-input-group--error" in content
    assert "PRINTEMPS" not in content
    assert not OpenAccessMembership.objects.exists()


@pytest.mark.parametrize(
    "traits",
    [
        {"published": True},  # published, not open access
        {"complete": True, "open_access": True},  # a draft flagged open access
        {"in_review": True, "open_access": True},
        {"archived": True, "open_access": True},
    ],
    ids=["not open access", "draft", "in review", "archived"],
)
def test_teacher_cannot_join_what_is_not_a_published_open_access_module(
    teacher_client, teacher, traits
):
    parcours = factories.ParcoursFactory(**traits)

    assert teacher_client.post(module_url(parcours, "module_join")).status_code == 404
    assert teacher_client.get(module_url(parcours)).status_code == 404
    with pytest.raises(ValidationError):
        services.join_open_access(parcours=parcours, user=teacher)
    assert not OpenAccessMembership.objects.exists()


def test_joining_needs_a_post(teacher_client):
    parcours = open_module()

    assert teacher_client.get(module_url(parcours, "module_join")).status_code == 405


# Leaving ---------------------------------------------------------------------------------


def test_teacher_leaves_a_module_after_confirming(teacher_client, teacher):
    parcours = open_module(title="Module ouvert")
    services.join_open_access(parcours=parcours, user=teacher)

    confirmation = teacher_client.get(module_url(parcours, "module_leave"))
    assert is_member(teacher, parcours)
    assert "Quitter le module « Module ouvert » ?" in confirmation.content.decode()

    response = teacher_client.post(module_url(parcours, "module_leave"), follow=True)

    assert response.redirect_chain == [(FORMATION, 302)]
    assert not is_member(teacher, parcours)
    assert "Vous avez quitté le module « Module ouvert »." in response.content.decode()


def test_leaving_a_module_one_did_not_join_changes_nothing(teacher_client, teacher, cast):
    parcours = open_module()
    services.join_open_access(parcours=parcours, user=cast["trainer"])

    assert teacher_client.get(module_url(parcours, "module_leave")).status_code == 302
    assert teacher_client.post(module_url(parcours, "module_leave")).status_code == 302
    assert is_member(cast["trainer"], parcours)


# The module page -------------------------------------------------------------------------


@pytest.fixture
def module_with_content():
    parcours = open_module(title="Module ouvert", description="Pour approfondir.")
    section = factories.SectionFactory(parcours=parcours, title="Pour aller plus loin")
    factories.ActivityFactory(section=section, title="Lire", body="<p>Un texte à lire.</p>")
    factories.ActivityFactory(section=section, trainer_note=True, title="Note cachée")
    return parcours


def test_member_reads_the_content_without_the_trainer_notes(
    teacher_client, teacher, module_with_content
):
    services.join_open_access(parcours=module_with_content, user=teacher)

    content = teacher_client.get(module_url(module_with_content)).content.decode()

    assert "Pour aller plus loin" in content
    assert "Un texte à lire." in content
    assert "Note cachée" not in content
    assert "Prévoir 20 minutes d’échanges." not in content
    assert f'href="{module_url(module_with_content, "module_leave")}"' in content


def test_non_member_sees_the_presentation_and_the_join_button_but_not_the_content(
    teacher_client, module_with_content
):
    content = teacher_client.get(module_url(module_with_content)).content.decode()

    assert "Pour approfondir." in content
    assert "Objectifs" in content
    assert f'action="{module_url(module_with_content, "module_join")}"' in content
    assert "Pour aller plus loin" not in content
    assert "Un texte à lire." not in content


def test_a_keyed_module_keeps_its_content_and_files_to_its_members(teacher_client, teacher):
    parcours = open_module(enrolment_key="PRINTEMPS")
    activity = factories.ActivityFactory(section=parcours.sections.get(), with_file=True)
    file_url = reverse("parcours:activity_file", args=[activity.pk, "file"])

    assert not parcours_visible_to(teacher).filter(pk=parcours.pk).exists()
    assert teacher_client.get(file_url).status_code == 404

    services.join_open_access(parcours=parcours, user=teacher, key="PRINTEMPS")

    assert parcours_visible_to(teacher).filter(pk=parcours.pk).exists()
    response = teacher_client.get(file_url)
    assert response.status_code == 200
    # Reading the stream closes the file through the test client, which keeps the database
    # connection open (response.close() would fire request_finished and close it).
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_a_module_without_key_stays_readable_by_every_teacher(teacher):
    parcours = open_module()

    assert parcours_visible_to(teacher).filter(pk=parcours.pk).exists()


def test_my_open_access_modules_are_the_published_ones_i_joined_in_order(teacher, cast):
    first, second, left = open_module(title="B"), open_module(title="A"), open_module()
    for parcours in (first, second, left):
        services.join_open_access(parcours=parcours, user=teacher)
    services.join_open_access(parcours=open_module(), user=cast["trainer"])
    services.leave_open_access(parcours=left, user=teacher)
    services.mark_open_access_done(parcours=second, user=teacher, done=True)

    assert list(my_open_access_modules(teacher)) == [
        {"pk": first.pk, "title": "B", "done": False},
        {"pk": second.pk, "title": "A", "done": True},
    ]


# Query counts ----------------------------------------------------------------------------


def bulk_modules(count: int, *, open_access: bool = True) -> list[Parcours]:
    """`count` published parcours with two audiences each, in three inserts."""
    start = Parcours.objects.count()
    lineages = Lineage.objects.bulk_create(Lineage() for _ in range(count))
    parcours = Parcours.objects.bulk_create(
        Parcours(
            lineage=lineage,
            title=f"Module en nombre {start + i}",
            short_title=f"MOD{start + i}",
            matricule=f"26_MOD_{start + i}_1.0",
            status=Status.PUBLISHED,
            open_access=open_access,
            enrolment_key="CLE" if i % 2 else "",
            objectives="Approfondir.",
            duration_hours=Decimal(3),
            presence_hours=Decimal(0),
            distance_hours=Decimal(3),
            origin=Origin.NATIONAL,
        )
        for i, lineage in enumerate(lineages)
    )
    TargetAudience.objects.bulk_create(
        TargetAudience(parcours=p, audience=code)
        for p in parcours
        for code in (Audience.CYCLE_2, Audience.CYCLE_3)
    )
    return parcours


def bulk_content(parcours: Parcours, sections: int) -> None:
    """`sections` more sections in the parcours, with three activities each."""
    created = Section.objects.bulk_create(
        Section(parcours=parcours, title=f"Section {i}", position=100 + i) for i in range(sections)
    )
    Activity.objects.bulk_create(
        Activity(section=section, kind=kind, title=f"{kind} {section.pk}", body="<p>Texte</p>")
        for section in created
        for kind in ("page", "link", "trainer_note")
    )


@pytest.fixture
def assert_same_queries(count_queries):
    def check(client, url: str, queries: list[str], grow) -> None:
        for count in (10, 100):
            grow(count)
            with count_queries() as ran:
                response = client.get(url)
            assert response.status_code == 200
            expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
            assert len(ran) == len(queries), (
                f"{url} after growing by {count}: {len(ran)} queries instead of "
                f"{len(queries)}.\nExpected:\n{expected}\n\nRan:\n{ran.sql()}"
            )

    return check


def test_formation_costs_seven_queries_whatever_the_number_of_modules(
    teacher_client, teacher, assert_same_queries
):
    def grow(count):
        modules = bulk_modules(count)
        bulk_modules(count, open_access=False)
        OpenAccessMembership.objects.bulk_create(
            OpenAccessMembership(parcours=p, user=teacher) for p in modules[::3]
        )

    assert_same_queries(
        teacher_client,
        FORMATION,
        [
            SESSION,
            USER,
            "count of the modules found (paginator)",
            "page of modules, with their académie and whether the user joined each",
            "audiences of the modules of the page",
            ROLES,  # the navigation, in the header
            BELL,
        ],
        grow,
    )


def test_module_page_of_a_member_costs_eight_queries_whatever_its_size(
    teacher_client, teacher, assert_same_queries
):
    parcours = open_module()
    services.join_open_access(parcours=parcours, user=teacher)

    def grow(count):
        bulk_modules(count)
        bulk_content(parcours, count // 10)

    assert_same_queries(
        teacher_client,
        module_url(parcours),
        [
            SESSION,
            USER,
            "the module, with its académie and whether the user joined it",
            "its audiences",
            ROLES,  # the navigation, in the header
            BELL,
            "its sections",
            "the activities of its sections",
        ],
        grow,
    )


def test_module_page_of_a_visitor_costs_six_queries(teacher_client, assert_same_queries):
    parcours = open_module()

    def grow(count):
        bulk_modules(count)
        bulk_content(parcours, count // 10)

    assert_same_queries(
        teacher_client,
        module_url(parcours),
        [
            SESSION,
            USER,
            "the module, with its académie and whether the user joined it",
            "its audiences",
            ROLES,  # the navigation, in the header
            BELL,
        ],
        grow,
    )
