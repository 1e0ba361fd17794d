"""Turn newsroom copy (plain text, Markdown, Word) into an `ImportedArticle`.

Every format is first cut into blocks (heading, paragraph, list, other Markdown), then one set of
rules finds the headline, the key points, the standfirst and the byline line, so plain text,
Markdown and Word behave alike. Nothing here touches the database except `suggest_topics`.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

from django.conf import settings
from django.utils.dateparse import parse_datetime
from markdown_it import MarkdownIt

SUPPORTED_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
SUPPORTED_SUFFIXES[".docx"] = "docx"
HEADLINE_MAX = 200
STANDFIRST_MAX = 300  # a standfirst drawn from the copy, or a paragraph taken as one
STANDFIRST_LIMIT = 600  # what the article's standfirst holds
KEY_POINT_MAX = 500
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
DOCX_MAX_UNPACKED = 50 * 1024 * 1024
FRONT_MATTER_KEYS = {
    "headline", "title", "slug", "standfirst", "summary", "topics", "authors", "key_points",
    "published_at", "sources",
}  # fmt: skip

KEY_POINTS_LABEL = re.compile(
    r"^\W*(key\s+points?|key\s+takeaways?|takeaways|highlights)\W*$", re.IGNORECASE
)
BULLET = re.compile(r"^\s*(?:[-*•◦▪‣]|–(?=\s))\s*(?=\S)")
NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
BYLINE = re.compile(r"^(?:By|BY)\s+[A-Z][\w’'-]*\.?(?:,?\s+(?:and\s+)?[A-Z][\w’'-]*\.?){0,5}$")
CLOSING = re.compile(r"[.,;:!…][\"”’')\]]*$")
LABEL = re.compile(r"^(?!\*\*)([^:.!?]{1,60}?):\s+(?=\S)")
SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[.,;:!?)\]](?:\s|$))")
SPACES = re.compile(r"[ \t]{2,}")
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<])")
BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}[.)](?=\s)|={3,}|-{3,}$)")
_GAP = r"[ \xa0]+"
_NAME_WORD = r"[A-Z][\w&’'-]*"
SOURCE_PHRASE = re.compile(
    r"\b(?:reported\s+by|according\s+to|as\s+reported\s+in|quoted\s+by|cited\s+by|"
    rf"in\s+an\s+interview\s+with|writing\s+in|published\s+by){_GAP}(?:the{_GAP}(?=[A-Z]))?"
    rf"((?:The{_GAP})?{_NAME_WORD}(?:{_GAP}(?:(?:of|the|&){_GAP})?{_NAME_WORD}){{0,4}})"
    # A name ends the sentence or clause, or is followed by a word that cannot extend it.
    rf"(?=[ \xa0]*$|[ \xa0]*[,.;:!?)\"”’]|{_GAP}"
    r"(?:on|in|last|this|earlier|which|that|who|and|said|reported)\b)",
    re.MULTILINE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Capt|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|No|vs|etc|approx)|\b[A-Z])\.$"
)
DASHES = "-‐‑‒–—−"

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


class InvalidDocument(ValueError):
    """The copy cannot become an article; the message says why, in one line."""


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullet_list", "ordered_list" or "other"
    markdown: str
    text: str = ""  # plain text, for headings and paragraphs
    items: list = field(default_factory=list)  # plain text of each list item


@dataclass
class ImportedArticle:
    """What a document was understood to be: enough to make or update a draft."""

    headline: str
    slug: str
    standfirst: str
    standfirst_needs_review: bool
    key_points: list
    body: str
    filename: str = ""
    format: str = "text"
    topic_names: list = field(default_factory=list)  # named in front matter
    suggested_topics: list = field(default_factory=list)  # existing Topic objects
    suggested_sources: list = field(default_factory=list)  # [{"publication", "title"}]
    author_usernames: list = field(default_factory=list)
    published_at: datetime | None = None
    notes: list = field(default_factory=list)

    def outline(self):
        """Counts of what the body holds: headings, lists (with item counts), paragraphs."""
        headings, lists, paragraphs, depth = [], [], 0, 0
        tokens = _markdown.parse(self.body)
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
                if depth == 0 and token.type != "blockquote_open":
                    lists.append(_count_items(tokens, index))
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
                depth -= 1
            elif token.type == "heading_open" and depth == 0:
                headings.append(_plain(tokens[index + 1].content))
            elif token.type == "paragraph_open" and depth == 0:
                paragraphs += 1
        return {"headings": headings, "lists": lists, "paragraphs": paragraphs}

    def summary(self):
        """One line: what was recognised."""
        outline = self.outline()
        lists = ", ".join(str(count) for count in outline["lists"])
        parts = [
            f"{len(self.key_points)} key points",
            f"{len(outline['headings'])} headings",
            f"{len(outline['lists'])} lists" + (f" ({lists} items)" if lists else ""),
            f"{outline['paragraphs']} paragraphs",
        ]
        topics = ", ".join(topic.name for topic in self.suggested_topics) or "none"
        sources = ", ".join(source["publication"] for source in self.suggested_sources)
        line = f"{'; '.join(parts)}; suggested topics: {topics}"
        if sources:
            line += f"; suggested sources: {sources}"
        if self.standfirst_needs_review:
            line += "; standfirst drawn from the first paragraph (review it)"
        return line


def _count_items(tokens, start):
    level, count = tokens[start].level, 0
    for token in tokens[start + 1 :]:
        if token.level == level and token.type.endswith("_list_close"):
            break
        if token.type == "list_item_open" and token.level == level + 1:
            count += 1
    return count


def parse(data, filename=None, known_topics=None):
    """Read a document (bytes or str) into an ImportedArticle, or raise InvalidDocument.

    The format follows the file name (.txt, .md, .docx); pasted text without a name is Markdown
    when it has front matter or "#" headings, newsroom plain text otherwise. `known_topics`
    (Topic objects) saves a query per document when importing many.
    """
    name = PurePath(filename).name if filename else ""
    kind = _kind(name, data)
    size = len(data.encode() if isinstance(data, str) else data)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise InvalidDocument(
            f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.1f} MB."
        )
    if kind == "docx":
        if isinstance(data, str):
            raise InvalidDocument("A Word document must be uploaded as a file.")
        text, notes = docx_to_markdown(data)
        kind_label = "docx"
        meta = {}
        blocks = _demoted_headings(markdown_blocks(text))
    else:
        text = decode(data) if isinstance(data, bytes) else _normalise_text(data)
        if not text.strip():
            raise InvalidDocument("The document is empty.")
        notes = []
        if kind is None:
            kind = "markdown" if _looks_like_markdown(text) else "text"
        kind_label = kind
        if kind == "markdown":
            meta, text = front_matter(text, notes)
            blocks = markdown_blocks(text)
        else:
            meta, blocks = {}, text_blocks(text)
    imported = assemble(blocks, meta, notes)
    imported.filename, imported.format = name, kind_label
    imported.suggested_topics = suggest_topics(imported, known_topics)
    imported.suggested_sources = suggest_sources(imported, meta)
    return imported


def _kind(name, data):
    if not name:
        if isinstance(data, bytes) and data[:4] == b"PK\x03\x04":
            return "docx"
        return None
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = " (save it as .docx)" if suffix in {".doc", ".rtf", ".odt", ".pages"} else ""
        shown = suffix or "without an extension"
        raise InvalidDocument(f"Unknown file type {shown}{hint}: import .txt, .md or .docx files.")
    return SUPPORTED_SUFFIXES[suffix]


def decode(data):
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252; else refuse."""
    if not data.strip():
        raise InvalidDocument("The document is empty.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise InvalidDocument("This is a binary file, not text: import .txt, .md or .docx.")
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _normalise_text(text)
    raise InvalidDocument(
        "The text is not UTF-8, UTF-16 or Windows-1252: save it as UTF-8 and try again."
    )


def _normalise_text(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0b", "\n")
    text = text.replace("\x0c", "\n")
    controls = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]
    if controls:
        raise InvalidDocument(
            "This looks like a binary file (it has control characters): import .txt, .md or .docx."
        )
    return unicodedata.normalize("NFC", text)


def _looks_like_markdown(text):
    """Front matter or "#" headings; or Markdown emphasis or links in blank-line paragraphs."""
    if text.startswith("---\n") or re.search(r"^#{1,6} \S", text, re.MULTILINE):
        return True
    inline = re.search(r"\*\*[^*\n]+\*\*|\[[^\]\n]+\]\(https?://|^```", text, re.MULTILINE)
    return bool(inline) and "\n\n" in text.strip()


# Plain text in the shape of newsroom copy.


def text_blocks(text):
    """Blocks from newsroom plain text: one line, one paragraph; short lines are headings."""
    lines = [_tidy(line) for line in _unwrap(text).split("\n")]
    lines = [line for line in lines if line]
    blocks = []
    candidates = [_heading_candidate(line) for line in lines]
    for index, line in enumerate(lines):
        bullet, number = BULLET.match(line), NUMBERED.match(line)
        if bullet or number:
            kind = "bullet_list" if bullet else "ordered_list"
            item = line[(bullet or number).end() :].strip()
            if not blocks or blocks[-1].kind != kind:
                start = int(number.group(1)) if number else 1
                blocks.append(Block(kind, "", items=[]))
                blocks[-1].start = start
            blocks[-1].items.append(item)
            continue
        isolated = (
            index > 1
            and candidates[index]
            and not candidates[index - 1]
            and index + 1 < len(lines)
            and not candidates[index + 1]
        )
        marked = re.match(r"^#{1,6}\s+(?=\S)", line)
        if marked:  # a "## Heading" typed into plain text
            heading = line[marked.end() :].strip()
            blocks.append(Block("heading", "## " + _escape(heading), text=heading))
        elif isolated:
            blocks.append(Block("heading", "## " + _escape(line), text=line))
        else:
            blocks.append(Block("paragraph", _escape_block(line), text=line))
    for block in blocks:
        if block.kind.endswith("_list"):
            block.markdown = _list_markdown(block)
    return blocks


def _unwrap(text):
    """Join hard-wrapped lines (copy wrapped at ~72 columns) back into paragraphs.

    Copy is taken to be wrapped when most of its long lines end without punctuation; then
    paragraphs are the blocks between blank lines, as in Markdown.
    """
    long_lines = [
        line.strip()
        for line in text.split("\n")
        if len(line.strip()) > 50 and not (BULLET.match(line) or NUMBERED.match(line))
    ]
    unpunctuated = [line for line in long_lines if not re.search(r"[.!?:;\"”’)]$", line)]
    if len(long_lines) < 3 or len(unpunctuated) * 2 <= len(long_lines):
        return text
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        joined = []
        for line in chunk.split("\n"):
            stripped = line.strip()
            wrapped = joined and len(joined[-1]) >= 45 and not CLOSING.search(joined[-1])
            if wrapped and not (BULLET.match(stripped) or NUMBERED.match(stripped)):
                joined[-1] += " " + stripped
            else:
                joined.append(stripped)
        paragraphs.append("\n".join(joined))
    return "\n".join(paragraphs)


def _tidy(line):
    line = SPACES.sub(" ", line.replace("\t", " ")).strip()
    return SPACE_BEFORE_PUNCTUATION.sub("", line)


def _heading_candidate(line):
    if BULLET.match(line) or NUMBERED.match(line) or not re.search(r"\w", line):
        return False
    if len(line) > HEADING_MAX_CHARS or len(line.split()) > HEADING_MAX_WORDS:
        return False
    if re.match(r"^(https?://|www\.)", line):
        return False
    return line.endswith("?") or not CLOSING.search(line)


def _escape(text):
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _escape_block(text):
    text = _escape(text)
    return "\\" + text if BLOCK_START.match(text) else text


def _list_markdown(block):
    lines = []
    for offset, item in enumerate(block.items):
        label = LABEL.match(item)
        if label:
            rest = item[label.end() :]
            item_md = f"**{_escape(label.group(1).strip())}:** {_escape(rest)}"
        else:
            item_md = _escape(item)
        marker = f"{block.start + offset}." if block.kind == "ordered_list" else "-"
        lines.append(f"{marker} {item_md}")
    return "\n".join(lines)


# Markdown (and Word, once converted to Markdown).


def front_matter(text, notes):
    """Split a YAML front-matter block (between "---" lines) from the Markdown."""
    if not text.startswith("---\n"):
        return {}, text
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise InvalidDocument(f"The front matter is not valid YAML{where}.") from None
    except (ValueError, TypeError, AttributeError) as error:  # e.g. a date like 2025-99-99
        raise InvalidDocument(f"The front matter could not be read: {error}.") from None
    if not isinstance(post.metadata, dict):
        raise InvalidDocument("The front matter must be “key: value” lines.")
    meta = dict(post.metadata)
    unknown = sorted(str(key) for key in meta if key not in FRONT_MATTER_KEYS)
    if unknown:
        notes.append(f"Front matter ignored: {', '.join(unknown)}.")
    return meta, post.content


def markdown_blocks(text):
    """Top-level blocks of a Markdown document, each with its own source lines."""
    lines = text.split("\n")
    tokens = _markdown.parse(text)
    blocks = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.map is None or token.nesting == -1:
            index += 1
            continue
        start, end = token.map
        source = "\n".join(lines[start:end]).strip("\n")
        if token.type == "heading_open":
            blocks.append(Block("heading", source, text=_plain(tokens[index + 1].content)))
        elif token.type == "paragraph_open":
            blocks.append(Block("paragraph", source, text=_plain(tokens[index + 1].content)))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            kind = token.type.removesuffix("_open")
            items = [
                _plain(tokens[i + 2].content)
                for i in range(index, len(tokens))
                if tokens[i].type == "list_item_open"
                and tokens[i].level == 1
                and tokens[i + 1].type == "paragraph_open"
                and _within(tokens[i].map, token.map)
            ]
            blocks.append(Block(kind, source, items=items))
        else:
            blocks.append(Block("other", source))
        index += 1
    return blocks


def _demoted_headings(blocks):
    """Word's Heading 1 is a section under the title: make body headings start at "##"."""
    body = blocks[1:] if blocks and blocks[0].kind == "heading" else blocks
    if any(block.kind == "heading" and block.markdown.startswith("# ") for block in body):
        for block in body:
            if block.kind == "heading" and not block.markdown.startswith("######"):
                block.markdown = "#" + block.markdown
    return blocks


def _within(inner, outer):
    return inner is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def _plain(inline_markdown):
    """The text of inline Markdown, without emphasis markers or link targets."""
    text = []
    for token in _markdown.parseInline(inline_markdown)[0].children or []:
        if token.type in ("text", "code_inline"):
            text.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            text.append(" ")
    return " ".join("".join(text).split())


def docx_to_markdown(data):
    """Markdown from a .docx: mammoth to HTML, markdownify to Markdown; notes what was dropped."""
    import mammoth
    from markdownify import markdownify

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > DOCX_MAX_UNPACKED:
                raise InvalidDocument("The Word document unpacks to more than 50 MB; refused.")
            comments = 0
            if "word/comments.xml" in archive.namelist():
                comments = archive.read("word/comments.xml").count(b"<w:comment ")
        style_map = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=style_map)
    except InvalidDocument:
        raise
    except Exception:  # mammoth and zipfile raise many kinds for a damaged file
        raise InvalidDocument(
            "This is not a readable Word document (.docx); open it in Word and save it again."
        ) from None
    html = result.value
    notes = []
    images = len(re.findall(r"<img\b", html))
    if images:
        notes.append(f"{images} image(s) dropped: add pictures to the article separately.")
    if comments:
        notes.append(f"{comments} comment(s) dropped.")
    markdown = markdownify(html, heading_style="ATX", bullets="-", strip=["img"], escape_misc=False)
    return _normalise_text(re.sub(r"\n{3,}", "\n\n", markdown).strip()), notes


