"""The PDF and the ODT of a group's document end with a « Commentaires » section: its
unresolved comments (the passage, the author, the text, the replies), for those who write the
document; the session a plan is shared with gets the plan without them."""

import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from pypdf import PdfReader

from preau.preparations import services

from .conftest import close
from .test_comments import _comment

pytestmark = pytest.mark.django_db

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


@pytest.fixture
def threads(prep):
    """An unresolved comment with two replies (one on two lines, one with markup-looking
    text), and a resolved comment."""
    comment = _comment(prep, by="classmate", body="Préciser la consigne ?")
    services.reply_to_comment(comment=comment, body="Oui :\nen deux phrases.", by=prep["teacher"])
    services.reply_to_comment(comment=comment, body="<b>Fait</b> & relu", by=prep["trainer"])
    done = _comment(prep, by="teacher", body="Commentaire-resolu-absent")
    services.resolve_comment(comment=done, by=prep["classmate"])
    return comment


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _odt_body(content: bytes):
    archive = zipfile.ZipFile(io.BytesIO(content))
    root = ET.fromstring(archive.read("content.xml"))
    return archive, root, root.find(f"{OFFICE}body/{OFFICE}text")


@pytest.mark.parametrize("closed", [False, True])
def test_the_pdf_ends_with_the_unresolved_comments_and_their_replies(client, prep, threads, closed):
    if closed:
        close(prep["session"])
    client.force_login(prep["teacher"])

    response = client.get(reverse("preparations:pdf", args=[prep["document"].pk]))

    assert response.status_code == 200
    text = _pdf_text(response.content)
    section = text[text.index("Commentaires Les commentaires du groupe") :]
    assert "« Résoudre un problème »" in section
    assert "Dominique Lemaire Préciser la consigne ?" in section
    assert "Oui : en deux phrases." in section
    assert "<b>Fait</b> & relu" in section  # escaped in the HTML, read back as typed
    assert prep["trainer"].get_full_name() in section
    assert "Commentaire-resolu-absent" not in text


@pytest.mark.parametrize("closed", [False, True])
def test_the_odt_ends_with_the_unresolved_comments_and_their_replies(client, prep, threads, closed):
    if closed:
        close(prep["session"])
    client.force_login(prep["tutor"])

    response = client.get(reverse("preparations:odt", args=[prep["document"].pk]))

    assert response.status_code == 200
    _archive, root, body = _odt_body(response.content)
    children = list(body)
    (heading,) = [h for h in children if h.tag == f"{TEXT}h" and h.text == "Commentaires"]
    assert heading.get(f"{TEXT}style-name") == "Commentaires_20_titre"
    after = children[children.index(heading) + 1 :]
    texts = [("".join(p.itertext()), p.get(f"{TEXT}style-name")) for p in after]
    assert texts == [
        ("Les commentaires du groupe qui ne sont pas résolus, avec leurs réponses.", "Standard"),
        ("« Résoudre un problème »", "Comment_20_Quote"),
        ("Dominique LemairePréciser la consigne ?", "Standard"),
        (f"{prep['teacher'].get_full_name()}Oui :en deux phrases.", "Comment_20_Reply"),
        (f"{prep['trainer'].get_full_name()}<b>Fait</b> & relu", "Comment_20_Reply"),
    ]
    # The author in bold, then a line break; the reply's two lines, two lines.
    author = after[2].find(f"{TEXT}span")
    assert (author.text, author.get(f"{TEXT}style-name")) == ("Dominique Lemaire", "Gras")
    assert len(after[3].findall(f"{TEXT}line-break")) == 2
    assert "Commentaire-resolu-absent" not in "".join(root.itertext())


def test_every_style_the_odt_names_is_defined(client, prep, threads):
    """A reader falls back silently on a style that does not exist: every style the content
    names (paragraphs, spans, lists, parents) is defined in content.xml or styles.xml."""
    client.force_login(prep["teacher"])
    response = client.get(reverse("preparations:odt", args=[prep["document"].pk]))
    archive, root, _body = _odt_body(response.content)
    styles = ET.fromstring(archive.read("styles.xml"))

    defined = {
        element.get(f"{STYLE}name")
        for tree in (root, styles)
        for element in tree.iter()
        if element.get(f"{STYLE}name") and element.tag != f"{STYLE}font-face"
    }
    named = {
        element.get(attribute)
        for element in root.iter()
        for attribute in (f"{TEXT}style-name", f"{STYLE}parent-style-name")
        if element.get(attribute)
    }
    assert "Comment_20_Reply" in named and "Commentaires_20_titre" in named
    assert named <= defined, named - defined


def test_without_unresolved_comments_there_is_no_comments_section(client, prep):
    done = _comment(prep)
    services.resolve_comment(comment=done, by=prep["teacher"])
    client.force_login(prep["teacher"])

    odt = client.get(reverse("preparations:odt", args=[prep["document"].pk])).content
    pdf = client.get(reverse("preparations:pdf", args=[prep["document"].pk])).content

    _archive, _root, body = _odt_body(odt)
    assert "Commentaires" not in ["".join(h.itertext()) for h in body.iter(f"{TEXT}h")]
    assert "Commentaires" not in _pdf_text(pdf)


def test_the_session_a_plan_is_shared_with_gets_it_without_the_comments(client, prep, threads):
    services.share(document=prep["document"], shared=True, by=prep["teacher"])
    client.force_login(prep["other"])  # a participant of the session, of another group

    pdf = client.get(reverse("preparations:pdf", args=[prep["document"].pk]))
    odt = client.get(reverse("preparations:odt", args=[prep["document"].pk]))

    assert (pdf.status_code, odt.status_code) == (200, 200)
    assert "Préciser la consigne" not in _pdf_text(pdf.content)
    _archive, root, _body = _odt_body(odt.content)
    assert "Préciser la consigne" not in "".join(root.itertext())
