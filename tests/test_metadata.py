"""Every public page describes itself to machines: title, description, canonical URL, Open
Graph, Twitter card and JSON-LD built from the real values."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Source
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = {}, {}, [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), attrs.get("href"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.text)
    parser.data = [json.loads(text) for text in parser.json_ld]
    return parser


@pytest.fixture
def article():
    india_russia = make_topic("India–Russia", kind="relationship")
    s400 = make_topic("S-400", kind="defence_system")
    author = make_user("anika", first_name="Anika", last_name="Rao", is_staff=False)
    article = make_article(
        "Putin in Delhi",
        standfirst="Trade, arms and a message.",
        topics=[s400, india_russia],
        authors=[author],
        key_points=["One."],
    )
    Source.objects.create(article=article, publication="The Guardian")
    return article


def test_article_json_ld_carries_the_real_values(client, article):
    page = head(client, article.get_absolute_url())
    [data] = page.data
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Putin in Delhi"
    assert data["description"] == "Trade, arms and a message."
    assert data["datePublished"] == article.published_at.replace(microsecond=0).isoformat()
    assert data["dateModified"] == article.updated_at.replace(microsecond=0).isoformat()
    assert data["author"] == [
        {"@type": "Person", "name": "Anika Rao", "url": "http://testserver/authors/anika-rao/"}
    ]
    assert data["publisher"]["name"] == "Coverage"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/brand/logo.")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["keywords"] == ["India–Russia", "S-400"]
    assert data["about"] == [
        {"@type": "Thing", "name": "India–Russia", "url": "http://testserver/topics/india-russia/"},
        {"@type": "Thing", "name": "S-400", "url": "http://testserver/topics/s-400/"},
    ]
    assert data["articleSection"] == "India–Russia"


def test_json_ld_cannot_break_out_of_its_script(client):
    article = make_article('</script><script>alert("x")</script> & <!--')
    response = client.get(article.get_absolute_url())
    assert '<script>alert("x")' not in response.text
    page = head(client, article.get_absolute_url())
    assert page.data[0]["headline"] == '</script><script>alert("x")</script> & <!--'


def test_article_page_open_graph_and_canonical(client, article):
    page = head(client, article.get_absolute_url())
    url = f"http://testserver{article.get_absolute_url()}"
    assert page.title == "Putin in Delhi — Coverage"
    assert page.meta["description"] == "Trade, arms and a message."
    assert page.links["canonical"] == url
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Putin in Delhi"
    assert page.meta["og:url"] == url
    assert page.meta["twitter:card"] == "summary"
    assert page.meta["article:published_time"]
    assert page.links["alternate"] == "/feed/"


def test_topic_page_is_a_collection_page_with_breadcrumbs(client, article):
    topic = article.topics.get(slug="s-400")
    page = head(client, topic.get_absolute_url())
    [data] = page.data
    assert data["@type"] == "CollectionPage"
    assert data["name"] == "S-400"
    assert data["url"] == "http://testserver/topics/s-400/"
    assert [item["name"] for item in data["breadcrumb"]["itemListElement"]] == [
        "Home",
        "Topics",
        "S-400",
    ]
    assert data["breadcrumb"]["itemListElement"][2]["item"] == "http://testserver/topics/s-400/"
    assert page.meta["description"] == "Coverage of S-400."
    assert page.links["canonical"] == "http://testserver/topics/s-400/"


def test_home_is_a_website_with_a_search_action(client, article):
    page = head(client, "/")
    [data] = page.data
    assert data["@type"] == "WebSite"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term}"
    assert action["query-input"] == "required name=search_term"


@pytest.mark.parametrize(
    "url",
    ["/", "/topics/", "/topics/s-400/", "/topics/india-russia+s-400/", "ARTICLE"],
)
def test_every_public_page_has_title_description_canonical_and_cards(client, article, url):
    url = article.get_absolute_url() if url == "ARTICLE" else url
    page = head(client, url)
    assert page.title and page.meta["description"]
    assert page.links["canonical"].startswith("http://testserver/")
    for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert page.meta[key], key
    for key in ("twitter:card", "twitter:title", "twitter:description"):
        assert page.meta[key], key


def test_deeper_topic_pages_have_their_own_canonical(client):
    from tests.factories import bulk_articles

    topic = make_topic("S-400")
    bulk_articles(25, topics=[topic])
    page = head(client, topic.get_absolute_url() + "?page=2")
    assert page.links["canonical"] == "http://testserver/topics/s-400/?page=2"
    assert re.search(r"page 2", page.title)


def test_topic_feed_is_linked_from_the_topic_page(client, article):
    html = client.get(reverse("topics:detail", args=["s-400"])).text
    assert '<link rel="alternate" type="application/atom+xml" title="Coverage — S-400"' in html
    assert 'href="/topics/s-400/feed/"' in html
