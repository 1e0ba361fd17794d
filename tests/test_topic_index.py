"""The topics index: topics by kind with their counts, first sentences and latest public
headlines, an A–Z jump list that works without JavaScript, and pages that stay small and cheap
at 1,000 topics."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import bulk_topics, make_article, make_draft, make_scheduled, make_topic

pytestmark = pytest.mark.django_db

INDEX = reverse("topics:index")
# Built once per change to what it shows (tests/test_query_counts.py): scheduled articles per
# topic, topics per initial, the page of topics, their latest articles, the next publication.
INDEX_QUERIES = 5


def entry(html, name):
    """The index entry of the topic called `name`."""
    start = html.index(f">{name}</a>")
    return html[start : html.index("</li>", start)]


def letter_links(html):
    nav = html[html.index('class="letters"') : html.index("</nav>", html.index('class="letters"'))]
    return dict(re.findall(r'<a href="([^"]+)">([^<]+)', nav))


def test_entries_show_count_first_sentence_and_latest_headline_by_kind(client):
    s400 = make_topic(
        "S-400",
        kind="defence_system",
        description="Russia’s long-range air-defence system. India has bought five squadrons.",
    )
    india = make_topic("India", kind="country", description="A rising power.")
    make_article("Older S-400 piece", topics=[s400, india], age=timedelta(days=3))
    make_article("Newest S-400 piece", topics=[s400], age=timedelta(days=1))
    html = client.get(INDEX).text
    s400_entry = entry(html, "S-400")
    assert "2 articles" in s400_entry
    assert "Russia’s long-range air-defence system." in s400_entry
    assert "five squadrons" not in s400_entry
    assert re.search(r'Latest: <a href="/articles/[^"]+">Newest S-400 piece</a> <time', s400_entry)
    assert "Older S-400 piece" in entry(html, "India")
    assert html.index("<h2 id") < html.index("Country") < html.index("Defence system")


def test_latest_headline_comes_only_from_public_articles(client, committed, editor_client):
    topic = make_topic("S-400", kind="defence_system")
    make_article("Public piece", topics=[topic], age=timedelta(days=2))
    draft = make_draft("Draft piece", topics=[topic], age=timedelta(0))
    make_scheduled("Scheduled piece", topics=[topic])
    withdrawn = make_article("Withdrawn piece", topics=[topic], age=timedelta(hours=1))
    changelist = reverse("admin:articles_article_changelist")
    with committed():
        editor_client.post(changelist, {"action": "withdraw", "_selected_action": [withdrawn.pk]})
    reader = Client()
    html = reader.get(INDEX).text
    assert "Public piece" in entry(html, "S-400") and "1 article<" in entry(html, "S-400")
    for secret in ("Draft piece", "Scheduled piece", "Withdrawn piece"):
        assert secret not in html
    assert draft.get_absolute_url() not in html
    # Publishing the draft makes it the latest at once (the cached index is stale by its keys).
    with committed():
        editor_client.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert "Draft piece" in entry(reader.get(INDEX).text, "S-400")
    with committed():
        editor_client.post(changelist, {"action": "withdraw", "_selected_action": [draft.pk]})
    assert "Public piece" in entry(reader.get(INDEX).text, "S-400")


def test_a_retitled_latest_article_is_seen_on_the_next_request(client, committed):
    topic = make_topic("S-400", kind="defence_system")
    article = make_article("First headline", topics=[topic])
    assert "First headline" in client.get(INDEX).text
    assert client.get(INDEX)["X-Cache"] == "HIT"
    with committed():
        article.headline = "Second headline"
        article.save()
    assert "Second headline" in client.get(INDEX).text


class TestAThousandTopics:
    @pytest.fixture
    def topics(self):
        make_topic("Alpha", kind="country")
        make_article("Alpha piece", topics=[make_topic("Alpha Two", kind="event")])
        return bulk_topics(1000, description="A subject we follow closely. " + "More. " * 20)

    def test_pages_are_small_and_cheap(
        self, client, topics, page_cache_off, django_assert_max_num_queries
    ):
        for url in [INDEX, f"{INDEX}?letter=t", f"{INDEX}?letter=t&page=10", f"{INDEX}?letter=a"]:
            with django_assert_max_num_queries(INDEX_QUERIES):
                response = client.get(url)
            assert response.status_code == 200, url
            assert len(response.content) < 100_000, (url, len(response.content))

    def test_the_front_of_the_index_shows_the_most_covered_and_every_letter(self, client, topics):
        html = client.get(INDEX).text
        assert "The 100 most covered of our 1001 topics" in html
        assert html.count('<li><p class="topic-entry-name">') == 100
        links = letter_links(html)
        assert links["?letter=t"] == "T" and links["?letter=a"] == "A"
        assert "?letter=b" not in links  # no topic begins with B: not a link
        assert '<span class="letter-empty">B</span>' in html

    def test_letter_and_page_links_work_without_javascript(self, client, topics):
        html = client.get(INDEX).text
        letter = client.get(INDEX + "?letter=t").text
        assert "beginning with T, page 1 of 10" in letter
        assert letter.count('<li><p class="topic-entry-name">') == 100
        assert ">Topic 0000</a>" in letter and ">Topic 0100</a>" not in letter
        assert '<span aria-current="page">T</span>' in letter
        assert "letter=t" in letter_links(html).__repr__()
        next_link = re.search(r'<a rel="next" href="([^"]+)"', letter).group(1)
        assert next_link == "?letter=t&amp;page=2"
        second = client.get(INDEX + next_link.replace("&amp;", "&")).text
        assert ">Topic 0100</a>" in second and ">Topic 0099</a>" not in second
        assert '<a rel="prev" href="?letter=t">' in second
        last = client.get(INDEX + "?letter=t&page=10").text
        assert ">Topic 0999</a>" in last and 'rel="next"' not in last
        a_page = client.get(INDEX + "?letter=a").text
        assert ">Alpha Two</a>" in a_page and ">Alpha</a>" not in a_page  # Alpha has no article


@pytest.mark.parametrize(
    "query", ["letter=zz", "letter=%3Cb%3E", "letter=b", "letter=t&page=2", "page=2", "page=x"]
)
def test_unknown_letters_and_pages_are_404(client, query):
    make_article(topics=[make_topic("Trade", kind="theme")])
    assert client.get(f"{INDEX}?{query}").status_code == 404


def test_names_with_accents_digits_and_other_scripts_find_their_letter(client):
    for name in ("Élysée Treaty", "23rd Summit", "Дружба"):
        make_article(topics=[make_topic(name)])
    html = client.get(INDEX).text
    links = letter_links(html)
    assert {"?letter=e", "?letter=d", "?letter=other"} <= set(links)
    assert ">Élysée Treaty</a>" in client.get(INDEX + "?letter=e").text
    assert ">Дружба</a>" in client.get(INDEX + "?letter=d").text
    assert ">23rd Summit</a>" in client.get(INDEX + "?letter=other").text


def test_names_find_the_letter_they_begin_with_not_their_look_alike_fold(client):
    for name in ("Modi", "Myanmar", "10 Downing Street"):
        make_article(topics=[make_topic(name)])
    assert "?letter=r" not in letter_links(client.get(INDEX).text)
    m_page = client.get(INDEX + "?letter=m").text
    assert ">Modi</a>" in m_page and ">Myanmar</a>" in m_page
    assert ">10 Downing Street</a>" in client.get(INDEX + "?letter=other").text