# The rules every format shares.


def assemble(blocks, meta, notes):
    """Find headline, key points, standfirst and byline in the blocks; the rest is the body."""
    blocks = list(blocks)
    headline = _meta_text(meta, "headline") or _meta_text(meta, "title")
    if headline:
        if blocks and blocks[0].kind in ("heading", "paragraph") and blocks[0].text == headline:
            blocks.pop(0)
    else:
        if not blocks or blocks[0].kind not in ("heading", "paragraph"):
            raise InvalidDocument("No headline: the first line of the copy must be the headline.")
        headline = blocks.pop(0).text
    if not headline or not re.search(r"\w", headline):
        raise InvalidDocument("No headline: the first line of the copy must be the headline.")
    if len(headline) > HEADLINE_MAX:
        raise InvalidDocument(
            f"The first line is {len(headline)} characters long, too long for a headline "
            f"(at most {HEADLINE_MAX}): the copy should start with its headline on a line "
            "of its own."
        )

    if blocks and blocks[0].kind == "paragraph" and BYLINE.match(blocks[0].text):
        notes.append(f"Byline line “{blocks[0].text}” left out: the byline is set by authors.")
        blocks.pop(0)

    key_points = _meta_list(meta, "key_points", split=False)
    key_points_at = None
    for index, block in enumerate(blocks):
        if block.kind in ("heading", "paragraph") and KEY_POINTS_LABEL.match(block.text):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and following.kind.endswith("_list"):
                if key_points:
                    notes.append(
                        "A “Key points” list in the copy was ignored: the front matter has them."
                    )
                else:
                    key_points = following.items
                del blocks[index : index + 2]
            else:
                del blocks[index]
            key_points_at = index
            break

    standfirst = _meta_text(meta, "standfirst") or _meta_text(meta, "summary")
    needs_review = False
    if not standfirst:
        first = blocks[0] if blocks else None
        later_paragraphs = [block for block in blocks[1:] if block.kind == "paragraph"]
        if (
            first is not None
            and first.kind == "paragraph"
            and len(first.text) <= STANDFIRST_MAX
            and later_paragraphs
            and key_points_at != 0  # key points between headline and paragraph: not a standfirst
        ):
            standfirst = blocks.pop(0).text
        else:
            paragraph = next((block for block in blocks if block.kind == "paragraph"), None)
            standfirst = drawn_standfirst(paragraph.text) if paragraph else ""
            needs_review = bool(standfirst)

    if len(standfirst) > STANDFIRST_LIMIT:
        raise InvalidDocument(
            f"The standfirst is {len(standfirst)} characters long; at most {STANDFIRST_LIMIT}."
        )
    for number, point in enumerate(key_points, start=1):
        if len(point) > KEY_POINT_MAX:
            raise InvalidDocument(
                f"Key point {number} is {len(point)} characters long; at most {KEY_POINT_MAX}: "
                "shorten it or make it a paragraph."
            )
    body = "\n\n".join(block.markdown for block in blocks if block.markdown.strip())
    if not body.strip() and not key_points:
        raise InvalidDocument("The copy has a headline but nothing after it.")

    from topics.models import ascii_slug

    slug = str(meta.get("slug") or "").strip()
    if slug and not re.fullmatch(r"[-a-z0-9]{1,200}", slug):
        raise InvalidDocument(
            f"The slug “{slug[:60]}” in the front matter may only have a–z, 0–9 and hyphens."
        )
    slug = slug or ascii_slug(re.sub(r"[’'ʼ]", "", headline), max_length=120)
    return ImportedArticle(
        headline=headline,
        slug=slug,
        standfirst=standfirst,
        standfirst_needs_review=needs_review,
        key_points=key_points,
        body=body + "\n" if body else "",
        topic_names=_meta_list(meta, "topics"),
        author_usernames=_meta_list(meta, "authors"),
        published_at=_meta_time(meta),
        notes=notes,
    )


