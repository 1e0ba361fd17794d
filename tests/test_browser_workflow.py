"""In a real browser, a whole day at the desk: a writer types with the live preview updating,
loses the tab, restores the autosave and submits; the editor sends it back with a note; the
writer fixes it and resubmits; the editor schedules it, then publishes it; readers find it.

Drives headless Chromium through Playwright's sync API against pytest-django's live server, so
the admin's JavaScript (slug prepopulation, the select2 autocompletes, the desk's preview,
autosave, counters and key point scripts) runs as it does for the newsroom.
"""

import re
import shutil
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from articles.models import Article
from desk.models import Autosave, Note
from tests.factories import PASSWORD, make_editor, make_topic, make_writer

CHROMIUM = shutil.which("/usr/bin/chromium") or shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (looked for /usr/bin/chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright cannot be imported", exc_type=ImportError
)
expect = sync_api.expect

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data, so each test ends by emptying the database;
    # serialized_rollback first reloads what migrations made (the Writers and Editors groups),
    # in case an earlier transactional test emptied it. pytest-django runs transactional tests
    # after the other database tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
PLAYWRIGHT_DEFAULT_EXPECT_TIMEOUT_MS = 5_000

HEADLINE = "Summit ends with a payments deal"
SLUG = "summit-ends-with-a-payments-deal"
STANDFIRST = "Rupees and roubles, at last: the two leaders agree a way to settle trade."
BODY = """The summit closed with an agreement on payments.

## What was agreed

- a rupee–rouble payments channel
- a timetable for the remaining S-400 deliveries
"""
# (row in the inline, position, text): typed out of order, so the page must sort by position.
KEY_POINTS = [
    (0, 3, "Deliveries of the last S-400 squadrons resume next year."),
    (1, 1, "India and Russia agree to settle trade in rupees and roubles."),
    (2, 2, "Neither side mentioned sanctions in public."),
]
KEY_POINTS_IN_ORDER = [text for _, _, text in sorted(KEY_POINTS, key=lambda point: point[1])]
# (what the writer types into the autocomplete, the topic it should offer, its public page)
TOPICS = [
    ("India", "India–Russia", "/topics/india-russia/"),
    ("S-4", "S-400", "/topics/s-400/"),
    ("strategic", "Strategic Autonomy", "/topics/strategic-autonomy/"),
]


@pytest.fixture
def unhashed_static(settings):
    """Let the live server's static handler find what the pages link.

    The project's manifest storage links hashed names, which Django's StaticFilesHandler (used
    by the live server) cannot find, so the admin would load without its JS and CSS.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses
    # database queries from a thread with a running loop. The test's queries are plain
    # synchronous ones between browser steps, so allow them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            # Under a running loop, asgiref keeps Django's connections per context rather than
            # per thread, so the test's queries used connections pytest-django never sees.
            # Close them while still in that context, or PostgreSQL cannot drop the test
            # database at the end ("being accessed by other users").
            connections.close_all()
            browser.close()
            expect.set_options(timeout=PLAYWRIGHT_DEFAULT_EXPECT_TIMEOUT_MS)


class Site:
    """The live server seen through browser contexts, each with its own cookies.

    Requests anywhere but the live server are refused, and JavaScript errors, failed requests,
    server errors and Content-Security-Policy violations are collected in `problems`.
    """

    def __init__(self, browser, url):
        self.browser = browser
        self.url = url
        self.problems = []

    def new_page(self, context=None):
        """A tab in a new browser (its own cookies), or another tab of `context`."""
        if context is None:
            context = self.browser.new_context(base_url=self.url)
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", self._only_live_server)
            context.on("page", self._watch)  # popups too (the admin's "add another" windows)
        return context.new_page()

    def _watch(self, page):
        page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))
        page.on("response", self._check_response)
        page.on("console", self._check_console)

    def _check_console(self, message):
        # Anything the Content-Security-Policy blocked (the admin's JavaScript included).
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def _only_live_server(self, route):
        url = route.request.url
        if url.startswith(f"{self.url}/"):
            route.continue_()
        else:
            self.problems.append(f"request off the live server refused: {url}")
            route.abort()

    def _check_response(self, response):
        if response.status >= 500 or ("/static/" in response.url and response.status >= 400):
            self.problems.append(f"{response.status} {response.request.method} {response.url}")


@pytest.fixture
def site(browser, live_server, unhashed_static):
    return Site(browser, live_server.url)


def log_in(page, username):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("Log out")


def pick_topic(page, search, name):
    """Choose a topic in the admin's select2 autocomplete: type, then click the suggestion."""
    field = page.locator(".field-topics")
    search_box = field.locator(".select2-search__field")
    search_box.click()  # not the middle of the box: that may be a chosen topic's remove "×"
    search_box.press_sequentially(search)
    exactly = re.compile(f"^{re.escape(name)}$")
    page.locator(".select2-results__option", has_text=exactly).click()
    expect(field.locator(".select2-selection__choice", has_text=name)).to_be_visible()


