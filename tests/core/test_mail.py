"""The demo's e-mails (`make run`): one .eml file per message under var/mail/, which a mail reader
opens, and one console line with its path (tests/core/test_demo.py: production's default stays
SMTP)."""

import datetime
import email
import email.policy
import logging
import re
from pathlib import Path

from django.core import mail
from django.urls import reverse

from preau.core.mail import EmlFileBackend, eml_file_name
from tests import factories


def backend(path) -> EmlFileBackend:
    return mail.get_connection("preau.core.mail.EmlFileBackend", file_path=str(path))


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_each_message_is_one_eml_file_that_a_mail_reader_parses(tmp_path, caplog):
    message = mail.EmailMultiAlternatives(
        subject="Préau : réinitialisation de votre mot de passe",
        body="Bonjour,\n\nVoici le lien : https://preau.example/compte/…",
        from_email="Préau <ne-pas-repondre@preau.example>",
        to=["camille.lefevre@ac-normandie.fr"],
    )
    message.attach_alternative("<p>Bonjour,</p>", "text/html")
    other = mail.EmailMessage("Inscription confirmée", "Vous êtes inscrite.", to=["a@b.fr"])

    with caplog.at_level(logging.INFO, logger="preau.core.mail"):
        sent = backend(tmp_path).send_messages([message, other])

    assert sent == 2
    files = sorted(tmp_path.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    [reset] = [f for f in files if "camille" in f.name]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d_\d{6}_camille\.lefevre@ac-normandie\.fr_"
        r"preau-reinitialisation-de-votre-mot-de-passe\.eml",
        reset.name,
    )
    raw = reset.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322 line ends
    parsed = read_eml(reset)
    # Django folds an encoded subject onto a second line, which the parser gives back with
    # the folding space ahead.
    assert parsed["Subject"].strip() == "Préau : réinitialisation de votre mot de passe"
    assert parsed["To"] == "camille.lefevre@ac-normandie.fr"
    assert parsed["Date"] and parsed["Message-ID"]
    text = parsed.get_body(("plain",)).get_content()
    assert text.startswith("Bonjour,\r\n\r\nVoici le lien : https://preau.example/")
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Bonjour,</p>"
    # One console line per message, naming its file.
    lines = [r.getMessage() for r in caplog.records if r.name == "preau.core.mail"]
    assert len(lines) == 2
    assert any(
        line.startswith("Courriel « Préau : réinitialisation de votre mot de passe » pour ")
        and line.endswith(str(reset))
        for line in lines
    ), lines


def test_two_messages_of_the_same_second_to_the_same_person_are_two_files(tmp_path):
    messages = [mail.EmailMessage("Rappel", str(n), to=["a@b.fr"]) for n in range(3)]

    assert backend(tmp_path).send_messages(messages) == 3

    files = list(tmp_path.iterdir())
    assert len(files) == 3
    assert sorted(read_eml(f).get_content().strip() for f in files) == ["0", "1", "2"]


def test_a_message_without_recipient_is_not_written(tmp_path):
    assert backend(tmp_path).send_messages([mail.EmailMessage("Rien", "x", to=[])]) == 0
    assert list(tmp_path.iterdir()) == []


def test_the_file_name_says_when_to_whom_and_what_with_safe_characters():
    message = mail.EmailMessage(
        "Vos 18 heures : il vous en manque encore", "x", to=["o'neil@x.fr", "b@x.fr", "c@x.fr"]
    )
    at = datetime.datetime(2026, 12, 7, 9, 5, 3, tzinfo=datetime.UTC)

    assert eml_file_name(message, at) == (
        "2026-12-07_100503_o-neil@x.fr-et-2_vos-18-heures-il-vous-en-manque-encore.eml"
    )
    assert eml_file_name(mail.EmailMessage("", "x", to=["a@b.fr"]), at).endswith(
        "_a@b.fr_sans-objet.eml"
    )


def test_a_password_reset_asked_on_the_demo_is_an_eml_file_with_its_link(
    client, db, settings, tmp_path
):
    settings.EMAIL_BACKEND = "preau.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    teacher = factories.teacher(email="camille.lefevre@ac-normandie.fr", first_name="Camille")

    client.post(reverse("accounts:password_reset"), {"email": teacher.email})

    [written] = (tmp_path / "mail").iterdir()
    parsed = read_eml(written)
    assert parsed["To"] == teacher.email
    assert "http://testserver/compte/mot-de-passe/nouveau/" in parsed.get_content()
