"""The attendance certificate of an attested participant (PDF), and the public page that
verifies its code."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.text import slugify
from pypdf import PdfReader

from preau.accounts.models import Role
from preau.training import selectors, services
from preau.training.models import (
    CERTIFICATE_ALPHABET,
    Enrolment,
    SessionStatus,
    new_certificate_code,
)
from tests import factories

pytestmark = pytest.mark.django_db


def certificate_url(enrolment) -> str:
    return reverse("training:certificate", args=[enrolment.pk])


def verify_url(code: str) -> str:
    return reverse("training:verify_code", args=[code])


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def session(territory, cast):
    """An open session of Caen Nord (1 h 30 in presence, 4 h at a distance), run by the cast's
    trainer and a second trainer, with a tutor."""
    source = factories.ParcoursFactory(
        published=True,
        title="Résoudre des problèmes au cycle 2",
        short_title="PROBLEMES",
        presence_hours=Decimal("1.5"),
        distance_hours=Decimal(4),
    )
    return factories.TrainingSessionFactory(
        open=True,
        source=source,
        title="Problèmes — Caen Nord, printemps",
        circonscription=territory["caen"],
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 4, 10),
        trainers=[
            cast["trainer"],
            factories.with_role(Role.TRAINER, circonscription=territory["caen"], user=None),
        ],
        tutors=[cast["tutor"]],
    )


@pytest.fixture
def camille(session, cast) -> Enrolment:
    """The cast's teacher, enrolled and attested by the trainer."""
    enrolment = factories.EnrolmentFactory(session=session, user=cast["teacher"])
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    return enrolment


# The certificate --------------------------------------------------------------------------------


