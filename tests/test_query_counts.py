"""Every public page, built afresh (page cache off), makes the same number of SQL queries for
10 articles as for 10,000.

Parts that change only with content (topic counts, a topic page's context) are kept per content
generation: the first request after a change builds them, later ones do not.
"""

import pytest
from django.urls import reverse

from tests.factories import bulk_articles, make_article, make_image, make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

# Budgets per page (anonymous reader, so no session or user queries). A list of articles shows
# each as a card kept in the cache; a card built afresh reads the list's topics and bylines, in
# one query each for the whole list.
CARD_QUERIES = 2
HOME_QUERIES = 2  # articles (with lead images), thumbnails
# The pinned stories, the most covered topics (their kept counts, less scheduled articles not yet
# public), the next scheduled publication, the lead story's picture with its renditions (2).
HOME_FRAGMENT_QUERIES = 6
ARTICLE_QUERIES = 2  # article (with lead image), lead image renditions
# Built once per change to what they show: topics, byline, key points + sources + corrections,
# related, related thumbnails, the next scheduled publication.
ARTICLE_FRAGMENT_QUERIES = 6
TOPIC_INDEX_QUERIES = 0
# Scheduled articles per topic, topics per initial letter (the jump list), the page of topics
# with their latest article's id, those articles, the next publication.
TOPIC_INDEX_FRAGMENT_QUERIES = 5
TOPIC_QUERIES = 2  # the page of articles, thumbnails
# Built once per change to what they show: the topic with its kept count; the first page's
# context (the newest article's key points, related topics, the timeline's kept counts and its
# scheduled articles, connected topics, milestones, aliases), the next scheduled publication.
TOPIC_CONTEXT_QUERIES = 9


@pytest.fixture(params=[10, 10_000], ids=["10-articles", "10000-articles"])
def archive(request):
    topics = [make_topic(f"Topic {n}", kind=kind) for n, kind in enumerate(["country", "event"])]
    hot = make_topic("S-400", kind="defence_system")
    bulk_articles(request.param - 1, topics=[hot, *topics], key_points=False, illustrated=True)
    article = make_article(
        topics=[hot, *topics], key_points=["One.", "Two.", "Three."], lead_image=make_image()
    )
    return {"article": article, "topic": hot}


def test_home_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(HOME_QUERIES + CARD_QUERIES + HOME_FRAGMENT_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_article_page_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(ARTICLE_QUERIES + ARTICLE_FRAGMENT_QUERIES):
        response = client.get(archive["article"].get_absolute_url())
    assert response.status_code == 200
    assert "Related coverage" in response.text
    with django_assert_max_num_queries(ARTICLE_QUERIES):
        assert "Related coverage" in client.get(archive["article"].get_absolute_url()).text


def test_topic_index_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(TOPIC_INDEX_QUERIES + TOPIC_INDEX_FRAGMENT_QUERIES):
        assert client.get(reverse("topics:index")).status_code == 200
    with django_assert_max_num_queries(TOPIC_INDEX_QUERIES):
        assert client.get(reverse("topics:index")).status_code == 200


@pytest.mark.parametrize("page", [1, 5])
def test_topic_page_query_count(client, archive, page, django_assert_max_num_queries):
    url = archive["topic"].get_absolute_url()
    expected_status = 200 if page == 1 or archive["topic"].tagged_articles.count() > 80 else 404
    with django_assert_max_num_queries(TOPIC_QUERIES + CARD_QUERIES + TOPIC_CONTEXT_QUERIES):
        assert client.get(url, {"page": page}).status_code == expected_status
    with django_assert_max_num_queries(TOPIC_QUERIES):
        assert client.get(url, {"page": page}).status_code == expected_status
