"""« Étape terminée » (issue #15): a participant ticks the steps (sections) of their session's
content done themself, sees « 2 étapes sur 3 »; the session's trainers and tutors see which
steps each participant ticked (never when), nobody else; the attestation rule may ask for
every step ticked; closed and archived sessions take no tick."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from preau.parcours import services as parcours_services
from preau.training import selectors, services
from preau.training.models import (
    Attendance,
    AttendanceStatus,
    AttestationRule,
    Enrolment,
    SessionStatus,
    StepDone,
)
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(cast, territory):
    """An open session of Caen Nord with three steps, the cast's trainer and tutor, the cast's
    teacher and a classmate enrolled."""
    session = factories.TrainingSessionFactory(
        open=True,
        circonscription=territory["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
    )
    session.content.sections.all().delete()
    for position, title in enumerate(("Découvrir", "Expérimenter en classe", "Partager"), 1):
        factories.SectionFactory(
            parcours=session.content, title=title, position=position, with_page=True
        )
    factories.EnrolmentFactory(session=session, user=cast["teacher"])
    classmate = factories.teacher(
        school=territory["caen_school"], first_name="Dominique", last_name="Témoin"
    )
    factories.EnrolmentFactory(session=session, user=classmate)
    return session


def steps(session):
    return list(session.content.sections.order_by("position"))


def enrolment(session, user) -> Enrolment:
    return Enrolment.objects.select_related("session").get(session=session, user=user)


def tick_url(section) -> str:
    return reverse("training:step_done", args=[section.pk])


def table_url(session) -> str:
    return reverse("training:manage_steps", args=[session.pk])


def page_url(session) -> str:
    return reverse("training:participant_session", args=[session.pk])


def ticked(session, user) -> set[str]:
    return set(
        StepDone.objects.filter(enrolment__session=session, enrolment__user=user).values_list(
            "section__title", flat=True
        )
    )


# The service ---------------------------------------------------------------------------------


def test_a_participant_ticks_a_step_and_unticks_it(session, cast):
    mine, (first, *_rest) = enrolment(session, cast["teacher"]), steps(session)

    services.mark_step(enrolment=mine, section=first, done=True)
    assert ticked(session, cast["teacher"]) == {"Découvrir"}

    services.mark_step(enrolment=mine, section=first, done=False)
    assert ticked(session, cast["teacher"]) == set()


def test_ticking_a_step_twice_keeps_one_tick(session, cast):
    mine, first = enrolment(session, cast["teacher"]), steps(session)[0]

    services.mark_step(enrolment=mine, section=first, done=True)
    services.mark_step(enrolment=mine, section=first, done=True)

    assert StepDone.objects.filter(enrolment=mine).count() == 1


def test_a_tick_stores_no_time_of_any_kind():
    """domain.md §6: a fact, never when (nothing to add to REVIEWED_TIME_FIELDS)."""
    timed = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
    assert not [f.name for f in StepDone._meta.get_fields() if isinstance(f, timed)]


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_a_closed_or_archived_session_refuses_ticking(session, cast, status):
    mine, first = enrolment(session, cast["teacher"]), steps(session)[0]
    StepDone.objects.create(enrolment=mine, section=steps(session)[1])
    session.status = status
    session.save()

    with pytest.raises(ValidationError):
        services.mark_step(enrolment=mine, section=first, done=True)
    with pytest.raises(ValidationError):
        services.mark_step(enrolment=mine, section=steps(session)[1], done=False)
    assert ticked(session, cast["teacher"]) == {"Expérimenter en classe"}


def test_a_session_in_preparation_refuses_ticking(session, cast):
    session.status = SessionStatus.PREPARATION
    session.save()

    with pytest.raises(ValidationError) as error:
        services.mark_step(
            enrolment=enrolment(session, cast["teacher"]), section=steps(session)[0], done=True
        )
    assert error.value.code == "not_open"


def test_a_participant_on_the_waiting_list_cannot_tick(session, territory):
    waiting = factories.EnrolmentFactory(session=session, waiting=True)

    with pytest.raises(ValidationError) as error:
        services.mark_step(enrolment=waiting, section=steps(session)[0], done=True)
    assert error.value.code == "not_enrolled"
    assert not StepDone.objects.exists()


def test_a_section_of_another_content_cannot_be_ticked(session, cast, territory):
    other = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    foreign = factories.SectionFactory(parcours=other.content)

    with pytest.raises(ValidationError) as error:
        services.mark_step(
            enrolment=enrolment(session, cast["teacher"]), section=foreign, done=True
        )
    assert error.value.code == "foreign_section"


def test_a_section_removed_from_the_content_no_longer_counts(session, cast):
    mine, (first, second, _third) = enrolment(session, cast["teacher"]), steps(session)
    services.mark_step(enrolment=mine, section=first, done=True)
    services.mark_step(enrolment=mine, section=second, done=True)
    assert selectors.steps_progress(mine) == selectors.StepsProgress(done=2, total=3)

    parcours_services.delete_section(section=second)

    assert selectors.steps_progress(mine) == selectors.StepsProgress(done=1, total=2)
    assert ticked(session, cast["teacher"]) == {"Découvrir"}


# The attestation rule --------------------------------------------------------------------------


def rule_of(session) -> dict[str, bool | None]:
    return {
        e.user.first_name: e.satisfies_rule for e in selectors.enrolments_for_attestation(session)
    }


def test_the_rule_may_ask_for_every_step_ticked(session, cast):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.attestation_requires_steps = True
    session.save()
    mine = enrolment(session, cast["teacher"])
    for section in steps(session)[:2]:
        services.mark_step(enrolment=mine, section=section, done=True)
    assert rule_of(session) == {"Camille": False, "Dominique": False}

    services.mark_step(enrolment=mine, section=steps(session)[2], done=True)

    assert rule_of(session) == {"Camille": True, "Dominique": False}
    assert list(selectors.unattested_satisfying_rule(session)) == [mine.pk]


def test_without_the_option_the_trainers_decision_stays_the_only_rule(session, cast):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.save()
    for section in steps(session):
        services.mark_step(
            enrolment=enrolment(session, cast["teacher"]), section=section, done=True
        )

    assert rule_of(session) == {"Camille": None, "Dominique": None}


def test_with_meetings_the_rule_asks_for_both(session, cast):
    session.attestation_requires_steps = True  # the rule stays ALL_MEETINGS
    session.save()
    meeting = factories.MeetingFactory(session=session, date=session.start_date)
    mine = enrolment(session, cast["teacher"])
    classmate = session.enrolments.exclude(pk=mine.pk).get()
    for who in (mine, classmate):
        Attendance.objects.create(meeting=meeting, enrolment=who, status=AttendanceStatus.PRESENT)
    for section in steps(session):
        services.mark_step(enrolment=mine, section=section, done=True)

    assert rule_of(session) == {"Camille": True, "Dominique": False}


def test_the_attestation_screen_says_why_the_rule_is_not_met(client, session, cast):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.attestation_requires_steps = True
    session.save()
    services.mark_step(
        enrolment=enrolment(session, cast["teacher"]), section=steps(session)[0], done=True
    )
    client.force_login(cast["trainer"])

    page = client.get(reverse("training:attestation", args=[session.pk])).content.decode()

    assert "toutes les étapes du contenu cochées par le participant" in page
    assert "1 / 3" in page and "0 / 3" in page
    assert "étapes pas toutes cochées" in page
    assert "Attester tous ceux qui remplissent la règle" in page


def test_those_who_pilot_the_session_see_its_attestation_screen_without_the_steps(
    client, session, cast
):
    session.attestation_rule = AttestationRule.TRAINER_DECISION
    session.attestation_requires_steps = True
    session.save()
    services.mark_step(
        enrolment=enrolment(session, cast["teacher"]), section=steps(session)[0], done=True
    )
    client.force_login(cast["ien"])

    response = client.get(reverse("training:attestation", args=[session.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Étapes cochées" not in page
    assert "1 / 3" not in page and "0 / 3" not in page


def test_the_trainer_turns_the_option_on_in_the_session_settings(client, session, cast):
    client.force_login(cast["trainer"])
    url = reverse("training:manage_settings", args=[session.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        start_date=session.start_date.isoformat(),
        end_date=session.end_date.isoformat(),
        attestation_requires_steps="on",
    )
    data.pop("self_enrolment", None)
    data.pop("show_participant_names", None)

    response = client.post(url, data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.attestation_requires_steps


# Ticking through HTTP --------------------------------------------------------------------------


def test_the_participant_ticks_with_htmx_and_gets_the_step_and_the_progress(client, session, cast):
    client.force_login(cast["teacher"])
    first = steps(session)[0]

    response = client.post(tick_url(first), {"done": "1"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="etape-{first.pk}"' in html
    assert "Marquer comme non terminée" in html
    assert "1 étape sur 3" in html
    assert 'data-hx-swap-oob="true"' in html
    assert "hx-post" not in html.replace("data-hx-post", "")
    assert ticked(session, cast["teacher"]) == {"Découvrir"}


def test_without_javascript_the_tick_comes_back_to_the_session_page(client, session, cast):
    client.force_login(cast["teacher"])
    first, second = steps(session)[:2]

    response = client.post(tick_url(first), {"done": "1"})
    client.post(tick_url(second), {"done": "1"})

    assert response.status_code == 302
    assert response.url == f"{page_url(session)}#etape-{first.pk}"
    page = client.get(page_url(session)).content.decode()
    assert "2 étapes sur 3" in page
    assert page.count("Marquer comme non terminée") == 2
    assert page.count("J’ai terminé cette étape") == 1
    assert re.search(r'<progress class="preau-progress"\s+max="3"\s+value="2"', page)


def test_the_participant_unticks_a_step(client, session, cast):
    first = steps(session)[0]
    StepDone.objects.create(enrolment=enrolment(session, cast["teacher"]), section=first)
    client.force_login(cast["teacher"])

    response = client.post(tick_url(first), {"done": "0"}, **HTMX)

    assert "0 étape sur 3" in response.content.decode()  # French: singular for 0
    assert ticked(session, cast["teacher"]) == set()


def test_a_closed_session_shows_the_ticks_without_buttons_and_refuses_a_post(client, session, cast):
    first = steps(session)[0]
    StepDone.objects.create(enrolment=enrolment(session, cast["teacher"]), section=first)
    session.status = SessionStatus.CLOSED
    session.save()
    client.force_login(cast["teacher"])

    page = client.get(page_url(session)).content.decode()
    response = client.post(tick_url(steps(session)[1]), {"done": "1"}, follow=True)

    assert "1 étape sur 3" in page and "Étape terminée" in page
    assert "J’ai terminé cette étape" not in page
    assert "close" in response.content.decode()
    assert ticked(session, cast["teacher"]) == {"Découvrir"}


def test_another_participant_ticks_only_their_own_steps(client, session, cast):
    classmate = session.enrolments.exclude(user=cast["teacher"]).get().user
    client.force_login(classmate)

    client.post(tick_url(steps(session)[0]), {"done": "1"})

    assert ticked(session, classmate) == {"Découvrir"}
    assert ticked(session, cast["teacher"]) == set()


@pytest.mark.parametrize("who", ["trainer", "tutor", "ien", "pilot", "admin", "nobody"])
def test_nobody_but_an_enrolled_participant_may_tick(client, session, cast, who):
    client.force_login(cast[who])

    assert client.post(tick_url(steps(session)[0]), {"done": "1"}).status_code == 404
    assert not StepDone.objects.exists()


def test_a_participant_of_another_session_may_not_tick_this_one(client, session, territory):
    other = factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    outsider = factories.EnrolmentFactory(session=other).user
    client.force_login(outsider)

    assert client.post(tick_url(steps(session)[0]), {"done": "1"}).status_code == 404


def test_a_teacher_waiting_for_a_place_may_not_tick(client, session):
    waiting = factories.EnrolmentFactory(session=session, waiting=True).user
    client.force_login(waiting)

    assert client.post(tick_url(steps(session)[0]), {"done": "1"}).status_code == 404


def test_signed_out_a_tick_asks_to_sign_in(client, session):
    response = client.post(tick_url(steps(session)[0]), {"done": "1"})

    assert response.status_code == 302
    assert "/connexion" in response.url or "login" in response.url


def test_an_unknown_section_is_a_404(client, session, cast):
    client.force_login(cast["teacher"])

    assert (
        client.post(reverse("training:step_done", args=[999999]), {"done": "1"}).status_code == 404
    )


def test_a_section_of_a_parcours_outside_any_session_is_a_404(client, session, cast):
    draft_section = factories.SectionFactory()
    client.force_login(cast["teacher"])

    assert client.post(tick_url(draft_section), {"done": "1"}).status_code == 404


@pytest.mark.parametrize("value", ["", "2", "oui", "true"])
def test_a_tick_with_a_bad_value_is_a_400(client, session, cast, value):
    client.force_login(cast["teacher"])

    assert client.post(tick_url(steps(session)[0]), {"done": value}).status_code == 400
    assert not StepDone.objects.exists()


def test_a_get_on_the_tick_is_a_405(client, session, cast):
    client.force_login(cast["teacher"])

    assert client.get(tick_url(steps(session)[0])).status_code == 405


# The trainers' table -------------------------------------------------------------------------


def test_the_trainer_sees_which_steps_each_participant_ticked(client, session, cast):
    mine = enrolment(session, cast["teacher"])
    for section in steps(session)[:2]:
        services.mark_step(enrolment=mine, section=section, done=True)
    client.force_login(cast["trainer"])

    response = client.get(table_url(session))

    assert response.status_code == 200
    rows = {p.user.first_name: p.ticks for p in response.context["page"].object_list}
    assert rows == {"Camille": [True, True, False], "Dominique": [False, False, False]}
    html = response.content.decode()
    assert "2 sur 3" in html and "0 sur 3" in html
    assert "Expérimenter en classe" in html


def test_the_tutor_sees_the_steps_table(client, session, cast):
    client.force_login(cast["tutor"])

    assert client.get(table_url(session)).status_code == 200


@pytest.mark.parametrize("who", ["ien", "pilot", "manager", "admin", "teacher", "nobody"])
def test_nobody_else_sees_the_steps_table(client, session, cast, who):
    """The IEN and the pilots see participation (enrolled, completed), never activity inside a
    session (domain.md §6); the participants see only their own ticks."""
    client.force_login(cast[who])

    assert client.get(table_url(session)).status_code == 404


def test_the_trainer_of_another_session_does_not_see_this_table(client, session, territory):
    other_trainer = factories.SessionStaffFactory(
        session=factories.TrainingSessionFactory(open=True, circonscription=territory["caen"])
    ).user
    client.force_login(other_trainer)

    assert client.get(table_url(session)).status_code == 404


def test_the_session_page_links_the_table_for_its_staff_only(client, session, cast):
    link = table_url(session)
    client.force_login(cast["trainer"])
    assert link in client.get(reverse("training:manage", args=[session.pk])).content.decode()
    client.force_login(cast["ien"])
    assert link not in client.get(reverse("training:manage", args=[session.pk])).content.decode()


def test_the_steps_table_costs_the_same_with_10_times_more_participants_and_steps(
    client, session, cast, territory, count_queries
):
    queries = [
        "the Django session",
        "the user",
        "the session, if the user is one of its trainers or tutors, with its content",
        "the steps: sections of the content",
        "how many participants (pagination)",
        "a page of participants, with their names and how many steps each ticked",
        "the ticks of that page",
        "unread notifications of the person (the bell in the header)",
        "roles of the user (navigation, in the header)",
    ]
    client.force_login(cast["trainer"])
    for participants, step_count in ((10, 3), (100, 30)):
        for position in range(session.content.sections.count(), step_count):
            factories.SectionFactory(parcours=session.content, position=position + 1)
        people = factories.teachers_at(
            territory["bayeux_school"], participants - session.enrolments.count()
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(session=session, user=person) for person in people
        )
        StepDone.objects.bulk_create(
            StepDone(enrolment=enrolment, section=section)
            for enrolment in enrolments
            for section in steps(session)[::2]
        )
        with count_queries() as ran:
            response = client.get(table_url(session))
        assert response.status_code == 200
        assert len(response.context["steps"]) == step_count
        expected = "\n".join(f"{i}. {name}" for i, name in enumerate(queries, 1))
        assert len(ran) == len(queries), (
            f"{participants} participants, {step_count} steps: {len(ran)} queries instead of "
            f"{len(queries)}.\nExpected:\n{expected}\n\nRan:\n{ran.sql()}"
        )
