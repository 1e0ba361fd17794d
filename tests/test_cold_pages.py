"""Pages built afresh stay cheap: article cards are kept as HTML until what they show changes,
the home page sorts only the stories that can lead, and links need no URL resolving per card.

Each test changes something a card shows and reads the next page with the page cache off, so
only the card's own cache could serve stale copy.
"""

import pickle
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.cache_keys import article_key
from articles.models import Article
from coverage_site.links import slug_url
from coverage_site.page_cache import record_change
from tests.factories import make_article, make_topic, make_writer
from tests.servers import cut_off_the_shared_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def story(committed):
    with committed():
        topic = make_topic("S-400")
        writer = make_writer("anika", first_name="Anika", last_name="Rao")
        article = make_article("Deliveries slip again", topics=[topic], authors=[writer])
    return article, topic, writer


def listings(topic):
    return ["/", topic.get_absolute_url()]


def test_an_edited_headline_is_on_every_list_at_once(client, story, committed):
    article, topic, _writer = story
    for path in listings(topic):
        assert "Deliveries slip again" in client.get(path).text
    with committed():
        article.headline = "Deliveries slip a third time"
        article.save()
    for path in listings(topic):
        html = client.get(path).text
        assert "Deliveries slip a third time" in html
        assert "Deliveries slip again" not in html


def test_a_renamed_topic_and_byline_are_on_the_cards_at_once(client, story, committed):
    article, topic, writer = story
    for path in listings(topic):
        client.get(path)
    with committed():
        topic.name = "S-400 Triumf"
        topic.save()
        writer.last_name = "Rao-Mehta"
        writer.save()
    for path in listings(topic):
        html = client.get(path).text
        assert "S-400 Triumf" in html and "Anika Rao-Mehta" in html


def test_a_new_topic_on_an_article_is_on_its_card_at_once(client, story, committed):
    article, topic, _writer = story
    client.get("/")
    with committed():
        article.topics.add(make_topic("Arctic"))
    assert "Arctic" in client.get("/").text


def test_a_card_read_back_is_the_card_built(client, story):
    first = client.get("/").text
    assert client.get("/").text == first


def test_a_pinned_story_leads_only_while_it_is_pinned_and_public(client):
    older = make_article("Pinned analysis", age=timedelta(days=30))
    make_article("Newest report", age=timedelta(hours=1))
    make_article("Pinned draft", status=Article.Status.DRAFT)
    Article.objects.filter(headline__startswith="Pinned").update(
        pinned_until=timezone.now() + timedelta(hours=2)
    )
    leading = list(Article.objects.published().lead_first(2))
    assert [a.headline for a in leading] == ["Pinned analysis", "Newest report"]
    Article.objects.filter(pk=older.pk).update(pinned_until=timezone.now() - timedelta(hours=1))
    leading = list(Article.objects.published().lead_first(2))
    assert [a.headline for a in leading] == ["Newest report", "Pinned analysis"]


@pytest.mark.parametrize("slug", ["s-400", "India_Russia-2", "ünïcode-slug", "with space"])
def test_links_are_what_reverse_makes(slug):
    for view_name in ("articles:detail", "topics:detail", "people:author"):
        try:
            expected = reverse(view_name, kwargs={"slug": slug})
        except Exception as refusal:
            with pytest.raises(type(refusal)):
                slug_url(view_name, slug)
        else:
            assert slug_url(view_name, slug) == expected


def test_article_parts_and_related_coverage_follow_changes_at_once(client, story, committed):
    article, topic, _writer = story
    assert "Related coverage" not in client.get(article.get_absolute_url()).text
    with committed():
        article.key_points.create(text="Two regiments wait for their batteries.", position=1)
        make_article("A newer piece on the same system", topics=[topic])
    html = client.get(article.get_absolute_url()).text
    assert "Two regiments wait for their batteries." in html
    assert "A newer piece on the same system" in html


def test_a_lists_topics_and_bylines_answer_for_their_own_article_only(story):
    article, topic, writer = story
    other = make_writer("other.writer")
    make_article("Another", topics=[make_topic("Arctic")], authors=[other])
    listed = Article.objects.published().for_listing().get(pk=article.pk)
    assert [t.name for t in listed.topics.all()] == ["S-400"]
    assert listed.is_written_by(writer) and not listed.is_written_by(other)
    assert not listed.topics.filter(name="Arctic").exists()


def test_a_lists_topics_and_bylines_are_read_together_and_only_when_shown(
    django_assert_num_queries,
):
    writer = make_writer("ivan", first_name="Ivan", last_name="Petrov")
    for n in range(3):
        make_article(f"Report {n}", topics=[make_topic(f"Topic {n}")], authors=[writer])
    with django_assert_num_queries(1):
        articles = list(Article.objects.published().for_listing().newest_first())
    with django_assert_num_queries(1):  # the first read loads every article's topics
        assert [t.name for t in articles[2].topics.all()] == ["Topic 0"]
        assert [[t.name for t in a.topics.all()] for a in articles] == [
            ["Topic 2"],
            ["Topic 1"],
            ["Topic 0"],
        ]
        assert articles[0].topics.count() == 1 and articles[0].topics.exists()
    with django_assert_num_queries(1):
        assert {name for a in articles for name in a.byline_names} == {"Ivan Petrov"}


