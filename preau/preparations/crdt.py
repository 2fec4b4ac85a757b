"""The Yjs side of a preparation document, with pycrdt (pinned to 0.13.1: see
docs/preparations.md).

The browser binds ProseMirror to the XML fragment named `prosemirror` (y-prosemirror's
default). The server never edits it: it checks updates, stores them, replays them in arrival
order to answer a sync request, and renders the fragment as HTML for a reader without the
editor (closed session, no JavaScript)."""

import difflib
import functools
import logging
import math
import re
from collections.abc import Iterable
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pycrdt import Doc, XmlElement, XmlFragment, XmlText, get_state, merge_updates

from preau.core.params import parse_int

logger = logging.getLogger(__name__)

FRAGMENT = "prosemirror"
# One update is one edit (a keystroke, a paste, offline work merged on reconnection): a long
# lesson plan pasted whole is a few hundred kilobytes. A larger update is refused, unstored.
UPDATE_MAX_BYTES = 1_000_000
# The empty update (no struct, no deletion) that Yjs sends when it has nothing to say.
EMPTY_UPDATE = b"\x00\x00"


class InvalidUpdate(ValueError):
    """Bytes that are not a Yjs update of a preparation document."""


class BrokenDocument(RuntimeError):
    """pycrdt panicked while reading a stored document (a PanicException, which is no
    Exception: raised as is, it would go past every `except Exception`, Django's included)."""


def _is_panic(error: BaseException) -> bool:
    return any(kind.__name__ == "PanicException" for kind in type(error).__mro__)


def no_panic(function):
    """Turns a pycrdt panic inside `function` into BrokenDocument."""

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            raise
        except BaseException as error:
            if _is_panic(error):
                raise BrokenDocument(str(error)) from error
            raise

    return guarded


# What the editor writes (editor.js: ProseMirror's basic schema without images, plus lists,
# bound by y-prosemirror): XML elements of these tags, with these attributes, and texts with
# these marks. Anything else in an update is refused (check_update).
NODE_TAGS = {
    "paragraph",
    "heading",
    "blockquote",
    "horizontal_rule",
    "code_block",
    "hard_break",
    "bullet_list",
    "ordered_list",
    "list_item",
}
MARKS = {"strong", "em", "code", "link", "underline"}
# Nested lists are two levels each (list, item): 48 leaves room for 20 nested lists.
DEPTH_MAX = 48


