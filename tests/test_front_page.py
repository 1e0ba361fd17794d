"""A publication's front page and article page: the lead story (pinned or newest), a row of
secondary stories, kicker, byline and reading time, the site's name from settings, icons."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_image, make_topic, make_user

pytestmark = pytest.mark.django_db


def lead_story(html):
    return re.search(r'<article class="lead-story.*?</article>', html, re.S).group(0)


def secondary(html):
    return re.search(r'<section class="secondary-stories".*?</section>', html, re.S).group(0)


@pytest.fixture
def front_page():
    return [make_article(f"Story {n}", age=timedelta(hours=n)) for n in range(1, 7)]


def test_newest_story_leads_then_a_row_of_three_then_the_rest(client, front_page):
    html = client.get("/").text
    assert "Story 1" in lead_story(html)
    row = secondary(html)
    assert all(f"Story {n}" in row for n in (2, 3, 4)) and "Story 5" not in row
    rest = html[html.index('id="latest-heading"') :]
    assert "Story 5" in rest and "Story 6" in rest and "Story 1<" not in rest


def test_editor_pins_a_story_to_the_lead_until_a_time(editor_client, client, front_page):
    older = front_page[4]
    until = timezone.localtime() + timedelta(hours=3)
    url = reverse("admin:articles_article_change", args=[older.pk])
    data = form_data(editor_client.get(url).text, "article_form")
    data.update(pinned_until_0=until.strftime("%Y-%m-%d"), pinned_until_1=until.strftime("%H:%M"))
    assert editor_client.post(url, data).status_code == 302
    assert "Story 5" in lead_story(client.get("/").text)
    with time_machine.travel(until + timedelta(minutes=5)):
        assert "Story 1" in lead_story(client.get("/").text)


def test_a_pinned_draft_never_leads(client, front_page):
    make_article(
        "Pinned draft", status=Article.Status.DRAFT, pinned_until=timezone.now() + timedelta(days=1)
    )
    assert "Pinned draft" not in client.get("/").text


def test_cards_show_byline_time_and_at_most_three_topics(client):
    topics = [make_topic(name) for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")]
    make_article("Lead", age=timedelta(hours=1))
    author = make_user("tariq", first_name="Tariq", last_name="Khan", is_staff=False)
    make_article("Many topics", topics=topics, authors=[author])
    card = secondary(client.get("/").text)
    assert card.count('<a href="/topics/') == 3
    assert "By <a href=" in card and "<time datetime=" in card


def test_article_has_kicker_reading_time_and_linked_byline(client, committed):
    relationship = make_topic("India–Russia", kind="relationship")
    country = make_topic("India", kind="country")
    article = make_article(topics=[country, relationship], body="word " * 1150)
    html = client.get(article.get_absolute_url()).text
    kicker = re.search(r'<p class="kicker">(.*?)</p>', html).group(1)
    assert "India–Russia" in kicker  # the relationship, before the country
    assert "5 min read" in html
    with committed():
        article.kicker_topic = country
        article.save()
    kicker = re.search(r'<p class="kicker">(.*?)</p>', client.get(article.get_absolute_url()).text)
    assert ">India<" in kicker.group(1)


def test_site_name_tagline_and_logo_come_from_settings(client, settings):
    settings.SITE_NAME = "The Meridian Desk"
    settings.SITE_TAGLINE = "Foreign affairs, closely read"
    settings.SITE_LOGO = "https://cdn.example.org/meridian.png"
    article = make_article(lead_image=make_image())
    html = client.get(article.get_absolute_url()).text
    assert "The Meridian Desk" in html and "Foreign affairs, closely read" in html
    assert '<meta property="og:site_name" content="The Meridian Desk">' in html
    assert "https://cdn.example.org/meridian.png" in html
    for part in ("<title>.*?</title>", "<header.*?</header>", "<footer.*?</footer>"):
        assert "Coverage" not in re.search(part, html, re.S).group(0)


@pytest.mark.parametrize(
    "path,content_type",
    [("/favicon.ico", "image/"), ("/apple-touch-icon.png", "image/png")],
)
def test_favicon_and_apple_touch_icon_are_served_at_the_root(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_pages_link_the_icons_and_a_print_stylesheet(client):
    html = client.get("/").text
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in html
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/print\.[0-9a-f]+\.css" media="print">', html
    )


def test_demo_has_lead_graphics_and_author_profiles(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=__import__("io").StringIO())
    flagship = Article.objects.get(slug="putin-in-delhi-an-old-partnership-tries-new-arithmetic")
    assert flagship.lead_image.alt_text and flagship.lead_image.credit == "Coverage graphics"
    html = client.get("/authors/anika-rao/").text
    assert "Diplomatic correspondent" in html
    assert "twitter:card" in html


def test_cached_home_page_lets_the_pinned_story_go_at_its_time(client, front_page):
    """The page cache keeps no home page past the moment a pin runs out."""
    pinned = front_page[4]
    pinned.pinned_until = timezone.now() + timedelta(minutes=3)
    pinned.save()
    response = client.get("/")
    assert "Story 5" in lead_story(response.text)
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) <= 180
    with time_machine.travel(pinned.pinned_until + timedelta(seconds=5)):
        assert "Story 1" in lead_story(client.get("/").text)
