"""Named versions of a group's document: naming, reading what changed since, restoring as a
new change (nothing erased), for the same people as the document."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pycrdt import XmlElement, XmlText

from preau.preparations import crdt, services
from preau.preparations.models import DocumentUpdate, Version
from tests.html_checker import JAVA, MISSING_JAVA, check_documents

from .conftest import close, typed

pytestmark = pytest.mark.django_db


def _write(prep, text, block=1):
    services.record_update(
        document=prep["document"], update=typed(prep["document"], text, block), by=prep["teacher"]
    )


def test_a_version_keeps_the_document_as_it_was_and_is_numbered(prep):
    _write(prep, "Compter jusqu’à 100")
    first = services.name_version(
        document=prep["document"], name="  Avant   la séance ", by=prep["teacher"]
    )
    _write(prep, "Puis jusqu’à 1000 ")
    second = services.name_version(
        document=prep["document"], name="Après la séance du 12 mars", by=prep["tutor"]
    )

    assert (first.number, first.name) == (1, "Avant la séance")
    assert second.number == 2
    assert "<p>Compter jusqu’à 100</p>" in crdt.to_html(crdt.rebuild([bytes(first.state)]))
    assert "1000" not in crdt.to_html(crdt.rebuild([bytes(first.state)]))


def test_restoring_a_version_is_a_new_change_that_erases_nothing(prep):
    _write(prep, "Version du lundi")
    monday = services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])
    _write(prep, "ajout du mardi ", block=3)
    rows = DocumentUpdate.objects.filter(document=prep["document"]).count()

    services.restore_version(version=monday, by=prep["classmate"])

    html = crdt.to_html(services.load(prep["document"]))
    assert html == crdt.to_html(crdt.rebuild([bytes(monday.state)]))
    assert "mardi" not in html
    # One more row, none deleted: Tuesday's text is still in the history.
    assert DocumentUpdate.objects.filter(document=prep["document"]).count() == rows + 1


def test_restoring_keeps_marks_and_accents(prep):
    doc = services.load(prep["document"])
    before = doc.get_state()
    text = crdt.fragment(doc).children[1].children[0]
    text.insert(0, "élèves ")
    text.insert(len("élèves ".encode()), "gras", {"strong": {}})
    services.record_update(
        document=prep["document"], update=doc.get_update(before), by=prep["teacher"]
    )
    version = services.name_version(document=prep["document"], name="Marques", by=prep["teacher"])
    _write(prep, "autre chose ")

    services.restore_version(version=version, by=prep["teacher"])

    assert "<p>élèves <strong>gras</strong></p>" in crdt.to_html(services.load(prep["document"]))


def test_versions_refuse_an_empty_name_a_stranger_and_a_closed_session(prep):
    with pytest.raises(ValidationError):
        services.name_version(document=prep["document"], name="   ", by=prep["teacher"])
    with pytest.raises(PermissionDenied):
        services.name_version(document=prep["document"], name="x", by=prep["other"])
    version = services.name_version(document=prep["document"], name="x", by=prep["teacher"])
    close(prep["session"])
    with pytest.raises(ValidationError, match="close"):
        services.name_version(document=prep["document"], name="y", by=prep["teacher"])
    with pytest.raises(ValidationError, match="close"):
        services.restore_version(version=version, by=prep["teacher"])


def test_the_version_page_shows_what_changed_since(client, prep):
    _write(prep, "Ligne gardée")
    version = services.name_version(document=prep["document"], name="Avant", by=prep["teacher"])
    _write(prep, "Nouvelle idée ", block=3)
    client.force_login(prep["classmate"])

    html = client.get(reverse("preparations:version", args=[version.pk])).content.decode()

    assert '<ins><span class="fr-sr-only">[ajouté : </span>Nouvelle idée <span' in html
    assert "Ligne gardée" in html and "<del>" not in html


def test_a_member_names_and_restores_through_the_pages(client, prep):
    _write(prep, "Premier jet")
    client.force_login(prep["teacher"])

    response = client.post(
        reverse("preparations:versions", args=[prep["document"].pk]), {"nom": "Premier jet"}
    )
    assert response.status_code == 302
    version = Version.objects.get()
    _write(prep, "Second jet ", block=3)

    response = client.post(reverse("preparations:version", args=[version.pk]))

    assert response.status_code == 302
    assert "Second jet" not in crdt.to_text(services.load(prep["document"]))
    assert (
        client.post(reverse("preparations:versions", args=[prep["document"].pk]), {"nom": ""})
    ).status_code == 400


@pytest.mark.parametrize("person", ["other", "lou", "ien", "admin", "nobody"])
def test_others_reach_no_version(client, prep, person):
    version = services.name_version(document=prep["document"], name="x", by=prep["teacher"])
    client.force_login(prep[person])

    assert client.get(reverse("preparations:version", args=[version.pk])).status_code == 404
    assert client.post(reverse("preparations:version", args=[version.pk])).status_code == 404
    url = reverse("preparations:versions", args=[prep["document"].pk])
    assert client.post(url, {"nom": "intrus"}).status_code == 404
    assert Version.objects.count() == 1


# Automatic snapshots --------------------------------------------------------------------------


def test_a_compaction_keeps_an_automatic_snapshot_numbered_with_the_named_versions(prep):
    _write(prep, "Compter")
    services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])
    _write(prep, "Décompter ")

    services.compact(document=prep["document"])

    snapshot = prep["document"].versions.get(automatic=True)
    assert (snapshot.number, snapshot.name) == (2, "Instantané automatique")
    assert crdt.to_html(crdt.rebuild([bytes(snapshot.state)])) == crdt.to_html(
        services.load(prep["document"])
    )


def test_no_snapshot_when_nothing_changed_since_the_last_version(prep):
    _write(prep, "Compter")
    services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])

    services.compact(document=prep["document"])

    assert not prep["document"].versions.filter(automatic=True).exists()


def test_only_the_last_automatic_snapshots_are_kept_and_named_versions_all(prep):
    services.name_version(document=prep["document"], name="Départ", by=prep["teacher"])
    for n in range(services.AUTO_SNAPSHOTS_KEPT + 3):
        _write(prep, f"étape {n} ")
        services.compact(document=prep["document"])

    automatic = list(
        prep["document"].versions.filter(automatic=True).values_list("number", flat=True)
    )
    last = services.AUTO_SNAPSHOTS_KEPT + 4
    assert automatic == list(range(last, last - services.AUTO_SNAPSHOTS_KEPT, -1))
    assert prep["document"].versions.filter(automatic=False, name="Départ").exists()


def test_the_versions_page_marks_automatic_snapshots(client, prep):
    _write(prep, "Compter")
    services.compact(document=prep["document"])
    client.force_login(prep["teacher"])
    html = client.get(reverse("preparations:versions", args=[prep["document"].pk])).content.decode()
    assert "1. Instantané automatique" in html and "automatique</span>" in html


# Comparing any two versions -------------------------------------------------------------------


def test_the_diff_is_paragraph_by_paragraph_and_word_by_word_within_one():
    old = [("h2", "Objectifs"), ("p", "Compter jusqu’à 100"), ("p", "Matériel : craies")]
    new = [
        ("h2", "Objectifs"),
        ("p", "Compter jusqu’à 1000 vite"),
        ("p", "Une phase de recherche en binômes"),
    ]

    changes = crdt.diff_blocks(old, new)

    assert [c["status"] for c in changes] == ["same", "changed", "removed", "added"]
    assert _parts(changes[1]) == [
        ("same", "Compter jusqu’à "),
        ("removed", "100"),
        ("added", "1000 vite"),
    ]
    assert _parts(changes[2]) == [("removed", "Matériel : craies")]


def _parts(change) -> list[tuple[str, str]]:
    return [(part.kind, part.text) for part in change["parts"]]


def test_blocks_reads_headings_paragraphs_list_items_and_quotes(prep):
    _write(prep, "Compter")

    def add_list_and_quote(f):
        item = XmlElement("list_item", {}, [XmlElement("paragraph", {}, [XmlText("un point")])])
        f.children.append(XmlElement("bullet_list", {}, [item]))
        quote = XmlElement("paragraph", {}, [XmlText("une citation")])
        f.children.append(XmlElement("blockquote", {}, [quote]))

    _edit(prep, add_list_and_quote)
    found = crdt.blocks(services.load(prep["document"]))

    assert found[:2] == [crdt.Block("h2", "Objectifs"), crdt.Block("p", "Compter")]
    assert found[-2:] == [crdt.Block("li", "un point"), crdt.Block("quote", "une citation")]


# Changes of formatting: marks and a heading's level, alone --------------------------------------


def _edit(prep, change):
    """Stores the change `change(fragment)` makes to the stored document."""
    doc = services.load(prep["document"])
    before = doc.get_state()
    with doc.transaction():
        change(crdt.fragment(doc))
    services.record_update(
        document=prep["document"], update=doc.get_update(before), by=prep["teacher"]
    )


def test_the_diff_says_a_word_was_put_in_bold_or_italic_or_taken_out(prep):
    _write(prep, "Compter vite et bien")
    # « bien » in italic first: taken out of italic later.
    _edit(prep, lambda f: f.children[1].children[0].format(16, 20, {"em": {}}))
    old = crdt.blocks(services.load(prep["document"]))
    # « vite » in bold; « bien » no longer in italic (y-prosemirror writes a null attribute).
    _edit(prep, lambda f: f.children[1].children[0].format(8, 12, {"strong": {}}))
    _edit(prep, lambda f: f.children[1].children[0].format(16, 20, {"em": None}))
    new = crdt.blocks(services.load(prep["document"]))
    assert [b.text for b in old] == [b.text for b in new]  # the text alone did not change

    changes = crdt.diff_blocks(old, new)

    change = changes[1]
    assert change["status"] == "changed" and change["note"] == ""
    assert [(p.kind, p.text, p.note) for p in change["parts"]] == [
        ("same", "Compter ", ""),
        ("formatted", "vite", "mis en gras"),
        ("same", " et ", ""),
        ("formatted", "bien", "italique retiré"),
    ]
    assert change["parts"][1].html == "<strong>vite</strong>"
    assert [c["status"] for c in changes].count("changed") == 1


def test_the_diff_says_a_heading_changed_level_or_a_paragraph_became_a_heading(prep):
    old = crdt.blocks(services.load(prep["document"]))

    def retitle(f):
        f.children[0].attributes["level"] = 3  # « Objectifs »: h2 → h3
        f.children[1].children[0].insert(0, "Les étapes")

    _edit(prep, retitle)
    mid = crdt.blocks(services.load(prep["document"]))
    changes = crdt.diff_blocks(old, mid)

    assert changes[0]["status"] == "changed"
    assert changes[0]["note"] == "Titre de niveau 2 devenu titre de niveau 3"
    assert [(p.kind, p.text) for p in changes[0]["parts"]] == [("same", "Objectifs")]
    # A paragraph made a heading, same words: said, not shown as deleted and added.
    later = [*mid[:1], crdt.Block("h4", "Les étapes"), *mid[2:]]
    turned = crdt.diff_blocks(mid, later)[1]
    assert turned["status"] == "changed"
    assert turned["note"] == "Paragraphe devenu titre de niveau 4"


def test_added_and_removed_text_keep_their_marks_in_the_diff():
    old = [crdt.Block("p", "Un mot barré", (("Un mot ", ()), ("barré", ("em",))))]
    new = [crdt.Block("p", "Un mot gras", (("Un mot ", ()), ("gras", ("strong",))))]

    parts = crdt.diff_blocks(old, new)[0]["parts"]

    assert [(p.kind, p.html) for p in parts] == [
        ("same", "Un mot "),
        ("removed", "<em>barré</em>"),
        ("added", "<strong>gras</strong>"),
    ]


def test_the_comparison_page_shows_a_change_of_bold_and_of_heading_level(client, prep):
    _write(prep, "Compter vite")
    version = services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])

    def reformat(f):
        f.children[1].children[0].format(8, 12, {"strong": {}})
        f.children[2].attributes["level"] = 3  # « Déroulé en étapes »

    _edit(prep, reformat)
    client.force_login(prep["teacher"])

    html = client.get(
        reverse("preparations:compare", args=[prep["document"].pk]), {"de": version.pk}
    ).content.decode()
    assert '<mark><strong>vite</strong></mark><span class="preau-diff-note"> [mis en gras]' in html
    assert "[Titre de niveau 2 devenu titre de niveau 3]" in html
    # The version's page says it too.
    page = client.get(reverse("preparations:version", args=[version.pk])).content.decode()
    assert "[mis en gras]" in page and "[Titre de niveau 2 devenu titre de niveau 3]" in page


def test_comparing_two_versions_neither_of_them_current(client, prep):
    _write(prep, "Compter jusqu’à 100")
    first = services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])
    _write(prep, "et jusqu’à 1000 ")
    second = services.name_version(document=prep["document"], name="Mardi", by=prep["teacher"])
    _write(prep, "Encore plus tard ", block=3)  # after both: not in the comparison
    client.force_login(prep["tutor"])

    page = client.get(
        reverse("preparations:compare", args=[prep["document"].pk]),
        {"de": first.pk, "a": second.pk},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "De « 1. Lundi » à « 2. Mardi »" in html
    assert '<ins><span class="fr-sr-only">[ajouté : </span>et jusqu’à 1000' in html
    assert "Compter jusqu’à 100" in html
    assert "Encore plus tard" not in html
    # Backwards: what was added is now deleted.
    back = client.get(
        reverse("preparations:compare", args=[prep["document"].pk]),
        {"de": second.pk, "a": first.pk},
    ).content.decode()
    assert "[supprimé : </span>" in back and "[ajouté :" not in back


def test_comparing_without_a_version_compares_the_last_one_with_the_document(client, prep):
    _write(prep, "Compter")
    services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])
    _write(prep, "Nouvelle phrase ", block=3)
    client.force_login(prep["teacher"])

    html = client.get(reverse("preparations:compare", args=[prep["document"].pk])).content.decode()

    assert "De « 1. Lundi » à « le document actuel »" in html
    assert "Nouvelle phrase" in html


@pytest.mark.parametrize("params", [{"de": "x"}, {"de": "0"}, {"de": "999999"}, {}])
def test_comparing_nothing_or_another_documents_version_is_a_404(client, prep, params):
    theirs = services.name_version(
        document=prep["other_document"], name="Leur version", by=prep["other"]
    )
    client.force_login(prep["teacher"])
    url = reverse("preparations:compare", args=[prep["document"].pk])
    assert client.get(url, {"de": theirs.pk}).status_code == 404
    # No version at all in this document: nothing to compare.
    assert client.get(url, params).status_code == 404
    mine = services.name_version(document=prep["document"], name="A", by=prep["teacher"])
    assert client.get(url, {"de": mine.pk, "a": theirs.pk}).status_code == 404


@pytest.mark.parametrize("person", ["other", "lou", "ien", "pilot", "admin", "nobody"])
def test_outsiders_get_404_on_the_comparison(client, prep, person):
    version = services.name_version(document=prep["document"], name="A", by=prep["teacher"])
    client.force_login(prep[person])
    response = client.get(
        reverse("preparations:compare", args=[prep["document"].pk]), {"de": version.pk}
    )
    assert response.status_code == 404


@pytest.mark.skipif(not JAVA, reason=MISSING_JAVA)
def test_the_comparison_of_a_change_of_formatting_is_valid_html(client, prep):
    _write(prep, "Compter vite")
    version = services.name_version(document=prep["document"], name="Lundi", by=prep["teacher"])
    _edit(prep, lambda f: f.children[1].children[0].format(0, 7, {"em": {}}))
    _write(prep, "très ", block=1)
    client.force_login(prep["teacher"])
    url = reverse("preparations:compare", args=[prep["document"].pk]) + f"?de={version.pk}"
    html = client.get(url).content.decode()
    assert "[mis en italique]" in html and "[ajouté :" in html

    errors = check_documents({url: html})

    assert not errors, "\n".join(map(str, errors))
