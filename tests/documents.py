"""Documents to import: the real seed copy, and Word files built the way Word writes them."""

import io
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SEED_ARTICLE = REPOSITORY.parent / "shared" / "seed-article.txt"


def seed_article_bytes():
    """The newsroom copy this product exists for, kept beside the repository (not in it)."""
    if not SEED_ARTICLE.is_file():
        pytest.fail(f"The seed article is missing: expected it at {SEED_ARTICLE}")
    return SEED_ARTICLE.read_bytes()


def seed_lines():
    """The seed's non-empty lines, stripped, in order."""
    text = seed_article_bytes().decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def seed_key_points():
    """The lines of the seed's "Key Points:" block, without their "- "."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.rstrip(":").lower() == "key points")
    points = []
    for line in lines[start + 1 :]:
        if not line.startswith("- "):
            break
        points.append(line[2:])
    return points


def tiny_png():
    """A valid one-pixel PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def add_hyperlink(paragraph, text, url):
    """python-docx has no public API for links; write the w:hyperlink element Word writes."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def build_docx(headline="Corridor talks resume in Delhi", *, picture=False, comment=False):
    """A Word document with a title, key points, headings, a list, bold, italic and a link."""
    import docx

    document = docx.Document()
    document.add_heading(headline, level=0)
    document.add_paragraph("Key points")
    for point in ("Officials met for two days.", "A timetable is promised by spring."):
        document.add_paragraph(point, style="List Bullet")
    opening = document.add_paragraph("The negotiators met in ")
    opening.add_run("New Delhi").bold = True
    opening.add_run(" and spoke of ")
    opening.add_run("steady progress").italic = True
    opening.add_run(". Details are in the ")
    add_hyperlink(opening, "ministry statement", "https://example.org/statement")
    opening.add_run(".")
    document.add_heading("What was agreed", level=1)
    document.add_paragraph("Three things were settled on the second day.")
    for item in ("A customs working group", "A shared tariff table", "Monthly reviews"):
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("What comes next", level=2)
    closing = document.add_paragraph("Both sides will report back before the summer.")
    if picture:
        document.add_picture(io.BytesIO(tiny_png()))
    if comment:
        document.add_comment(closing.runs, text="Check this date with the desk", author="Desk")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class BodyOutline(HTMLParser):
    """Top-level paragraphs, headings and lists of rendered body HTML, as a reader sees them."""

    def __init__(self, html):
        super().__init__()
        self.paragraphs, self.headings, self.lists = [], [], []
        self._open, self._text, self._depth = None, [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol", "blockquote"):
            if self._depth == 0 and tag != "blockquote":
                self.lists.append([])
            self._depth += 1
        elif tag == "li" and self._depth == 1 and self.lists:
            self.lists[-1].append("")
            self._open = "li"
        elif tag in ("p", "h2", "h3", "h4") and self._depth == 0:
            self._open, self._text = tag, []
        if tag == "strong" and self._open == "li":
            self.lists[-1][-1] += "<strong>"

    def handle_endtag(self, tag):
        if tag in ("ul", "ol", "blockquote"):
            self._depth -= 1
        elif tag == "li" and self._depth == 1 and self.lists:
            self.lists[-1][-1] = self.lists[-1][-1].strip()
            self._open = None
        elif tag == "strong" and self._open == "li":
            self.lists[-1][-1] += "</strong>"
        elif tag == "p" and self._open == "p" and self._depth == 0:
            self.paragraphs.append("".join(self._text))
            self._open = None
        elif tag in ("h2", "h3", "h4") and self._open == tag:
            self.headings.append("".join(self._text))
            self._open = None

    def handle_data(self, data):
        if self._open == "li" and self.lists:
            self.lists[-1][-1] += data
        elif self._open:
            self._text.append(data)
