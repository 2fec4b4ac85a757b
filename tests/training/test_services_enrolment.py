"""Enrolment by the organisers: pasted lists and CSV files, the preview of every line's fate,
the confirmation that writes all valid lines in one transaction, capacity, the waiting list
and its automatic promotion."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from preau.training import enrolment_lists, services
from preau.training.models import Enrolment, EnrolmentSource, EnrolmentStatus, SessionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"training:{name}", args=args)


def fates(result) -> list[tuple[int, str, str]]:
    return [(f.line, f.fate, f.reason) for f in result]


@pytest.fixture
def session(territory, cast):
    """A session in preparation of Caen Nord with 3 places, run by the cast's trainer."""
    return factories.TrainingSessionFactory(
        circonscription=territory["caen"], capacity=3, trainers=[cast["trainer"]]
    )


@pytest.fixture
def trainer_client(client, cast):
    client.force_login(cast["trainer"])
    return client


@pytest.fixture
def people(territory):
    """Five teachers of Caen Nord: a@… to e@…"""
    school = territory["caen_school"]
    return {
        name: factories.teacher(school=school, email=f"{name}@ac-normandie.fr", last_name=name)
        for name in "abcde"
    }


# Parsing -------------------------------------------------------------------------------------


def test_pasted_list_accepts_lines_commas_semicolons_and_named_addresses():
    lines = enrolment_lists.parse_pasted(
        "a@ac-normandie.fr\n\n b@ac-normandie.fr, c@ac-normandie.fr;"
        "Dominique Petit <d@ac-normandie.fr>\tpas une adresse",
        group="G1",
    )
    assert [(li.number, li.email, li.group) for li in lines] == [
        (1, "a@ac-normandie.fr", "G1"),
        (2, "b@ac-normandie.fr", "G1"),
        (3, "c@ac-normandie.fr", "G1"),
        (4, "d@ac-normandie.fr", "G1"),
        (5, "pas une adresse", "G1"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "Courriel;Groupe\na@ac-normandie.fr;G1\n\nb@ac-normandie.fr;\n",
        "email,groupe\r\na@ac-normandie.fr,G1\r\n\r\nb@ac-normandie.fr\r\n",
        "\ufeffAdresse électronique;Groupe\na@ac-normandie.fr;G1\n\nb@ac-normandie.fr\n",
    ],
    ids=["semicolons", "commas-crlf", "bom-header"],
)
def test_csv_tolerates_separators_a_header_and_a_byte_order_mark(content):
    lines = enrolment_lists.parse_csv(content.encode())
    assert [(li.number, li.email, li.group) for li in lines] == [
        (2, "a@ac-normandie.fr", "G1"),
        (4, "b@ac-normandie.fr", ""),
    ]


def test_csv_without_header_keeps_its_first_line():
    lines = enrolment_lists.parse_csv(b"a@ac-normandie.fr\nmalforme\n")
    assert [(li.number, li.email) for li in lines] == [(1, "a@ac-normandie.fr"), (2, "malforme")]


def test_csv_that_is_not_utf8_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="n’est pas encodé en UTF-8"):
        enrolment_lists.parse_csv("élève@ac-normandie.fr;Groupe é\n".encode("cp1252"))


@pytest.mark.parametrize("content", [b"", b"courriel;groupe\n", b"\n\n ; \n"])
def test_empty_lists_are_refused(content):
    with pytest.raises(ValidationError, match="aucune adresse"):
        enrolment_lists.parse_csv(content)


def test_overlong_lists_are_refused():
    with pytest.raises(ValidationError, match="au plus 1000"):
        enrolment_lists.parse_pasted("\n".join(f"p{i}@ac-test.fr" for i in range(1001)))


# Preview: every line's fate ------------------------------------------------------------------


def test_preview_gives_the_fate_of_every_line(session, people):
    factories.EnrolmentFactory(session=session, user=people["a"])
    lines = [
        ("A@ac-normandie.fr", ""),  # already enrolled (case does not matter)
        ("b@ac-normandie.fr", "G1"),
        ("pas-une-adresse", ""),
        ("inconnu@ac-normandie.fr", ""),
        ("b@ac-normandie.fr", "G2"),  # duplicate of line 2
        ("c@ac-normandie.fr", ""),
        ("d@ac-normandie.fr", ""),  # the session is full by now: waiting list
        ("", ""),
    ]

    result = services.preview_enrolment(session, lines)

    assert fates(result) == [
        (1, "reject", "Déjà inscrit à cette session."),
        (2, "enrol", ""),
        (3, "reject", "Adresse électronique mal formée."),
        (4, "reject", "Aucun professeur des écoles de Caen Nord n’a cette adresse dans Préau."),
        (5, "reject", "Déjà présente ligne 2."),
        (6, "enrol", ""),
        (7, "wait", "Session complète : liste d’attente."),
        (8, "reject", "Adresse électronique mal formée."),
    ]
    assert result[1].user == people["b"] and result[1].group == "G1"
    assert Enrolment.objects.count() == 1  # nothing written


