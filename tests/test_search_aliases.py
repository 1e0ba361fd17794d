"""Search finds a topic's coverage by any of its names (S400, S 400, Ѕ-400, an alias), and marks
what it matched: "S-400" whole, a quoted phrase, a passage of the body; escaped, always."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import bulk_articles, make_article, make_draft, make_topic
from topics.models import TopicAlias

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def results(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return sorted(article.headline for article in response.context["results"])


def marked(client, query):
    """{headline: (marked headline, marked standfirst, snippet)} as the search page shows them."""
    response = client.get(SEARCH, {"q": query})
    return {
        article.headline: (
            article.highlighted_headline,
            article.highlighted_standfirst,
            getattr(article, "snippet", None),
        )
        for article in response.context["results"]
    }


@pytest.fixture
def s400():
    return make_topic("S-400", kind="defence_system")


@pytest.mark.parametrize("query", ["S400", "S 400", "s-400", "Ѕ-400", "S‐400"])
def test_any_spelling_of_a_topic_finds_its_coverage(client, s400, query):
    make_article("Second S-400 regiment goes on duty", topics=[s400], body="Delivered early.")
    make_article("Wheat exports", body="No missiles here.")
    assert results(client, query) == ["Second S-400 regiment goes on duty"]


def test_an_alias_finds_the_topic_and_the_name_finds_articles_that_use_the_alias(client, s400):
    TopicAlias.objects.create(topic=s400, name="Triumf")
    make_article("S-400 batteries arrive", topics=[s400])
    make_article("The Triumf's radar, explained", topics=[s400])
    both = ["S-400 batteries arrive", "The Triumf's radar, explained"]
    assert results(client, "Triumf") == both
    assert results(client, "S400") == both
    assert results(client, "S-400") == both


def test_a_topic_name_within_the_query_must_match_with_the_other_words(client, s400):
    make_article("S-400 deliveries resume", topics=[s400])
    make_article("S-400 drills", topics=[s400])
    make_article("Deliveries of wheat")
    assert results(client, "S 400 deliveries") == ["S-400 deliveries resume"]
    assert results(client, "deliveries S400") == ["S-400 deliveries resume"]


def test_aliases_added_or_removed_change_what_is_found(client, s400):
    make_article("S-400 batteries arrive", topics=[s400])
    assert results(client, "Triumf") == []
    alias = TopicAlias.objects.create(topic=s400, name="Triumf")
    assert results(client, "Triumf") == ["S-400 batteries arrive"]
    alias.delete()
    assert results(client, "Triumf") == []


def test_an_alias_of_a_topic_without_public_articles_reveals_nothing(client):
    embargoed = make_topic("Project Kusha")
    TopicAlias.objects.create(topic=embargoed, name="Kusha-2 interceptor")
    draft = make_draft("Kusha-2 interceptor unveiled", topics=[embargoed])
    make_article("Defence research notes", body="Work on Project Kusha goes on.")
    for query in ["Kusha-2 interceptor", "Kusha 2 interceptor", "kusha2interceptor"]:
        assert results(client, query) == []
    draft.status, draft.published_at = Article.Status.PUBLISHED, draft.created_at
    draft.save()
    assert results(client, "Kusha 2 interceptor") == ["Kusha-2 interceptor unveiled"]


def test_s_400_marks_the_whole_term_and_not_the_s_of_putins(client, s400):
    make_article("Putin's S-400 offer", standfirst="Putin's envoy spoke of 400 units.")
    make_article("Putin's visit: 400 delegates")
    found = marked(client, "S-400")
    assert list(found) == ["Putin's S-400 offer"]
    headline, standfirst, _ = found["Putin's S-400 offer"]
    assert headline == "Putin&#x27;s <mark>S-400</mark> offer"
    assert "<mark>" not in standfirst


def test_spellings_of_a_topic_are_marked_where_the_article_matched_by_the_topic(client, s400):
    make_article("S-400, S 400 or S400: one system", topics=[s400], standfirst="Putin's Ѕ-400.")
    headline, standfirst, _ = marked(client, "S400")["S-400, S 400 or S400: one system"]
    assert headline == "<mark>S-400</mark>, <mark>S 400</mark> or <mark>S400</mark>: one system"
    assert standfirst == "Putin&#x27;s <mark>Ѕ-400</mark>."


def test_a_quoted_phrase_is_marked_as_the_phrase(client):
    make_article("Oil imports climb", standfirst="Imports of oil fell; oil imports rose.")
    headline, standfirst, _ = marked(client, '"oil imports"')["Oil imports climb"]
    assert headline == "<mark>Oil imports</mark> climb"
    assert standfirst == "Imports of oil fell; <mark>oil imports</mark> rose."


def test_a_match_only_in_the_body_shows_the_passage_with_the_topic_marked(client, s400):
    body = "Ministers met on Tuesday. " * 20 + "The S-400 came up, and Putin's aides smiled. " * 2
    make_article("Notes from Delhi", standfirst="A week of meetings.", topics=[s400], body=body)
    for query in ["S400", "S-400"]:
        headline, standfirst, snippet = marked(client, query)["Notes from Delhi"]
        assert "<mark>" not in headline + standfirst
        assert snippet.startswith("… ") and len(snippet) < 400
        assert "The <mark>S-400</mark> came up, and Putin&#x27;s aides" in snippet


def test_hostile_text_around_a_marked_topic_is_escaped(client, s400):
    make_article(
        "<script>alert(1)</script> S-400 & <b>Putin's</b>",
        topics=[s400],
        standfirst='S400 "<img src=x onerror=alert(1)>"',
    )
    for query in ["S400", "S-400"]:
        page = client.get(SEARCH, {"q": query}).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>S-400</mark> &amp; "
            "&lt;b&gt;Putin&#x27;s&lt;/b&gt;" in page
        )
        assert "<mark>S400</mark> &quot;&lt;img src=x onerror=alert(1)&gt;&quot;" in page


@pytest.mark.parametrize("query", ["S400", "S-400", "S 400 bulk", 'body "S 400"'])
def test_query_count_is_the_same_when_a_topic_matches(
    client, page_cache_off, django_assert_max_num_queries, s400, query
):
    bulk_articles(30, searchable=True, illustrated=True, topics=[s400])
    # As for any search: where the newest matches begin (SQLite) or how common the words are
    # (PostgreSQL), the ranked ids, the page's articles, their topics, bylines, thumbnails.
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": query})
    assert len(response.context["results"]) == 20


def test_the_admin_article_search_finds_a_topic_by_any_spelling_drafts_included(
    editor_client, s400
):
    TopicAlias.objects.create(topic=s400, name="Triumf")
    make_draft("Draft on the new regiment", topics=[s400])
    make_article("Something else")
    url = reverse("admin:articles_article_changelist")
    for query in ["S400", "S 400", "Triumf"]:
        html = editor_client.get(url, {"q": query}).text
        assert "Draft on the new regiment" in html and "Something else" not in html
