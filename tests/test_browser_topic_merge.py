"""In a real browser: an editor merges a duplicate topic from the topic list (choose, preview,
confirm), then undoes it from the merge record. Set SCREENSHOT_DIR to keep pictures of the
preview and the undo confirmation.

Uses the browser helpers of tests/test_browser_workflow.py (skipped where Chromium is missing).
"""

import os

import pytest

from tests.factories import make_article, make_editor, make_topic
from tests.test_browser_workflow import (  # noqa: F401 (fixtures)
    browser,
    expect,
    log_in,
    site,
    unhashed_static,
)
from topics.models import Topic, TopicAlias

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def keep_screenshot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_editor_merges_a_duplicate_and_undoes_it(request):
    live_site = request.getfixturevalue("site")
    make_editor()
    target = make_topic("S-400", kind="defence_system")
    source = make_topic("S400 Triumf system", kind="theme", description="A duplicate.")
    TopicAlias.objects.create(topic=source, name="Triumf")
    make_article("Deliveries of the first squadron", topics=[source])
    make_article("Both tags already", topics=[source, target])
    make_article("Training the crews", topics=[source])

    page = live_site.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "desk.editor")
    page.goto("/admin/topics/topic/")
    page.get_by_role("row", name="S400 Triumf system").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("merge_into")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Merge into").select_option(label="S-400")
    page.get_by_role("button", name="Show what will happen").click()
    preview = page.locator(".merge-preview")
    expect(preview).to_contain_text("3 articles will carry “S-400” instead: 2 will move, 1")
    expect(preview).to_contain_text("/topics/s400-triumf-system/feed/")
    keep_screenshot(page, "merge-preview.png")
    page.get_by_role("button", name="Merge into “S-400”").click()
    expect(page.locator(".messagelist")).to_contain_text("Merged “S400 Triumf system” into “S-400”")
    assert not Topic.objects.filter(slug="s400-triumf-system").exists()

    page.locator(".messagelist a").click()
    expect(page.locator(".field-summary")).to_contain_text("Training the crews")
    keep_screenshot(page, "merge-record.png")
    page.get_by_role("link", name="Undo this merge").click()
    expect(page.locator("#undo-form")).to_be_visible()
    make_topic("S 400 Triumf System")  # meanwhile, someone takes the name back
    page.reload()
    expect(page.locator(".errornote")).to_contain_text("now has the name")
    keep_screenshot(page, "undo-confirmation.png")
    page.get_by_role("button", name="Undo anyway").click()
    expect(page.locator(".messagelist")).to_contain_text("is a topic again")
    assert Topic.objects.get(slug="s400-triumf-system").name == "S400 Triumf system (restored)"