def drawn_standfirst(paragraph):
    """The first one or two sentences of a paragraph, at most STANDFIRST_MAX characters."""
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.start()].rstrip()
        if ABBREVIATION.search(candidate):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    sentences = [sentence for sentence in sentences if sentence]
    if not sentences:
        return ""
    standfirst = sentences[0]
    if len(sentences) > 1 and len(standfirst) + 1 + len(sentences[1]) <= STANDFIRST_MAX:
        standfirst += " " + sentences[1]
    if len(standfirst) > STANDFIRST_MAX:
        standfirst = standfirst[: STANDFIRST_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return standfirst


def _meta_text(meta, key):
    value = meta.get(key)
    if isinstance(value, (list, dict)):
        raise InvalidDocument(f"In the front matter, {key} must be text, not a list.")
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _meta_list(meta, key, split=True):
    """A front-matter list; a string is one item, or comma-separated items when `split`."""
    value = meta.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",") if split else [value]
    if not isinstance(value, list) or any(isinstance(item, (list, dict)) for item in value):
        raise InvalidDocument(f"In the front matter, {key} must be a list of text.")
    return [" ".join(str(item).split()) for item in value if str(item).strip()]


def _meta_time(meta):
    value = meta.get("published_at")
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        try:
            moment = parse_datetime(str(value))
        except ValueError:
            moment = None
        if moment is None:
            raise InvalidDocument(
                f"published_at “{str(value)[:40]}” is not a date and time like 2025-12-05 09:30."
            )
    if moment.tzinfo is None:
        from django.utils import timezone

        moment = timezone.make_aware(moment)
    return moment


