"""Feeds, sitemaps and robots.txt list public articles only, with their real values."""

import html
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    bulk_articles,
    make_article,
    make_draft,
    make_scheduled,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
HOST = "http://testserver"

FEED_QUERIES = 4  # articles (with lead images), their topics, their authors, enclosures
TOPIC_FEED_QUERIES = 5  # the topic, then as the site feed
SITEMAP_QUERIES = 4  # a count and a page of articles, a count and a page of topics
NEWS_SITEMAP_QUERIES = 2  # article count, the page of articles


def get_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def feed_entries(client, url):
    """The feed's entries by link."""
    _, feed = get_xml(client, url)
    return {entry.find(f"{ATOM}link").get("href"): entry for entry in feed.iter(f"{ATOM}entry")}


def sitemap_urls(client, url="/sitemap.xml"):
    """The sitemap's <url> elements by location."""
    _, urlset = get_xml(client, url)
    return {entry.findtext(f"{SITEMAP}loc"): entry for entry in urlset.iter(f"{SITEMAP}url")}


def link(obj):
    return HOST + obj.get_absolute_url()


def parse_time(text):
    return datetime.fromisoformat(text)


@pytest.fixture
def summit():
    india_russia = make_topic("India–Russia", kind="relationship", description="Two old partners.")
    s400 = make_topic("S-400 & air defence", kind="defence_system")
    petrova = make_user("anna", first_name="Anna", last_name="Petrova")
    menon = make_user("raj", first_name="Raj", last_name="Menon")
    article = make_article(
        "Delhi & Moscow <renew> “special” ties",
        standfirst="Deliveries: 3 < 5 & rising.",
        topics=[s400, india_russia],
        authors=[petrova, menon],
        age=timedelta(hours=3),
    )
    return {"article": article, "topic": india_russia, "other_topic": s400}


@pytest.fixture
def hidden(summit):
    """A draft, a scheduled and a withdrawn article, all on the summit's topic."""
    topics = [summit["topic"]]
    return {
        "draft": make_draft("Draft piece", topics=topics),
        "scheduled": make_scheduled("Scheduled piece", topics=topics),
        "withdrawn": make_article(
            "Withdrawn piece",
            status=Article.Status.WITHDRAWN,
            published_at=timezone.now() - timedelta(hours=2),
            topics=topics,
        ),
    }


def test_site_feed_is_atom_with_the_articles_real_values(client, summit):
    article = summit["article"]
    response, feed = get_xml(client, reverse("feed"))
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == f"{settings.SITE_NAME} — latest analysis"
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Delhi & Moscow <renew> “special” ties"
    assert entry.find(f"{ATOM}link").get("href") == link(article)
    assert html.unescape(entry.findtext(f"{ATOM}summary")) == "Deliveries: 3 < 5 & rising."
    assert parse_time(entry.findtext(f"{ATOM}published")) == article.published_at
    assert parse_time(entry.findtext(f"{ATOM}updated")) == article.updated_at
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Raj Menon, Anna Petrova"
    terms = [category.get("term") for category in entry.findall(f"{ATOM}category")]
    assert terms == ["India–Russia", "S-400 & air defence"]


def test_feed_links_use_the_requested_host_without_the_sites_framework(client, summit):
    assert not apps.is_installed("django.contrib.sites")
    response = client.get(reverse("feed"), HTTP_HOST="localhost", secure=True)
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    expected = "https://localhost" + summit["article"].get_absolute_url()
    assert entry.find(f"{ATOM}link").get("href") == expected


def test_feed_lists_only_public_articles(client, summit, hidden):
    assert set(feed_entries(client, reverse("feed"))) == {link(summit["article"])}


def test_feed_holds_the_newest_twenty_articles(client):
    articles = bulk_articles(25, key_points=False)
    newest = [link(article) for article in articles[:20]]
    _, feed = get_xml(client, reverse("feed"))
    entries = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    assert entries == newest


def test_publishing_a_draft_adds_it_to_the_feeds_and_sitemap(client, summit, hidden, committed):
    draft = hidden["draft"]
    topic_feed = reverse("topic_feed", kwargs={"slug": summit["topic"].slug})
    assert link(draft) not in feed_entries(client, reverse("feed"))
    with committed():
        draft.status = Article.Status.PUBLISHED
        draft.save()
    assert link(draft) in feed_entries(client, reverse("feed"))
    assert link(draft) in feed_entries(client, topic_feed)
    assert link(draft) in sitemap_urls(client)
    assert link(draft) in sitemap_urls(client, reverse("news_sitemap"))


def test_withdrawn_article_leaves_the_feeds_and_sitemaps(client, summit, committed):
    article = summit["article"]
    topic_feed = reverse("topic_feed", kwargs={"slug": summit["topic"].slug})
    assert link(article) in feed_entries(client, topic_feed)
    with committed():
        article.status = Article.Status.WITHDRAWN
        article.save()
    assert feed_entries(client, reverse("feed")) == {}
    assert client.get(topic_feed).status_code == 404  # the topic has no public article left
    assert link(article) not in sitemap_urls(client)
    assert link(summit["topic"]) not in sitemap_urls(client)
    assert sitemap_urls(client, reverse("news_sitemap")) == {}


