"""Questionnaire pages through HTTP: answering, one's own chart, results above the threshold
only, and what each person may read."""

import pytest
from django.urls import reverse

from preau.questionnaires import services
from preau.questionnaires.models import (
    PositioningResponse,
    Question,
    Questionnaire,
    SatisfactionAnswer,
)
from preau.training.models import SessionStatus
from tests import factories

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _post(questionnaire, answers: dict, action: str) -> dict:
    data = {"action": action}
    for question in questionnaire.questions.all():
        value = answers.get(str(question.pk))
        if isinstance(value, list):
            data[f"q{question.pk}"] = [str(v) for v in value]
        elif value is not None:
            data[f"q{question.pk}"] = str(value)
    return data


def _everyone_answers(room, people=None):
    people = people if people is not None else [room["teacher"], *room["classmates"]]
    for seed, person in enumerate(people):
        for questionnaire in (room["before"], room["after"], room["satisfaction"]):
            services.send(
                questionnaire=questionnaire,
                by=person,
                answers=answer_all(questionnaire, person, seed),
            )


def _close(session, status=SessionStatus.CLOSED):
    session.status = status
    session.save(update_fields=["status"])


def _send_closing(session, people, first_seed=0):
    """Each person sends the session's closing questionnaire (comments from odd seeds)."""
    return _send_closing_to(services.closing_questionnaire(session), session, people, first_seed)


def _send_closing_to(questionnaire, session, people, first_seed=0):
    for seed, person in enumerate(people, start=first_seed):
        factories.EnrolmentFactory(session=session, user=person)
        services.send(
            questionnaire=questionnaire, by=person, answers=answer_all(questionnaire, person, seed)
        )
    return questionnaire


