"""In a real browser: a writer submits an article, an editor publishes it, readers find it.

Drives headless Chromium through Playwright's sync API against pytest-django's live server, so
the admin's JavaScript (slug prepopulation, the select2 topic autocomplete, change-list actions)
runs as it does for the newsroom.
"""

import re
import shutil

import pytest
from django.db import connections

from articles.models import Article
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

    def new_page(self):
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


def test_writer_submits_editor_publishes_readers_find_it_on_each_topic(site):
    writer = make_writer()
    make_editor()
    topics = [
        make_topic("India–Russia", kind="relationship"),
        make_topic("S-400", kind="defence_system"),
        make_topic("Strategic Autonomy", kind="doctrine"),
    ]

    # The writer fills in the article form and submits it for review.
    newsroom = site.new_page()
    log_in(newsroom, writer.username)
    newsroom.locator("tr.model-article a.addlink").click()
    expect(newsroom).to_have_url(re.compile(r"/admin/articles/article/add/$"))
    newsroom.locator("#id_headline").press_sequentially(HEADLINE)
    expect(newsroom.locator("#id_slug")).to_have_value(SLUG)  # made by the admin's JS
    newsroom.locator("#id_standfirst").fill(STANDFIRST)
    newsroom.locator("#id_body").fill(BODY)
    for row, position, text in KEY_POINTS:
        newsroom.locator(f"#id_key_points-{row}-position").fill(str(position))
        newsroom.locator(f"#id_key_points-{row}-text").fill(text)
    expect(newsroom.locator(".field-topics .select2-container")).to_be_visible()
    for search, name, _ in TOPICS:
        pick_topic(newsroom, search, name)
    expect(newsroom.locator("#id_topics option:checked")).to_have_count(3)
    status = newsroom.locator("#id_status")
    expect(status.locator("option")).to_have_text(["Draft", "In review"])
    status.select_option(label="In review")
    newsroom.locator("#article_form input[name=_save]").click()
    expect(newsroom.locator(".messagelist .success")).to_contain_text("was added successfully")

    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.IN_REVIEW
    assert article.published_at is None
    assert article.created_by == writer
    assert list(article.authors.all()) == [writer]
    assert set(article.topics.all()) == set(topics)
    assert [point.text for point in article.key_points.all()] == KEY_POINTS_IN_ORDER

    anonymous = site.new_page()
    assert anonymous.goto(f"/articles/{SLUG}/").status == 404
    anonymous.context.close()

    # The writer logs out; an editor logs in and publishes it from the change list.
    newsroom.get_by_role("button", name="Log out").click()
    expect(newsroom.locator("#content")).to_contain_text("Log in again")
    log_in(newsroom, "desk.editor")
    newsroom.goto("/admin/articles/article/")
    row = newsroom.locator("#result_list tbody tr", has_text=HEADLINE)
    expect(row.locator(".field-visibility")).to_have_text("In review")
    row.locator("input[name=_selected_action]").check()
    newsroom.locator("select[name=action]").select_option(label="Publish now")
    newsroom.get_by_role("button", name="Go").click()
    expect(newsroom.locator(".messagelist .success")).to_have_text("Published 1 article.")
    expect(row.locator(".field-visibility")).to_have_text("Published")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_published()

    # A reader finds it on each of its topic pages, and sees the key points in order.
    reader = site.new_page()
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
    expect(reader.locator(".article-body h2")).to_have_text("What was agreed")
    expect(reader.locator(".article-body li")).to_have_count(2)

    assert site.problems == []


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
    expect(newsroom.locator("#key_points-group tr.form-row.dynamic-key_points")).to_have_count(4)

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