def test_preview_numbers_lines_as_in_the_file(session, people):
    result = services.preview_enrolment(
        session, [("a@ac-normandie.fr", ""), ("a@ac-normandie.fr", "")], line_numbers=[2, 5]
    )
    assert fates(result) == [(2, "enrol", ""), (5, "reject", "Déjà présente ligne 2.")]


def test_someone_waiting_counts_as_already_enrolled(session, people):
    factories.EnrolmentFactory(session=session, user=people["a"], waiting=True)
    result = services.preview_enrolment(session, [("a@ac-normandie.fr", "")])
    assert fates(result) == [(1, "reject", "Déjà inscrit à cette session.")]


# Confirmation -------------------------------------------------------------------------------------


def test_confirm_writes_every_valid_line_and_invites_the_people_enrolled(
    session, people, django_capture_on_commit_callbacks
):
    lines = [(f"{name}@ac-normandie.fr", "G1") for name in "abcd"] + [("x", "")]

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_enrolment(session=session, lines=lines)

    rows = {
        e.user.last_name: (e.status, e.group, e.source)
        for e in session.enrolments.select_related("user")
    }
    assert rows == {
        "a": (EnrolmentStatus.ENROLLED, "G1", EnrolmentSource.TRAINER),
        "b": (EnrolmentStatus.ENROLLED, "G1", EnrolmentSource.TRAINER),
        "c": (EnrolmentStatus.ENROLLED, "G1", EnrolmentSource.TRAINER),
        "d": (EnrolmentStatus.WAITING, "G1", EnrolmentSource.TRAINER),
    }
    assert sorted(m.to[0] for m in mail.outbox) == [f"{n}@ac-normandie.fr" for n in "abc"]
    assert all(m.attachments[0][0] == "session.ics" for m in mail.outbox)


def test_confirm_writes_all_lines_or_none(session, people, monkeypatch):
    """One transaction: a failure while writing leaves no enrolment behind."""
    original = Enrolment.objects.bulk_create

    def failing_bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        original(objs[:1])
        raise IntegrityError("simulated failure after the first insert")

    monkeypatch.setattr(Enrolment.objects, "bulk_create", failing_bulk_create)

    with pytest.raises(IntegrityError):
        services.confirm_enrolment(
            session=session, lines=[("a@ac-normandie.fr", ""), ("b@ac-normandie.fr", "")]
        )
    assert not Enrolment.objects.exists()
    assert mail.outbox == []


def test_confirm_counts_places_again_at_confirmation(session, people):
    """Places taken between the preview and the confirmation send the last lines waiting."""
    lines = [(f"{name}@ac-normandie.fr", "") for name in "abc"]
    assert [f.fate for f in services.preview_enrolment(session, lines)] == ["enrol"] * 3
    factories.EnrolmentFactory(session=session, user=people["e"])

    result = services.confirm_enrolment(session=session, lines=lines)

    assert [f.fate for f in result] == ["enrol", "enrol", "wait"]
    assert session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == 3


def test_a_closed_session_takes_no_more_enrolment(session, people):
    session.status = SessionStatus.CLOSED
    session.save()
    with pytest.raises(ValidationError, match="close"):
        services.confirm_enrolment(session=session, lines=[("a@ac-normandie.fr", "")])


# Through HTTP: preview, then confirm ---------------------------------------------------------