def press(page, label):
    page.get_by_role("button", name=label, exact=True).click()


def test_a_day_at_the_desk_from_first_draft_to_readers(site):
    writer = make_writer()
    make_editor()
    topics = [
        make_topic("India–Russia", kind="relationship"),
        make_topic("S-400", kind="defence_system"),
        make_topic("Strategic Autonomy", kind="doctrine"),
    ]

    # The writer starts a piece; the live preview follows the typing.
    desk = site.new_page()
    log_in(desk, writer.username)
    desk.locator("tr.model-article a.addlink").click()
    expect(desk).to_have_url(re.compile(r"/admin/articles/article/add/$"))
    desk.locator("#id_headline").press_sequentially(HEADLINE)
    expect(desk.locator("#id_slug")).to_have_value(SLUG)  # made by the admin's JS
    expect(desk.locator("#id_headline_counter")).to_have_text(
        f"{len(HEADLINE)} / 200 characters ({200 - len(HEADLINE)} left)"
    )
    desk.locator("#id_standfirst").fill(STANDFIRST)
    desk.locator("#id_body").fill(BODY)
    preview = desk.frame_locator("#desk-preview-frame")
    expect(preview.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(preview.locator(".article-body h2")).to_have_text("What was agreed")
    expect(preview.locator(".preview-banner")).to_contain_text("unsaved changes")
    add_row = desk.locator("#key_points-group .add-row a")
    for row, position, text in KEY_POINTS:
        if row:
            add_row.click()
        numbered = max([1, *(p + 1 for r, p, _ in KEY_POINTS if r < row)])  # after the last
        expect(desk.locator(f"#id_key_points-{row}-position")).to_have_value(str(numbered))
        desk.locator(f"#id_key_points-{row}-position").fill(str(position))
        desk.locator(f"#id_key_points-{row}-text").fill(text)
    expect(desk.locator(".field-topics .select2-container")).to_be_visible()
    for search, name, _ in TOPICS:
        pick_topic(desk, search, name)
    expect(preview.locator(".key-points li")).to_have_text(KEY_POINTS_IN_ORDER)
    expect(desk.locator("[data-autosave-status]")).to_contain_text("Autosaved at")

    # The tab is closed before any save; the server kept the work.
    browser_of_writer = desk.context
    desk.close()
    assert not Article.objects.exists() and Autosave.objects.count() == 1
    desk = site.new_page(browser_of_writer)
    desk.goto("/admin/articles/article/add/")
    expect(desk.locator(".desk-offer")).to_contain_text("Unsaved changes from")
    desk.get_by_role("link", name="Restore").click()
    expect(desk.locator("#id_headline")).to_have_value(HEADLINE)
    expect(desk.locator("#id_body")).to_have_value(BODY)
    expect(desk.locator("#id_topics option:checked")).to_have_count(3)
    expect(desk.locator("#id_key_points-2-text")).to_have_value(KEY_POINTS[2][2])
    press(desk, "Submit for review")
    expect(desk.locator(".messagelist")).to_contain_text("is with the editors for review")

    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.IN_REVIEW and article.published_at is None
    assert article.created_by == writer and list(article.authors.all()) == [writer]
    assert set(article.topics.all()) == set(topics)
    assert [point.text for point in article.key_points.all()] == KEY_POINTS_IN_ORDER
    assert not Autosave.objects.exists()

    anonymous = site.new_page()
    assert anonymous.goto(f"/articles/{SLUG}/").status == 404

    # In another browser, the editor finds it waiting and sends it back with a note.
    editor = site.new_page()
    log_in(editor, "desk.editor")
    expect(editor.locator(".desk-badge")).to_have_text("Waiting for review 1")
    editor.locator(".desk-panel").get_by_role("link", name=HEADLINE).first.click()
    editor.locator("#id_note").fill("Source the S-400 figure.")
    press(editor, "Send back to writer")
    expect(editor.locator(".messagelist")).to_contain_text("back to the writer")

    # The writer sees the note, fixes the piece and resubmits.
    desk.goto("/admin/")
    expect(desk.locator(".desk-badge")).to_have_text("Sent back to me 1")
    desk.locator(".desk-panel").get_by_role("link", name=HEADLINE).first.click()
    expect(desk.locator(".desk-notes")).to_contain_text("Source the S-400 figure.")
    expect(desk.locator(".desk-notes")).to_contain_text("Edie Editor")
    desk.locator("#id_body").fill(BODY + "\nThe figure comes from SIPRI's arms transfers data.\n")
    desk.locator("#id_note").fill("Sourced to SIPRI.")
    press(desk, "Submit for review")
    expect(desk.locator(".messagelist")).to_contain_text("is with the editors for review")

    # The editor schedules it for tomorrow, then decides it should go out now.
    editor.goto("/admin/")
    editor.locator(".desk-panel").get_by_role("link", name=HEADLINE).first.click()
    expect(editor.locator(".desk-notes")).to_contain_text("Sourced to SIPRI.")
    tomorrow = timezone.localtime(timezone.now() + timedelta(days=1))
    editor.locator("#id_published_at_0").fill(tomorrow.strftime("%Y-%m-%d"))
    editor.locator("#id_published_at_1").fill("09:30:00")
    press(editor, "Schedule…")
    expect(editor.locator(".messagelist")).to_contain_text(f"Scheduled “{HEADLINE}”")
    assert anonymous.goto(f"/articles/{SLUG}/").status == 404
    editor.goto("/admin/articles/article/?desk=waiting")
    expect(editor.locator("#result_list")).to_have_count(0)
    editor.goto("/admin/articles/article/")
    editor.locator("#result_list").get_by_role("link", name=HEADLINE).click()
    editor.locator("#id_published_at_0").fill("")
    editor.locator("#id_published_at_1").fill("")
    press(editor, "Publish now")
    expect(editor.locator(".messagelist")).to_contain_text(f"Published “{HEADLINE}”")

    article.refresh_from_db()
    assert article.is_published()
    assert list(Note.objects.filter(article=article).values_list("action", flat=True)) == [
        "submit", "send_back", "submit", "schedule", "publish",
    ]  # fmt: skip

    # A reader finds it on each of its topic pages, and sees the key points in order.
    reader = anonymous
    for _, name, path in TOPICS:
        reader.goto(path)
        expect(reader.get_by_role("heading", level=1)).to_have_text(name)
        link = reader.locator(".article-list").get_by_role("link", name=HEADLINE)
        expect(link).to_have_attribute("href", f"/articles/{SLUG}/")
    link.click()
    expect(reader).to_have_url(f"{site.url}/articles/{SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(reader.locator(".preview-banner")).to_have_count(0)
    expect(reader.locator(".key-points li")).to_have_text(KEY_POINTS_IN_ORDER)
    expect(reader.locator(".article-body")).to_contain_text("SIPRI")
    expect(reader.locator("body")).not_to_contain_text("Source the S-400 figure.")

    assert site.problems == []


def test_key_points_move_up_down_and_drag_then_save_in_that_order(site):
    make_editor()
    article = Article.objects.create(
        headline="Ordered", slug="ordered", standfirst="S.", status=Article.Status.DRAFT
    )
    for position, text in enumerate(["Alpha.", "Bravo.", "Charlie."], start=1):
        article.key_points.create(position=position, text=text)
    page = site.new_page()
    log_in(page, "desk.editor")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    shown = page.locator("#key_points-group tr.form-row:not(.empty-form) textarea")
    page.locator("#key_points-0").get_by_role("button", name="Move down").click()
    expect(shown).to_have_text(["Bravo.", "Alpha.", "Charlie.", ""])
    page.locator("#key_points-2 .desk-drag-handle").drag_to(
        page.locator("#key_points-1 td.field-text"), target_position={"x": 5, "y": 2}
    )
    expect(shown).to_have_text(["Charlie.", "Bravo.", "Alpha.", ""])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [p.text for p in article.key_points.all()] == ["Charlie.", "Bravo.", "Alpha."]


def test_the_admins_own_javascript_runs_under_the_content_security_policy(site):
    make_editor()
    make_topic("India–Russia", kind="relationship")
    newsroom = site.new_page()
    log_in(newsroom, "desk.editor")

    # The article form: slug prepopulation, the calendar and clock widgets, select2, inlines.
    newsroom.goto("/admin/articles/article/add/")
    newsroom.locator("#id_headline").press_sequentially("Under the policy")
    expect(newsroom.locator("#id_slug")).to_have_value("under-the-policy")
    newsroom.locator("#calendarlink0").click()
    expect(newsroom.locator("#calendarbox0")).to_be_visible()
    newsroom.locator("#calendarbox0 .calendar-shortcuts a", has_text="Today").click()
    expect(newsroom.locator("#id_published_at_0")).not_to_have_value("")
    newsroom.locator(".field-published_at .datetimeshortcuts a", has_text="Now").click()
    expect(newsroom.locator("#id_published_at_1")).not_to_have_value("")
    pick_topic(newsroom, "India", "India–Russia")
    newsroom.locator("#key_points-group .add-row a").click()
    expect(newsroom.locator("#key_points-group tr.form-row.dynamic-key_points")).to_have_count(2)

    # The topic form: "add another" in a popup whose response page hands the new topic back
    # to the form (popup_response.js, configured by a data attribute).
    newsroom.goto("/admin/topics/topic/add/")
    newsroom.locator("#id_name").fill("Arctic Council")
    with newsroom.expect_popup() as popup_opening:
        newsroom.locator("#add_id_parties").click()
    popup = popup_opening.value
    popup.locator("#id_name").fill("Norway")
    popup.locator("#id_kind").select_option(label="Country")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    expect(newsroom.locator("#id_parties option:checked")).to_have_text(["Norway"])

    # The schedule action's page (jsi18n, the date widgets).
    draft = Article.objects.create(
        headline="To schedule", slug="to-schedule", standfirst="A standfirst."
    )
    newsroom.goto("/admin/articles/article/")
    row = newsroom.locator("#result_list tbody tr", has_text="To schedule")
    row.locator("input[name=_selected_action]").check()
    newsroom.locator("select[name=action]").select_option(label="Schedule for a time…")
    newsroom.get_by_role("button", name="Go").click()
    expect(newsroom.locator("#id_publish_at_0")).to_be_visible()
    newsroom.locator(".datetimeshortcuts a", has_text="Today").first.click()
    expect(newsroom.locator("#id_publish_at_0")).not_to_have_value("")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # only opened the form

    assert site.problems == []
