"""In a real browser: rich text pasted into the body arrives as Markdown, and the Import page
takes a writer from pasted copy to an open draft.

Uses the browser, live-server and logging-in helpers of tests/test_browser_workflow.py, so it is
skipped with the same reason where /usr/bin/chromium is missing.
"""

import re

import pytest

from articles.models import Article
from tests.factories import make_topic, make_writer
from tests.test_browser_workflow import (  # noqa: F401 (fixtures)
    browser,
    expect,
    log_in,
    site,
    unhashed_static,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What Google Docs puts on the clipboard: everything inside a not-bold <b>, bold as a span.
PASTED_HTML = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">'
    "<h2>What was agreed</h2>"
    '<p><span>Trade will be settled in </span><span style="font-weight:700;">rupees</span>'
    '<span> and </span><a href="https://example.org/roubles">roubles</a><span>.</span></p>'
    "<ul><li><p>a payments channel</p></li><li><p>a delivery timetable</p></li></ul>"
    "<script>window.pasted = 'ran'</script></b>"
)
EXPECTED_MARKDOWN = (
    "## What was agreed\n\n"
    "Trade will be settled in **rupees** and [roubles](https://example.org/roubles).\n\n"
    "- a payments channel\n"
    "- a delivery timetable"
)

PASTE = """([selector, html, text]) => {
    const field = document.querySelector(selector);
    field.focus();
    const data = new DataTransfer();
    if (html) data.setData("text/html", html);
    data.setData("text/plain", text);
    const event = new ClipboardEvent(
        "paste", {clipboardData: data, bubbles: true, cancelable: true}
    );
    field.dispatchEvent(event);
    return event.defaultPrevented;
}"""


def test_rich_text_pasted_into_the_body_becomes_markdown(request):
    live_site = request.getfixturevalue("site")
    make_writer()
    page = live_site.new_page()
    log_in(page, "writer")
    page.goto("/admin/articles/article/add/")
    body = page.locator("#id_body")
    expect(body).to_have_attribute("data-paste-markdown", "")

    body.fill("Intro line.\n\n")
    body.evaluate("field => field.setSelectionRange(field.value.length, field.value.length)")
    converted = page.evaluate(PASTE, ["#id_body", PASTED_HTML, "flattened text"])
    assert converted is True
    value = body.input_value()
    assert value.startswith("Intro line.\n\n## What was agreed")
    assert value[len("Intro line.\n\n") :] == EXPECTED_MARKDOWN
    assert page.evaluate("window.pasted") is None  # pasted script never runs

    # Plain text is left to the browser's own paste.
    assert page.evaluate(PASTE, ["#id_body", "", "just text"]) is False

    page.locator("#id_headline").fill("Payments deal agreed")
    page.locator("#id_standfirst").fill("Rupees and roubles.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    article = Article.objects.get(headline="Payments deal agreed")
    assert "<h2>What was agreed</h2>" in article.body_html
    assert "<strong>rupees</strong>" in article.body_html
    assert article.body_html.count("<li>") == 2
    assert live_site.problems == []


def test_writer_imports_pasted_copy_from_the_article_list(request):
    live_site = request.getfixturevalue("site")
    make_writer()
    make_topic("S-400", kind="defence_system")
    page = live_site.new_page()
    log_in(page, "writer")
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Import").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/import/$"))
    page.locator("#id_text").fill(
        "S-400 deliveries back on track\nKey points:\n- Two regiments are due next year.\n"
        "Officials confirmed the timetable on Friday after months of delay.\n"
        "What changed\nPayments now run through a rupee channel.\n"
    )
    page.get_by_role("button", name="Show what will be imported").click()
    expect(page.locator(".import-headline")).to_have_text("S-400 deliveries back on track")
    expect(page.locator(".import-key-points li")).to_have_text(["Two regiments are due next year."])
    expect(page.locator(".import-headings li")).to_have_text(["What changed"])
    expect(page.get_by_label("S-400")).to_be_checked()
    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    expect(page.locator(".messagelist")).to_contain_text(
        "Imported “S-400 deliveries back on track”"
    )
    expect(page.locator("#id_headline")).to_have_value("S-400 deliveries back on track")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert [topic.name for topic in article.topics.all()] == ["S-400"]
    assert live_site.problems == []
