"""The Yjs side of a preparation document, with pycrdt (pinned to 0.13.1: see
docs/preparations.md).

The browser binds ProseMirror to the XML fragment named `prosemirror` (y-prosemirror's
default). The server never edits it: it checks updates, stores them, replays them in arrival
order to answer a sync request, and renders the fragment as HTML for a reader without the
editor (closed session, no JavaScript)."""

import difflib
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

FRAGMENT = "prosemirror"
# One update is one edit (a keystroke, a paste, offline work merged on reconnection): a long
# lesson plan pasted whole is a few hundred kilobytes. A larger update is refused, unstored.
UPDATE_MAX_BYTES = 1_000_000
# The empty update (no struct, no deletion) that Yjs sends when it has nothing to say.
EMPTY_UPDATE = b"\x00\x00"


class InvalidUpdate(ValueError):
    """Bytes that are not a Yjs update of a preparation document."""


def check_update(update: bytes) -> None:
    """Raises InvalidUpdate unless `update` decodes as a Yjs update that writes only to the
    document's fragment and is no larger than UPDATE_MAX_BYTES."""
    if not isinstance(update, bytes | bytearray | memoryview):
        raise InvalidUpdate("not bytes")
    if len(update) > UPDATE_MAX_BYTES:
        raise InvalidUpdate("too large")
    scratch = Doc()
    try:
        scratch.apply_update(bytes(update))
    except Exception as error:  # pycrdt raises ValueError, and others on odd input
        raise InvalidUpdate(str(error)) from error
    # Items at the root name their root type: an update that creates any other root (a map or a
    # text beside the fragment) is not one the editor makes.
    roots = set(scratch.keys())
    if roots - {FRAGMENT}:
        raise InvalidUpdate("writes outside the document")


def rebuild(updates: Iterable[bytes]) -> Doc:
    """The document the stored updates make, applied in arrival (id) order: replaying them in
    another order can diverge (pycrdt and Yjs differ on updates whose predecessor is missing)."""
    doc = Doc()
    for update in updates:
        doc.apply_update(bytes(update))
    return doc


def merge(updates: list[bytes]) -> bytes:
    """One update worth the given ones, pending structs included (unlike re-encoding a
    rebuilt document, which would drop an update still waiting for its predecessor)."""
    return merge_updates(*[bytes(u) for u in updates])


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


def heading_level(element, *, lo: int, hi: int) -> int:
    """The `level` of a heading within [lo, hi] (2 when it is no number). The attribute comes
    from an editor's update: any value Yjs can encode (a string, a float, infinity, NaN)."""
    value = element.attributes.get("level")
    if isinstance(value, str):
        try:
            value = parse_int(value, hi=99)
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 2 if lo <= 2 <= hi else lo
    return min(max(int(value), lo), hi)


def _html_tag(element: XmlElement) -> str:
    if element.tag == "heading":
        return f"h{heading_level(element, lo=2, hi=4)}"
    return _BLOCK_TAGS.get(element.tag, "div")


def _text_html(text: XmlText) -> str:
    out = []
    for chunk, attrs in text.diff():
        if not isinstance(chunk, str):
            continue
        piece = escape(chunk)
        for mark in sorted(attrs or {}):
            tag = _MARK_TAGS.get(mark)
            if tag:
                piece = f"<{tag}>{piece}</{tag}>"
        out.append(piece)
    return "".join(out)


def _node_html(node) -> str:
    if isinstance(node, XmlText):
        return _text_html(node)
    tag = _html_tag(node)
    if tag in _VOID:
        return f"<{tag}>"
    inner = "".join(_node_html(child) for child in node.children)
    return f"<{tag}>{inner}</{tag}>"


def to_html(doc: Doc) -> str:
    """The document as HTML: only known block and mark tags, every text escaped."""
    return "".join(_node_html(node) for node in fragment(doc).children)


def to_text(doc: Doc) -> str:
    """The document's text, one block a line (tests, search)."""
    lines = []

    def walk(node):
        if isinstance(node, XmlText):
            return "".join(c for c, _a in node.diff() if isinstance(c, str))
        if node.tag in {"bullet_list", "ordered_list", "list_item", "blockquote"}:
            for child in node.children:
                text = walk(child)
                if text is not None:
                    lines.append(text)
            return None
        return "".join(walk(child) or "" for child in node.children)

    for node in fragment(doc).children:
        text = walk(node)
        if text is not None:
            lines.append(text)
    return "\n".join(lines)


# Versions -----------------------------------------------------------------------------------


def _copy_children(source, target) -> None:
    for node in source.children:
        if isinstance(node, XmlText):
            text = XmlText()
            target.children.append(text)
            at = 0
            for chunk, attrs in node.diff():
                if isinstance(chunk, str):
                    text.insert(at, chunk, dict(attrs) if attrs else None)
                    at += len(chunk.encode())  # pycrdt indexes are UTF-8 bytes
        else:
            element = XmlElement(node.tag, dict(node.attributes))
            target.children.append(element)
            _copy_children(node, element)


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

    def string(self) -> str:
        length = self.var_uint()
        if self.at + length > len(self.data):
            raise InvalidUpdate("truncated")
        text = self.data[self.at : self.at + length].decode("utf-8")
        self.at += length
        return text

    def done(self) -> bool:
        return self.at == len(self.data)


def decode_state_vector(data: bytes) -> dict[int, int]:
    """{client id: clock} of an encoded Yjs state vector: a varuint count, then that many
    varuint pairs (client id, clock). Raises InvalidUpdate on anything else (truncated bytes,
    bytes left over)."""
    reader = _Reader(bytes(data))
    vector = {}
    for _i in range(reader.var_uint()):  # (each pair reads a byte at least: no runaway loop)
        client = reader.var_uint()
        vector[client] = reader.var_uint()
    if not reader.done():
        raise InvalidUpdate("trailing bytes")
    return vector


def state_vector(doc: Doc) -> dict[int, int]:
    """{client id: number of its items} of the document (Yjs's encoded state vector, read)."""
    return decode_state_vector(doc.get_state())


# Yjs keeps a client id in a JavaScript number: a larger one cannot be read by the editors.
CLIENT_ID_MAX = 2**53 - 1


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
    clients = set(decode_state_vector(encoded))
    if any(client > CLIENT_ID_MAX for client in clients):
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
            for chunk, attrs in node.diff()
            if isinstance(chunk, str) and chunk
        ]
    return [run for child in node.children for run in _runs(child)]


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


def blocks(doc: Doc) -> list[Block]:
    """The document's blocks in order, with their kind and marks (Block)."""
    out: list[Block] = []

    def walk(node, kind: str) -> None:
        if isinstance(node, XmlText):
            out.append(_block(kind, node))
        elif node.tag in {"bullet_list", "ordered_list"}:
            for child in node.children:
                walk(child, kind)
        elif node.tag == "blockquote":
            for child in node.children:
                walk(child, "li" if kind == "li" else "quote")
        elif node.tag == "list_item":
            for child in node.children:
                walk(child, "li")
        elif node.tag == "heading":
            out.append(_block(_html_tag(node), node))
        elif node.tag in {"horizontal_rule", "hard_break"}:
            return
        else:
            out.append(_block("pre" if node.tag == "code_block" else kind, node))

    for node in fragment(doc).children:
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
