"""What the page audits (bench/audit.py: Lighthouse, the Nu HTML Checker, axe-core) found, kept
fixed: landmarks with distinct names, links with distinct names, no empty list on the front page."""

import re
from datetime import timedelta

import pytest

from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def accessible_name(inner_html):
    return " ".join(re.sub(r"<[^>]+>", "", inner_html).split())


def test_the_two_search_forms_on_the_search_page_are_distinct_landmarks(client):
    make_article("Why India wants more S-400s")
    html = client.get("/search/?q=S-400").text
    forms = re.findall(r'<form [^>]*role="search"[^>]*>', html)
    names = [re.search(r'aria-label="([^"]+)"', form).group(1) for form in forms]
    assert len(names) == 2 and len(set(names)) == 2


def test_each_articles_together_link_names_both_topics(client):
    topic = make_topic("India–Russia", kind="relationship")
    s400, autonomy = make_topic("S-400"), make_topic("Strategic Autonomy")
    make_article(topics=[topic, s400, autonomy])
    html = client.get(topic.get_absolute_url()).text
    links = re.findall(r'<a class="count"[^>]*>(.*?)</a>', html, re.S)
    names = [accessible_name(link) for link in links]
    assert sorted(names) == [
        "1 article together: on both India–Russia and S-400",
        "1 article together: on both India–Russia and Strategic Autonomy",
    ]


def test_front_page_with_only_the_top_stories_has_no_empty_latest_list(client):
    for n in range(1, 5):
        make_article(f"Story {n}", age=timedelta(hours=n))
    html = client.get("/").text
    assert 'id="latest-heading"' not in html and "layout-no-list" in html


def test_front_page_lists_the_stories_after_the_top_four_under_latest(client):
    for n in range(1, 6):
        make_article(f"Story {n}", age=timedelta(hours=n))
    html = client.get("/").text
    assert '<h2 id="latest-heading" class="list-heading">Latest</h2>' in html
    assert "layout-no-list" not in html


def test_empty_front_page_says_nothing_is_published(client):
    html = client.get("/").text
    assert "Nothing has been published yet." in html
