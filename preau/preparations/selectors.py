"""Reads of the collective preparations that gather rows."""

from .models import Author, Document

# The colours of « Qui a écrit quoi » (editor.css: preau-author-colour-0 … 7), each with a
# contrast of at least 3:1 on white (WCAG 1.4.11); past 8 authors they repeat, the names
# (legend, text alternative) still tell them apart.
AUTHOR_COLOURS = 8


def authorship(document: Document) -> dict:
    """Who wrote with which editor in the document, for « qui a écrit quoi »:
    {"clients": {Yjs client id (a string, as JSON keys are): author's index},
    "authors": [{"name", "colour"}, …]} — authors in the order they first wrote into the
    document, so that each keeps their colour as others join (one query)."""
    clients: dict[str, int] = {}
    authors: list[dict] = []
    index_of: dict[int, int] = {}
    rows = (
        Author.objects.filter(document=document)
        .select_related("user")
        .only("client_id", "user__first_name", "user__last_name")
        .order_by("pk")
    )
    for row in rows:
        if row.user_id not in index_of:
            index_of[row.user_id] = len(authors)
            authors.append(
                {
                    "name": row.user.get_full_name(),
                    "colour": len(authors) % AUTHOR_COLOURS,
                }
            )
        clients[str(row.client_id)] = index_of[row.user_id]
    return {"clients": clients, "authors": authors}
