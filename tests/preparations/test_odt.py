"""The ODT export of a group's document: a valid OpenDocument zip (mimetype first, stored),
its content.xml parsed back, for the same people as the page and the PDF."""

import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from pycrdt import XmlElement, XmlText

from preau.preparations import crdt, odt, services

from .conftest import close

pytestmark = pytest.mark.django_db

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _write_rich_content(prep):
    """A member types a bold + italic sentence with markup-looking text, and a bullet list and
    a numbered list of two items each."""
    document = prep["document"]
    doc = services.load(document)
    before = doc.get_state()
    children = crdt.fragment(doc).children
    paragraph = children[1]
    text = paragraph.children[0]
    text.insert(0, "Dénombrer ", None)
    text.insert(len("Dénombrer ".encode()), "<vite> & bien", {"strong": {}, "em": {}})
    for tag, items in [
        ("bullet_list", ["jetons", "ardoises"]),
        ("ordered_list", ["chercher", "comparer"]),
    ]:
        odf_list = XmlElement(tag, {})
        children.insert(2, odf_list)
        for item in items:
            odf_list.children.append(
                XmlElement("list_item", {}, [XmlElement("paragraph", {}, [XmlText(item)])])
            )
    services.record_update(document=document, update=doc.get_update(before), by=prep["teacher"])


def _open(content: bytes):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, ET.fromstring(archive.read("content.xml"))


