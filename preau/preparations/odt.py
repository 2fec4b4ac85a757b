"""A preparation document as an OpenDocument Text file (.odt), with the standard library only.

The file is a zip: `mimetype` first, stored (not compressed), then `META-INF/manifest.xml`,
`content.xml` and `styles.xml` (ODF 1.2, an A4 page). The content is read from the document's
ProseMirror tree (crdt.py): headings, paragraphs, bold / italic / underline / code marks,
links (web and mail only), bullet and numbered lists (nested, numbered from their start),
quotes, code blocks (their lines and indentation: white space is written as ODF keeps it),
line breaks. The group's unresolved
comments, when given, follow in a « Commentaires » section on a page of its own (the passage,
the author, the text, the replies). Every text goes through the XML writer (`xml.etree`),
which escapes it; characters XML forbids (control characters) are dropped."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _
from pycrdt import Doc, XmlText

from . import crdt

MIMETYPE = "application/vnd.oasis.opendocument.text"

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# Characters XML 1.0 does not allow, even escaped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# ODF collapses white space as HTML does: a run of spaces, a tab and a line end are written as
# elements (text:s, text:tab, text:line-break), or a code block loses its lines and indentation.
_WHITE = re.compile(r"(\r\n|[\r\n\t]| +)")
# Links a reader may open from the file; any other scheme (javascript:, file:) stays plain text.
# ProseMirror mark → automatic text style of content.xml.
_MARK_STYLES = {"strong": "Gras", "em": "Italique", "underline": "Souligne", "code": "Code"}
_MARK_PROPS = {
    "strong": {"fo:font-weight": "bold"},
    "em": {"fo:font-style": "italic"},
    "underline": {
        "style:text-underline-style": "solid",
        "style:text-underline-width": "auto",
        "style:text-underline-color": "font-color",
    },
    "code": {"style:font-name": "Monospace"},
}


@dataclass
class Thread:
    """A comment for the export: the passage as selected, its author's name, its text, and its
    replies (author's name, text) in order."""

    quote: str
    author: str
    body: str
    replies: list[tuple[str, str]] = field(default_factory=list)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(parent, name: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(name), {_q(k): str(v) for k, v in (attrs or {}).items()})
    if text:
        _append_text(element, text)
    return element


def _clean(text: str) -> str:
    return _FORBIDDEN.sub("", text)


def _append_plain(element: ET.Element, text: str) -> None:
    """Appends text after the element's last child (ElementTree keeps it as a tail)."""
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _append_text(element: ET.Element, text: str) -> None:
    """Appends text as ODF keeps it: a space is written as such only after a character of the
    same text (ODF drops a paragraph's leading space and collapses a run); the others, tabs and
    line ends are elements."""
    after_character = False
    for piece in _WHITE.split(_clean(text)):
        if not piece:
            continue
        if piece in {"\r\n", "\r", "\n"}:
            _el(element, "text:line-break")
            after_character = False
        elif piece == "\t":
            _el(element, "text:tab")
            after_character = False
        elif piece[0] == " ":
            spaces = len(piece)
            if after_character:
                _append_plain(element, " ")
                spaces -= 1
            if spaces:
                _el(element, "text:s", {"text:c": spaces} if spaces > 1 else None)
            after_character = False
        else:
            _append_plain(element, piece)
            after_character = True


def _link(attrs: dict) -> str | None:
    """The address of a text's link mark, if a reader may open it."""
    href = crdt.link_href(attrs)
    return _clean(href) if href else None


def _inline(target: ET.Element, node) -> None:
    """Writes a text node (with its marks) or an inline element (a line break) into a
    paragraph or heading."""
    if isinstance(node, XmlText):
        for chunk, attrs in crdt.text_chunks(node):
            if not chunk:
                continue
            into = target
            href = _link(attrs)
            if href:
                into = _el(
                    target,
                    "text:a",
                    {
                        "xlink:type": "simple",
                        "xlink:href": href,
                        "text:style-name": "Internet_20_link",
                        "text:visited-style-name": "Visited_20_Internet_20_Link",
                    },
                )
            marks = sorted(m for m in attrs if m in _MARK_STYLES)
            if marks:
                into = _el(
                    into,
                    "text:span",
                    {"text:style-name": "_".join(_MARK_STYLES[m] for m in marks)},
                )
            _append_text(into, chunk)
    elif node.tag == "hard_break":
        _el(target, "text:line-break")
    else:  # an unknown inline element: its text
        for child in crdt.children(node):
            _inline(target, child)


def _heading_level(node) -> int:
    return crdt.heading_level(node, 1, 6)


def _block(parent: ET.Element, node, paragraph_style: str = "Standard") -> None:
    if isinstance(node, XmlText):  # text at block level (not made by the editor): a paragraph
        _inline(_el(parent, "text:p", {"text:style-name": paragraph_style}), node)
        return
    tag = node.tag
    if tag == "heading":
        level = _heading_level(node)
        heading = _el(
            parent,
            "text:h",
            {"text:style-name": f"Heading_20_{level}", "text:outline-level": level},
        )
        for child in crdt.children(node):
            _inline(heading, child)
    elif tag in {"bullet_list", "ordered_list"}:
        style = "Liste_numerotee" if tag == "ordered_list" else "Liste_a_puces"
        odf_list = _el(parent, "text:list", {"text:style-name": style})
        # A list numbered from another number than 1 (« 4. » after a heading): its first item
        # says so (ODF counts from 0 up; a negative start is counted from 1).
        start = crdt.list_start(node) if tag == "ordered_list" else 1
        first = {"text:start-value": start} if start != 1 and start >= 0 else None
        for number, item in enumerate(crdt.children(node)):
            list_item = _el(odf_list, "text:list-item", None if number else first)
            children = crdt.children(item) if not isinstance(item, XmlText) else [item]
            for child in children:
                _block(list_item, child, paragraph_style)
    elif tag == "blockquote":
        for child in crdt.children(node):
            _block(parent, child, "Quotations")
    elif tag == "code_block":
        paragraph = _el(parent, "text:p", {"text:style-name": "Preformatted_20_Text"})
        for child in crdt.children(node):
            _inline(paragraph, child)
    elif tag == "horizontal_rule":
        _el(parent, "text:p", {"text:style-name": "Horizontal_20_Line"})
    elif tag == "paragraph":
        paragraph = _el(parent, "text:p", {"text:style-name": paragraph_style})
        for child in crdt.children(node):
            _inline(paragraph, child)
    else:  # an unknown block: its children as blocks
        for child in crdt.children(node):
            _block(parent, child, paragraph_style)


def _lines(paragraph: ET.Element, text: str) -> None:
    """Plain text whose line ends become ODF line breaks."""
    for number, line in enumerate(text.splitlines()):
        if number:
            _el(paragraph, "text:line-break")
        _append_text(paragraph, line)


def _author_and_text(parent: ET.Element, style: str, author: str, text: str) -> None:
    paragraph = _el(parent, "text:p", {"text:style-name": style})
    _el(paragraph, "text:span", {"text:style-name": _MARK_STYLES["strong"]}, author)
    _el(paragraph, "text:line-break")
    _lines(paragraph, text)


def _comments(body: ET.Element, comments: list[Thread]) -> None:
    _el(
        body,
        "text:h",
        {"text:style-name": "Commentaires_20_titre", "text:outline-level": 2},
        _("Commentaires"),
    )
    _el(
        body,
        "text:p",
        {"text:style-name": "Standard"},
        _("Les commentaires du groupe qui ne sont pas résolus, avec leurs réponses."),
    )
    for thread in comments:
        _el(body, "text:p", {"text:style-name": "Comment_20_Quote"}, f"« {thread.quote} »")
        _author_and_text(body, "Standard", thread.author, thread.body)
        for author, text in thread.replies:
            _author_and_text(body, "Comment_20_Reply", author, text)


def _automatic_styles(parent: ET.Element) -> None:
    styles = _el(parent, "office:automatic-styles")
    # The comments' heading starts a page.
    heading = _el(
        styles,
        "style:style",
        {
            "style:name": "Commentaires_20_titre",
            "style:family": "paragraph",
            "style:parent-style-name": "Heading_20_2",
        },
    )
    _el(heading, "style:paragraph-properties", {"fo:break-before": "page"})
    # One text style per combination of marks the content may use (sorted names joined).
    names = sorted(_MARK_STYLES)
    for mask in range(1, 2 ** len(names)):
        marks = [m for i, m in enumerate(names) if mask & (1 << i)]
        style = _el(
            styles,
            "style:style",
            {"style:name": "_".join(_MARK_STYLES[m] for m in marks), "style:family": "text"},
        )
        props = {}
        for mark in marks:
            props.update(_MARK_PROPS[mark])
        _el(style, "style:text-properties", props)
    bullets = _el(styles, "text:list-style", {"style:name": "Liste_a_puces"})
    numbers = _el(styles, "text:list-style", {"style:name": "Liste_numerotee"})
    for level in range(1, 11):
        indent = {
            "text:space-before": f"{0.6 * (level - 1):.1f}cm",
            "text:min-label-width": "0.6cm",
        }
        bullet = _el(
            bullets, "text:list-level-style-bullet", {"text:level": level, "text:bullet-char": "•"}
        )
        _el(bullet, "style:list-level-properties", indent)
        number = _el(
            numbers,
            "text:list-level-style-number",
            {"text:level": level, "style:num-format": "1", "style:num-suffix": "."},
        )
        _el(number, "style:list-level-properties", indent)


def content_xml(doc: Doc, title: str = "", comments: list[Thread] | None = None) -> bytes:
    root = ET.Element(_q("office:document-content"), {_q("office:version"): "1.2"})
    fonts = _el(root, "office:font-face-decls")
    _el(fonts, "style:font-face", {"style:name": "Monospace", "svg:font-family": "monospace"})
    _automatic_styles(root)
    body = _el(_el(root, "office:body"), "office:text")
    if title:
        _el(body, "text:h", {"text:style-name": "Title", "text:outline-level": 1}, title)
    for node in crdt.children(crdt.fragment(doc)):
        _block(body, node)
    if comments:
        _comments(body, comments)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def styles_xml() -> bytes:
    root = ET.Element(_q("office:document-styles"), {_q("office:version"): "1.2"})
    fonts = _el(root, "office:font-face-decls")
    _el(fonts, "style:font-face", {"style:name": "Monospace", "svg:font-family": "monospace"})
    styles = _el(root, "office:styles")
    default = _el(styles, "style:default-style", {"style:family": "paragraph"})
    _el(
        default,
        "style:text-properties",
        {"fo:font-size": "11pt", "fo:language": "fr", "fo:country": "FR"},
    )
    standard = _el(styles, "style:style", {"style:name": "Standard", "style:family": "paragraph"})
    # Two paragraphs are two blocks, not two lines.
    _el(standard, "style:paragraph-properties", {"fo:margin-bottom": "0.2cm"})
    for name, size, weight in [
        ("Title", "20pt", "bold"),
        ("Heading_20_1", "18pt", "bold"),
        ("Heading_20_2", "15pt", "bold"),
        ("Heading_20_3", "13pt", "bold"),
        ("Heading_20_4", "12pt", "bold"),
        ("Heading_20_5", "11pt", "bold"),
        ("Heading_20_6", "11pt", "normal"),
    ]:
        style = _el(
            styles,
            "style:style",
            {
                "style:name": name,
                "style:display-name": name.replace("_20_", " "),
                "style:family": "paragraph",
                "style:parent-style-name": "Standard",
                "style:next-style-name": "Standard",
            },
        )
        _el(
            style,
            "style:paragraph-properties",
            {"fo:margin-top": "0.4cm", "fo:margin-bottom": "0.2cm"},
        )
        _el(style, "style:text-properties", {"fo:font-size": size, "fo:font-weight": weight})
    quote = _el(
        styles,
        "style:style",
        {
            "style:name": "Quotations",
            "style:family": "paragraph",
            "style:parent-style-name": "Standard",
        },
    )
    _el(quote, "style:paragraph-properties", {"fo:margin-left": "1cm", "fo:margin-right": "1cm"})
    code = _el(
        styles,
        "style:style",
        {
            "style:name": "Preformatted_20_Text",
            "style:display-name": "Preformatted Text",
            "style:family": "paragraph",
            "style:parent-style-name": "Standard",
        },
    )
    _el(code, "style:text-properties", {"style:font-name": "Monospace"})
    line = _el(
        styles,
        "style:style",
        {
            "style:name": "Horizontal_20_Line",
            "style:display-name": "Horizontal Line",
            "style:family": "paragraph",
            "style:parent-style-name": "Standard",
        },
    )
    _el(
        line,
        "style:paragraph-properties",
        {"fo:border-bottom": "0.5pt solid #808080", "fo:padding": "0cm", "fo:margin-top": "0.2cm"},
    )
    # A comment's quote starts its thread: space above it separates it from the one before.
    thread = _el(
        styles,
        "style:style",
        {
            "style:name": "Comment_20_Quote",
            "style:display-name": "Comment Quote",
            "style:family": "paragraph",
            "style:parent-style-name": "Quotations",
        },
    )
    _el(thread, "style:paragraph-properties", {"fo:margin-top": "0.5cm"})
    _el(thread, "style:text-properties", {"fo:font-style": "italic"})
    for name, display, colour in [
        ("Internet_20_link", "Internet link", "#000080"),
        ("Visited_20_Internet_20_Link", "Visited Internet Link", "#800000"),
    ]:
        link = _el(
            styles,
            "style:style",
            {"style:name": name, "style:display-name": display, "style:family": "text"},
        )
        _el(
            link,
            "style:text-properties",
            {
                "fo:color": colour,
                "style:text-underline-style": "solid",
                "style:text-underline-width": "auto",
                "style:text-underline-color": "font-color",
            },
        )
    reply = _el(
        styles,
        "style:style",
        {
            "style:name": "Comment_20_Reply",
            "style:display-name": "Comment Reply",
            "style:family": "paragraph",
            "style:parent-style-name": "Standard",
        },
    )
    _el(reply, "style:paragraph-properties", {"fo:margin-left": "1cm"})
    # The page: A4, 2 cm margins. Without a master page LibreOffice (7.4) also ignores every
    # style's parent (a reply lost the paragraphs' spacing, a comment's quote its indent).
    layout = _el(
        _el(root, "office:automatic-styles"),
        "style:page-layout",
        {"style:name": "Page_20_A4"},
    )
    _el(
        layout,
        "style:page-layout-properties",
        {
            "fo:page-width": "21cm",
            "fo:page-height": "29.7cm",
            "style:print-orientation": "portrait",
            "fo:margin-top": "2cm",
            "fo:margin-bottom": "2cm",
            "fo:margin-left": "2cm",
            "fo:margin-right": "2cm",
        },
    )
    _el(
        _el(root, "office:master-styles"),
        "style:master-page",
        {"style:name": "Standard", "style:page-layout-name": "Page_20_A4"},
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def manifest_xml() -> bytes:
    root = ET.Element(_q("manifest:manifest"), {_q("manifest:version"): "1.2"})
    for path, media in [("/", MIMETYPE), ("content.xml", "text/xml"), ("styles.xml", "text/xml")]:
        attrs = {"manifest:full-path": path, "manifest:media-type": media}
        if path == "/":
            attrs["manifest:version"] = "1.2"
        _el(root, "manifest:file-entry", attrs)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


@crdt.no_panic
def to_odt(doc: Doc, title: str = "", comments: list[Thread] | None = None) -> bytes:
    """The document as the bytes of an .odt file (with `comments` at the end, if any)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as odt:
        # First, stored uncompressed, no extra field: how a reader recognises the format.
        odt.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in [
            ("META-INF/manifest.xml", manifest_xml()),
            ("content.xml", content_xml(doc, title, comments)),
            ("styles.xml", styles_xml()),
        ]:
            odt.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
