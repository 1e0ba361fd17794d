"""Turn an article body from Markdown into HTML that is safe to put on a page."""

import re

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt

from coverage_site.text import strip_control_characters

# Raw HTML in the Markdown is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# The parser's cost grows with formatting characters and lines, not with prose: at these limits
# the worst body found renders in about 0.2 s, and a long analysis uses a few hundred of each.
MAX_FORMATTING_CHARACTERS = 10_000
MAX_LINES = 3_000
FORMATTING_CHARACTERS = re.compile(r"[\[\]*_~`!<>#|\\&{}]")


def complexity_refusal(source):
    """Why the body is too intricate to render quickly (as a message for the editor), or None."""
    lines = source.count("\n") + 1
    if lines > MAX_LINES:
        return (
            f"The body has {lines:,} lines; the limit is {MAX_LINES:,}. "
            "Join short lines into paragraphs, or split the piece."
        )
    formatting = len(FORMATTING_CHARACTERS.findall(source))
    if formatting > MAX_FORMATTING_CHARACTERS:
        return (
            f"The body has {formatting:,} formatting characters ([ ] * _ ~ ` ! < > # | \\ & "
            f"{{ }}); the limit is {MAX_FORMATTING_CHARACTERS:,}. Pasted code or data is the "
            "usual cause: remove it, or link to it."
        )
    return None


ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "blockquote", "em", "strong", "del", "code", "pre",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source):
    """Render Markdown to HTML, then keep only allow-listed tags, attributes and URL schemes.

    The headline is the page's only <h1>, so a "# heading" in the body becomes an <h2>. A body
    past the complexity limits (which the admin refuses, but another writer could store) is
    shown as plain paragraphs rather than parsed, so no body can make a save slow.
    """
    source = strip_control_characters(source or "")
    if complexity_refusal(source):
        paragraphs = (part.strip() for part in source.split("\n\n"))
        return "".join(f"<p>{escape(part)}</p>\n" for part in paragraphs if part)
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
