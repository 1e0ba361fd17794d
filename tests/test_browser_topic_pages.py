"""In a real browser with JavaScript off: a topic page leads with coverage on a phone (the first
headline within the first screen), its aside sits beside the list on wide screens and below it
on phones, and its small links are touch targets far enough apart (WCAG 2.5.8)."""

import io
import itertools
import math

import pytest
from django.core.management import call_command

from tests.test_browser_workflow import (  # noqa: F401 (fixtures)
    TIMEOUT_MS,
    Site,
    browser,
    unhashed_static,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_TOPICS = ["/topics/s-400/", "/topics/india-russia/"]
MINIMUM_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8


@pytest.fixture
def site(browser, live_server, unhashed_static):  # noqa: F811
    call_command("load_demo", stdout=io.StringIO())
    return Site(browser, live_server.url)


def reader_page(site, viewport):
    """A reader's tab with this viewport and JavaScript off."""
    context = site.browser.new_context(
        base_url=site.url, viewport=viewport, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", site._only_live_server)
    page = context.new_page()
    site._watch(page)
    return page


def boxes(page, selector):
    return [box for box in (link.bounding_box() for link in page.locator(selector).all()) if box]


def centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def assert_targets_apart(targets):
    """Each target at least 24 px high and wide, none overlapping another, centres at least
    24 px apart."""
    assert targets
    for box in targets:
        assert box["height"] >= MINIMUM_TARGET and box["width"] >= MINIMUM_TARGET, box
    for one, other in itertools.combinations(targets, 2):
        overlap_x = min(one["x"] + one["width"], other["x"] + other["width"]) - max(
            one["x"], other["x"]
        )
        overlap_y = min(one["y"] + one["height"], other["y"] + other["height"]) - max(
            one["y"], other["y"]
        )
        assert overlap_x <= 0.5 or overlap_y <= 0.5, (one, other)
        assert math.dist(centre(one), centre(other)) >= MINIMUM_TARGET, (one, other)


@pytest.mark.parametrize("path", DEMO_TOPICS)
def test_on_a_phone_the_first_headline_is_on_the_first_screen(site, path):
    page = reader_page(site, PHONE)
    page.goto(path)
    headline = page.locator(".article-list .card-headline").first.bounding_box()
    assert headline["y"] + headline["height"] <= PHONE["height"], headline
    assert page.locator(".card-latest .card-label").inner_text().lower() == "the latest"
    aside = page.locator("aside.topic-aside").bounding_box()
    listing = page.locator(".article-list").bounding_box()
    assert aside["y"] >= listing["y"] + listing["height"]  # below the list on a phone
    assert site.problems == []


@pytest.mark.parametrize("path", DEMO_TOPICS)
def test_on_a_wide_screen_the_aside_is_beside_the_list(site, path):
    page = reader_page(site, DESKTOP)
    page.goto(path)
    aside = page.locator("aside.topic-aside").bounding_box()
    listing = page.locator(".article-list").bounding_box()
    assert aside["x"] >= listing["x"] + listing["width"]
    assert aside["y"] < listing["y"] + listing["height"]
    assert site.problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_related_topic_links_and_letters_are_touch_targets_apart(site, viewport):
    page = reader_page(site, viewport)
    page.goto("/topics/india-russia/")
    related = boxes(page, ".related-topics a")
    assert len(related) >= 8  # a name and a "(n articles together)" link per related topic
    assert_targets_apart(related)
    page.goto("/topics/")
    assert_targets_apart(boxes(page, ".letters li > a, .letters li > span"))
    assert site.problems == []