def test_a_list_kept_in_the_cache_keeps_its_topics_and_bylines(django_assert_num_queries):
    writer = make_writer("ivan", first_name="Ivan", last_name="Petrov")
    make_article("Report", topics=[make_topic("Arctic")], authors=[writer])
    articles = list(Article.objects.published().for_listing())
    kept = pickle.loads(pickle.dumps(articles))  # reads them first, as a prefetch would be kept
    with django_assert_num_queries(0):
        assert [t.name for t in kept[0].topics.all()] == ["Arctic"]
        assert kept[0].byline_names == ["Ivan Petrov"]


def test_a_home_page_of_kept_cards_reads_only_its_list(client, story, django_assert_num_queries):
    client.get("/")  # builds the cards, and the counts beside them
    with django_assert_num_queries(1):  # the articles: no topics, bylines or counts
        assert "Deliveries slip again" in client.get("/").text


def test_an_author_page_of_kept_cards_reads_no_topics_or_bylines(
    client, story, django_assert_num_queries
):
    _article, _topic, writer = story
    url = writer.profile.get_absolute_url()
    client.get(url)  # builds the cards
    with django_assert_num_queries(3):  # the profile, the count, the articles
        assert "Deliveries slip again" in client.get(url).text


def test_an_author_page_of_kept_cards_is_stale_when_a_cards_topic_or_byline_changes(
    client, story, committed, settings
):
    """The page names what its cards show, read from the kept cards themselves."""
    _article, topic, writer = story
    url = writer.profile.get_absolute_url()
    client.get(url)  # keeps the cards
    settings.PAGE_CACHE_ENABLED = True
    client.get(url)  # a page of kept cards
    assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        topic.name = "S-400 Triumf"
        topic.save()
    assert "S-400 Triumf" in client.get(url).text
    assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        writer.first_name = "Anika R."
        writer.save()
    assert "Anika R. Rao" in client.get(url).text


def test_the_article_page_keeps_its_topics_and_byline_until_they_change(
    client, story, committed, django_assert_max_num_queries
):
    article, topic, writer = story
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(2):  # the article and its lead image's renditions
        html = client.get(article.get_absolute_url()).text
    assert "S-400" in html and "Anika Rao" in html
    with committed():
        topic.name = "S-400 Triumf"
        topic.save()
        writer.last_name = "Rao-Mehta"
        writer.save()
        article.topics.add(make_topic("Arctic"))
    html = client.get(article.get_absolute_url()).text
    assert "S-400 Triumf" in html and "Anika Rao-Mehta" in html and "Arctic" in html


def test_a_topic_page_is_found_as_soon_as_its_topic_is_public(client, committed):
    assert client.get("/topics/arctic/").status_code == 404
    with committed():
        arctic = make_topic("Arctic")
        article = make_article("Ice routes", topics=[arctic], status=Article.Status.DRAFT)
    assert client.get("/topics/arctic/").status_code == 404  # embargoed: only a draft has it
    with committed():
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.save()
    assert "Ice routes" in client.get("/topics/arctic/").text
    with committed():
        article.status = Article.Status.WITHDRAWN
        article.save()
    assert client.get("/topics/arctic/").status_code == 404


def test_a_lists_relation_runs_its_own_sql_only_on_its_own_rows():
    make_article("Other", topics=[make_topic("Baltic")])
    make_article("Report", topics=[make_topic("Arctic")])
    articles = list(Article.objects.published().for_listing().newest_first())
    assert [t.name for t in articles[0].topics.all().iterator()] == ["Arctic"]
    assert articles[0].topics.all().values_list("name", flat=True).get() == "Arctic"


def test_a_processs_copy_of_a_card_goes_stale_with_a_change_made_elsewhere(client, story):
    article, _topic, _writer = story
    client.get("/")
    # Another worker saves the article: its row changes and its commit writes to the journal.
    Article.objects.filter(pk=article.pk).update(headline="Changed by another worker")
    record_change({article_key(article.pk)})
    assert "Changed by another worker" in client.get("/").text


def test_a_processs_copy_of_a_card_is_unused_while_the_shared_cache_cannot_be_read(
    client, story, settings
):
    article, _topic, _writer = story
    client.get("/")
    cut_off_the_shared_cache(settings)
    # A change the journal cannot be told about: only a freshly built card can show it.
    Article.objects.filter(pk=article.pk).update(headline="Changed during the outage")
    assert "Changed during the outage" in client.get("/").text
