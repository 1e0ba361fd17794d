"""Turn an article body from Markdown into HTML that is safe to put on a page.

`![Alt text](image:42 "Caption")` on a line of its own shows library image 42 as a responsive
figure with its caption and credit. The figure's HTML is made by the image library and put in
*after* the body has been cleaned, in place of a marker no author can forge, so the allow-list
below stays as tight as before.
"""

import re
import secrets

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.token import Token

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

LIBRARY_IMAGE = re.compile(r"^image:([0-9]{1,12})$")
FIGURE_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2.5rem)"


def _library_image_id(token):
    match = LIBRARY_IMAGE.match(token.attrGet("src") or "") if token.type == "image" else None
    return int(match.group(1)) if match else None


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token


def _walk_inline(tokens):
    for token in tokens:
        if token.type == "inline":
            yield token


def figure_ids(source):
    """The library image ids the body shows as figures, in order."""
    ids = []
    for token in _walk_inline(_markdown.parse(source or "")):
        for child in token.children or []:
            image_id = _library_image_id(child)
            if image_id is not None and image_id not in ids:
                ids.append(image_id)
    return ids


def _mark_figures(tokens, nonce):
    """Replace each paragraph that is only a library image with a marker; return the figures.

    A library image inside running text cannot be a figure (a <figure> may not sit inside a
    paragraph), so it is shown as its alt text.
    """
    figures = {}
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        children = [c for c in token.children or [] if not (c.type == "text" and not c.content)]
        standalone = (
            len(children) == 1
            and _library_image_id(children[0]) is not None
            and index > 0
            and tokens[index - 1].type == "paragraph_open"
        )
        if standalone:
            image = children[0]
            marker = f"coverage-figure-{nonce}-{len(figures)}"
            figures[marker] = (_library_image_id(image), image.content, image.attrGet("title"))
            token.children = [_text(marker)]
            continue
        token.children = [
            _text(child.content) if _library_image_id(child) is not None else child
            for child in token.children or []
        ]
    return figures


def _figures_html(figures):
    """{marker: figure HTML} for the marked figures, from one query."""
    if not figures:
        return {}
    from images.html import figure_html
    from images.models import Image

    ids = {image_id for image_id, _, _ in figures.values()}
    images = {image.pk: image for image in Image.objects.filter(pk__in=ids).with_renditions()}
    html = {}
    for marker, (image_id, alt, title) in figures.items():
        image = images.get(image_id)
        if image is None:
            html[marker] = ""
            continue
        html[marker] = figure_html(
            image,
            "natural",
            FIGURE_SIZES,
            caption=title or image.caption,
            alt=alt.strip() or None,
            lazy=True,
        )
    return html


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
    figures = _mark_figures(tokens, secrets.token_hex(8))
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    for marker, figure in _figures_html(figures).items():
        html = html.replace(f"<p>{marker}</p>", figure, 1)
    return html