def test_a_participant_saves_a_draft_then_sends_and_sees_the_form_no_more(client, room):
    client.force_login(room["teacher"])
    questionnaire = room["satisfaction"]
    url = reverse("questionnaires:answer", args=[questionnaire.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<fieldset" in html and "<legend" in html and "fr-radio-group" in html
    answers = answer_all(questionnaire, room["teacher"], 1)
    client.post(url, _post(questionnaire, answers, "brouillon"))
    assert 'value="Commentaire numéro 1"' in client.get(url).content.decode() or (
        "Commentaire numéro 1" in client.get(url).content.decode()
    )
    response = client.post(url, _post(questionnaire, answers, "envoyer"), follow=True)
    assert "Vos réponses anonymes sont envoyées" in response.content.decode()
    assert "Envoyer mes réponses" not in response.content.decode()
    assert SatisfactionAnswer.objects.filter(text="Commentaire numéro 1").exists()


def test_bad_values_in_the_form_are_ignored_not_a_500(client, room):
    client.force_login(room["teacher"])
    questionnaire = room["before"]
    first = questionnaire.questions.first()
    url = reverse("questionnaires:answer", args=[questionnaire.pk])
    response = client.post(url, {"action": "brouillon", f"q{first.pk}": "abc"})
    assert response.status_code == 302
    response = client.post(url, {"action": "envoyer", f"q{first.pk}": "99999999999"})
    assert response.status_code == 302
    assert not PositioningResponse.objects.filter(sent=True).exists()


@pytest.mark.parametrize("value", ["²", "٣", "1²", " 1", "-1", "1e3"])
def test_a_digit_that_int_refuses_is_ignored_not_a_500(client, room, value):
    """« ² » passes `str.isdigit()` but `int()` refuses it: the answer is left out."""
    client.force_login(room["teacher"])
    questionnaire = room["satisfaction"]
    choice = next(q for q in questionnaire.questions.all() if q.is_choice)
    url = reverse("questionnaires:answer", args=[questionnaire.pk])
    response = client.post(url, {"action": "brouillon", f"q{choice.pk}": value})
    assert response.status_code == 302


def test_the_teacher_sees_their_own_before_and_after_chart_with_its_table(client, room):
    teacher = room["teacher"]
    for questionnaire, level in ((room["before"], 0), (room["after"], 3)):
        services.send(
            questionnaire=questionnaire,
            by=teacher,
            answers={str(q.pk): level for q in questionnaire.questions.all()},
        )
    client.force_login(teacher)
    page = client.get(reverse("questionnaires:mine", args=[room["session"].pk]))
    html = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "<table>" in html and "Où en suis-je au départ ?" in html
    assert "1 — Je ne maîtrise pas" in html
    assert "4 — Je maîtrise et je peux accompagner" in html
    csv = client.get(reverse("questionnaires:mine_csv", args=[room["session"].pk]))
    text = b"".join(csv).decode() if csv.streaming else csv.content.decode()
    assert "Je maîtrise et je peux accompagner" in text
    svg = client.get(reverse("questionnaires:mine_svg", args=[room["session"].pk]))
    assert svg["Content-Type"] == "image/svg+xml"


def test_an_activity_that_is_no_questionnaire_is_not_found_not_a_500(client, cast, source):
    """Found by tests/core/test_fuzz_urls.py: a page's id in the questionnaire's URL was a
    KeyError for whoever may edit the parcours."""
    page = factories.ActivityFactory(section=source.sections.first(), kind="page")
    draft = factories.ParcoursFactory(designers=[cast["designer"]], academie=source.academie)
    draft_page = factories.ActivityFactory(section=factories.SectionFactory(parcours=draft))
    client.force_login(cast["designer"])

    for activity in (page, draft_page):
        response = client.get(reverse("questionnaires:activity", args=[activity.pk]))
        assert response.status_code == 404, activity.section.parcours.status


# A designer's wording that a spreadsheet would run (CSV injection): every export of the
# questionnaires writes it as text (preau/core/exports.py).
FORMULA = '=HYPERLINK("http://x","y")'


def _csv_cells(response) -> list[list[str]]:
    import csv

    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(body.decode("utf-8-sig").splitlines(), delimiter=";"))


def test_a_designers_formula_is_text_in_the_teachers_own_positioning_csv(client, room):
    questionnaires = (room["before"], room["after"])
    firsts = [q.questions.filter(kind="scale").first().pk for q in questionnaires]
    Question.objects.filter(pk__in=firsts).update(text=FORMULA, objective=FORMULA)
    for questionnaire in questionnaires:
        services.send(
            questionnaire=questionnaire,
            by=room["teacher"],
            answers={str(q.pk): 1 for q in questionnaire.questions.all()},
        )
    client.force_login(room["teacher"])

    cells = _csv_cells(client.get(reverse("questionnaires:mine_csv", args=[room["session"].pk])))

    labels = [row[0] for row in cells[1:]]
    assert "'" + FORMULA in labels and FORMULA not in labels
    assert not any(cell[:1] in "=+-@\t\r" and cell for row in cells for cell in row)


def test_a_designers_formula_is_text_in_the_parcours_results_csv_and_xlsx(
    client, room, cast, source
):
    import io

    from openpyxl import load_workbook

    question = room["satisfaction"].questions.filter(kind="single").first()
    Question.objects.filter(key=question.key).update(text=FORMULA, options="@SUM(1+1)\n-2+3\nOui")
    _everyone_answers(room)
    _close(room["session"])  # totals across sessions count closed sessions only
    client.force_login(cast["editorial"])

    cells = _csv_cells(client.get(reverse("questionnaires:parcours_results_csv", args=[source.pk])))
    workbook = client.get(reverse("questionnaires:parcours_results_xlsx", args=[source.pk]))

    assert any(row[:2] == ["'" + FORMULA, "'@SUM(1+1)"] for row in cells)
    assert any(row[:2] == ["'" + FORMULA, "'-2+3"] for row in cells)
    assert not any(cell[:1] in "=+-@\t\r" and cell for row in cells for cell in row)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    formula_cells = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert formula_cells and all(c.data_type == "s" for c in formula_cells)
    labels = {c.value: c.data_type for row in sheet.iter_rows() for c in row}
    assert labels["@SUM(1+1)"] == labels["-2+3"] == "s"


def test_nobody_else_reaches_a_teachers_own_positioning(client, room, cast):
    url = reverse("questionnaires:mine", args=[room["session"].pk])
    for person in ("trainer", "tutor", "ien", "pilot", "manager", "admin", "designer"):
        client.force_login(cast[person])
        assert client.get(url).status_code == 404, person


def test_the_groups_self_positioning_is_read_by_the_sessions_trainers_and_tutors_only(
    client, room, cast
):
    """The answering page promises « ni l’inspection, ni les administrateurs »: the group's
    distribution too is for the session's own trainers and tutors (domain.md §6)."""
    _everyone_answers(room)  # 7 answered
    _close(room["session"])
    results = reverse("questionnaires:session_results", args=[room["session"].pk])
    activity = reverse("questionnaires:activity", args=[room["before"].activity_id])
    for person in ("trainer", "tutor"):
        client.force_login(cast[person])
        html = client.get(results).content.decode()
        assert "Où en suis-je au départ ?" in html and "Je maîtrise en partie" in html, person
        assert client.get(activity)["Location"] == results, person
    for person in ("ien", "pilot", "manager", "admin"):
        client.force_login(cast[person])
        response = client.get(results)
        html = response.content.decode()
        assert response.status_code == 200, person  # the satisfaction results, aggregated
        assert "Votre avis sur le parcours" in html and "Part des répondants" in html, person
        assert "Où en suis-je" not in html and "Je maîtrise en partie" not in html, person
        assert "ne sont montrés qu’aux formateurs et aux tuteurs" in html, person
        assert client.get(activity).status_code == 404, person


def test_the_team_sees_no_aggregate_below_the_threshold(client, room, cast):
    _everyone_answers(room, [room["teacher"], *room["classmates"][:3]])  # 4 answered
    client.force_login(cast["trainer"])
    html = client.get(reverse("questionnaires:session_results", args=[room["session"].pk]))
    html = html.content.decode()
    assert "Les résultats s’affichent à partir de 5 réponses" in html
    assert "Part des répondants" not in html
    assert "Commentaire numéro" not in html


def test_the_team_sees_distributions_from_the_threshold_never_a_name_or_score(client, room, cast):
    _everyone_answers(room)  # 7 answered
    _close(room["session"])
    client.force_login(cast["trainer"])
    response = client.get(reverse("questionnaires:session_results", args=[room["session"].pk]))
    html = response.content.decode()
    assert "Part des répondants" in html
    assert "Commentaire numéro" in html  # satisfaction comments, anonymous
    for person in [room["teacher"], *room["classmates"]]:
        assert f"{person.first_name} {person.last_name}" not in html
    assert "moyenne" not in html.lower() and "rang" not in html.lower()
    assert html.lower().count("score") == 1  # « aucun score », the page's own promise


def test_a_group_filter_does_not_narrow_the_aggregate(client, room, cast):
    """Enrolment groups exist (training): the results page takes no filter, so asking for a
    group of 2 shows the whole session's aggregate, never a small group's."""
    _everyone_answers(room)
    client.force_login(cast["trainer"])
    url = reverse("questionnaires:session_results", args=[room["session"].pk])
    narrowed = client.get(url + "?group=A").context["results"]
    assert narrowed == client.get(url).context["results"]
    assert narrowed[0].answered == 7


def test_the_editorial_committee_reads_a_parcours_across_sessions(client, room, cast, source):
    _everyone_answers(room)
    _close(room["session"])
    other = factories.TrainingSessionFactory(open=True, source=source, participants=[])
    _send_closing(other, [factories.teacher() for _ in range(5)], first_seed=10)
    _close(other, SessionStatus.ARCHIVED)
    client.force_login(cast["editorial"])
    html = client.get(reverse("questionnaires:parcours_results", args=[source.pk])).content
    html = html.decode()
    assert "12 réponses dans 2 sessions" in html
    assert "Commentaire numéro 11" in html
    csv = client.get(reverse("questionnaires:parcours_results_csv", args=[source.pk]))
    text = b"".join(csv.streaming_content).decode()
    assert "Le parcours a-t-il répondu à vos attentes ?" in text
    assert "Commentaire numéro" not in text  # aggregates only
    xlsx = client.get(reverse("questionnaires:parcours_results_xlsx", args=[source.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(cast["designer"])  # designer of the parcours
    assert (
        client.get(reverse("questionnaires:parcours_results", args=[source.pk])).status_code == 200
    )
    client.force_login(factories.with_role("designer", academie=source.academie))
    assert (
        client.get(reverse("questionnaires:parcours_results", args=[source.pk])).status_code == 403
    )


def test_a_total_across_sessions_minus_the_sessions_shown_isolates_nobody(
    client, room, cast, source, territory
):
    """A parcours' or a territory's results add up only questionnaires that reach the threshold
    on their own, in closed sessions: a small session beside a large one, or a session still
    open, is not in the total, so the total minus the large session's own page reveals
    nothing."""
    _everyone_answers(room)  # 7 answers in Caen Nord
    _close(room["session"])
    small = factories.TrainingSessionFactory(
        open=True, source=source, circonscription=territory["caen"]
    )
    _send_closing(small, [factories.teacher()], first_seed=41)  # « Commentaire numéro 41 »
    _close(small)
    running = factories.TrainingSessionFactory(
        open=True, source=source, circonscription=territory["caen"]
    )
    _send_closing(running, [factories.teacher() for _ in range(5)], first_seed=51)
    # A closed session whose closing questionnaire has 5 answers, beside a second satisfaction
    # questionnaire with one: left out whole (its total would give that one answer).
    two = factories.TrainingSessionFactory(
        open=True, source=source, circonscription=territory["caen"]
    )
    _send_closing(two, [factories.teacher() for _ in range(5)], first_seed=61)
    second = Questionnaire.objects.create(purpose="satisfaction", title="Mi-parcours", session=two)
    services._copy_questions(services.national_template("satisfaction"), second)
    _send_closing_to(second, two, [factories.teacher()], first_seed=71)
    _close(two)
    from preau.questionnaires import selectors

    whole = selectors.satisfaction_results(source.lineage)
    own = selectors.session_results(room["session"])
    satisfaction = next(r for r in own if r.purpose == "satisfaction")
    assert whole.answered == satisfaction.answered == 7 and whole.sessions == 1
    assert [i.options for i in whole.questions] == [i.options for i in satisfaction.questions]
    for person in ("ien", "pilot", "manager"):
        client.force_login(cast[person])
        listing = client.get(reverse("questionnaires:territory")).content.decode()
        assert "<td>7</td>" in listing and "<td>8</td>" not in listing, person
        url = reverse("questionnaires:territory_parcours", args=[source.lineage_id])
        html = client.get(url).content.decode()
        assert "7 réponses dans 1 sessions" in html, person
        for seed in (41, 51, 53, 55, 61, 63, 65, 71):
            assert f"Commentaire numéro {seed}" not in html
    client.force_login(cast["editorial"])
    html = client.get(reverse("questionnaires:parcours_results", args=[source.pk])).content
    assert "7 réponses dans 1 sessions" in html.decode()
    assert "Commentaire numéro 41" not in html.decode()


def test_a_sessions_satisfaction_results_wait_for_its_closing(client, room, cast):
    """While the session is open, refreshing the results between the 5th and the 6th answer
    would give the 6th person's answers: the satisfaction results show once it is closed."""
    people = [room["teacher"], *room["classmates"]]
    questionnaire = room["satisfaction"]
    url = reverse("questionnaires:session_results", args=[room["session"].pk])
    client.force_login(cast["trainer"])
    for seed, person in enumerate(people):
        services.send(
            questionnaire=questionnaire, by=person, answers=answer_all(questionnaire, person, seed)
        )
        html = client.get(url).content.decode()
        assert "Les résultats s’affichent à la clôture de la session, quand au moins 5 " in html
        assert "Part des répondants" not in html and "Commentaire numéro" not in html
    for status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED):
        _close(room["session"], status)
        html = client.get(url).content.decode()
        assert "Part des répondants" in html and "Commentaire numéro 1" in html
        assert "à la clôture de la session" not in html


def test_a_territory_below_the_threshold_shows_nothing_even_if_the_parcours_has_more(
    client, room, cast, source, territory
):
    _everyone_answers(room)  # 7 answers in Caen Nord (Calvados)
    _close(room["session"])
    manche = factories.TrainingSessionFactory(
        open=True, source=source, circonscription=territory["saint_lo"]
    )
    people = [factories.teacher() for _ in range(2)]
    for person in people:
        factories.EnrolmentFactory(session=manche, user=person)
    closing = services.closing_questionnaire(manche)
    for seed, person in enumerate(people):
        services.send(questionnaire=closing, by=person, answers=answer_all(closing, person, seed))
    manche_pilot = factories.with_role("pilot", departement=territory["manche"])
    client.force_login(manche_pilot)
    html = client.get(reverse("questionnaires:territory")).content.decode()
    assert "territoire/parcours/" not in html  # no link below the threshold
    url = reverse("questionnaires:territory_parcours", args=[source.lineage_id])
    html = client.get(url).content.decode()
    assert "Les résultats s’affichent à partir de 5 réponses" in html
    assert "Part des répondants" not in html
    client.force_login(cast["pilot"])  # Calvados: 7 answers
    html = client.get(url).content.decode()
    assert "7 réponses dans 1 sessions" in html and "Part des répondants" in html


def test_a_designer_adapts_the_questions_of_a_draft(client, cast, territory):
    from preau.parcours.models import Activity

    draft = factories.ParcoursFactory(
        academie=territory["academie"],
        designers=[cast["designer"]],
        objectives="Programmer un déplacement\nDébugger un programme",
    )
    section = factories.SectionFactory(parcours=draft)
    activity = Activity.objects.create(section=section, kind="positioning", title="Au départ")
    client.force_login(cast["designer"])
    detail = client.get(reverse("parcours:detail", args=[draft.pk])).content.decode()
    assert "Voir et adapter les questions" in detail
    response = client.get(reverse("questionnaires:activity", args=[activity.pk]))
    edit_url = response["Location"]
    page = client.get(edit_url).content.decode()
    assert "Programmer un déplacement" in page and "Débugger un programme" in page
    client.post(
        edit_url,
        {
            "kind": "scale",
            "text": "Intégrer le numérique",
            "options": "",
            "objective": "",
            "competence": "CC9",
        },  # fmt: skip
    )
    questionnaire = activity.questionnaire
    added = questionnaire.questions.get(text="Intégrer le numérique")
    assert added.competence == "CC9"
    assert (
        "CC9 — Intégrer les éléments de la culture numérique"
        in client.get(edit_url).content.decode()
    )
    delete_url = reverse("questionnaires:question_delete", args=[added.pk])
    assert "Supprimer cette question ?" in client.get(delete_url).content.decode()
    client.post(delete_url)
    assert not questionnaire.questions.filter(pk=added.pk).exists()
    client.force_login(cast["teacher"])
    teacher_view = client.get(reverse("questionnaires:edit", args=[questionnaire.pk]))
    assert teacher_view.status_code in (403, 404)


@pytest.mark.parametrize("status", [SessionStatus.CLOSED, SessionStatus.ARCHIVED])
def test_opening_a_questionnaire_of_a_closed_session_writes_nothing(client, room, source, status):
    from preau.parcours.models import Activity

    session = factories.TrainingSessionFactory(
        **{status: True}, source=source, participants=[room["teacher"]]
    )
    other = factories.TrainingSessionFactory(**{status: True}, participants=[room["teacher"]])
    activity = Activity.objects.get(
        section__parcours=session.content, title="Où en suis-je au départ ?"
    )
    rows = list(Questionnaire.objects.values_list("pk", "session_id"))
    client.force_login(room["teacher"])
    for url in (
        reverse("questionnaires:activity", args=[activity.pk]),
        reverse("questionnaires:closing", args=[session.pk]),
        reverse("questionnaires:closing", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ce questionnaire n’a pas été ouvert pendant la session" in response.content.decode()
    assert list(Questionnaire.objects.values_list("pk", "session_id")) == rows


def test_questions_no_longer_change_once_someone_answered(room, cast):
    from django.core.exceptions import ValidationError

    services.save_draft(
        questionnaire=room["before"],
        by=room["teacher"],
        answers={str(room["before"].questions.first().pk): 1},
    )
    with pytest.raises(ValidationError):
        services.add_question(
            questionnaire=room["before"], by=cast["trainer"], kind="scale", text="Encore un item"
        )


def test_the_trainer_adapts_the_questions_of_the_session_until_someone_answers(client, room, cast):
    client.force_login(cast["trainer"])
    url = reverse("questionnaires:session_results", args=[room["session"].pk])
    edit = reverse("questionnaires:edit", args=[room["before"].pk])
    assert edit in client.get(url).content.decode()
    assert client.get(edit).status_code == 200
    client.force_login(cast["tutor"])  # follows the session, does not run it
    assert edit not in client.get(url).content.decode()
    assert client.get(edit).status_code == 403
    services.send(
        questionnaire=room["before"],
        by=room["teacher"],
        answers=answer_all(room["before"], room["teacher"], 1),
    )
    client.force_login(cast["trainer"])
    assert edit not in client.get(url).content.decode()
