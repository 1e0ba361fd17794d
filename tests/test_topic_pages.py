"""Topic pages that inform: latest key points, related topics, a timeline, relationships, and
combined topics."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import bulk_articles, make_article, make_draft, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {
        "india_russia": make_topic("India–Russia", kind="relationship"),
        "india": make_topic("India", kind="country"),
        "russia": make_topic("Russia", kind="country"),
        "s400": make_topic("S-400", kind="defence_system"),
        "autonomy": make_topic("Strategic Autonomy", kind="doctrine"),
        "su57": make_topic("Su-57", kind="defence_system"),
    }


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_latest_key_points_come_from_the_newest_articles_in_order(client, topics):
    topic = topics["s400"]
    for age, name in [(4, "Oldest"), (3, "Third"), (2, "Second"), (1, "Newest")]:
        make_article(
            f"{name} piece",
            topics=[topic],
            age=timedelta(days=age),
            key_points=[f"{name} first point.", f"{name} second point."],
        )
    make_draft("Draft piece", topics=[topic], key_points=["Draft point."])
    points = section(client.get(topic.get_absolute_url()).text, "latest-key-points-heading")
    order = ["Newest first point.", "Newest second point.", "Second first point.", "Third first"]
    positions = [points.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Oldest" not in points and "Draft point." not in points
    assert 'href="/articles/' in points


def test_related_topics_are_those_most_often_on_the_same_articles(client, topics):
    topic = topics["india_russia"]
    make_article(topics=[topic, topics["s400"], topics["autonomy"]])
    make_article(topics=[topic, topics["s400"]])
    make_article(topics=[topic, topics["su57"]])
    make_draft(topics=[topic, topics["su57"]])
    make_draft(topics=[topic, topics["su57"]])
    make_article(topics=[topics["india"]])
    related = section(client.get(topic.get_absolute_url()).text, "related-topics-heading")
    assert related.index("S-400") < related.index("Strategic Autonomy")
    assert related.index("S-400") < related.index("Su-57")
    assert "2 together" in related and "India</a>" not in related
    assert 'href="/topics/india-russia+s-400/"' in related


def test_timeline_counts_public_articles_by_month(client, topics):
    topic = topics["s400"]
    tz = timezone.get_current_timezone()
    for day in (3, 10, 20):
        make_article(topics=[topic], published_at=datetime(2025, 11, day, 12, tzinfo=tz))
    make_article(topics=[topic], published_at=datetime(2025, 12, 5, 12, tzinfo=tz))
    make_draft(topics=[topic])
    timeline = section(client.get(topic.get_absolute_url()).text, "timeline-heading")
    assert '<time datetime="2025-11">Nov 2025</time>' in timeline
    assert timeline.index("2025-11") < timeline.index("2025-12")
    assert '<span class="count">3<span class="visually-hidden"> articles' in timeline
    assert '<span class="count">1<span class="visually-hidden"> article<' in timeline


def test_relationship_names_its_countries_and_countries_link_back(client, topics):
    relationship = topics["india_russia"]
    relationship.parties.set([topics["india"], topics["russia"]])
    make_article(topics=[relationship, topics["india"], topics["russia"]])
    html = client.get(relationship.get_absolute_url()).text
    assert (
        'Between <a href="/topics/india/">India</a> and <a href="/topics/russia/">Russia</a>.'
        in (html)
    )
    country = client.get(topics["india"].get_absolute_url()).text
    assert 'Relationships: <a href="/topics/india-russia/">India–Russia</a>.' in country


def test_editor_sets_relationship_parties_in_the_topic_admin(editor_client, topics):
    relationship = topics["india_russia"]
    url = reverse("admin:topics_topic_change", args=[relationship.pk])
    response = editor_client.post(
        url,
        {
            "name": "India–Russia",
            "slug": "india-russia",
            "kind": "relationship",
            "description": "",
            "parties": [topics["india"].pk, topics["russia"].pk],
        },
    )
    assert response.status_code == 302
    assert set(relationship.parties.all()) == {topics["india"], topics["russia"]}


def test_deeper_pages_show_only_the_list(client, topics):
    topic = topics["s400"]
    bulk_articles(25, topics=[topic])
    html = client.get(topic.get_absolute_url(), {"page": 2}).text
    assert "latest-key-points-heading" not in html and "timeline-heading" not in html
    assert html.count('class="card"') == 5


class TestCombinedTopics:
    def test_lists_only_articles_carrying_every_named_topic(self, client, topics):
        both = make_article("Older piece on both", topics=[topics["india_russia"], topics["s400"]])
        newer = make_article(
            "On both, newer",
            topics=[topics["india_russia"], topics["s400"], topics["su57"]],
            age=timedelta(hours=1),
        )
        make_article("Only India–Russia", topics=[topics["india_russia"]])
        make_draft("Draft on both", topics=[topics["india_russia"], topics["s400"]])
        response = client.get("/topics/india-russia+s-400/")
        assert response.status_code == 200
        html = response.text
        assert "<h1>India–Russia and S-400" in html
        listing = html[html.index('id="articles-heading"') :]
        assert listing.index(newer.headline) < listing.index(both.headline)
        assert "Only India–Russia" not in listing and "Draft on both" not in listing

    def test_three_topics(self, client, topics):
        make_article("All three", topics=[topics["india_russia"], topics["s400"], topics["su57"]])
        make_article("Two of three", topics=[topics["india_russia"], topics["s400"]])
        html = client.get("/topics/india-russia+s-400+su-57/").text
        assert "India–Russia, S-400 and Su-57" in html
        assert "All three" in html and "Two of three" not in html

    @pytest.mark.parametrize(
        "path",
        [
            "/topics/india-russia+no-such-topic/",
            "/topics/india-russia+india-russia/",
            "/topics/india-russia+s-400+su-57+india/",
            "/topics/india-russia+s-400/?page=9",
            "/topics/india-russia+s-400/?page=x",
        ],
    )
    def test_bad_combinations_are_404(self, client, topics, path):
        make_article(topics=[topics["india_russia"], topics["s400"]])
        assert client.get(path).status_code == 404

    def test_query_count_is_constant(
        self, client, topics, page_cache_off, django_assert_max_num_queries
    ):
        bulk_articles(60, topics=[topics["india_russia"], topics["s400"]], illustrated=True)
        for page in (1, 3):
            with django_assert_max_num_queries(6):  # + topics, bylines, thumbnails
                response = client.get("/topics/india-russia+s-400/", {"page": page})
            assert response.status_code == 200


def test_topic_context_follows_new_coverage_at_once(client, topics, page_cache_off, committed):
    topic = topics["s400"]
    with committed():
        make_article("First piece", topics=[topic], key_points=["First point."])
    assert "First point." in client.get(topic.get_absolute_url()).text
    with committed():
        make_article("Second piece", topics=[topic, topics["su57"]], key_points=["Second point."])
    html = client.get(topic.get_absolute_url()).text
    assert "Second point." in section(html, "latest-key-points-heading")
    assert "Su-57" in section(html, "related-topics-heading")
