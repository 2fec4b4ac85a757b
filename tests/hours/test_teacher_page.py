"""« Mes 18 heures », through HTTP: the rules explained on the page, the ledger (corrections
with their reason, declarations awaiting validation), school years, the declaration form, the
printable fiche and its PDF, and who may see what."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role
from preau.hours import services
from preau.hours.models import Entry, Kind, Source
from preau.hours.rules import school_year_bounds, school_year_of
from preau.training.models import Enrolment, SessionStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]

YEAR = school_year_of(timezone.localdate())
FIRST_DAY = school_year_bounds(YEAR)[0]  # 1 September: never in the future


def add_entry(teacher, *, kind=Kind.TRAINING, presence=0, distance=0, year=YEAR, **fields):
    fields.setdefault("source", Source.ANIMATION if kind == Kind.ANIMATION else Source.SESSION)
    fields.setdefault("title", f"{kind} {presence}+{distance}")
    return Entry.objects.create(
        teacher=teacher,
        school_year=year,
        date=school_year_bounds(year)[0],
        kind=kind,
        presence_hours=Decimal(presence),
        distance_hours=Decimal(distance),
        **fields,
    )


@pytest.fixture
def teacher(cast, client):
    client.force_login(cast["teacher"])
    return cast["teacher"]


def page(client, year=None) -> str:
    url = reverse("hours:year", args=[year]) if year else reverse("hours:mine")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# The rules, explained -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quotite", "training", "animations", "status", "explanation"),
    [
        (
            100,
            [(6, 0)],
            9,
            "Formation manquante",
            "Il vous manque 3 h de formation dont au moins une partie à distance.",
        ),
        (
            100,
            [(9, 0)],
            9,
            "Distance manquante",
            "Il vous manque une partie de votre formation à distance.",
        ),
        (
            100,
            [(6, 3)],
            6,
            "Animations manquantes",
            "Il vous manque 3 h d’animations pédagogiques ou de formation.",
        ),
        (100, [(9, 3)], 9, "Complet", "Vos 18 h sont faites, et même 3 h de plus : bravo."),
        (
            50,
            [(3, 1)],
            0,
            "Formation manquante",
            "Il vous manque 0 h 30 de formation et 4 h 30 d’animations pédagogiques ou de "
            "formation.",
        ),
        (50, [(3, 3)], 3, "Complet", "Vos 9 h sont faites : bravo."),
        (75, [(3, 1), (0, 3)], 6.5, "Complet", "Vos 13 h 30 sont faites : bravo."),
        (
            75,
            [(3, 0)],
            6,
            "Formation manquante",
            "Il vous manque 3 h 45 de formation dont au moins une partie à distance "
            "et 0 h 45 d’animations pédagogiques ou de formation.",
        ),
    ],
)
def test_page_explains_each_rule_case(
    client, teacher, quotite, training, animations, status, explanation
):
    teacher.quotite = quotite
    teacher.save(update_fields=["quotite"])
    for presence, distance in training:
        add_entry(teacher, presence=presence, distance=distance)
    if animations:
        add_entry(teacher, kind=Kind.ANIMATION, presence=animations)
    html = page(client)
    assert explanation in html
    assert f">{status}</span>" in html
    if quotite != 100:
        assert f"quotité de {quotite} %" in html


def test_hours_beyond_the_target_are_shown(client, teacher):
    add_entry(teacher, presence=9, distance=6)
    add_entry(teacher, kind=Kind.ANIMATION, presence=9)
    html = page(client)
    assert "Heures comptées : 24 h sur 18 h" in html
    assert "6 h de plus que votre objectif" in html


def test_union_meetings_count_up_to_nine_hours(client, teacher, cast):
    for hours in (6, 6):
        entry = services.declare_union_meeting(teacher=teacher, date=FIRST_DAY, hours=hours)
        services.validate_declaration(entry=entry, by=cast["ien"])
    html = page(client)
    assert "12 h, comptées dans la limite de 9 h" in html
    assert ": 9 h comptées" in html
    assert "Heures comptées : 9 h sur 18 h" in html


# The ledger ---------------------------------------------------------------------------------


def test_teacher_sees_corrections_with_their_reason_and_author(client, teacher, cast):
    cast["ien"].first_name, cast["ien"].last_name = "Dominique", "Inspectrice"
    cast["ien"].save(update_fields=["first_name", "last_name"])
    services.correct(
        by=cast["ien"],
        teacher=teacher,
        school_year=YEAR,
        date=FIRST_DAY,
        kind=Kind.TRAINING,
        presence_hours=Decimal(-2),
        distance_hours=Decimal(0),
        reason="Session comptée deux fois par erreur",
    )
    html = page(client)
    assert "Motif : Session comptée deux fois par erreur" in html
    assert "Correction manuelle" in html
    assert "Dominique Inspectrice" in html
    assert "−2 h" in html


def test_pending_declaration_is_shown_but_not_counted(client, teacher, cast):
    entry = services.declare_union_meeting(
        teacher=teacher, date=FIRST_DAY, hours=Decimal(3), title="RIS du SNUipp"
    )
    html = page(client)
    assert "RIS du SNUipp" in html
    assert "En attente de validation : non comptée" in html
    assert "1 déclaration attend la validation de votre IEN" in html
    assert "Heures comptées : 0 h sur 18 h" in html

    services.validate_declaration(entry=entry, by=cast["ien"])
    html = page(client)
    assert "Validée par l’IEN" in html
    assert "Heures comptées : 3 h sur 18 h" in html


def test_session_straddling_31_august_counts_in_the_year_it_ends(client, teacher, cast):
    year = YEAR - 1
    session = factories.TrainingSessionFactory(
        title="Session à cheval sur l’été",
        status=SessionStatus.CLOSED,
        start_date=datetime.date(year, 8, 25),
        end_date=datetime.date(year, 9, 12),
        presence_hours=Decimal(3),
        distance_hours=Decimal(3),
        participants=[teacher],
    )
    Enrolment.objects.filter(session=session).update(
        completed_at=timezone.now(), attested_by=cast["trainer"]
    )
    services.credit_attested(Enrolment.objects.filter(session=session).select_related("session"))

    assert "Session à cheval sur l’été" in page(client, year)
    assert "Session à cheval sur l’été" not in page(client, year - 1)


def test_upcoming_sessions_that_would_count_are_listed_with_their_hours(client, teacher):
    today = timezone.localdate()
    factories.TrainingSessionFactory(
        open=True,
        title="Enseigner la lecture au CP",
        end_date=today,
        presence_hours=Decimal(3),
        distance_hours=Decimal("1.5"),
        participants=[teacher],
    )
    html = page(client)
    assert "Enseigner la lecture au CP" in html
    assert "3 h en présence, 1 h 30 à distance" in html
    assert ">En bonne voie</span>" in html


# School years -------------------------------------------------------------------------------


def test_past_years_stay_readable_and_future_ones_do_not_exist(client, teacher):
    add_entry(teacher, presence=3, distance=3, year=YEAR - 2, title="Parcours d’il y a deux ans")
    html = page(client, YEAR - 2)
    assert "Parcours d’il y a deux ans" in html
    assert f"Mes 18 heures — année {YEAR - 2}-{YEAR - 1}" in html
    assert reverse("hours:year", args=[YEAR - 1]) in html
    assert "Parcours d’il y a deux ans" not in page(client)
    assert client.get(reverse("hours:year", args=[YEAR + 1])).status_code == 404
    assert client.get(reverse("hours:year", args=[2015])).status_code == 404


# Declaring a union information meeting ------------------------------------------------------


def test_teacher_declares_a_union_meeting(client, teacher):
    response = client.post(
        reverse("hours:declare"),
        {"date": FIRST_DAY.isoformat(), "hours": "1,5", "title": "RIS"},
        follow=True,
    )
    entry = Entry.objects.get(teacher=teacher)
    assert (entry.kind, entry.source, entry.presence_hours) == (
        Kind.UNION_MEETING,
        Source.DECLARATION,
        Decimal("1.5"),
    )
    assert entry.validated_at is None
    assert response.redirect_chain == [(reverse("hours:year", args=[YEAR]), 302)]
    assert "une fois validée par votre IEN" in response.content.decode()


@pytest.mark.parametrize(
    ("hours", "days", "message"),
    [
        ("-2", 0, "Un nombre d’heures ne peut pas être négatif."),
        ("31", 0, "31 h en une seule ligne, c’est trop : 30 h au plus."),
        ("0", 0, "Indiquez au moins une heure, en présence ou à distance."),
        ("trois", 0, "Indiquez un nombre d’heures, par exemple 3 ou 1,5."),
        ("1,25", 0, "Indiquez la durée au dixième d’heure près"),
        ("2", 1, "Déclarez une réunion une fois qu’elle a eu lieu."),
    ],
)
def test_bad_declarations_are_refused_in_french_and_nothing_is_lost(
    client, teacher, hours, days, message
):
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post(
        reverse("hours:declare"),
        {"date": day.isoformat(), "hours": hours, "title": "Réunion du mardi"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Réunion du mardi"' in html
    assert f'value="{hours}"' in html
    assert not Entry.objects.exists()


def test_a_declaration_is_always_the_teachers_own(client, teacher, cast):
    other = factories.teacher(school=teacher.school)
    client.post(
        reverse("hours:declare"),
        {"date": FIRST_DAY.isoformat(), "hours": "2", "teacher": other.pk},
    )
    assert list(Entry.objects.values_list("teacher", flat=True)) == [teacher.pk]


# The fiche individuelle de suivi --------------------------------------------------------------


def test_fiche_shows_name_school_quotite_ledger_and_totals(client, teacher):
    teacher.quotite = 50
    teacher.save(update_fields=["quotite"])
    add_entry(teacher, presence=3, distance=2, title="Résolution de problèmes")
    html = page_of(client, reverse("hours:fiche", args=[YEAR]))
    assert "Fiche individuelle de suivi des 18 heures" in html
    assert teacher.get_full_name() in html
    assert "École Jules Ferry" in html
    assert "Circonscription de Caen Nord" in html
    assert "50 %" in html
    assert "Résolution de problèmes" in html
    assert "5 h sur 9 h" in html
    assert "data-preau-print" in html


def test_fiche_as_pdf(client, teacher):
    add_entry(teacher, presence=3, distance=2)
    response = client.get(reverse("hours:fiche_pdf", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"fiche-18-heures-{YEAR}-{YEAR + 1}" in response["Content-Disposition"]


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Access ---------------------------------------------------------------------------------------


def test_another_teachers_ledger_is_never_shown(client, teacher):
    other = factories.teacher(school=teacher.school)
    add_entry(other, presence=3, distance=3, title="Le parcours d’un collègue")
    add_entry(teacher, presence=1, distance=1, title="Mon parcours")
    for url in (
        reverse("hours:mine"),
        reverse("hours:year", args=[YEAR]),
        reverse("hours:fiche", args=[YEAR]),
    ):
        html = page_of(client, url)
        assert "Mon parcours" in html
        assert "Le parcours d’un collègue" not in html


TEACHER_URLS = [
    ("hours:mine", []),
    ("hours:year", [YEAR]),
    ("hours:fiche", [YEAR]),
    ("hours:fiche_pdf", [YEAR]),
]


@pytest.mark.parametrize("person", ["ien", "trainer", "pilot", "nobody"])
@pytest.mark.parametrize(("name", "args"), TEACHER_URLS)
def test_people_who_are_not_teachers_get_403(client, cast, person, name, args):
    client.force_login(cast[person])
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("person", ["ien", "nobody"])
def test_people_who_are_not_teachers_cannot_declare(client, cast, person):
    client.force_login(cast[person])
    response = client.post(reverse("hours:declare"), {"date": FIRST_DAY.isoformat(), "hours": "2"})
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("hours:mine"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_teacher_who_is_also_ien_sees_their_own_ledger(client, cast, territory):
    person = factories.with_role(
        Role.IEN, user=cast["teacher"], circonscription=territory["bayeux"]
    )
    client.force_login(person)
    assert client.get(reverse("hours:mine")).status_code == 200


# Query count --------------------------------------------------------------------------------

QUERIES = [
    "session of the request",
    "user of the session",
    "roles of the user (has_role, cached for the menu)",
    "unread notifications of the person (the bell in the header)",
    "ledger entries of the year, with who recorded them and the circonscription",
    "upcoming enrolments that would count, with their sessions",
    "the académie's hours policy (minimum distance)",
]


@pytest.mark.parametrize("count", [5, 50])
def test_page_query_count_does_not_depend_on_the_ledger(
    client, teacher, cast, count_queries, count
):
    for i in range(count):
        add_entry(teacher, presence=1, distance=1, title=f"Parcours {i}", recorded_by=cast["ien"])
    factories.TrainingSessionFactory(
        open=True, end_date=timezone.localdate(), participants=[teacher]
    )
    with count_queries() as ran:
        response = client.get(reverse("hours:mine"))
    assert response.status_code == 200
    assert f"Parcours {count - 1}" in response.content.decode()
    expected = "\n".join(f"{i}. {name}" for i, name in enumerate(QUERIES, 1))
    assert len(ran) == len(QUERIES), f"Expected:\n{expected}\n\nRan:\n{ran.sql()}"
