"""Search over public articles: best match first, every field, highlighted safely, any input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, KeyPoint
from tests.factories import bulk_articles, make_article, make_draft, make_topic

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def results(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return [article.headline for article in response.context["results"]]


def test_headline_match_ranks_above_body_only_match(client):
    make_article("Notes from Delhi", body="The corridor through Iran came up again and again.")
    make_article("Corridor talks resume", body="Shipping ministers met.")
    assert results(client, "corridor") == ["Corridor talks resume", "Notes from Delhi"]


def test_finds_words_in_standfirst_key_points_and_topic_names(client):
    make_article("A", standfirst="Fertiliser supplies dominate.")
    make_article("B", key_points=["Small modular reactors are on the agenda."])
    make_article("C", topics=[make_topic("Aatmanirbhar Bharat", kind="doctrine")])
    assert results(client, "fertiliser") == ["A"]
    assert results(client, "reactors") == ["B"]
    assert results(client, "Aatmanirbhar") == ["C"]


def test_all_words_must_match(client):
    make_article("Rupee payments", body="Roubles too.")
    make_article("Rupee only")
    assert results(client, "rupee roubles") == ["Rupee payments"]


def test_never_shows_drafts_scheduled_or_withdrawn(client):
    make_article("Public S-400 piece")
    make_draft("Draft S-400 piece")
    make_article("Withdrawn S-400 piece", status=Article.Status.WITHDRAWN)
    from datetime import timedelta

    from django.utils import timezone

    make_article("Scheduled S-400 piece", published_at=timezone.now() + timedelta(days=1))
    response = client.get(SEARCH, {"q": "S-400 piece"})
    assert [a.headline for a in response.context["results"]] == ["Public S-400 piece"]
    assert "1 result for" in response.text


def test_index_follows_edits_to_key_points_topics_and_topic_names(client):
    article = make_article("Summit")
    assert results(client, "tariffs") == []
    KeyPoint.objects.create(article=article, text="Tariffs loom.", position=1)
    assert results(client, "tariffs") == ["Summit"]
    topic = make_topic("Kudankulam")
    article.topics.add(topic)
    assert results(client, "Kudankulam") == ["Summit"]
    topic.name = "Kudankulam plant"
    topic.save()
    assert results(client, "plant") == ["Summit"]
    article.topics.remove(topic)
    assert results(client, "Kudankulam") == []
    article.delete()
    assert results(client, "tariffs") == []


def test_matches_are_highlighted_and_escaped(client):
    make_article("<b>Corridor</b> & trade", standfirst="The corridor <script>alert(1)</script>")
    html = client.get(SEARCH, {"q": "corridor"}).text
    assert "&lt;b&gt;<mark>Corridor</mark>&lt;/b&gt; &amp; trade" in html
    assert "The <mark>corridor</mark> &lt;script&gt;" in html
    assert "<script>alert" not in html


def test_results_are_paginated_twenty_a_page_keeping_the_query(client):
    bulk_articles(25, searchable=True)
    first = client.get(SEARCH, {"q": "bulk article"})
    assert len(first.context["results"]) == 20
    assert 'href="?q=bulk+article&amp;page=2"' in first.text
    assert len(client.get(SEARCH, {"q": "bulk article", "page": 2}).context["results"]) == 5
    assert client.get(SEARCH, {"q": "bulk article", "page": 3}).status_code == 404


def test_empty_query_shows_the_form(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'name="q"' in response.text and "result" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        "'",
        '"unbalanced',
        "' OR 1=1 --",
        "'; DROP TABLE articles_article; --",
        "corridor AND NOT",
        "NEAR(corridor summit)",
        "corridor*",
        "headline:corridor",
        "^corridor",
        "(corridor",
        "!!! ??? ***",
        "& | ! <-> :*",
        "россия",
        "中国 印度",
        "🚀 rockets",
        "caf\u00e9 cafe\u0301",
        "null\x00byte",
        "tab\tand\nnewline",
        "x" * 500,
    ],
)
def test_hostile_input_answers_200(client, query):
    make_article("Corridor summit")
    make_article("Россия и Индия")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


def test_very_long_query_is_a_clear_400(client):
    response = client.get(SEARCH, {"q": "corridor " * 1200})
    assert response.status_code == 400
    assert "Search terms are limited to 500 characters." in response.text


def test_finds_words_in_other_scripts(client):
    make_article("Россия и Индия")
    assert results(client, "Россия") == ["Россия и Индия"]


def test_search_page_is_not_indexed_and_query_count_is_constant(
    client, page_cache_off, django_assert_max_num_queries
):
    bulk_articles(30, searchable=True, illustrated=True)
    # Where the newest matches begin (SQLite) or how common the words are (PostgreSQL), the
    # ranked ids, the page's articles, their topics, bylines, thumbnails.
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"q": "bulk"})
    assert '<meta name="robots" content="noindex">' in response.text


def test_rebuild_search_index_command(client):
    bulk_articles(3)
    assert results(client, "bulk") == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 3 articles." in out.getvalue()
    assert len(results(client, "bulk")) == 3


def test_a_match_only_in_the_body_shows_a_marked_passage(client):
    make_article(
        "Notes from Delhi",
        standfirst="A week of meetings.",
        body="Ministers met on Tuesday. " * 20 + "The corridor through Iran came up. " * 3,
    )
    make_article("Corridor talks resume", body="Shipping ministers met.")
    response = client.get(SEARCH, {"q": "corridor"})
    talks, notes = sorted(response.context["results"], key=lambda article: article.headline)
    assert "<mark>corridor</mark>" in notes.snippet and notes.snippet.startswith("… ")
    assert len(notes.snippet) < 400
    assert not getattr(talks, "snippet", None)
    assert '<p class="snippet">' in response.text


def test_very_common_words_rank_the_best_matches_and_say_there_are_more(client, monkeypatch):
    monkeypatch.setattr("articles.search.RESULT_LIMIT", 5)
    for number in range(8):
        make_article(f"Tanker story {number}", body="tanker " * (number + 1))
    response = client.get(SEARCH, {"q": "tanker"})
    assert len(response.context["results"]) == 5
    assert "More than 5 results" in response.text


def test_search_ranks_once_and_counts_without_a_second_pass(
    client, page_cache_off, django_assert_max_num_queries
):
    """The count comes from the ranked ids (one query with a LIMIT), not a COUNT(*) that would
    evaluate the match again for every public article."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bulk_articles(30, searchable=True)
    with CaptureQueriesContext(connection) as queries:
        client.get(SEARCH, {"q": "bulk"})
    sql = [query["sql"] for query in queries]
    assert not any("COUNT(" in statement.upper() for statement in sql)
    ranked = [statement for statement in sql if "bm25(" in statement or "ts_rank(" in statement]
    assert len(ranked) == 1 and "LIMIT" in ranked[0].upper()
    # Only the newest matches are ranked: a bound on rowid (SQLite) or a LIMIT before ts_rank.
    assert "rowid >=" in ranked[0] or ranked[0].upper().count("LIMIT") == 2
