import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from preau.logbook import services
from tests import factories


@pytest.fixture
def room(cast, territory):
    """An open session of Caen Nord: its trainer and tutor (cast), Camille (the cast's teacher)
    and Dominique Lemaire enrolled, Lou on the waiting list."""
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
    return {**cast, "session": session, "section": section, "classmate": classmate,
            "waiting": waiting}  # fmt: skip


def pdf_file(name="seance.pdf", content=b"%PDF-1.4 une fiche"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def entry(room):
    """Camille's entry tied to the session, with one attachment, not shared."""
    return services.write_entry(
        by=room["teacher"],
        title="Premier essai des ateliers",
        body="<p>Les ateliers tournants ont <strong>bien</strong> marché.</p>",
        session=room["session"],
        section=room["section"],
        files=[pdf_file()],
    )
