"""No button shows an icon alone: its words are on screen, not only in a title or an aria-label.

The DSFR hides the text of a `fr-btn` carrying an icon class (`fr-icon-…`) unless told where the
icon goes: `fr-btn--icon-left`/`--icon-right` on a button alone, and, inside a `fr-btns-group`,
`fr-btns-group--icon-left`/`--icon-right` on the group, whatever the button says (dsfr.min.css:
`.fr-btns-group:not([class*=" fr-btns-group--icon-"]) .fr-btn[class*=" fr-icon-"]` and
`.fr-btn[class*=" fr-icon-"]:not([class*=fr-btn--icon-])` get `max-width: 2.5rem; overflow:
hidden`). This reads every template with those two rules."""

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
ICON = re.compile(r"^fr-(icon|fi)-")
BUTTON_SIDES = {"fr-btn--icon-left", "fr-btn--icon-right"}
GROUP_SIDES = {"fr-btns-group--icon-left", "fr-btns-group--icon-right"}
# The header's tool links restyle their buttons: icon and words side by side.
SHOWS_WORDS_ITSELF = {"fr-header__tools-links"}


class IconOnlyButtons(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, set[str]]] = []
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag in {"a", "button"} and "fr-btn" in classes and any(map(ICON.match, classes)):
            groups = [c for _, c in self.open if "fr-btns-group" in c]
            around = set().union(*(c for _, c in self.open))
            # The innermost group decides; a button outside any group decides for itself.
            sides = groups[-1] & GROUP_SIDES if groups else classes & BUTTON_SIDES
            icon_only = not sides
            if icon_only and not around & SHOWS_WORDS_ITSELF:
                self.found.append((self.getpos()[0], " ".join(sorted(classes))))
        if tag not in VOID:
            self.open.append((tag, classes))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def icon_only_buttons(html: str) -> list[tuple[int, str]]:
    parser = IconOnlyButtons()
    parser.feed(html)
    return parser.found


def test_no_template_has_a_button_showing_its_icon_alone():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("preau/*/templates/**/*.html")]
    assert len(templates) > 50

    found = [
        f"{path.relative_to(ROOT)}:{line}: {classes}"
        for path in templates
        for line, classes in icon_only_buttons(path.read_text())
    ]

    assert found == []


def test_the_check_sees_an_icon_alone_on_a_button_and_in_a_group():
    assert icon_only_buttons('<a class="fr-btn fr-icon-edit-line" href="#">Modifier</a>')
    assert icon_only_buttons(
        '<ul class="fr-btns-group fr-btns-group--sm"><li>'
        '<a class="fr-btn fr-icon-arrow-left-line fr-btn--icon-left" href="#">Année</a>'
        "</li></ul>"
    )
    assert not icon_only_buttons(
        '<a class="fr-btn fr-icon-edit-line fr-btn--icon-left" href="#">Modifier</a>'
    )
    assert not icon_only_buttons(
        '<ul class="fr-btns-group fr-btns-group--icon-left"><li>'
        '<a class="fr-btn fr-icon-user-add-line" href="#">Inscrire des participants</a>'
        "</li></ul>"
    )


def test_the_year_arrows_and_the_enrol_button_show_their_words(client, cast, territory):
    from django.urls import reverse

    from tests import factories

    client.force_login(cast["teacher"])
    hours = client.get(reverse("hours:year", args=[2025])).content.decode()
    session = factories.TrainingSessionFactory(
        circonscription=territory["caen"], trainers=[cast["trainer"]]
    )
    client.force_login(cast["trainer"])
    manage = client.get(reverse("training:manage", args=[session.pk])).content.decode()

    assert re.search(r"fr-icon-arrow-left-line[^>]*>Année 2024", hours)
    assert icon_only_buttons(hours) == []
    assert "Inscrire des participants" in manage
    assert icon_only_buttons(manage) == []
