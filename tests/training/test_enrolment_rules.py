"""Whom an organiser's enrolment list finds: addresses under the académie's old domains, only
the teachers of the session's territory, and nothing said about anyone else."""

import pytest
from django.urls import reverse

from preau.accounts.models import Role
from preau.training import services
from preau.training.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

ALIASES = {"ac-caen.fr": "ac-normandie.fr", "ac-rouen.fr": "ac-normandie.fr"}
UNKNOWN_IN_CAEN = "Aucun professeur des écoles de Caen Nord n’a cette adresse dans Préau."


@pytest.fixture(autouse=True)
def _aliases(settings):
    settings.PREAU_HR_EMAIL_DOMAIN_ALIASES = ALIASES


@pytest.fixture
def session(territory, cast):
    """A session in preparation of Caen Nord, run by the cast's trainer."""
    return factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )


@pytest.fixture
def lina(territory):
    return factories.teacher(
        school=territory["caen_school"],
        email="lina.dumas@ac-normandie.fr",
        first_name="Lina",
        last_name="Dumas",
    )


def fates(session, *emails):
    return [(f.fate, f.reason, f.user) for f in services.preview_enrolment(session, emails)]


def one(session, email):
    [fate] = services.preview_enrolment(session, [(email, "")])
    return fate


# Aliases of the académie's e-mail domain ------------------------------------------------------


def test_an_address_under_an_old_domain_finds_the_account_under_the_new_one(session, lina):
    fate = one(session, "Lina.Dumas@AC-CAEN.fr")
    assert (fate.fate, fate.user) == ("enrol", lina)


def test_an_address_under_the_new_domain_finds_an_account_kept_under_the_old_one(
    session, territory
):
    old = factories.teacher(school=territory["caen_school"], email="paul.roy@ac-rouen.fr")
    assert one(session, "paul.roy@ac-normandie.fr").user == old


def test_one_person_under_two_addresses_is_one_line_and_the_account_in_use_is_chosen(
    session, territory, lina
):
    factories.teacher(
        school=territory["caen_school"], email="lina.dumas@ac-caen.fr", is_placeholder=True
    )
    result = services.preview_enrolment(
        session, [("lina.dumas@ac-caen.fr", ""), ("lina.dumas@ac-normandie.fr", "")]
    )
    assert [(f.fate, f.reason, f.user) for f in result] == [
        ("enrol", "", lina),
        ("reject", "Déjà présente ligne 1.", None),
    ]


def test_someone_enrolled_is_recognised_under_an_old_address(session, lina):
    factories.EnrolmentFactory(session=session, user=lina)
    assert one(session, "lina.dumas@ac-caen.fr").reason == "Déjà inscrit à cette session."


def test_confirming_a_list_with_an_old_address_enrols_the_account(session, lina):
    services.confirm_enrolment(session=session, lines=[("lina.dumas@ac-caen.fr", "G1")])
    assert session.enrolments.get().user == lina


# Only the teachers of the session's territory -------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "nobody",
        "teacher_of_bayeux",
        "teacher_of_another_academie",
        "inactive_teacher",
        "admin",
        "ien",
        "manager",
        "trainer_of_bayeux",
    ],
)
def test_an_address_outside_the_territory_reads_like_an_unknown_one(session, territory, cast, who):
    other_academie = factories.SchoolFactory()
    people = {
        "teacher_of_bayeux": lambda: factories.teacher(school=territory["bayeux_school"]),
        "teacher_of_another_academie": lambda: factories.teacher(school=other_academie),
        "inactive_teacher": lambda: factories.teacher(
            school=territory["caen_school"], is_active=False
        ),
        "trainer_of_bayeux": lambda: factories.with_role(
            Role.TRAINER, circonscription=territory["bayeux"]
        ),
    }
    person = people[who]() if who in people else cast[who]
    address = person.email if who != "nobody" else "personne.inconnue@ac-normandie.fr"

    fate = one(session, address.upper())

    # The same words as for an address nobody has, and no name: nothing tells them apart.
    assert (fate.fate, fate.reason, fate.user) == ("reject", UNKNOWN_IN_CAEN, None)
    assert one(session, "personne.inconnue@ac-normandie.fr").reason == fate.reason


@pytest.mark.parametrize("role", [Role.TRAINER, Role.TUTOR])
def test_trainers_and_tutors_of_the_territory_are_refused_with_their_reason(
    session, territory, role
):
    colleague = factories.with_role(
        role,
        user=factories.teacher(school=territory["caen_school"]),
        circonscription=territory["caen"],
    )
    fate = one(session, colleague.email)
    assert fate.fate == "reject" and fate.user is None
    assert fate.reason.startswith("Compte de formateur ou de tuteur : ajoutez cette personne")


def test_a_session_of_a_departement_enrols_the_teachers_of_the_whole_departement(cast, territory):
    session = factories.TrainingSessionFactory(
        circonscription=None, departement=territory["calvados"]
    )
    bayeux = factories.teacher(school=territory["bayeux_school"])
    saint_lo = factories.teacher(school=territory["saint_lo_school"])

    assert fates(session, (bayeux.email, ""), (saint_lo.email, "")) == [
        ("enrol", "", bayeux),
        (
            "reject",
            "Aucun professeur des écoles de Calvados (014) n’a cette adresse dans Préau.",
            None,
        ),
    ]


def test_confirming_never_enrols_someone_outside_the_territory(session, territory):
    outsider = factories.teacher(school=territory["bayeux_school"])
    services.confirm_enrolment(session=session, lines=[(outsider.email, "")])
    assert not Enrolment.objects.exists()


def test_the_preview_page_shows_no_name_for_an_address_outside_the_territory(
    client, cast, session, territory
):
    outsider = factories.teacher(
        school=territory["bayeux_school"], first_name="Hortense", last_name="Vautrin"
    )
    admin = factories.with_role(Role.ADMIN, user=factories.UserFactory(last_name="Quenardel"))
    client.force_login(cast["trainer"])

    response = client.post(
        reverse("training:manage_enrol", args=[session.pk]),
        {"mode": "liste", "emails": f"{outsider.email}\n{admin.email}"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Vautrin" not in page and "Quenardel" not in page
    assert page.count(UNKNOWN_IN_CAEN) == 2