# Suggestions: topics that exist, and sources the copy names.


def _searchable(text):
    text = unicodedata.normalize("NFC", text).casefold()
    for dash in DASHES:
        text = text.replace(dash, "-")
    return " ".join(text.split())


def suggest_topics(imported, known_topics=None):
    """Existing topics named in the copy (any dash, any case), most mentioned first."""
    from topics.models import Topic

    topics = list(known_topics) if known_topics is not None else list(Topic.objects.all())
    copy = _searchable(
        " ".join([imported.headline, imported.standfirst, *imported.key_points, imported.body])
    )
    counts = []
    wanted = {_searchable(name) for name in imported.topic_names}
    for topic in topics:
        name = _searchable(topic.name)
        if not name:
            continue
        pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-]*\w)"
        mentions = len(re.findall(pattern, copy))
        if mentions or name in wanted:
            counts.append((-mentions, topic.name, topic))
    return [topic for _, _, topic in sorted(counts, key=lambda row: row[:2])]


def suggest_sources(imported, meta):
    """Source rows from the front matter, then publications the copy credits by name."""
    sources = []
    listed = meta.get("sources") or []
    if not isinstance(listed, list):
        raise InvalidDocument("In the front matter, sources must be a list.")
    for item in listed:
        if isinstance(item, dict):
            publication = _meta_text(item, "publication")
            title = _meta_text(item, "title") or _meta_text(item, "note")
            url = _meta_text(item, "url")
        else:
            publication, title, url = " ".join(str(item).split()), "", ""
        if publication:
            sources.append({"publication": publication[:200], "title": title[:300], "url": url})
    seen = {source["publication"].casefold() for source in sources}
    copy = "\n".join([imported.standfirst, imported.body])
    for match in SOURCE_PHRASE.finditer(copy):
        publication = match.group(1).strip(" .’'")
        if publication.casefold() not in seen:
            seen.add(publication.casefold())
            sources.append({"publication": publication, "title": "", "url": ""})
    return sources
