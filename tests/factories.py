"""factory_boy factories shared by every app's tests."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker

from preau.accounts.models import Role, RoleAssignment, User
from preau.parcours.models import (
    Activity,
    Audience,
    Collection,
    Domain,
    Event,
    Lineage,
    Origin,
    Parcours,
    Section,
    Status,
    TargetAudience,
)
from preau.parcours.services import copy_for_session
from preau.territories.models import Academie, Circonscription, Departement, School
from preau.territories.validators import uai_check_letter
from preau.training.models import (
    DistanceWindow,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Meeting,
    SessionStaff,
    SessionStatus,
    StaffRole,
    TrainingSession,
    new_certificate_code,
)

PASSWORD = "mot-de-passe-de-test"


class AcademieFactory(DjangoModelFactory):
    class Meta:
        model = Academie
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"A{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Académie {n}")


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement

    code = factory.Sequence(lambda n: f"{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    academie = factory.SubFactory(AcademieFactory)


class CirconscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Circonscription

    code = factory.Sequence(lambda n: f"CIRC{n:05d}")
    name = factory.Sequence(lambda n: f"Circonscription {n}")
    departement = factory.SubFactory(DepartementFactory)


def valid_uai(number: int) -> str:
    """A valid UAI from its seven digits: valid_uai(750654) == "0750654D"."""
    digits = f"{number % 10_000_000:07d}"
    return digits + uai_check_letter(digits)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    uai = factory.Sequence(lambda n: valid_uai(1_400_000 + n))
    name = factory.Sequence(lambda n: f"École élémentaire n° {n}")
    commune = "Caen"
    circonscription = factory.SubFactory(CirconscriptionFactory)
    departement = factory.SelfAttribute("circonscription.departement")


_names = Faker("fr_FR")
_names_taken: set[str] = set()
_name_suffixes = itertools.count(1)


def distinct_last_name():
    """A French last name no other person of the running test has.

    Tests assert that a name is *not* on a page (« counts only, no names »); with a few hundred
    names to draw from, two people of one test shared one now and then and such a test failed
    for a reason of its own. Names a test gives itself are taken too (`UserFactory._create`);
    `forget_names()` starts each test afresh (tests/conftest.py).
    """
    for _attempt in range(50):
        name = _names.last_name()
        if name not in _names_taken:
            return name
    return f"{_names.last_name()}-{next(_name_suffixes)}"  # a test with more people than names


def forget_names():
    _names_taken.clear()


class UserFactory(DjangoModelFactory):
    """A person with no role; traits and the role helpers below give them one."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@ac-test.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.LazyFunction(distinct_last_name)
    password = factory.django.Password(PASSWORD)

    class Params:
        teacher = factory.Trait(school=factory.SubFactory(SchoolFactory))
        inactive = factory.Trait(is_active=False)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        _names_taken.add(kwargs.get("last_name", ""))
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _names_taken.add(kwargs.get("last_name", ""))
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if self.school_id and create and extracted is None:
            RoleAssignment.objects.get_or_create(user=self, role=Role.TEACHER)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER


def teacher(school=None, **kwargs) -> User:
    return UserFactory(school=school or SchoolFactory(), **kwargs)


def with_role(role: str, *, user: User | None = None, **scope) -> User:
    user = user or UserFactory()
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def teachers_at(school: School, count: int) -> list[User]:
    """Many teachers of one school in two bulk inserts, for the tests with 10x more rows."""
    users = User.objects.bulk_create(UserFactory.build_batch(count, school=school))
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.TEACHER) for u in users)
    return users


def grow(territory: dict, factor: int = 10) -> None:
    """Makes the `territory` fixture `factor` times bigger: départements of the académie,
    circonscriptions of each département, schools of each original circonscription, and
    `factor` teachers in each of those schools.

    The query-count tests load a page, call this, and load it again: the count must not move.
    """
    academie = territory["academie"]
    departements = [territory["calvados"], territory["manche"]]
    circonscriptions = [territory["caen"], territory["bayeux"], territory["saint_lo"]]
    DepartementFactory.create_batch((factor - 1) * len(departements), academie=academie)
    for departement in departements:
        existing = departement.circonscriptions.count()
        CirconscriptionFactory.create_batch((factor - 1) * existing, departement=departement)
    for circonscription in circonscriptions:
        SchoolFactory.create_batch(factor - 1, circonscription=circonscription)
        for school in circonscription.schools.all():
            teachers_at(school, factor)


# Parcours ------------------------------------------------------------------------------------


class LineageFactory(DjangoModelFactory):
    class Meta:
        model = Lineage
        skip_postgeneration_save = True


