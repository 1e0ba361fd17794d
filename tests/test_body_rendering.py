"""Article bodies: Markdown rendered through an allow-list, so nothing active reaches a page."""

from html.parser import HTMLParser

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE_BODY = """\
## Section

<script>alert("body")</script>

<img src="x" onerror="alert('img')">

[click](javascript:alert('link')) and [data](data:text/html;base64,PHNjcmlwdD4=)
and ![pic](data:image/svg+xml;base64,PHN2Zz4=) and <a href="javascript:alert(1)">raw</a>

<div onclick="alert('div')" style="color:red">styled</div>

[fine](https://example.com/report)
"""


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_in(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def article_body_html(client, article):
    html = client.get(article.get_absolute_url()).text
    start = html.index('<div class="article-body">')
    return html[start : html.index("</div>", start)]


def test_hostile_body_renders_without_script_handlers_or_dangerous_urls(client):
    article = make_article(body=HOSTILE_BODY)
    body = article_body_html(client, article)
    tags = tags_in(body)
    assert "script" not in {tag for tag, _ in tags}
    for tag, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs
        for url in (attrs.get("href"), attrs.get("src")):
            assert url is None or url.startswith("https://"), (tag, attrs)
    assert ("a", {"href": "https://example.com/report", "rel": "noopener noreferrer"}) in tags
    assert "<h2>Section</h2>" in body


def test_raw_html_is_shown_as_text_not_run(client):
    article = make_article(body="<b>bold?</b>")
    assert "&lt;b&gt;bold?&lt;/b&gt;" in article_body_html(client, article)


def test_markdown_structure_of_the_seed_copy_survives(client):
    body = (
        "Intro paragraph.\n\n# A top heading\n\n## Section heading\n\n"
        "- **Shipping:** corridors\n- **Nuclear:** reactors\n\n"
        "> A quoted source, attributed.\n\n1. first\n2. second\n"
    )
    html = article_body_html(client, make_article(body=body))
    assert "<p>Intro paragraph.</p>" in html
    assert "<h1>" not in html and "<h2>A top heading</h2>" in html
    assert "<h2>Section heading</h2>" in html
    assert "<li><strong>Shipping:</strong> corridors</li>" in html
    assert "<blockquote>\n<p>A quoted source, attributed.</p>\n</blockquote>" in html
    assert "<ol>\n<li>first</li>" in html


def test_body_html_follows_edits():
    article = make_article(body="first")
    article.body = "second"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>second</p>\n"
