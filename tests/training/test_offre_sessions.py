"""The sessions of the offre de formation, for teachers: which sessions are offered, what each
card says, the filters, the enrolment forms, and what the page costs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.parcours.models import Audience, Domain, Lineage, Parcours, Status, TargetAudience
from preau.training.models import (
    DistanceWindow,
    Enrolment,
    EnrolmentStatus,
    Meeting,
    TrainingSession,
)
from tests import factories

pytestmark = pytest.mark.django_db

SESSION, USER, ROLES = "session", "user", "roles of the user with their territories"
BELL = "unread notifications of the person (the bell in the header)"
OFFRE = reverse("training:offre")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def offered(territory, **fields) -> TrainingSession:
    """An open session of Caen Nord (Normandie) with self-enrolment, starting in two weeks."""
    fields.setdefault("circonscription", territory["caen"])
    fields.setdefault("start_date", days(14))
    fields.setdefault("self_enrolment", True)
    return factories.TrainingSessionFactory(open=True, **fields)


def titles(response) -> list[str]:
    return [s.title for s in response.context["page"].object_list]


@pytest.fixture
def teacher(cast):
    return cast["teacher"]


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


# What is offered -------------------------------------------------------------------------


def test_offre_lists_the_open_sessions_meant_for_the_teacher_during_their_enrolment_window(
    teacher_client, territory
):
    offered(territory, title="Ouverte, sans dates d’inscription")
    offered(
        territory,
        title="Ouverte, inscriptions jusqu’à aujourd’hui",
        enrolment_opens_on=days(-3),
        enrolment_closes_on=days(0),
    )
    offered(
        territory, title="Du département", circonscription=None, departement=territory["calvados"]
    )
    offered(
        territory,
        title="D’un autre département",
        circonscription=None,
        departement=territory["manche"],
    )
    offered(
        territory,
        title="D’un autre département, ouverte à l’académie",
        circonscription=None,
        departement=territory["manche"],
        self_enrolment_scope="academie",
    )
    offered(territory, title="D’une autre circonscription", circonscription=territory["bayeux"])
    offered(territory, title="Inscriptions pas encore ouvertes", enrolment_opens_on=days(1))
    offered(territory, title="Inscriptions closes", enrolment_closes_on=days(-1))
    offered(territory, title="Sans auto-inscription", self_enrolment=False)
    offered(territory, title="Autre académie", circonscription=factories.CirconscriptionFactory())
    factories.TrainingSessionFactory(
        self_enrolment=True, circonscription=territory["caen"], title="En préparation"
    )
    factories.TrainingSessionFactory(
        closed=True, self_enrolment=True, circonscription=territory["caen"], title="Close"
    )

    response = teacher_client.get(OFFRE)

    assert response.status_code == 200
    assert titles(response) == [
        "Du département",
        "D’un autre département, ouverte à l’académie",
        "Ouverte, inscriptions jusqu’à aujourd’hui",
        "Ouverte, sans dates d’inscription",
    ]
    content = response.content.decode()
    for hidden in ["pas encore ouvertes", "Inscriptions closes", "Sans auto-inscription"]:
        assert hidden not in content
    assert "D’une autre circonscription" not in content
    assert "Autre académie" not in content
    assert "En préparation" not in content


def test_sessions_come_soonest_first(teacher_client, territory):
    offered(territory, title="Plus tard", start_date=days(40))
    offered(territory, title="Bientôt", start_date=days(3))

    assert titles(teacher_client.get(OFFRE)) == ["Bientôt", "Plus tard"]


def test_each_session_says_dates_places_enrolment_window_meetings_and_hours(
    teacher_client, territory
):
    session = offered(
        territory,
        title="Mathématiques au cycle 2",
        capacity=3,
        start_date=datetime.date(2099, 3, 2),
        end_date=datetime.date(2099, 3, 30),
        enrolment_closes_on=datetime.date(2099, 2, 20),
        presence_hours=Decimal(3),
        distance_hours=Decimal("3.5"),
    )
    factories.EnrolmentFactory(session=session)
    factories.EnrolmentFactory(session=session, waiting=True)
    factories.MeetingFactory(
        session=session,
        date=datetime.date(2099, 3, 3),
        place_name="École Jules Ferry",
        address="1 rue de l’École, 14000 Caen",
    )
    factories.MeetingFactory(session=session, virtual=True, date=datetime.date(2099, 3, 17))
    factories.DistanceWindowFactory(session=session, title="Lectures")

    content = teacher_client.get(OFFRE).content.decode()

    assert "du 2 mars 2099 au 30 mars 2099" in content
    assert "2 places restantes sur 3" in content
    assert "ouvertes jusqu’au 20 février 2099" in content
    assert "mardi 3 mars 2099, 09:00–12:00" in content
    assert "École Jules Ferry, 1 rue de l’École, 14000 Caen" in content
    assert "à distance (classe virtuelle)" in content
    assert "Lectures :" in content
    assert "6 h 30 (3 h en présence, 3 h 30 à distance)" in content
    assert "circonscription de Caen Nord" in content


def test_a_full_session_offers_its_waiting_list(teacher_client, territory):
    session = offered(territory, capacity=1)
    factories.EnrolmentFactory(session=session)

    content = teacher_client.get(OFFRE).content.decode()

    assert "complet : liste d’attente" in content
    assert "S’inscrire sur la liste d’attente" in content


def test_a_session_without_capacity_has_no_limit(teacher_client, territory):
    offered(territory, capacity=None)

    assert "sans limite" in teacher_client.get(OFFRE).content.decode()


def test_more_people_enrolled_than_places_is_full_not_negative(teacher_client, territory):
    # The organisers may enrol beyond the capacity (a GAIA list): no negative count shown.
    session = offered(territory, capacity=1)
    factories.EnrolmentFactory.create_batch(2, session=session)
    open_places = offered(territory, capacity=5, title="Avec places")
    factories.EnrolmentFactory(session=open_places)

    response = teacher_client.get(OFFRE)

    places = {s.title: s.places_left for s in response.context["page"].object_list}
    assert places[session.title] == 0 and places["Avec places"] == 4
    assert "complet : liste d’attente" in response.content.decode()


# Filters ---------------------------------------------------------------------------------


def test_full_text_searches_the_source_parcours(teacher_client, territory):
    fractions = factories.ParcoursFactory(
        published=True, title="Enseigner les fractions", keywords="nombres, partages"
    )
    offered(territory, source=fractions, title="Session fractions de Caen")
    offered(territory, title="Autre session")

    assert titles(teacher_client.get(OFFRE, {"q": "fractions"})) == ["Session fractions de Caen"]
    assert titles(teacher_client.get(OFFRE, {"q": "partages"})) == ["Session fractions de Caen"]
    assert titles(teacher_client.get(OFFRE, {"q": "géographie"})) == []


def test_duration_band_is_on_the_hours_the_session_credits(teacher_client, territory):
    offered(territory, title="Trois heures", presence_hours=Decimal(1), distance_hours=Decimal(2))
    offered(territory, title="Neuf heures", presence_hours=Decimal(6), distance_hours=Decimal(3))

    assert titles(teacher_client.get(OFFRE, {"duration": "lt3"})) == []
    assert titles(teacher_client.get(OFFRE, {"duration": "3-6"})) == ["Trois heures"]
    assert titles(teacher_client.get(OFFRE, {"duration": "6-9"})) == ["Neuf heures"]


def test_domain_and_audience_filter_on_the_source_parcours(teacher_client, territory):
    arts = factories.ParcoursFactory(
        published=True, domain=Domain.ARTS, audiences=[Audience.CYCLE_1]
    )
    offered(territory, source=arts, title="Arts en maternelle")
    offered(territory, title="Mathématiques")  # domain mathématiques, cycle 2

    assert titles(teacher_client.get(OFFRE, {"domain": Domain.ARTS})) == ["Arts en maternelle"]
    assert titles(teacher_client.get(OFFRE, {"audience": Audience.CYCLE_2})) == ["Mathématiques"]
    assert titles(teacher_client.get(OFFRE, {"domain": Domain.ARTS, "audience": "cycle2"})) == []


def test_the_filters_show_what_was_searched(teacher_client):
    content = teacher_client.get(
        OFFRE, {"q": "fractions", "domain": Domain.ARTS, "duration": "nimporte"}
    ).content.decode()

    assert '<input type="search"' in content and 'value="fractions"' in content
    assert 'aria-describedby="id_q_helptext"' in content and 'id="id_q_helptext"' in content
    assert f'<option value="{Domain.ARTS}" selected>' in content
    assert '<option value="" selected>Tous</option>' in content  # no audience chosen
    # A duration that is not a choice selects nothing, as Django's select does: the browser
    # shows the first option, « Tous », and the search ignores it.
    assert content.count(" selected>") == 2


def test_nothing_found_says_so_and_offers_to_clear_the_filters(teacher_client, territory):
    assert "Aucune session n’est ouverte à l’inscription pour le moment" in (
        teacher_client.get(OFFRE).content.decode()
    )
    offered(territory)
    content = teacher_client.get(OFFRE, {"domain": Domain.EPS}).content.decode()
    assert "Aucune session ne correspond à votre recherche" in content


def test_results_fragment_for_htmx(teacher_client, territory):
    offered(territory, title="Session ouverte")

    content = teacher_client.get(OFFRE, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in content
    assert "Session ouverte" in content
    assert "1 session trouvée" in content


def test_one_page_for_teachers_switches_between_sessions_and_modules(teacher_client):
    sessions_page = teacher_client.get(OFFRE, {"q": "lecture"}).content.decode()
    modules_page = teacher_client.get(reverse("parcours:formation"), {"q": "lecture"})

    assert f'href="{reverse("parcours:formation")}?q=lecture"' in sessions_page
    assert f'href="{OFFRE}?q=lecture"' in modules_page.content.decode()


# Enrolment forms -------------------------------------------------------------------------


def test_each_session_has_its_enrolment_form_with_a_key_field_only_when_keyed(
    teacher_client, territory
):
    free = offered(territory)
    keyed = offered(territory, enrolment_key="PRINTEMPS")

    content = teacher_client.get(OFFRE).content.decode()

    assert f'action="{reverse("training:enrol", args=[free.pk])}"' in content
    assert f'action="{reverse("training:enrol", args=[keyed.pk])}"' in content
    assert f'id="session-{keyed.pk}-key"' in content
    assert f'id="session-{free.pk}-key"' not in content
    assert "PRINTEMPS" not in content


def test_an_enrolled_teacher_gets_a_link_to_their_session_instead_of_the_form(
    teacher_client, teacher, territory
):
    session = offered(territory)
    waiting = offered(territory, capacity=1)
    factories.EnrolmentFactory(session=waiting)
    factories.EnrolmentFactory(session=session, user=teacher)
    factories.EnrolmentFactory(session=waiting, user=teacher, waiting=True)

    content = teacher_client.get(OFFRE).content.decode()

    assert f'action="{reverse("training:enrol", args=[session.pk])}"' not in content
    assert reverse("training:participant_session", args=[session.pk]) in content
    assert "Vous êtes inscrit" in content
    assert "Vous êtes sur liste d’attente" in content
    assert "Quitter la liste d’attente" in content


def test_people_who_are_not_teachers_see_the_sessions_but_no_enrolment_form(
    client, cast, territory
):
    session = offered(territory)
    client.force_login(cast["trainer"])

    content = client.get(OFFRE).content.decode()

    assert session.title in content
    assert f'action="{reverse("training:enrol", args=[session.pk])}"' not in content
    assert "L’inscription en ligne est réservée aux professeurs des écoles." in content


def test_anonymous_visitor_is_sent_to_sign_in(client, territory):
    session = offered(territory)
    for url in [OFFRE, reverse("training:offre_session", args=[session.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# The page of one session of the offre ------------------------------------------------------


def test_a_session_of_the_offre_has_its_own_page_with_the_parcours_indexation(
    teacher_client, territory
):
    session = offered(territory, title="Session à partager")

    response = teacher_client.get(reverse("training:offre_session", args=[session.pk]))

    content = response.content.decode()
    assert "Session à partager" in content
    assert session.source.matricule in content
    assert f'action="{reverse("training:enrol", args=[session.pk])}"' in content


def test_the_page_of_a_session_of_the_offre_says_who_its_parcours_is_for(teacher_client, territory):
    source = factories.ParcoursFactory(
        published=True, audiences=[Audience.CYCLE_1, Audience.DIRECTORS]
    )
    session = offered(territory, source=source)

    content = teacher_client.get(reverse("training:offre_session", args=[session.pk]))

    assert "Cycle 1 (maternelle), Directeurs d’école" in content.content.decode()


def test_the_page_of_a_session_out_of_the_offre_is_a_404(teacher_client, territory):
    closed = offered(territory, enrolment_closes_on=days(-1))
    foreign = offered(territory, circonscription=factories.CirconscriptionFactory())

    for session in (closed, foreign):
        url = reverse("training:offre_session", args=[session.pk])
        assert teacher_client.get(url).status_code == 404


def test_the_page_of_a_session_one_is_enrolled_in_leads_to_it(teacher_client, teacher, territory):
    session = offered(territory)
    factories.EnrolmentFactory(session=session, user=teacher)

    response = teacher_client.get(reverse("training:offre_session", args=[session.pk]))

    assert response.status_code == 302
    assert response.url == reverse("training:participant_session", args=[session.pk])


# Query count -----------------------------------------------------------------------------


def bulk_offered(territory, count: int, teacher) -> None:
    """`count` sessions offered in Caen Nord, each of its own source parcours (two audiences),
    with two meetings, a distance window, three participants; the teacher enrolled in every
    fifth. In a fixed number of inserts."""
    start = Parcours.objects.count()
    lineages = Lineage.objects.bulk_create(Lineage() for _ in range(count))
    sources = Parcours.objects.bulk_create(
        Parcours(
            lineage=lineage,
            title=f"Parcours en nombre {start + i}",
            short_title=f"NB{start + i}",
            matricule=f"26_NB_{start + i}_1.0",
            status=Status.PUBLISHED,
            objectives="Approfondir.",
            duration_hours=Decimal(3),
            presence_hours=Decimal(1),
            distance_hours=Decimal(2),
        )
        for i, lineage in enumerate(lineages)
    )
    TargetAudience.objects.bulk_create(
        TargetAudience(parcours=p, audience=code)
        for p in sources
        for code in (Audience.CYCLE_2, Audience.CYCLE_3)
    )
    # The copy is not read by the page: a bare session copy is enough here.
    copies = Parcours.all_objects.bulk_create(
        Parcours(lineage=p.lineage, title=p.title, status=Status.SESSION_COPY) for p in sources
    )
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            source=source,
            content=copy,
            title=f"Session {source.title}",
            status="open",
            circonscription=territory["caen"],
            departement=territory["calvados"],
            start_date=days(10 + i % 30),
            end_date=days(40 + i % 30),
            capacity=3 + i % 2,
            presence_hours=Decimal(1),
            distance_hours=Decimal(2),
            self_enrolment=True,
            enrolment_key="CLE" if i % 2 else "",
        )
        for i, (source, copy) in enumerate(zip(sources, copies, strict=True))
    )
    Meeting.objects.bulk_create(
        Meeting(
            session=s,
            date=s.start_date,
            start_time=datetime.time(hour, 0),
            end_time=datetime.time(hour + 2, 0),
            place_name="École",
            remote=False,
        )
        for s in sessions
        for hour in (9, 14)
    )
    DistanceWindow.objects.bulk_create(
        DistanceWindow(session=s, starts_on=s.start_date, ends_on=s.end_date) for s in sessions
    )
    people = factories.teachers_at(territory["bayeux_school"], 3)
    Enrolment.objects.bulk_create(
        Enrolment(session=s, user=person, status=EnrolmentStatus.ENROLLED)
        for s in sessions
        for person in people
    )
    Enrolment.objects.bulk_create(
        Enrolment(session=s, user=teacher, status=EnrolmentStatus.ENROLLED) for s in sessions[::5]
    )


@pytest.mark.parametrize("params", [{}, {"q": "nombre", "audience": "cycle2"}])
def test_offre_costs_nine_queries_with_10_or_100_sessions(
    teacher_client, teacher, territory, count_queries, params
):
    queries = [
        SESSION,
        USER,
        "the user's school: its circonscription, département, académie (whom sessions are for)",
        ROLES,  # the territories of the user's roles; then may they enrol, and the navigation
        BELL,
        "count of the sessions found (paginator)",
        "page of sessions, with their source's objectives, owner, places left and the user's "
        "enrolment",
        "meetings of the sessions of the page",
        "distance windows of the sessions of the page",
    ]
    for count in (10, 100):
        bulk_offered(territory, count - TrainingSession.objects.count(), teacher)
        with count_queries() as ran:
            response = teacher_client.get(OFFRE, params)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 10
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{count} sessions: {len(ran)} queries instead of {len(queries)}.\n"
            f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
        )
