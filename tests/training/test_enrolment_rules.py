"""Whom an organiser's enrolment list finds: addresses under the académie's old domains, only
the teachers of the session's territory, and nothing said about anyone else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from preau.accounts.models import Role
from preau.training import access, services
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


# Self-enrolment: the teachers the session is for -------------------------------------------------


def offered(territory, **fields):
    """An open session of Caen Nord with self-enrolment."""
    fields.setdefault("circonscription", territory["caen"])
    return factories.TrainingSessionFactory(open=True, self_enrolment=True, **fields)


SCHOOLS = ["caen_school", "bayeux_school", "saint_lo_school", "elsewhere"]


@pytest.mark.parametrize(
    ("scope", "may_enrol"),
    [
        ("territory", {"caen_school"}),
        ("departement", {"caen_school", "bayeux_school"}),
        ("academie", {"caen_school", "bayeux_school", "saint_lo_school"}),
        ("everyone", set(SCHOOLS)),
    ],
)
def test_self_enrolment_is_for_the_teachers_of_the_scope_the_organisers_chose(
    territory, scope, may_enrol
):
    session = offered(territory, self_enrolment_scope=scope)
    schools = {**territory, "elsewhere": factories.SchoolFactory()}
    for key in SCHOOLS:
        teacher = factories.teacher(school=schools[key])
        if key in may_enrol:
            assert services.self_enrol(session=session, user=teacher).user == teacher
        else:
            with pytest.raises(ValidationError) as refused:
                services.self_enrol(session=session, user=teacher)
            assert refused.value.code == "not_for_you"
    assert session.enrolments.count() == len(may_enrol)


def test_the_refusal_names_whom_the_session_is_for(territory):
    outsider = factories.teacher(school=territory["saint_lo_school"])
    for scope, reach in [
        ("territory", "de la circonscription Caen Nord"),
        ("departement", "du département Calvados \\(014\\)"),
    ]:
        session = offered(territory, self_enrolment_scope=scope)
        with pytest.raises(
            ValidationError, match=f"Cette session est réservée aux enseignants {reach}"
        ):
            services.self_enrol(session=session, user=outsider)


def test_a_departement_session_is_for_the_teachers_of_its_departement_by_default(territory):
    session = offered(territory, circonscription=None, departement=territory["calvados"])
    services.self_enrol(session=session, user=factories.teacher(school=territory["bayeux_school"]))
    with pytest.raises(ValidationError, match="réservée"):
        services.self_enrol(
            session=session, user=factories.teacher(school=territory["saint_lo_school"])
        )


def test_a_session_not_for_the_teacher_is_neither_offered_nor_reachable(client, territory):
    session = offered(territory, title="Réservée à Caen Nord")
    client.force_login(factories.teacher(school=territory["bayeux_school"]))

    assert "Réservée à Caen Nord" not in client.get(reverse("training:offre")).content.decode()
    assert client.get(reverse("training:offre_session", args=[session.pk])).status_code == 404
    assert client.post(reverse("training:enrol", args=[session.pk])).status_code == 404
    assert not session.enrolments.exists()


def test_organisers_open_a_session_wider_in_its_settings(client, cast, territory):
    session = offered(territory, trainers=[cast["trainer"]])
    teacher = factories.teacher(school=territory["saint_lo_school"])
    client.force_login(cast["trainer"])
    data = {
        "title": session.title,
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "self_enrolment": "on",
        "attestation_rule": "all_meetings",
    }

    refused = client.post(
        reverse("training:manage_settings", args=[session.pk]),
        {**data, "self_enrolment_scope": "la lune"},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["self_enrolment_scope"]
    response = client.post(
        reverse("training:manage_settings", args=[session.pk]),
        {**data, "self_enrolment_scope": "academie"},
        follow=True,
    )

    assert "pour les enseignants de l’académie de Normandie" in response.content.decode()
    session.refresh_from_db()
    assert session.self_enrolment_scope == "academie"
    services.self_enrol(session=session, user=teacher)


# Self-enrolment: a session for other classes than the teacher's school has ----------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("École maternelle Jules Ferry", "maternelle"),
        ("ECOLE ELEMENTAIRE PUBLIQUE PASTEUR", "elementaire"),
        ("Ecole primaire Les Tilleuls", "primaire"),
        ("Groupe scolaire Victor Hugo", ""),
        ("École Maternellement Vôtre", ""),
    ],
)
def test_the_kind_of_a_school_is_read_from_its_name(name, kind):
    assert factories.SchoolFactory.build(name=name).kind == kind


def session_for(territory, *audiences):
    source = factories.ParcoursFactory(published=True, audiences=list(audiences))
    return offered(territory, source=source, title="Problèmes au cycle 3")


@pytest.fixture
def maternelle_teacher(territory):
    school = factories.SchoolFactory(
        circonscription=territory["caen"], name="École maternelle Les Coquelicots"
    )
    return factories.teacher(school=school)


def test_a_maternelle_teacher_enrolling_in_a_cycle_3_session_is_warned_first(
    territory, maternelle_teacher
):
    session = session_for(territory, "cycle3")

    with pytest.raises(ValidationError) as warned:
        services.self_enrol(session=session, user=maternelle_teacher)

    assert warned.value.code == "audience"
    assert warned.value.messages == [
        "Cette session s’adresse aux enseignants de : Cycle 3 (CM1-6e). Votre école, École "
        "maternelle Les Coquelicots, est une école maternelle : vérifiez qu’elle vous concerne "
        "avant de vous inscrire."
    ]
    assert not session.enrolments.exists()
    services.self_enrol(session=session, user=maternelle_teacher, despite_audience=True)
    assert session.enrolments.get().user == maternelle_teacher


@pytest.mark.parametrize(
    ("school_name", "audiences"),
    [
        ("École maternelle Les Coquelicots", ["cycle1", "cycle3"]),
        ("École maternelle Les Coquelicots", ["cycle3", "directors"]),
        ("École élémentaire Pasteur", ["college"]),
        ("École primaire Pasteur", ["cycle3"]),
        ("Groupe scolaire Victor Hugo", ["cycle3"]),
        ("École maternelle Les Coquelicots", []),
    ],
)
def test_no_warning_when_the_session_may_well_be_for_the_teacher(territory, school_name, audiences):
    school = factories.SchoolFactory(circonscription=territory["caen"], name=school_name)
    teacher = factories.teacher(school=school)
    session = session_for(territory, *audiences)
    assert services.audience_warning(session=session, user=teacher) == ""
    services.self_enrol(session=session, user=teacher)


def test_the_session_page_shows_the_warning_and_enrols_once_the_box_is_ticked(
    client, territory, maternelle_teacher
):
    session = session_for(territory, "cycle3")
    client.force_login(maternelle_teacher)
    page = client.get(reverse("training:offre_session", args=[session.pk])).content.decode()
    assert "est une école maternelle" in page and "Je m’inscris tout de même" in page

    response = client.post(reverse("training:enrol", args=[session.pk]))
    assert response.status_code == 200
    assert "Cochez « Je m’inscris tout de même »" in response.content.decode()
    assert not session.enrolments.exists()

    response = client.post(reverse("training:enrol", args=[session.pk]), {"despite_audience": "on"})
    assert response.status_code == 302
    assert session.enrolments.get().user == maternelle_teacher


def test_the_offre_of_people_with_roles_covers_the_territories_under_them(territory, cast):
    today = timezone.localdate()
    caen = offered(territory, title="Caen Nord")
    bayeux = offered(territory, title="Bayeux", circonscription=territory["bayeux"])
    saint_lo = offered(territory, title="Saint-Lô", circonscription=territory["saint_lo"])
    everyone = {caen, bayeux, saint_lo}

    def offre(user):
        return set(access.sessions_in_offre_for(user, today))

    assert offre(cast["other_ien"]) == {bayeux}
    assert offre(cast["pilot"]) == {caen, bayeux}
    assert offre(cast["manager"]) == everyone
    assert offre(cast["nobody"]) == set()


def test_a_school_without_a_circonscription_yet_gets_the_sessions_of_its_departement(territory):
    school = factories.SchoolFactory(circonscription=None, departement=territory["calvados"])
    teacher = factories.teacher(school=school)
    circonscription = offered(territory, title="Caen Nord")
    departement = offered(territory, circonscription=None, departement=territory["calvados"])
    opened = offered(territory, self_enrolment_scope="departement")

    assert set(access.sessions_in_offre_for(teacher, timezone.localdate())) == {
        departement,
        opened,
    }
    assert circonscription not in access.sessions_in_offre_for(teacher, timezone.localdate())
