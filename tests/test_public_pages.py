"""What readers see on the home page, article pages, the topics index and topic pages."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Source
from tests.factories import bulk_articles, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


# A global date and time to the second, or a month ("2025-12").
VALID_DATETIME = re.compile(r"\d{4}-\d\d(-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?")


class Outline(HTMLParser):
    """Collects the landmarks, headings and <time> elements of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.headings, self.times, self.lang = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "time":
            self.times.append(attrs.get("datetime"))


def outline(html):
    parser = Outline()
    parser.feed(html)
    return parser


def assert_well_formed_page(html):
    page = outline(html)
    assert page.lang == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for value in page.times:
        assert VALID_DATETIME.fullmatch(value or ""), f"<time datetime={value!r}> is not valid"
    return page


@pytest.fixture
def summit():
    india_russia = make_topic("India–Russia", kind="relationship", description="Two old partners.")
    s400 = make_topic("S-400", kind="defence_system")
    autonomy = make_topic("Strategic Autonomy", kind="doctrine")
    author = make_user("anika", first_name="Anika", last_name="Rao", is_staff=False)
    article = make_article(
        "Summit in New Delhi",
        standfirst="Trade, arms and a message to the West.",
        body="Intro.\n\n## Bridging the deficit\n\n- pharmaceuticals\n- engineering goods\n",
        topics=[india_russia, s400, autonomy],
        key_points=["First point.", "Second point.", "Third point."],
        authors=[author],
    )
    Source.objects.create(article=article, publication="The Guardian", title="Analyst comment")
    return article


def test_home_lists_newest_articles_with_topics(client, summit):
    older = make_article("Older story", age=timedelta(days=5))
    html = client.get("/").text
    assert_well_formed_page(html)
    assert html.index("Summit in New Delhi") < html.index("Older story")
    assert summit.standfirst in html
    assert older.get_absolute_url() in html
    assert 'href="/topics/india-russia/"' in html
    assert 'href="/topics/"' in html


def test_article_page_shows_every_part_of_the_copy(client, summit):
    response = client.get(summit.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    page = assert_well_formed_page(html)
    assert "<h1>Summit in New Delhi</h1>" in html
    assert 'By <a href="/authors/anika-rao/">Anika Rao</a>' in html
    assert summit.published_at.replace(microsecond=0).isoformat() in page.times
    assert html.index("First point.") < html.index("Second point.") < html.index("Third point.")
    assert "<h2>Bridging the deficit</h2>" in html
    assert "<li>pharmaceuticals</li>" in html
    assert "The Guardian" in html and "Analyst comment" in html
    for slug in ("india-russia", "s-400", "strategic-autonomy"):
        assert f'href="/topics/{slug}/"' in html


def test_article_page_shows_updated_date_after_a_later_edit(client, summit):
    type(summit).objects.filter(pk=summit.pk).update(
        published_at=summit.updated_at - timedelta(days=2)
    )
    html = client.get(summit.get_absolute_url()).text
    assert "Updated <time" in html


def test_related_articles_share_topics_most_shared_first(client, summit):
    s400, autonomy = summit.topics.get(slug="s-400"), summit.topics.get(slug="strategic-autonomy")
    one_shared = make_article("Shares one topic", topics=[s400], age=timedelta(hours=1))
    two_shared = make_article("Shares two topics", topics=[s400, autonomy], age=timedelta(days=3))
    make_article("Shares nothing", topics=[make_topic("Su-57")])
    html = client.get(summit.get_absolute_url()).text
    related = html[html.index("Related coverage") :]
    assert related.index(two_shared.headline) < related.index(one_shared.headline)
    assert "Shares nothing" not in related


def test_topics_index_groups_by_kind_with_counts(client, summit):
    make_article(topics=[summit.topics.get(slug="s-400")])
    html = client.get(reverse("topics:index")).text
    assert_well_formed_page(html)
    assert html.index("Bilateral relationship") < html.index("Defence system")
    assert html.index("Defence system") < html.index("Policy or doctrine")
    assert '>S-400</a> <span class="count">2 articles</span>' in html
    assert '>India–Russia</a> <span class="count">1 article</span>' in html


def test_topic_page_shows_topic_and_articles_newest_first(client, summit):
    topic = summit.topics.get(slug="india-russia")
    newer = make_article("Newer story", topics=[topic], age=timedelta(hours=1))
    html = client.get(topic.get_absolute_url()).text
    assert_well_formed_page(html)
    assert "<h1>India–Russia</h1>" in html
    assert "Bilateral relationship" in html and "Two old partners." in html
    listing = html[html.index('id="articles-heading"') :]
    assert listing.index(newer.headline) < listing.index(summit.headline)


def test_topic_page_has_an_honest_empty_state_kept_out_of_search_engines(editor_client):
    """Only staff see a topic with no public article (readers get a 404)."""
    topic = make_topic("Small Modular Reactors")
    make_article(topics=[topic], status="draft")
    html = editor_client.get(topic.get_absolute_url()).text
    assert "We have not published anything on Small Modular Reactors yet." in html
    assert '<meta name="robots" content="noindex">' in html


def test_topic_page_with_articles_may_be_indexed(client, summit):
    html = client.get(summit.sorted_topics[0].get_absolute_url()).text
    assert "noindex" not in html


def test_topic_pages_hold_twenty_articles_each(client):
    topic = make_topic("S-400")
    articles = bulk_articles(45, topics=[topic])
    first = client.get(topic.get_absolute_url()).text
    third = client.get(topic.get_absolute_url() + "?page=3").text
    assert first.count('<article class="card') == 20 and third.count('<article class="card') == 5
    assert "Page 1 of 3" in first and 'rel="next" href="?page=2"' in first
    assert articles[0].headline in first and articles[44].headline in third
    assert 'rel="prev" href="?page=2"' in third and 'rel="next"' not in third


@pytest.mark.parametrize("page", ["0", "4", "-1", "abc", "1.5", "", "99999999999999999999"])
def test_bad_page_numbers_give_a_clean_404(client, page):
    topic = make_topic("S-400")
    bulk_articles(45, topics=[topic])
    response = client.get(topic.get_absolute_url(), {"page": page})
    if page == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert "Page not found" in response.text


@pytest.mark.parametrize("url", ["/articles/no-such-article/", "/topics/no-such-topic/", "/nope/"])
def test_unknown_addresses_get_the_custom_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert_well_formed_page(response.text)


def test_server_error_page_is_the_custom_500(client, monkeypatch):
    from articles import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_queryset", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def test_stylesheet_has_a_hashed_long_cached_name(client, summit):
    html = client.get("/").text
    start = html.index('href="/static/css/site.') + len('href="')
    url = html[start : html.index('"', start)]
    assert url != "/static/css/site.css"
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=315360000" in response.headers["Cache-Control"]