class ParcoursFactory(DjangoModelFactory):
    """A draft in construction with a title only; traits make it complete or move it along.

    - complete=True: every indexation field filled (3 h = 1 h presence + 2 h distance, one
      audience, one section holding one page): it may be submitted for review;
    - in_review=True, published=True (with a matricule), archived=True, template=True;
    - labelled=True: published with the national label; open_access_module=True: published
    open-access module.
    Pass designers=[user, ...] and audiences=["cycle2", ...] to set them.
    """

    class Meta:
        model = Parcours
        skip_postgeneration_save = True

    lineage = factory.SubFactory(LineageFactory)
    title = factory.Sequence(lambda n: f"Parcours n° {n}")
    status = Status.CONSTRUCTION
    version = "1.0"

    class Params:
        complete = factory.Trait(
            short_title=factory.Sequence(lambda n: f"PARC{n}"),
            objectives="Construire des séances de résolution de problèmes.",
            description="Un parcours hybride pour les cycles 2 et 3.",
            collection=Collection.HYBRID,
            domain=Domain.MATHEMATIQUES,
            keywords="problèmes, mathématiques",
            duration_hours=Decimal(3),
            presence_hours=Decimal(1),
            distance_hours=Decimal(2),
            rhythm="1 h par semaine pendant 3 semaines",
            accompaniment="Formateur de circonscription",
            origin=Origin.ACADEMIE,
            authors="Équipe départementale mathématiques",
            contact="formation@ac-test.fr",
            content=factory.RelatedFactory(
                "tests.factories.SectionFactory",
                factory_related_name="parcours",
                with_page=True,
            ),
        )
        in_review = factory.Trait(complete=True, status=Status.REVIEW)
        published = factory.Trait(
            complete=True,
            status=Status.PUBLISHED,
            matricule=factory.LazyAttribute(lambda o: f"26_TEST_{o.short_title}_{o.version}"),
            published_at=factory.LazyFunction(timezone.now),
        )
        labelled = factory.Trait(published=True, national_label=True)
        open_access_module = factory.Trait(published=True, open_access=True)
        archived = factory.Trait(
            complete=True,
            status=Status.ARCHIVED,
            matricule=factory.LazyAttribute(lambda o: f"25_TEST_{o.short_title}_{o.version}"),
            published_at=factory.LazyFunction(timezone.now),
        )
        template = factory.Trait(status=Status.TEMPLATE)

    @factory.post_generation
    def designers(self, create, extracted, **kwargs):
        if create and extracted:
            self.designers.set(extracted)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        # A complete indexation (objectives filled by the trait) names one audience by default.
        codes = extracted if extracted is not None else [Audience.CYCLE_2] * bool(self.objectives)
        if create and codes:
            TargetAudience.objects.bulk_create(
                TargetAudience(parcours=self, audience=code) for code in codes
            )


class TargetAudienceFactory(DjangoModelFactory):
    class Meta:
        model = TargetAudience
        skip_postgeneration_save = True

    parcours = factory.SubFactory(ParcoursFactory)
    audience = Audience.CYCLE_2


class SectionFactory(DjangoModelFactory):
    """A section; with_page=True adds one page activity to it."""

    class Meta:
        model = Section
        skip_postgeneration_save = True

    parcours = factory.SubFactory(ParcoursFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n + 1)

    class Params:
        with_page = factory.Trait(
            page=factory.RelatedFactory(
                "tests.factories.ActivityFactory", factory_related_name="section"
            )
        )