def _number(value) -> float | None:
    """A finite number (pycrdt gives numbers back as floats), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _attribute_ok(tag: str, key: str, value) -> bool:
    number = _number(value)
    if tag == "heading" and key == "level":
        return number is not None and number == int(number) and 1 <= number <= 6
    if tag == "ordered_list" and key == "order":
        return number is not None and number == int(number) and abs(number) <= 1_000_000_000
    return False


def _plain(value, depth: int = 0) -> bool:
    """A mark's attributes (a link's href and title): JSON-like values, finite numbers."""
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int | float):
        return math.isfinite(value)
    if depth < 4 and isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


def children(node, *, strict: bool = False) -> list:
    """The XML elements and texts under `node`. A forged update can put other things there (a
    map, a plain value, a string beside the texts): pycrdt panics on reading such a child, so
    it is skipped (or, `strict`, InvalidUpdate)."""
    out = []
    with node.doc.transaction():
        for index in range(len(node.children)):
            try:
                child = node.children[index]
            except BaseException as error:
                if not _is_panic(error):
                    raise
                child = None
            if isinstance(child, XmlElement | XmlText):
                out.append(child)
            elif strict:
                raise InvalidUpdate("not an XML element or text")
    return out


def _check_text(text: XmlText) -> None:
    if len(text.attributes):
        raise InvalidUpdate("attributes on a text")
    for chunk, attrs in text.diff():
        if not isinstance(chunk, str):
            raise InvalidUpdate("an embed in a text")
        for mark, value in (attrs or {}).items():
            if mark not in MARKS or not (value is None or isinstance(value, dict)):
                raise InvalidUpdate("unknown mark")
            if not _plain(value):
                raise InvalidUpdate("odd mark attributes")


def check_document(doc: Doc) -> None:
    """Raises InvalidUpdate unless `doc` is what the editor writes: the fragment only (no other
    root), holding elements of NODE_TAGS with their known, finite attributes, and texts with
    known marks, at most DEPTH_MAX deep."""
    if set(doc.keys()) - {FRAGMENT}:
        raise InvalidUpdate("writes outside the document")

    def walk(node, depth: int) -> None:
        if depth > DEPTH_MAX:
            raise InvalidUpdate("nested too deep")
        for child in children(node, strict=True):
            if isinstance(child, XmlText):
                _check_text(child)
                continue
            if child.tag not in NODE_TAGS:
                raise InvalidUpdate("unknown element")
            for key, value in child.attributes:
                if not _attribute_ok(child.tag, key, value):
                    raise InvalidUpdate("unknown or odd attribute")
            walk(child, depth + 1)

    walk(fragment(doc), 0)


def check_update(update: bytes, doc: Doc) -> bytes:
    """Checks `update` against `doc` (the document as stored; this changes it) and returns
    what of it the document integrates: `update` itself, or the part that integrates,
    re-encoded, or EMPTY_UPDATE. Raises InvalidUpdate unless `update` is a Yjs update, no
    larger than UPDATE_MAX_BYTES, after which the document is still what the editor writes
    (check_document). What an update does depends on the document it lands in (an item names
    its neighbours and parent by id), hence the check on the stored document rather than on
    the update alone.

    The part that depends on changes the document lacks (pending, in Yjs's words) is left
    out, never stored: stored, it would be integrated unchecked once its predecessor came.
    It is not refused either: an editor coming back online sends what it typed offline in
    its answer to the server's sync request, and a keystroke typed before that answer depends
    on it. That keystroke's text is still in the editor, which sends it again with its
    predecessor (Yjs's answer to a sync request is all the server lacks); refusing it closed
    the connection, and the editor stopped sending."""
    if not isinstance(update, bytes | bytearray | memoryview):
        raise InvalidUpdate("not bytes")
    if len(update) > UPDATE_MAX_BYTES:
        raise InvalidUpdate("too large")
    # Read strictly before pycrdt sees the bytes: it trusts the counts it reads.
    ends = read_update(bytes(update))
    before = doc.get_state()
    try:
        doc.apply_update(bytes(update))
    except Exception as error:  # pycrdt raises ValueError, and others on odd input
        raise InvalidUpdate(str(error)) from error
    except BaseException as error:
        if _is_panic(error):
            raise InvalidUpdate(str(error)) from error
        raise
    try:
        check_document(doc)
    except InvalidUpdate:
        raise
    except BaseException as error:
        if isinstance(error, Exception) or _is_panic(error):
            raise InvalidUpdate(str(error)) from error
        raise
    vector = state_vector(doc)
    if all(vector.get(client, 0) >= end for client, end in ends.items()):
        return bytes(update)
    if vector == read_state_vector(before):
        return EMPTY_UPDATE  # (its deletions, if any, come again with their update)
    # What the document gained (pycrdt leaves pending structs out of a diff).
    return doc.get_update(before)


def update_since(doc: Doc, state_vector: bytes) -> bytes:
    """What `doc` has that a client with `state_vector` (its sync request, as it sent it)
    lacks. Raises InvalidUpdate for a state vector that does not read strictly: pycrdt 0.13.1
    reserves memory for the count it reads before reading the entries, and five bytes
    claiming 4 billion entries abort the whole process (not a Python exception)."""
    read_state_vector(state_vector)
    try:
        return doc.get_update(bytes(state_vector))
    except Exception as error:
        raise InvalidUpdate(str(error)) from error


@no_panic
def rebuild(updates: Iterable[bytes]) -> Doc:
    """The document the stored updates make, applied in arrival (id) order: replaying them in
    another order can diverge (pycrdt and Yjs differ on updates whose predecessor is missing)."""
    doc = Doc()
    for update in updates:
        try:
            doc.apply_update(bytes(update))
        except Exception:  # stored before updates were checked as they are now: left out
            logger.warning("a stored update does not apply: left out", exc_info=True)
    return doc


@no_panic
def merge(updates: list[bytes]) -> bytes:
    """One update worth the given ones, pending structs included (unlike re-encoding a
    rebuilt document, which would drop an update still waiting for its predecessor)."""
    return merge_updates(*[bytes(u) for u in updates])


def same_document(one: Doc, other: Doc) -> bool:
    """The same state (state vectors compared as maps: yrs writes their clients in the order
    of its hash map, which two documents of the same state may not share) and content."""
    return state_vector(one) == state_vector(other) and to_html(one) == to_html(other)


def fragment(doc: Doc) -> XmlFragment:
    return doc.get(FRAGMENT, type=XmlFragment)


# The template of the activity, as the document's first content ----------------------------


class _TemplateParser(HTMLParser):
    """Reads headings and paragraphs out of the designer's (sanitised) template."""

    BLOCKS = {"h2": 2, "h3": 3, "h4": 4, "p": 0, "li": 0}

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[int, str]] = []
        self._current: list[str] | None = None
        self._level = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._current, self._level = [], self.BLOCKS[tag]

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self._current is not None:
            text = " ".join("".join(self._current).split())
            if text:
                self.blocks.append((self._level, text))
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


def template_blocks(html: str) -> list[tuple[int, str]]:
    """[(heading level or 0 for a paragraph, text)] of a template."""
    parser = _TemplateParser()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def initial_update(blocks: list[tuple[int, str]]) -> bytes:
    """The update that writes the template: each heading followed by an empty paragraph to
    write in; a template's paragraph stays (as a hint the group may overwrite)."""
    doc = Doc()
    children = fragment(doc).children
    for level, text in blocks:
        if level:
            children.append(XmlElement("heading", {"level": level}, [XmlText(text)]))
        else:
            children.append(XmlElement("paragraph", {}, [XmlText(text)]))
        if level:
            children.append(XmlElement("paragraph", {}, [XmlText("")]))
    if not blocks:
        children.append(XmlElement("paragraph", {}, [XmlText("")]))
    return doc.get_update()


# Reading the document ---------------------------------------------------------------------

_BLOCK_TAGS = {
    "paragraph": "p",
    "blockquote": "blockquote",
    "bullet_list": "ul",
    "ordered_list": "ol",
    "list_item": "li",
    "code_block": "pre",
    "horizontal_rule": "hr",
    "hard_break": "br",
}
_MARK_TAGS = {"strong": "strong", "em": "em", "code": "code", "underline": "u"}
_VOID = {"hr", "br"}


def heading_level(element: XmlElement, lowest: int, highest: int) -> int:
    """A heading's level, within [lowest, highest]; a forged or odd one (« 1e999 », infinite,
    not a number, digits of another script) reads as 2."""
    value = element.attributes.get("level")
    if isinstance(value, str):
        try:
            value = parse_int(value, hi=99)
        except ValueError:
            value = None
    number = _number(value)
    level = int(number) if number is not None else 2
    return min(max(level, lowest), highest)


def list_start(element: XmlElement) -> int:
    """An ordered list's first number (its `order`, as `<ol start>`): 1 when absent, not a
    whole number or out of the range the editor accepts."""
    order = element.attributes.get("order")
    return int(order) if _attribute_ok("ordered_list", "order", order) else 1


def _html_tag(element: XmlElement) -> str:
    if element.tag == "heading":
        return f"h{heading_level(element, 2, 4)}"
    return _BLOCK_TAGS.get(element.tag, "div")


def text_chunks(text: XmlText) -> list[tuple[str, dict]]:
    """A text's strings with their marks (embeds left out)."""
    return [(chunk, attrs or {}) for chunk, attrs in text.diff() if isinstance(chunk, str)]


# A link is followed only to these (never `javascript:` and the like).
LINK_SCHEMES = ("http://", "https://", "mailto:")


def link_href(attrs: dict) -> str | None:
    """The address of a text's link mark, if a reader may open it."""
    mark = attrs.get("link")
    href = mark.get("href") if isinstance(mark, dict) else None
    if isinstance(href, str) and href.strip().lower().startswith(LINK_SCHEMES):
        return href.strip()
    return None


def _text_html(text: XmlText) -> str:
    out = []
    for chunk, attrs in text_chunks(text):
        piece = escape(chunk)
        for mark in sorted(attrs):
            tag = _MARK_TAGS.get(mark)
            if tag:
                piece = f"<{tag}>{piece}</{tag}>"
        href = link_href(attrs)
        if href:
            piece = f'<a href="{escape(href)}" rel="noopener noreferrer nofollow">{piece}</a>'
        out.append(piece)
    return "".join(out)


def _node_html(node) -> str:
    if isinstance(node, XmlText):
        return _text_html(node)
    tag = _html_tag(node)
    if tag in _VOID:
        return f"<{tag}>"
    inner = "".join(_node_html(child) for child in children(node))
    start = list_start(node) if tag == "ol" else 1
    if start != 1:
        return f'<ol start="{start}">{inner}</ol>'
    return f"<{tag}>{inner}</{tag}>"


@no_panic
def to_html(doc: Doc) -> str:
    """The document as HTML: only known block and mark tags, every text escaped."""
    return "".join(_node_html(node) for node in children(fragment(doc)))


@no_panic
def to_text(doc: Doc) -> str:
    """The document's text, one block a line (tests, search)."""
    lines = []

    def walk(node):
        if isinstance(node, XmlText):
            return "".join(c for c, _a in text_chunks(node))
        if node.tag in {"bullet_list", "ordered_list", "list_item", "blockquote"}:
            for child in children(node):
                text = walk(child)
                if text is not None:
                    lines.append(text)
            return None
        return "".join(walk(child) or "" for child in children(node))

    for node in children(fragment(doc)):
        text = walk(node)
        if text is not None:
            lines.append(text)
    return "\n".join(lines)


# Versions -----------------------------------------------------------------------------------


def _copy_children(source, target) -> None:
    for node in children(source):
        if isinstance(node, XmlText):
            text = XmlText()
            target.children.append(text)
            at = 0
            for chunk, attrs in text_chunks(node):
                marks = {m: v for m, v in attrs.items() if m in MARKS and _plain(v)}
                text.insert(at, chunk, marks or None)
                at += len(chunk.encode())  # pycrdt indexes are UTF-8 bytes
        else:
            attributes = {k: v for k, v in node.attributes if _attribute_ok(node.tag, k, v)}
            element = XmlElement(node.tag, attributes)
            target.children.append(element)
            _copy_children(node, element)


@no_panic
def replace_content(doc: Doc, source: Doc) -> bytes:
    """Makes `doc`'s content that of `source`, as one new change (everything deleted, the
    source's blocks written anew): returns the update. Nothing of the history is erased."""
    target = fragment(doc)
    before = doc.get_state()
    with doc.transaction():
        while len(target.children):
            del target.children[0]
        _copy_children(fragment(source), target)
    return doc.get_update(before)


# Anchors of comments: Yjs relative positions -------------------------------------------------

# An encoded relative position is a few bytes (kind, an item's id or a root's name, assoc).
ANCHOR_MAX_BYTES = 64


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise InvalidUpdate("truncated")
        self.at += 1
        return self.data[self.at - 1]

    def var_uint(self) -> int:
        number, shift = 0, 0
        while True:
            byte = self.byte()
            number |= (byte & 0x7F) << shift
            if byte < 0x80:
                return number
            shift += 7
            if shift > 63:
                raise InvalidUpdate("number too long")

    def var_int(self) -> int:
        byte = self.byte()
        number, negative, shift = byte & 0x3F, byte & 0x40, 6
        while byte & 0x80:
            byte = self.byte()
            number |= (byte & 0x7F) << shift
            shift += 7
            if shift > 63:
                raise InvalidUpdate("number too long")
        return -number if negative else number

    def raw(self, length: int) -> bytes:
        if length > self.remaining():
            raise InvalidUpdate("truncated")
        self.at += length
        return self.data[self.at - length : self.at]

    def string(self) -> str:
        try:
            return self.raw(self.var_uint()).decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidUpdate("not UTF-8") from error

    def count(self, min_bytes_each: int = 1) -> int:
        """A number of entries to read, each at least `min_bytes_each` long: no more than the
        bytes left can hold (pycrdt reserves memory for the count it reads)."""
        number = self.var_uint()
        if number * min_bytes_each > self.remaining():
            raise InvalidUpdate("more entries than bytes")
        return number

    def remaining(self) -> int:
        return len(self.data) - self.at

    def done(self) -> bool:
        return self.at == len(self.data)


# Yjs client ids are JavaScript-safe integers (lib0 refuses larger ones); clocks are 32-bit
# in yrs (pycrdt's engine).
CLIENT_MAX = 2**53 - 1
CLOCK_MAX = 2**32 - 1


def read_state_vector(data: bytes) -> dict[int, int]:
    """{client id: clock} of an encoded Yjs state vector, read strictly (InvalidUpdate
    otherwise): a count the bytes can hold, each entry two numbers within bounds, nothing
    after them."""
    reader = _Reader(bytes(data))
    vector = {}
    for _i in range(reader.count(2)):
        client, clock = reader.var_uint(), reader.var_uint()
        if client > CLIENT_MAX or clock > CLOCK_MAX:
            raise InvalidUpdate("number out of range")
        vector[client] = clock
    if not reader.done():
        raise InvalidUpdate("trailing bytes")
    return vector


decode_state_vector = read_state_vector  # (the authorship code's name for it)


def state_vector(doc: Doc) -> dict[int, int]:
    """{client id: number of its items} of the document (Yjs's encoded state vector, read)."""
    return read_state_vector(doc.get_state())


# Yjs's update format (v1), read strictly before pycrdt applies it: pycrdt trusts the counts
# it reads (a 9-byte update claiming 4 billion deletions, or an array of 4 billion values,
# aborts the process) and recurses into nested values (100,000 nested arrays crash it).
ANY_DEPTH_MAX = 16
_GC, _SKIP = 0, 10
_CONTENT_DELETED, _CONTENT_JSON, _CONTENT_BINARY, _CONTENT_STRING = 1, 2, 3, 4
_CONTENT_EMBED, _CONTENT_FORMAT, _CONTENT_TYPE, _CONTENT_ANY, _CONTENT_DOC = 5, 6, 7, 8, 9
_TYPE_XML_ELEMENT, _TYPE_XML_HOOK = 3, 5


def _read_any(reader: _Reader, depth: int = 0) -> None:
    """Skips one value of lib0's `writeAny` encoding."""
    if depth > ANY_DEPTH_MAX:
        raise InvalidUpdate("value nested too deep")
    kind = reader.byte()
    if kind in (127, 126, 121, 120):  # undefined, null, false, true
        return
    if kind == 125:  # integer
        reader.var_int()
    elif kind == 124:  # float32
        reader.raw(4)
    elif kind in (123, 122):  # float64, bigint64
        reader.raw(8)
    elif kind == 119:  # string
        reader.string()
    elif kind == 118:  # object
        for _i in range(reader.count(2)):
            reader.string()
            _read_any(reader, depth + 1)
    elif kind == 117:  # array
        for _i in range(reader.count()):
            _read_any(reader, depth + 1)
    elif kind == 116:  # bytes
        reader.raw(reader.var_uint())
    else:
        raise InvalidUpdate("unknown value type")


def _read_content(reader: _Reader, ref: int) -> int:
    """Skips an item's content; returns its length in clock units."""
    if ref == _CONTENT_DELETED:
        return reader.var_uint()
    if ref == _CONTENT_JSON:
        length = reader.count()
        for _i in range(length):
            reader.string()
        return length
    if ref == _CONTENT_BINARY:
        reader.raw(reader.var_uint())
        return 1
    if ref == _CONTENT_STRING:
        return len(reader.string().encode("utf-16-le")) // 2  # Yjs counts UTF-16 units
    if ref == _CONTENT_EMBED:
        reader.string()
        return 1
    if ref == _CONTENT_FORMAT:
        reader.string()
        reader.string()
        return 1
    if ref == _CONTENT_TYPE:
        if reader.var_uint() in (_TYPE_XML_ELEMENT, _TYPE_XML_HOOK):
            reader.string()
        return 1
    if ref == _CONTENT_ANY:
        length = reader.count()
        for _i in range(length):
            _read_any(reader)
        return length
    if ref == _CONTENT_DOC:
        reader.string()
        _read_any(reader)
        return 1
    raise InvalidUpdate("unknown content")


def read_update(data: bytes) -> dict[int, int]:
    """Reads a Yjs update (v1) strictly: every count within the bytes left, every number in
    range, nested values at most ANY_DEPTH_MAX deep, no empty item, nothing after the delete
    set. Returns {client id: clock after its last item} (what a document that integrated the
    whole update has, at least, in its state vector). InvalidUpdate otherwise."""
    reader = _Reader(bytes(data))
    ends: dict[int, int] = {}
    for _i in range(reader.count(3)):
        structs = reader.count(2)
        client, clock = reader.var_uint(), reader.var_uint()
        if client > CLIENT_MAX:
            raise InvalidUpdate("client id out of range")
        for _j in range(structs):
            info = reader.byte()
            ref = info & 0x1F
            if ref in (_GC, _SKIP):
                length = reader.var_uint()
            else:
                if info & 0x80:  # origin (left)
                    reader.var_uint(), reader.var_uint()
                if info & 0x40:  # right origin
                    reader.var_uint(), reader.var_uint()
                if not info & 0xC0:  # no origin: the parent is written
                    if reader.var_uint() == 1:
                        reader.string()  # a root type, by name
                    else:
                        reader.var_uint(), reader.var_uint()  # a type, by its item's id
                    if info & 0x20:
                        reader.string()  # the key in a map (an XML attribute)
                length = _read_content(reader, ref)
            if length < 1:
                raise InvalidUpdate("empty item")
            clock += length
            if clock > CLOCK_MAX:
                raise InvalidUpdate("clock out of range")
            if ref != _SKIP:
                ends[client] = clock
    for _i in range(reader.count(2)):
        if reader.var_uint() > CLIENT_MAX:
            raise InvalidUpdate("client id out of range")
        for _j in range(reader.count(2)):
            clock, length = reader.var_uint(), reader.var_uint()
            if clock + length > CLOCK_MAX:
                raise InvalidUpdate("clock out of range")
    if not reader.done():
        raise InvalidUpdate("trailing bytes")
    return ends


def update_clients(update: bytes) -> set[int]:
    """The client ids (Yjs's `clientID` of an editor) whose *first* items an update carries.

    Read cheaply from `pycrdt.get_state(update)`, the state vector of the update alone, which
    (like Yjs's `encodeStateVectorFromUpdate`) names only the clients whose items in the
    update start at clock 0. That is enough to learn every client that writes into a
    document: a client's later items cannot be integrated before its first ones, so its first
    update is stored before any other (and an editor's next keystrokes cost nothing here).
    Raises InvalidUpdate for bytes that are not an update, or for a client id Yjs could not
    read in the browser."""
    try:
        encoded = get_state(bytes(update))
    except ValueError as error:
        raise InvalidUpdate(str(error)) from error
    clients = set(read_state_vector(encoded))
    if any(client > CLIENT_MAX for client in clients):
        raise InvalidUpdate("client id too large for Yjs")
    return clients


def check_anchor(anchor: bytes, doc: Doc) -> None:
    """Raises InvalidUpdate unless `anchor` is an encoded Yjs relative position
    (`Y.encodeRelativePosition`) that sticks to an item of `doc`, or to the end of its
    fragment. (pycrdt 0.13.1's StickyIndex.decode panics on truncated bytes: read by hand.)"""
    anchor = bytes(anchor)
    if not anchor or len(anchor) > ANCHOR_MAX_BYTES:
        raise InvalidUpdate("no anchor")
    reader = _Reader(anchor)
    kind = reader.var_uint()
    if kind in (0, 2):  # an item (0), or the end of a type attached to an item (2)
        client, clock = reader.var_uint(), reader.var_uint()
        if clock >= state_vector(doc).get(client, 0):
            raise InvalidUpdate("no such item in the document")
    elif kind == 1:  # the end of a root type
        if reader.string() != FRAGMENT:
            raise InvalidUpdate("outside the document")
    else:
        raise InvalidUpdate("unknown kind")
    if not reader.done():
        reader.var_int()  # assoc (Yjs ≥ 13.5.43 writes it)
    if not reader.done():
        raise InvalidUpdate("trailing bytes")


# A readable diff between two states of a document ----------------------------------------------

# Marks the diff names when they are put on or taken off a passage (ProseMirror's mark names).
_MARK_CHANGES = {
    "strong": (_lazy("mis en gras"), _lazy("gras retiré")),
    "em": (_lazy("mis en italique"), _lazy("italique retiré")),
    "underline": (_lazy("souligné"), _lazy("soulignement retiré")),
    "code": (_lazy("mis en code"), _lazy("code retiré")),
    "link": (_lazy("lien ajouté"), _lazy("lien retiré")),
}
_KIND_NAMES = {
    "p": _lazy("paragraphe"),
    "li": _lazy("élément de liste"),
    "quote": _lazy("citation"),
    "pre": _lazy("bloc de code"),
    "h2": _lazy("titre de niveau 2"),
    "h3": _lazy("titre de niveau 3"),
    "h4": _lazy("titre de niveau 4"),
}


class Block(NamedTuple):
    """A block of the document as the diff sees it: its kind ("h2"–"h4" for a heading, "li"
    for a list item's paragraph, "quote", "pre" for code, "p" otherwise), its text, and the
    marks on it as runs [(text, sorted mark names)] (empty when the text has no mark)."""

    kind: str
    text: str
    runs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def char_marks(self) -> list[tuple[str, ...]]:
        """The marks of each character of the text."""
        if not self.runs:
            return [()] * len(self.text)
        out: list[tuple[str, ...]] = []
        for chunk, marks in self.runs:
            out.extend([marks] * len(chunk))
        return out


class Part(NamedTuple):
    """A piece of a changed block: kind "same", "added", "removed" or "formatted" (the same
    text, its marks changed: `note` says how, in words), the text, and its marks (the new
    ones, or the old ones for a removed text)."""

    kind: str
    text: str
    marks: tuple[str, ...] = ()
    note: str = ""

    @property
    def html(self) -> str:
        """The text escaped, in the tags of its marks (as crdt.to_html writes them)."""
        piece = escape(self.text)
        for mark in self.marks:
            tag = _MARK_TAGS.get(mark)
            if tag:
                piece = f"<{tag}>{piece}</{tag}>"
        return piece


def _runs(node) -> list[tuple[str, tuple[str, ...]]]:
    if isinstance(node, XmlText):
        return [
            (
                chunk,
                tuple(
                    sorted(
                        m for m, v in (attrs or {}).items() if m in _MARK_CHANGES and v is not None
                    )
                ),
            )
            for chunk, attrs in text_chunks(node)
            if chunk
        ]
    return [run for child in children(node) for run in _runs(child)]


def _block(kind: str, node) -> Block:
    merged: list[tuple[str, tuple[str, ...]]] = []
    for chunk, marks in _runs(node):
        if merged and merged[-1][1] == marks:
            merged[-1] = (merged[-1][0] + chunk, marks)
        else:
            merged.append((chunk, marks))
    text = "".join(chunk for chunk, _marks in merged)
    runs = tuple(merged) if any(marks for _chunk, marks in merged) else ()
    return Block(kind, text, runs)


@no_panic
def blocks(doc: Doc) -> list[Block]:
    """The document's blocks in order, with their kind and marks (Block)."""
    out: list[Block] = []

    def walk(node, kind: str) -> None:
        if isinstance(node, XmlText):
            out.append(_block(kind, node))
        elif node.tag in {"bullet_list", "ordered_list"}:
            for child in children(node):
                walk(child, kind)
        elif node.tag == "blockquote":
            for child in children(node):
                walk(child, "li" if kind == "li" else "quote")
        elif node.tag == "list_item":
            for child in children(node):
                walk(child, "li")
        elif node.tag == "heading":
            out.append(_block(_html_tag(node), node))
        elif node.tag in {"horizontal_rule", "hard_break"}:
            return
        else:
            out.append(_block("pre" if node.tag == "code_block" else kind, node))

    for node in children(fragment(doc)):
        walk(node, "p")
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|\S+", text)


def _offsets(words: list[str]) -> list[int]:
    """Where each word starts in the text, and the text's length last."""
    out = [0]
    for word in words:
        out.append(out[-1] + len(word))
    return out


def _mark_note(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    notes = [_MARK_CHANGES[m][0] for m in new if m not in old]
    notes += [_MARK_CHANGES[m][1] for m in old if m not in new]
    return ", ".join(str(note) for note in notes)


def _split_by_marks(kind: str, text: str, marks: list[tuple[str, ...]]) -> list[Part]:
    """`text` cut where its characters' marks change."""
    parts: list[Part] = []
    for at, char in enumerate(text):
        if parts and parts[-1].marks == marks[at]:
            parts[-1] = parts[-1]._replace(text=parts[-1].text + char)
        else:
            parts.append(Part(kind, char, marks[at]))
    return parts


def _kept_parts(text: str, old: list[tuple[str, ...]], new: list[tuple[str, ...]]) -> list[Part]:
    """A text found in both blocks: "same" where its marks did not change, "formatted" (with
    what changed, in words) where they did."""
    parts: list[Part] = []
    for at, char in enumerate(text):
        kind = "same" if old[at] == new[at] else "formatted"
        note = _mark_note(old[at], new[at]) if kind == "formatted" else ""
        last = parts[-1] if parts else None
        if last and (last.kind, last.marks, last.note) == (kind, new[at], note):
            parts[-1] = last._replace(text=last.text + char)
        else:
            parts.append(Part(kind, char, new[at], note))
    return parts


def _word_diff(old: Block, new: Block) -> list[Part]:
    """The parts of a changed block, word by word; marks compared character by character
    within the words kept."""
    a, b = _words(old.text), _words(new.text)
    a_at, b_at = _offsets(a), _offsets(b)
    a_marks, b_marks = old.char_marks(), new.char_marks()
    parts: list[Part] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_span = slice(a_at[i1], a_at[i2])
        new_span = slice(b_at[j1], b_at[j2])
        if op == "equal":
            parts += _kept_parts(old.text[old_span], a_marks[old_span], b_marks[new_span])
            continue
        # (an empty side gives no part: nothing to mark)
        parts += _split_by_marks("removed", old.text[old_span], a_marks[old_span])
        parts += _split_by_marks("added", new.text[new_span], b_marks[new_span])
    return parts


def _similar(old: str, new: str) -> bool:
    if not old.strip() or not new.strip():
        return True  # an empty paragraph written in (or emptied) is the same paragraph
    return difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= 0.4


def _kind_note(old: str, new: str) -> str:
    if old == new:
        return ""
    before, after = str(_KIND_NAMES.get(old, old)), str(_KIND_NAMES.get(new, new))
    return _("%(old)s devenu %(new)s") % {"old": before[:1].upper() + before[1:], "new": after}


def diff_blocks(old: list[Block], new: list[Block]) -> list[dict]:
    """The change from `old` to `new` blocks, paragraph by paragraph: a list of
    {"status": "same" | "added" | "removed" | "changed", "kind": block kind, "note": a change
    of kind in words (« Titre de niveau 2 devenu titre de niveau 3 ») or "", "parts": [Part]}.
    A changed block (similar enough to its old self, or the same text with other marks or of
    another kind) is diffed word by word, its marks character by character; others are shown
    whole as removed and added."""
    out: list[dict] = []
    old, new = [Block(*b) for b in old], [Block(*b) for b in new]

    def whole(status, block):
        parts = _split_by_marks(status, block.text, block.char_marks())
        out.append({"status": status, "kind": block.kind, "note": "", "parts": parts})

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for block in old[i1:i2]:
                whole("same", block)
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else None
            after = news[k] if k < len(news) else None
            if before and after and _similar(before.text, after.text):
                out.append(
                    {
                        "status": "changed",
                        "kind": after.kind,
                        "note": _kind_note(before.kind, after.kind),
                        "parts": _word_diff(before, after),
                    }
                )
                continue
            if before:
                whole("removed", before)
            if after:
                whole("added", after)
    return out