@pytest.mark.parametrize("closed", [False, True])
def test_a_member_downloads_the_document_as_an_odt_file(client, prep, closed):
    _write_rich_content(prep)
    if closed:
        close(prep["session"])
    client.force_login(prep["classmate"])

    response = client.get(reverse("preparations:odt", args=[prep["document"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == odt.MIMETYPE
    assert "no-store" in response["Cache-Control"]
    assert "preparation-jules-ferry.odt" in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    archive, content = _open(response.content)
    first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == odt.MIMETYPE.encode()
    # The bytes a reader sniffs: the mimetype's name and value at fixed places.
    assert response.content[30:38] == b"mimetype"
    assert response.content[38 : 38 + len(odt.MIMETYPE)] == odt.MIMETYPE.encode()
    assert set(archive.namelist()) == {
        "mimetype",
        "META-INF/manifest.xml",
        "content.xml",
        "styles.xml",
    }
    manifest = ET.fromstring(archive.read("META-INF/manifest.xml"))
    paths = [
        e.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path") for e in manifest
    ]
    assert paths == ["/", "content.xml", "styles.xml"]
    ET.fromstring(archive.read("styles.xml"))

    body = content.find(f"{OFFICE}body/{OFFICE}text")
    headings = ["".join(h.itertext()) for h in body.iter(f"{TEXT}h")]
    assert headings[0] == "Préparation du groupe « Jules Ferry »"
    assert headings[1:3] == ["Objectifs", "Déroulé en étapes"]
    paragraph = body.find(f"{TEXT}p")
    assert "".join(paragraph.itertext()) == "Dénombrer <vite> & bien"
    span = paragraph.find(f"{TEXT}span")
    assert span.text == "<vite> & bien"
    style_name = span.get(f"{TEXT}style-name")
    styles = {
        s.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name"): s
        for s in content.iter("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}style")
    }
    props = styles[style_name][0].attrib
    fo = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
    assert props[f"{fo}font-weight"] == "bold" and props[f"{fo}font-style"] == "italic"
    lists = body.findall(f"{TEXT}list")
    assert [lst.get(f"{TEXT}style-name") for lst in lists] == ["Liste_numerotee", "Liste_a_puces"]
    assert ["".join(i.itertext()) for i in lists[1]] == ["jetons", "ardoises"]
    # Escaped in the file, not interpreted.
    raw = archive.read("content.xml").decode()
    assert "&lt;vite&gt; &amp; bien" in raw


def test_control_characters_are_dropped_and_the_file_stays_valid_xml(prep):
    document = prep["document"]
    doc = services.load(document)
    crdt.fragment(doc).children[1].children[0].insert(0, "a\x01b\x0bc")

    archive, content = _open(odt.to_odt(doc))

    assert "abc" in "".join(content.itertext())


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "manager", "admin", "nobody"])
def test_outsiders_never_download_the_odt(client, prep, person):
    client.force_login(prep[person])

    response = client.get(reverse("preparations:odt", args=[prep["document"].pk]))

    assert response.status_code == 404


def test_a_plan_shared_with_the_session_is_downloaded_by_its_participants(client, prep):
    url = reverse("preparations:odt", args=[prep["document"].pk])
    client.force_login(prep["other"])
    assert client.get(url).status_code == 404

    services.share(document=prep["document"], shared=True, by=prep["teacher"])

    assert client.get(url).status_code == 200


def test_a_heading_level_that_is_no_number_gives_a_level_not_an_error(prep):
    """An editor's update carries any value Yjs encodes: `int(float("inf"))` was an
    OverflowError (every page showing the document, its ODT and its compaction failed)."""
    doc = services.load(prep["document"])
    odd = [float("inf"), float("-inf"), float("nan"), "1e999", "²", "٣", True, 9, 1, "3", None]
    for level in odd:
        heading = XmlElement("heading", {"level": level} if level is not None else {})
        crdt.fragment(doc).children.append(heading)
        heading.children.append(XmlText(f"Niveau {level}"))

    html = crdt.to_html(doc)
    archive, content = _open(odt.to_odt(doc))

    assert "<h2>Niveau inf</h2>" in html and "<h4>Niveau 9</h4>" in html
    assert "<h2>Niveau ٣</h2>" in html and "<h3>Niveau 3</h3>" in html
    levels = {
        "".join(h.itertext()): h.get(f"{TEXT}outline-level")
        for h in content.iter(f"{TEXT}h")
        if "".join(h.itertext()).startswith("Niveau")
    }
    assert levels["Niveau inf"] == "2" and levels["Niveau 9"] == "6"
    assert levels["Niveau 1"] == "1" and levels["Niveau ²"] == "2"


# What LibreOffice showed wrong (docs/preparations.md, « The ODT opened in LibreOffice ») ------

STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _doc_of(*blocks):
    from pycrdt import Doc

    doc = Doc()
    for block in blocks:
        crdt.fragment(doc).children.append(block)
    return doc


def _list(tag, texts, attrs=None):
    return XmlElement(
        tag,
        attrs or {},
        [XmlElement("list_item", {}, [XmlElement("paragraph", {}, [XmlText(t)])]) for t in texts],
    )


def _as_read(element) -> str:
    """The text a reader shows: a text:s is a space (or text:c of them)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            out.append(" " * int(child.get(f"{TEXT}c", "1")))
        else:
            out.append(_as_read(child))
        out.append(child.tail or "")
    return "".join(out)


def _body(doc):
    _archive, content = _open(odt.to_odt(doc))
    return content.find(f"{OFFICE}body/{OFFICE}text")


def test_a_numbered_list_that_starts_at_4_starts_at_4():
    """An `<ol start="4">` (a list continued after a heading) was numbered from 1."""
    odd = [4, 0, -3, 1, float("inf"), "7", 2.5]
    body = _body(_doc_of(*[_list("ordered_list", ["a", "b"], {"order": o}) for o in odd]))

    starts = [
        [item.get(f"{TEXT}start-value") for item in odf_list]
        for odf_list in body.findall(f"{TEXT}list")
    ]
    assert starts == [["4", None], ["0", None]] + [[None, None]] * 5


def test_line_ends_runs_of_spaces_and_tabs_survive_in_a_code_block():
    """ODF collapses white space as HTML does: a code block came out as one line, its
    indentation and a paragraph's double spaces gone."""
    code = XmlElement("code_block", {}, [XmlText("a = 1\n    b  = 2\r\n\tc")])
    paragraph = XmlElement("paragraph", {}, [XmlText(" deux  espaces")])
    body = _body(_doc_of(code, paragraph))

    block, text = body.findall(f"{TEXT}p")
    assert [child.tag.removeprefix(TEXT) for child in block] == [
        "line-break",
        "s",
        "s",
        "line-break",
        "tab",
    ]
    assert block.text == "a = 1"
    assert block[1].get(f"{TEXT}c") == "4" and block[1].tail == "b "
    assert block[2].get(f"{TEXT}c") is None and block[2].tail == "= 2"
    assert block[4].tail == "c"
    # A paragraph's leading space is one text:s; the second of two spaces another.
    assert text.text is None and text[0].tail == "deux " and text[1].tail == "espaces"


def test_a_link_is_a_link_and_only_to_the_web_or_a_mail():
    text = XmlText()
    paragraph = XmlElement("paragraph", {}, [text])
    doc = _doc_of(paragraph)
    pieces = [
        ("voir ", None),
        ("Éduscol", {"link": {"href": "https://eduscol.education.fr/?a=1&b=2", "title": None}}),
        (" ou ", None),
        ("gras", {"link": {"href": "mailto:equipe@example.fr"}, "strong": {}}),
        (" et ", None),
        ("piège", {"link": {"href": "javascript:alert(1)"}}),
    ]
    for piece, marks in pieces:
        text.insert(len(str(text).encode()), piece, marks)

    (p,) = _body(doc).findall(f"{TEXT}p")

    links = p.findall(f"{TEXT}a")
    assert [a.get(f"{XLINK}href") for a in links] == [
        "https://eduscol.education.fr/?a=1&b=2",
        "mailto:equipe@example.fr",
    ]
    assert ["".join(a.itertext()) for a in links] == ["Éduscol", "gras"]
    assert links[1].find(f"{TEXT}span").get(f"{TEXT}style-name") == "Gras"
    assert {a.get(f"{TEXT}style-name") for a in links} == {"Internet_20_link"}
    assert _as_read(p) == "voir Éduscol ou gras et piège"


def test_the_page_and_the_pdf_show_the_links_and_the_list_starts_too():
    """The HTML of the page (closed session, shared plan, versions) and of the PDF ignored
    both; the same rules as the ODT: http(s) and mailto only, a whole number start."""
    text = XmlText()
    doc = _doc_of(
        XmlElement("paragraph", {}, [text]),
        *[_list("ordered_list", ["a"], {"order": o}) for o in [4, 1, float("inf"), "7"]],
    )
    pieces = [
        ("Éduscol", {"link": {"href": 'https://eduscol.fr/?a=1&b="2"'}, "strong": {}}),
        (" ", None),
        ("piège", {"link": {"href": "javascript:alert(1)"}}),
    ]
    for piece, marks in pieces:
        text.insert(len(str(text).encode()), piece, marks)

    html = crdt.to_html(doc)

    assert html.startswith(
        '<p><a href="https://eduscol.fr/?a=1&amp;b=&quot;2&quot;" '
        'rel="noopener noreferrer nofollow"><strong>Éduscol</strong></a> piège</p>'
    )
    assert html.count("<ol") == 4 and html.count('<ol start="4">') == 1
    assert "start" not in html.replace('<ol start="4">', "")


def test_the_styles_have_a_page_so_that_libreoffice_keeps_their_parents():
    """Without office:master-styles, LibreOffice 7.4 drops every style:parent-style-name of
    styles.xml (seen by saving the file again from LibreOffice): replies lost the paragraphs'
    spacing. The page is A4."""
    styles = ET.fromstring(odt.styles_xml())

    master = styles.find(f"{OFFICE}master-styles/{STYLE}master-page")
    layouts = {layout.get(f"{STYLE}name"): layout for layout in styles.iter(f"{STYLE}page-layout")}
    page = layouts[master.get(f"{STYLE}page-layout-name")][0]
    assert (page.get(f"{FO}page-width"), page.get(f"{FO}page-height")) == ("21cm", "29.7cm")
    # And the blocks that showed nothing or ran together now show.
    defined = {s.get(f"{STYLE}name"): s for s in styles.iter(f"{STYLE}style")}
    assert defined["Horizontal_20_Line"][0].get(f"{FO}border-bottom")
    assert defined["Standard"][0].get(f"{FO}margin-bottom") == "0.2cm"
    assert defined["Comment_20_Quote"][0].get(f"{FO}margin-top") == "0.5cm"