class ActivityFactory(DjangoModelFactory):
    """A page by default; traits: with_file=True, link=True, trainer_note=True."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    kind = "page"
    title = factory.Sequence(lambda n: f"Activité {n}")
    position = factory.Sequence(lambda n: n + 1)
    body = "<p>Lisez ce document avant la séance.</p>"

    class Params:
        with_file = factory.Trait(
            kind="file",
            body="",
            file=factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="programme.pdf")),
        )
        link = factory.Trait(kind="link", body="", url="https://www.example.org/video")
        trainer_note = factory.Trait(
            kind="trainer_note", body="<p>Prévoir 20 minutes d’échanges.</p>"
        )


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    parcours = factory.SubFactory(ParcoursFactory)
    action = Event.Action.CREATED


# Training sessions ---------------------------------------------------------------------------


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class TrainingSessionFactory(DjangoModelFactory):
    """A session in preparation of a published parcours (its content copied as the real service
    does), owned by a new circonscription, starting in a week for four weeks.

    Traits: open=True (opened, started a week ago, ends in three weeks), closed=True (ended
    last month), archived=True (closed, then archived). Pass trainers=[user, ...],
    tutors=[...] (SessionStaff rows) and participants=[user, ...] (enrolled) to set them;
    circonscription=None with departement=... for a session owned by a département.
    """

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    source = factory.SubFactory(ParcoursFactory, published=True)
    content = factory.LazyAttribute(lambda o: copy_for_session(parcours=o.source, by=None))
    title = factory.LazyAttribute(lambda o: o.source.title)
    circonscription = factory.SubFactory(CirconscriptionFactory)
    departement = factory.Maybe(
        "circonscription",
        yes_declaration=factory.SelfAttribute("circonscription.departement"),
        no_declaration=factory.SubFactory(DepartementFactory),
    )
    start_date = factory.LazyFunction(lambda: _days(7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=28))
    presence_hours = factory.LazyAttribute(lambda o: o.source.presence_hours or Decimal(0))
    distance_hours = factory.LazyAttribute(lambda o: o.source.distance_hours or Decimal(0))

    class Params:
        open = factory.Trait(
            status=SessionStatus.OPEN,
            start_date=factory.LazyFunction(lambda: _days(-7)),
            opened_at=factory.LazyFunction(timezone.now),
        )
        closed = factory.Trait(
            status=SessionStatus.CLOSED,
            start_date=factory.LazyFunction(lambda: _days(-60)),
            opened_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=60)),
            closed_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=20)),
        )
        archived = factory.Trait(closed=True, status=SessionStatus.ARCHIVED)

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            SessionStaff.objects.bulk_create(
                SessionStaff(session=self, user=user, role=StaffRole.TRAINER) for user in extracted
            )

    @factory.post_generation
    def tutors(self, create, extracted, **kwargs):
        if create and extracted:
            SessionStaff.objects.bulk_create(
                SessionStaff(session=self, user=user, role=StaffRole.TUTOR) for user in extracted
            )

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            Enrolment.objects.bulk_create(Enrolment(session=self, user=user) for user in extracted)


def _staff_member(session: TrainingSession, role: str) -> User:
    scope = (
        {"circonscription": session.circonscription}
        if session.circonscription_id
        else {"departement": session.departement}
    )
    return with_role(Role.TUTOR if role == StaffRole.TUTOR else Role.TRAINER, **scope)


class SessionStaffFactory(DjangoModelFactory):
    """A trainer (or, with role=StaffRole.TUTOR, a tutor) of a session; a new user gets the
    matching role, scoped to the session's circonscription (or département)."""

    class Meta:
        model = SessionStaff
        skip_postgeneration_save = True

    session = factory.SubFactory(TrainingSessionFactory)
    role = StaffRole.TRAINER
    user = factory.LazyAttribute(lambda o: _staff_member(o.session, o.role))


class MeetingFactory(DjangoModelFactory):
    """A morning presence meeting in a school on the session's first day; virtual=True makes
    it a virtual class slot ("à distance")."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    session = factory.SubFactory(TrainingSessionFactory)
    title = factory.Sequence(lambda n: f"Réunion {n}")
    date = factory.LazyAttribute(lambda o: o.session.start_date)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    place_name = "École Jules Ferry"
    address = "1 rue de l’École, 14000 Caen"

    class Params:
        virtual = factory.Trait(remote=True, place_name="", address="")


class DistanceWindowFactory(DjangoModelFactory):
    """Distance work over the whole session."""

    class Meta:
        model = DistanceWindow
        skip_postgeneration_save = True

    session = factory.SubFactory(TrainingSessionFactory)
    title = "Travail à distance"
    starts_on = factory.LazyAttribute(lambda o: o.session.start_date)
    ends_on = factory.LazyAttribute(lambda o: o.session.end_date)


class EnrolmentFactory(DjangoModelFactory):
    """A teacher enrolled by a trainer. Traits: waiting=True (waiting list), attested=True
    (completed, with a certificate code)."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(UserFactory, teacher=True)
    status = EnrolmentStatus.ENROLLED
    source = EnrolmentSource.TRAINER

    class Params:
        waiting = factory.Trait(status=EnrolmentStatus.WAITING)
        attested = factory.Trait(
            completed_at=factory.LazyFunction(timezone.now),
            certificate_code=factory.LazyFunction(new_certificate_code),
        )


def trainer_of(session: TrainingSession) -> User:
    """A trainer of the session (one is added when it has none): the services that change a
    session take the person who runs it (training.services.require_manager)."""
    member = session.staff.filter(role=StaffRole.TRAINER).select_related("user").first()
    if member:
        return member.user
    if session.circonscription_id:
        user = with_role(Role.TRAINER, circonscription=session.circonscription)
    else:
        user = with_role(Role.TRAINER, departement=session.departement)
    SessionStaff.objects.create(session=session, user=user, role=StaffRole.TRAINER)
    return user
