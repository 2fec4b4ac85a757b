"""HTML from the editor is cleaned before it is stored, so that no designer can inject script
into a teacher's page. Only the formatting a rich-text editor produces is kept."""

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "div",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "a",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}


def clean_html(html: str) -> str:
    # The editor's "Titre" button writes <h1>; a page already has its own, so it becomes <h3>.
    html = re.sub(r"<(/?)h1(\s|>)", r"<\1h3\2", html or "", flags=re.IGNORECASE)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()
