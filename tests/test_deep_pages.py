"""Deep pages of a big topic read from the nearer end of the list: the same articles, in the same
order, as counting from the top would give, without an OFFSET past the middle."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import bulk_articles, make_article, make_draft, make_scheduled, make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

PER_PAGE = 20


@pytest.fixture
def big_topic():
    topic = make_topic("India–Russia", kind="relationship")
    bulk_articles(95, topics=[topic], key_points=False)
    return topic


def headlines_on(client, topic, page):
    response = client.get(topic.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    return [article.headline for article in response.context["articles"]]


@pytest.mark.parametrize("page", [1, 2, 3, 4, 5])
def test_every_page_holds_exactly_the_right_articles_in_order(client, big_topic, page):
    newest_first = list(
        Article.objects.published()
        .tagged_with(big_topic)
        .newest_first()
        .values_list("headline", flat=True)
    )
    expected = newest_first[(page - 1) * PER_PAGE : page * PER_PAGE]
    assert headlines_on(client, big_topic, page) == expected


def test_the_last_page_is_read_from_the_end(client, big_topic):
    client.get(big_topic.get_absolute_url(), {"page": 5})  # the count, once per change
    with CaptureQueriesContext(connection) as queries:
        headlines_on(client, big_topic, 5)
    page_query = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"'))
    offsets = [int(n) for n in re.findall(r"OFFSET (\d+)", page_query, re.I)]
    assert all(offset <= 95 // 2 for offset in offsets), page_query
    assert re.search(r"published_at\"? ASC", page_query), page_query


def test_a_page_past_the_end_is_still_a_404(client, big_topic):
    assert client.get(big_topic.get_absolute_url(), {"page": 6}).status_code == 404


def test_the_last_page_read_in_reverse_holds_the_oldest_public_articles_in_order(client):
    """Read from the end, the last page depends on the exact count of public articles: the
    topic's own scheduled article, a draft and a withdrawn one are left out, other topics'
    scheduled articles are not taken off, and articles published at the same moment keep
    their order (newest id first)."""
    topic, other = make_topic("Arctic"), make_topic("Baltic")
    bulk_articles(50, topics=[topic], key_points=False)
    moment = timezone.now() - timedelta(days=3)
    for number in range(7):
        make_article(f"Tied {number}", topics=[topic], published_at=moment)
    make_scheduled("Scheduled Arctic story", topics=[topic])
    make_scheduled("Scheduled Baltic story", topics=[other])
    make_draft("Draft Arctic story", topics=[topic])
    make_article("Withdrawn Arctic story", topics=[topic], status=Article.Status.WITHDRAWN)

    page_3 = headlines_on(client, topic, 3)
    assert len(page_3) == 17
    assert page_3[-7:] == [f"Tied {number}" for number in reversed(range(7))]
    newest_first = list(
        Article.objects.published()
        .tagged_with(topic)
        .newest_first()
        .values_list("headline", flat=True)
    )
    assert page_3 == newest_first[40:]
    assert client.get(topic.get_absolute_url(), {"page": 4}).status_code == 404
