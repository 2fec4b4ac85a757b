"""Forged Yjs updates (v1 encoding, written by hand): what a hostile client can send that no
editor makes (an item under a parent of the wrong kind, a value where an XML node belongs, a
struct whose predecessor was never sent)."""

import struct

from preau.preparations import crdt

# Content kinds and type kinds of Yjs's encoding.
DELETED, STRING, EMBED, FORMAT, TYPE, ANY = 1, 4, 5, 6, 7, 8
MAP, TEXT, XML_ELEMENT, XML_FRAGMENT, XML_HOOK, XML_TEXT = 1, 2, 3, 4, 5, 6


def vu(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def vs(text: str) -> bytes:
    data = text.encode()
    return vu(len(data)) + data


def any_string(text: str) -> bytes:
    return b"\x77" + vs(text)


def any_float(number: float) -> bytes:
    return b"\x7b" + struct.pack(">d", number)


def item(kind: int, content: bytes, parent, key: str | None = None) -> bytes:
    """An item without neighbours: `parent` a root's name or an item's (client, clock) id;
    `key` for a map entry (an XML attribute)."""
    info = kind | (0x20 if key is not None else 0)
    by_name = isinstance(parent, str)
    where = vu(1) + vs(parent) if by_name else vu(0) + vu(parent[0]) + vu(parent[1])
    return bytes([info]) + where + (vs(key) if key is not None else b"") + content


def update(client: int, clock: int, *items: bytes) -> bytes:
    return vu(1) + vu(len(items)) + vu(client) + vu(clock) + b"".join(items) + vu(0)


# A client id larger than any pycrdt or Yjs makes: its map entries win the conflicts.
ATTACKER = 2**53 - 1


def first_heading(document) -> tuple[int, int]:
    """The id of the template's first heading: the first item of the document's first stored
    update (the template, written by one client)."""
    from preau.preparations.models import DocumentUpdate

    template = DocumentUpdate.objects.filter(document=document).order_by("pk").first()
    (client,) = crdt.read_update(bytes(template.data))
    return client, 0