def test_scheduled_article_enters_the_feed_at_its_time(client, hidden):
    scheduled = hidden["scheduled"]
    assert link(scheduled) not in feed_entries(client, reverse("feed"))
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        assert link(scheduled) in feed_entries(client, reverse("feed"))
        assert link(scheduled) in sitemap_urls(client)


def test_topic_feed_lists_that_topics_public_articles(client, summit, hidden):
    elsewhere = make_article("Elsewhere", topics=[summit["other_topic"]])
    topic = summit["topic"]
    _, feed = get_xml(client, reverse("topic_feed", kwargs={"slug": topic.slug}))
    assert feed.findtext(f"{ATOM}title") == f"{settings.SITE_NAME} — India–Russia"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == link(topic)
    links = {entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")}
    assert links == {link(summit["article"])}
    assert link(elsewhere) in feed_entries(
        client, reverse("topic_feed", kwargs={"slug": summit["other_topic"].slug})
    )


def test_unknown_topic_feed_is_404(client):
    assert client.get("/topics/no-such-topic/feed/").status_code == 404


def test_sitemap_lists_public_articles_topics_and_static_pages(client, summit, hidden):
    urls = sitemap_urls(client)
    article, topic = summit["article"], summit["topic"]
    assert set(urls) == {
        HOST + "/",
        HOST + "/topics/",
        link(article),
        link(topic),
        link(summit["other_topic"]),
    }
    assert parse_time(urls[link(article)].findtext(f"{SITEMAP}lastmod")) == article.updated_at


def test_topic_lastmod_is_its_newest_public_article(client, summit, hidden):
    older = make_article("Older", topics=[summit["topic"]], age=timedelta(days=5))
    urls = sitemap_urls(client)
    lastmod = parse_time(urls[link(summit["topic"])].findtext(f"{SITEMAP}lastmod"))
    assert lastmod == summit["article"].published_at
    assert lastmod > older.published_at


@pytest.mark.parametrize("make_hidden", [make_draft, make_scheduled], ids=["draft", "scheduled"])
def test_topic_carried_only_by_a_hidden_article_is_not_in_the_sitemap(client, make_hidden):
    topic = make_topic("Quad")
    make_hidden("Hidden piece", topics=[topic])
    make_article("Public piece")
    assert link(topic) not in sitemap_urls(client)


def test_news_sitemap_holds_only_the_last_48_hours(client, summit, hidden):
    recent = make_article("Yesterday", age=timedelta(hours=47))
    old = make_article("Three days ago", age=timedelta(hours=49))
    urls = sitemap_urls(client, reverse("news_sitemap"))
    assert set(urls) == {link(summit["article"]), link(recent)}
    assert link(old) not in urls


def test_news_sitemap_entries_carry_the_news_fields(client, summit):
    article = summit["article"]
    response, urlset = get_xml(client, reverse("news_sitemap"))
    assert response["Content-Type"] == "application/xml"
    news = urlset.find(f"{SITEMAP}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == settings.SITE_NAME
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert parse_time(news.findtext(f"{NEWS}publication_date")) == article.published_at
    assert news.findtext(f"{NEWS}title") == "Delhi & Moscow <renew> “special” ties"


def test_main_sitemap_has_no_news_fields(client, summit):
    _, urlset = get_xml(client, reverse("sitemap"))
    assert urlset.find(f"{SITEMAP}url/{NEWS}news") is None


def test_robots_txt_disallows_private_areas_and_names_both_sitemaps(client):
    response = client.get("/robots.txt", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /search/\n"
        "Disallow: /preview/\n"
        "\n"
        "Sitemap: https://testserver/sitemap.xml\n"
        "Sitemap: https://testserver/sitemap-news.xml\n"
    )


@pytest.fixture(params=[3, 40], ids=["3-articles", "40-articles"])
def archive(request):
    topics = [make_topic("India–Russia"), make_topic("S-400")]
    articles = bulk_articles(request.param, topics=topics, key_points=False, illustrated=True)
    authors = [make_user("anna", first_name="Anna"), make_user("raj", first_name="Raj")]
    through = Article.authors.through
    through.objects.bulk_create(
        through(article=article, user=author) for article in articles for author in authors
    )
    return {"topic": topics[0]}


def test_feed_query_count(client, archive, page_cache_off, django_assert_max_num_queries):
    with django_assert_max_num_queries(FEED_QUERIES):
        assert client.get(reverse("feed")).status_code == 200


def test_topic_feed_query_count(client, archive, page_cache_off, django_assert_max_num_queries):
    url = reverse("topic_feed", kwargs={"slug": archive["topic"].slug})
    with django_assert_max_num_queries(TOPIC_FEED_QUERIES):
        assert client.get(url).status_code == 200


def test_sitemap_query_count(client, archive, page_cache_off, django_assert_max_num_queries):
    with django_assert_max_num_queries(SITEMAP_QUERIES):
        assert client.get(reverse("sitemap")).status_code == 200


def test_news_sitemap_query_count(client, archive, page_cache_off, django_assert_max_num_queries):
    with django_assert_max_num_queries(NEWS_SITEMAP_QUERIES):
        assert client.get(reverse("news_sitemap")).status_code == 200
