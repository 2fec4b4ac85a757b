import pytest

from preau.accounts.models import Role
from preau.forums import services
from preau.parcours.models import Activity
from tests import factories


@pytest.fixture
def room(cast, territory):
    """An open session of Caen Nord with a « Forum de discussion » in its content: its trainer
    and tutor (cast), Camille (the cast's teacher) and Dominique Lemaire enrolled, Lou waiting;
    its forums made."""
    t = territory
    classmate = factories.teacher(
        school=t["caen_school"], first_name="Dominique", last_name="Lemaire"
    )
    waiting = factories.teacher(school=t["caen_school"], first_name="Lou", last_name="Attente")
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        participants=[cast["teacher"], classmate],
    )
    factories.EnrolmentFactory(session=session, user=waiting, waiting=True)
    section = session.content.sections.first() or factories.SectionFactory(parcours=session.content)
    Activity.objects.create(
        section=section, kind="forum", title="Partagez une séance que vous avez menée"
    )
    services.ensure_forums(session=session)
    forums = list(session.forums.order_by("kind"))
    return {
        "session": session,
        "announcements": forums[0],
        "discussion": forums[1],
        "trainer": cast["trainer"],
        "tutor": cast["tutor"],
        "teacher": cast["teacher"],
        "classmate": classmate,
        "waiting": waiting,
        "ien": cast["ien"],
        "pilot": cast["pilot"],
        "manager": cast["manager"],
        "admin": cast["admin"],
        "nobody": cast["nobody"],
        "other_trainer": factories.with_role(Role.TRAINER, circonscription=t["caen"]),
    }


@pytest.fixture
def thread(room):
    return services.start_thread(
        forum=room["discussion"],
        by=room["teacher"],
        title="Les rituels du matin en CP",
        body="<p>Comment organisez-vous l’accueil ?</p>",
    )