def test_pasted_list_is_previewed_and_nothing_is_written_before_confirmation(
    trainer_client, session, people, django_capture_on_commit_callbacks
):
    factories.EnrolmentFactory(session=session, user=people["e"])
    pasted = (
        "a@ac-normandie.fr\nb@ac-normandie.fr, inconnu@ac-normandie.fr\n"
        "mal formée\ne@ac-normandie.fr"
    )

    response = trainer_client.post(
        url("manage_enrol", session.pk), {"mode": "liste", "emails": pasted, "group": "G7"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert [f.fate for f in response.context["fates"]] == [
        "enrol",
        "enrol",
        "reject",
        "reject",
        "reject",
    ]
    assert "Aucun professeur des écoles de Caen Nord n’a cette adresse dans Préau." in page
    assert "Déjà inscrit à cette session." in page
    assert "Confirmer l’inscription de 2 personnes" in page
    assert session.enrolments.count() == 1
    assert mail.outbox == []

    signed = response.context["confirm_form"]["lines"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            url("manage_enrol_confirm", session.pk), {"lines": signed}, follow=True
        )

    assert "2 personnes inscrites" in response.content.decode()
    assert "3 lignes écartées" in response.content.decode()
    assert set(session.enrolments.filter(group="G7").values_list("user__email", flat=True)) == {
        "a@ac-normandie.fr",
        "b@ac-normandie.fr",
    }
    assert len(mail.outbox) == 2


def test_csv_upload_is_previewed_with_the_file_line_numbers(trainer_client, session, people):
    content = "courriel;groupe\na@ac-normandie.fr;Groupe 1\nb@ac-normandie.fr;Groupe 2\n"
    upload = SimpleUploadedFile("liste.csv", content.encode(), content_type="text/csv")

    response = trainer_client.post(
        url("manage_enrol", session.pk), {"mode": "fichier", "file": upload}
    )

    assert [(f.line, f.email, f.group, f.fate) for f in response.context["fates"]] == [
        (2, "a@ac-normandie.fr", "Groupe 1", "enrol"),
        (3, "b@ac-normandie.fr", "Groupe 2", "enrol"),
    ]
    assert not session.enrolments.exists()


def test_csv_upload_in_another_encoding_gets_a_clear_message(trainer_client, session):
    upload = SimpleUploadedFile("liste.csv", "é@ac-test.fr;Groupe é".encode("cp1252"))
    response = trainer_client.post(
        url("manage_enrol", session.pk), {"mode": "fichier", "file": upload}
    )

    assert response.status_code == 200
    assert "n’est pas encodé en UTF-8" in response.content.decode()
    assert "fates" not in response.context


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"mode": "liste", "emails": ""}, "Collez au moins une adresse électronique."),
        ({"mode": "liste", "emails": " ;, \n"}, "La liste ne contient aucune adresse."),
        ({"mode": "fichier"}, "Choisissez un fichier CSV."),
    ],
)
def test_enrolment_forms_refuse_empty_input(trainer_client, session, data, error):
    response = trainer_client.post(url("manage_enrol", session.pk), data)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_a_tampered_or_foreign_list_is_not_confirmed(
    trainer_client, cast, territory, session, people
):
    response = trainer_client.post(
        url("manage_enrol", session.pk), {"mode": "liste", "emails": "a@ac-normandie.fr"}
    )
    signed = response.context["confirm_form"]["lines"].value()
    other = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )

    response = trainer_client.post(
        url("manage_enrol_confirm", other.pk), {"lines": signed}, follow=True
    )
    assert "préparée pour une autre session" in response.content.decode()
    response = trainer_client.post(
        url("manage_enrol_confirm", session.pk), {"lines": signed[:-3] + "abc"}, follow=True
    )
    assert "expiré ou a été altérée" in response.content.decode()
    assert not Enrolment.objects.exists()


# Capacity and the waiting list ---------------------------------------------------------------


def test_unenrolling_promotes_the_first_person_waiting_who_is_told_by_email(
    trainer_client, session, people, django_capture_on_commit_callbacks
):
    session.status = SessionStatus.OPEN
    session.save()
    leaving = [factories.EnrolmentFactory(session=session, user=people[n]) for n in "abc"][0]
    first = factories.EnrolmentFactory(session=session, user=people["d"], waiting=True)
    factories.EnrolmentFactory(session=session, user=people["e"], waiting=True)

    assert trainer_client.get(url("manage_unenrol", leaving.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url("manage_unenrol", leaving.pk), follow=True)

    first.refresh_from_db()
    assert first.status == EnrolmentStatus.ENROLLED
    assert not Enrolment.objects.filter(pk=leaving.pk).exists()
    assert [m.to for m in mail.outbox] == [["d@ac-normandie.fr"]]
    assert "une place s’est libérée" in mail.outbox[0].subject
    assert "passe de la liste d’attente aux inscrits" in response.content.decode()
    assert session.enrolments.filter(status=EnrolmentStatus.WAITING).count() == 1


def test_an_attested_participant_cannot_be_unenrolled(trainer_client, session):
    session.status = SessionStatus.OPEN
    session.save()
    attested = factories.EnrolmentFactory(session=session, attested=True)

    response = trainer_client.post(url("manage_unenrol", attested.pk), follow=True)

    assert "il ne peut plus être désinscrit" in response.content.decode()
    assert Enrolment.objects.filter(pk=attested.pk).exists()


def test_more_places_go_to_the_people_waiting_in_order(
    session, cast, people, django_capture_on_commit_callbacks
):
    for name in "abc":
        factories.EnrolmentFactory(session=session, user=people[name])
    d = factories.EnrolmentFactory(session=session, user=people["d"], waiting=True)
    e = factories.EnrolmentFactory(session=session, user=people["e"], waiting=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=session, by=cast["trainer"], capacity=4)

    d.refresh_from_db(), e.refresh_from_db()
    assert (d.status, e.status) == (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
    assert [m.to for m in mail.outbox] == [["d@ac-normandie.fr"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=session, by=cast["trainer"], capacity=None)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED


def test_fewer_places_than_people_enrolled_are_refused(session, cast, people):
    for name in "abc":
        factories.EnrolmentFactory(session=session, user=people[name])
    with pytest.raises(ValidationError, match="3 participants sont déjà inscrits"):
        services.update_session(session=session, by=cast["trainer"], capacity=2)
