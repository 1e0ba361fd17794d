"""In a real browser: the article prints on two pages or fewer with no navigation, and an
editor sets an image's focal point by clicking its preview."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from images.models import Image
from tests.factories import make_editor, make_image
from tests.test_browser_workflow import (  # noqa: F401 (fixtures)
    Site,
    browser,
    expect,
    log_in,
    unhashed_static,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FLAGSHIP = "/articles/putin-in-delhi-an-old-partnership-tries-new-arithmetic/"


@pytest.fixture
def site(browser, live_server, unhashed_static):  # noqa: F811
    return Site(browser, live_server.url)


def test_flagship_article_prints_alone_on_two_pages_or_fewer(site):
    call_command("load_demo", stdout=io.StringIO())
    page = site.new_page()
    page.goto(FLAGSHIP)
    page.emulate_media(media="print")
    for hidden in (
        ".site-search",
        ".site-header nav",
        ".related",
        ".article-topics",
        ".site-footer",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".key-points")).to_be_visible()
    expect(page.locator(".print-url")).to_contain_text(FLAGSHIP)
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the flagship prints on {pages} pages"
    assert site.problems == []


def test_editor_sets_the_focal_point_by_clicking_the_preview(site):
    editor = make_editor()
    image = make_image(800, 400, alt_text="Parade")
    page = site.new_page()
    log_in(page, editor.username)
    page.goto(reverse("admin:images_image_change", args=[image.pk]))
    preview = page.locator(".focal-point img")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.25})
    assert abs(float(page.locator("#id_focal_x").input_value()) - 0.9) < 0.02
    assert abs(float(page.locator("#id_focal_y").input_value()) - 0.25) < 0.02
    expect(page.locator(".focal-point-marker")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    image = Image.objects.get(pk=image.pk)
    assert abs(image.focal_x - 0.9) < 0.02 and abs(image.focal_y - 0.25) < 0.02
    assert site.problems == []