def test_participant_downloads_their_certificate_with_every_fact_on_it(
    client, cast, session, camille, territory
):
    client.force_login(cast["teacher"])

    response = client.get(certificate_url(camille))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = slugify(cast["teacher"].get_full_name())
    assert response["Content-Disposition"] == (
        f'inline; filename="attestation-{name}-problemes-caen-nord-printemps.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = pdf_text(response.content)
    school = territory["caen_school"]
    code = camille.certificate_code
    for fact in (
        "ATTESTATION DE FORMATION",  # the title, in capitals
        cast["teacher"].get_full_name(),
        school.name,
        f"UAI {school.uai}",
        "Résoudre des problèmes au cycle 2",
        session.source.matricule,
        "Problèmes — Caen Nord, printemps",
        "du 2 mars 2026 au 10 avril 2026",
        "Durée en présence 1 h 30",
        "Durée à distance 4 h",
        "Durée totale créditée 5 h 30",
        cast["trainer"].get_full_name(),
        "Circonscription de Caen Nord",
        camille.certificate_code_display,  # ABCD-EFGH-JKMN-PQRS, easier to copy by hand
        f"http://testserver/sessions/verifier/{code}/",
    ):
        assert fact in text, fact
    assert cast["tutor"].get_full_name() not in text  # trainers only


def test_organisers_download_the_certificate_of_a_participant(client, cast, camille):
    for who in ("trainer", "tutor", "ien", "pilot"):
        client.force_login(cast[who])
        assert client.get(certificate_url(camille)).status_code == 200, who


def test_certificate_stays_downloadable_after_the_session_is_closed_and_archived(
    client, cast, session, camille
):
    services.close_session(session=session, by=cast["trainer"])
    session.refresh_from_db()
    services.archive_session(session=session, by=cast["trainer"])
    client.force_login(cast["teacher"])

    assert client.get(certificate_url(camille)).status_code == 200


def test_another_teacher_gets_a_404_for_someone_elses_certificate(
    client, territory, session, camille
):
    colleague = factories.teacher(school=territory["caen_school"])
    factories.EnrolmentFactory(session=session, user=colleague)  # same session, even
    client.force_login(colleague)

    assert client.get(certificate_url(camille)).status_code == 404


@pytest.mark.parametrize("who", ["other_ien", "designer", "nobody"])
def test_people_outside_the_session_get_a_404(client, cast, camille, who):
    client.force_login(cast[who])

    assert client.get(certificate_url(camille)).status_code == 404


def test_trainer_of_another_session_gets_a_404(client, territory, camille):
    colleague = factories.with_role(Role.TRAINER, circonscription=territory["caen"])
    factories.TrainingSessionFactory(circonscription=territory["caen"], trainers=[colleague])
    client.force_login(colleague)

    assert client.get(certificate_url(camille)).status_code == 404


def test_a_participant_not_attested_has_no_certificate(client, cast, session):
    enrolment = factories.EnrolmentFactory(session=session, user=cast["teacher"])
    client.force_login(cast["teacher"])

    assert client.get(certificate_url(enrolment)).status_code == 404
    client.force_login(cast["trainer"])
    assert client.get(certificate_url(enrolment)).status_code == 404


def test_a_person_on_the_waiting_list_has_no_certificate(client, cast, session):
    waiting = factories.EnrolmentFactory(session=session, user=cast["teacher"], waiting=True)
    services.attest(session=session, by=cast["trainer"], enrolment_ids=[waiting.pk])
    client.force_login(cast["teacher"])

    assert client.get(certificate_url(waiting)).status_code == 404
    waiting.refresh_from_db()
    assert waiting.certificate_code is None


def test_a_withdrawn_attestation_has_no_certificate_any_more(client, cast, camille):
    services.withdraw_attestation(enrolment=camille)
    client.force_login(cast["teacher"])

    assert client.get(certificate_url(camille)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, camille):
    response = client.get(certificate_url(camille))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Codes --------------------------------------------------------------------------------------------


def test_codes_are_long_random_distinct_and_easy_to_type():
    codes = {new_certificate_code() for _ in range(1000)}

    assert len(codes) == 1000
    assert {len(code) for code in codes} == {16}
    # Capitals and digits, without I, L, O, U: nothing to confuse when copying by hand.
    assert set("".join(codes)) <= set(CERTIFICATE_ALPHABET)
    assert not set("ILOU") & set(CERTIFICATE_ALPHABET)


# Public verification ---------------------------------------------------------------------------


def test_anyone_verifies_a_code_and_sees_only_what_the_certificate_states(
    client, cast, session, camille, territory, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the enrolment by its code, with person and session
        response = client.get(verify_url(camille.certificate_code))

    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    assert response.status_code == 200
    assert "Cette attestation est authentique" in main
    for fact in (
        cast["teacher"].get_full_name(),
        "Résoudre des problèmes au cycle 2",
        session.source.matricule,
        "du 2 mars 2026 au 10 avril 2026",
        "1 h 30 en présence, 4 h à distance, soit 5 h 30",
    ):
        assert fact in main, fact
    school = territory["caen_school"]
    for private in (
        school.name,
        school.uai,
        cast["teacher"].email,
        cast["trainer"].get_full_name(),
        "Circonscription de",  # not even the issuing territory
    ):
        assert private not in main, private
    assert response["X-Robots-Tag"] == "noindex"


def test_a_typed_code_is_verified_too(client, camille):
    response = client.get(reverse("training:verify"), {"code": f"  {camille.certificate_code} "})

    assert "Cette attestation est authentique" in response.content.decode()


def test_an_unknown_code_gets_a_clear_message_and_no_error(client, camille):
    response = client.get(verify_url("AAAAAAAAAAAAAAAA"))

    assert response.status_code == 200
    assert "Aucune attestation ne correspond à ce code" in response.content.decode()


def typed_variants(code: str) -> list[str]:
    """The code « ABCD2345EFGH6789 » as people type it: « ab-cd 23… », lower case, grouped."""
    return [
        code.lower(),
        "-".join(code[i : i + 4] for i in range(0, 16, 4)),
        f"{code[:2].lower()}-{code[2:4].lower()} {code[4:6]} {code[6:]}",
        " – ".join(code[i : i + 4] for i in range(0, 16, 4)),  # an en dash, copied from a PDF
        f"\t{code[:8]}\n{code[8:].lower()} ",
    ]


def test_a_code_is_found_whatever_its_case_spaces_or_dashes(client, camille):
    camille.certificate_code = "ABCD2345EFGH6789"
    camille.save(update_fields=["certificate_code"])

    for typed in typed_variants("ABCD2345EFGH6789"):
        assert selectors.certificate_by_code(typed) == camille, typed
        content = client.get(reverse("training:verify"), {"code": typed}).content.decode()
        assert "Cette attestation est authentique" in content, typed
        assert "Le code ABCD-2345-EFGH-6789 correspond" in content


def test_letters_that_look_like_digits_are_read_as_the_digits(camille):
    camille.certificate_code = "0123456789ABCDEF"
    camille.save(update_fields=["certificate_code"])

    assert selectors.certificate_by_code("o123-4567-89ab-cdef") == camille
    assert selectors.certificate_by_code("Ol23 4567 89AB CDEF") == camille


def test_near_misses_and_junk_are_not_found_and_cost_no_query(
    client, camille, django_assert_num_queries
):
    code = camille.certificate_code
    for near_miss in (code[:-1], code + "X", code[:8], code[:15] + "U", "x" * 200, "", "--"):
        assert selectors.certificate_by_code(near_miss) is None, near_miss
    for junk in (f"{code[:8]}\x00{code[8:]}", "\x00", "é" * 16, "x" * 200, "   "):
        with django_assert_num_queries(0):
            assert selectors.certificate_by_code(junk) is None, junk


@pytest.mark.parametrize(
    ("typed", "status"), [("AB\x00CD", 400), ("\x00", 400), ("ab-cd 12", 200), ("x" * 65, 200)]
)
def test_the_verification_page_answers_any_input_without_an_error(client, camille, typed, status):
    response = client.get(reverse("training:verify"), {"code": typed})

    assert response.status_code == status  # 400: a NUL byte, refused by RejectNulBytesMiddleware
    assert "Cette attestation est authentique" not in response.content.decode()


def test_a_null_byte_in_the_address_is_no_error(client):
    response = client.get("/sessions/verifier/AB%00CD/")
    assert response.status_code == 400


def test_a_code_of_the_earlier_format_still_verifies_as_printed(client, camille):
    camille.certificate_code = "aB3_-xYz9876543Q"
    camille.save(update_fields=["certificate_code"])

    assert selectors.certificate_by_code(" aB3_-xYz9876543Q ") == camille
    assert selectors.certificate_by_code("Ab3_-XyZ9876543q") is None
    content = client.get(verify_url("aB3_-xYz9876543Q")).content.decode()
    assert "Le code aB3_-xYz9876543Q correspond" in content


def test_a_withdrawn_attestation_no_longer_verifies(client, camille):
    code = camille.certificate_code
    services.withdraw_attestation(enrolment=camille)

    content = client.get(verify_url(code)).content.decode()

    assert "Aucune attestation ne correspond à ce code" in content


def test_waiting_or_not_attested_enrolments_have_no_code(session, cast):
    waiting = factories.EnrolmentFactory(session=session, waiting=True)
    enrolled = factories.EnrolmentFactory(session=session)

    assert waiting.certificate_code is None and enrolled.certificate_code is None
    assert selectors.certificate_by_code("") is None


def test_the_empty_form_says_nothing_about_codes(client):
    content = client.get(reverse("training:verify")).content.decode()

    assert "Vérifier une attestation de formation" in content
    assert "Aucune attestation ne correspond" not in content


def test_a_certificate_of_an_archived_session_still_verifies(client, cast, session, camille):
    session.status = SessionStatus.ARCHIVED
    session.save(update_fields=["status"])

    content = client.get(verify_url(camille.certificate_code)).content.decode()

    assert "Cette attestation est authentique" in content


def test_the_certificate_keeps_the_school_of_the_attestation_after_a_move(
    client, cast, camille, territory
):
    trained_at = territory["caen_school"]
    teacher = cast["teacher"]
    teacher.school = territory["saint_lo_school"]
    teacher.save()
    client.force_login(teacher)

    text = pdf_text(client.get(certificate_url(camille)).content)

    assert f"UAI {trained_at.uai}" in text
    assert territory["saint_lo_school"].uai not in text


def test_withdrawing_an_attestation_forgets_the_school_it_recorded(session, camille):
    assert camille.attested_school_uai

    services.withdraw_attestation(enrolment=camille)

    camille.refresh_from_db()
    assert (camille.attested_school_name, camille.attested_school_uai) == ("", "")
