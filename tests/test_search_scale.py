"""The shape of a search page's SQL, which decides its cost at 100,000 articles: the match is
evaluated by the ranked query alone (and, on SQLite, once to find where the newest matches
begin), the count comes from the ranked ids, only the newest matches are ranked, and on
PostgreSQL the match is found on the GIN index whatever the planner thinks of the term."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search
from tests.factories import bulk_articles, make_article, make_topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SEARCH = reverse("search")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


def search_page_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response, [entry["sql"] for entry in queries]


def evaluating_the_match(statements):
    marker = " MATCH " if connection.vendor == "sqlite" else "websearch_to_tsquery("
    return [statement for statement in statements if marker in statement]


@pytest.fixture
def archive():
    """Thirty articles that say "bulk", one that also names S-400, tagged with it."""
    articles = bulk_articles(30, searchable=True)
    s400 = make_topic("S-400", kind="defence_system")
    make_article("S-400 deliveries resume", topics=[s400], body="The bulk of the order.")
    return articles


@pytest.mark.parametrize("query, matches", [("bulk", 31), ("S-400", 1), ('"bulk article"', 30)])
def test_the_match_is_evaluated_by_two_queries_and_never_counted_again(
    client, archive, query, matches
):
    response, statements = search_page_queries(client, query)
    assert not any("COUNT(" in statement.upper() for statement in statements)
    matching = evaluating_the_match(statements)
    assert len(matching) == 2, matching
    first, ranked = matching
    if connection.vendor == "sqlite":
        # Where the newest RANKED_MATCHES begin, walked backwards on rowid without scoring...
        assert "bm25(" not in first and re.search(r"ORDER BY rowid DESC LIMIT 1 OFFSET", first)
        # ...then bm25() only from that rowid on, in one join with a LIMIT.
        assert ranked.count("bm25(") == 1 and "rowid >=" in ranked
        assert re.search(r"LIMIT \d+\s*$", ranked.strip())
    else:
        # The planner's estimate (EXPLAIN, not run), then the ranked ids.
        assert first.startswith("\nEXPLAIN") or first.lstrip().startswith("EXPLAIN")
        assert ranked.count("ts_rank(") == 1
        # ts_rank() only after the newest matches are cut to RANKED_MATCHES.
        assert ranked.index(f"LIMIT {search.RANKED_MATCHES}") < ranked.index("ts_rank(")
    assert response.context["paginator"].count == matches
    assert f"{matches} result" in response.text


def test_the_articles_of_a_page_are_loaded_by_id_without_matching_again(client, archive):
    _, statements = search_page_queries(client, "bulk")
    article_rows = [s for s in statements if s.lstrip().startswith('SELECT "articles_article"')]
    assert len(article_rows) == 1
    assert '"articles_article"."id" IN (' in article_rows[0]
    assert article_rows[0] not in evaluating_the_match(statements)


@postgresql_only
def test_a_term_with_a_topics_spelling_is_matched_on_the_index_as_one_parameter(client, archive):
    """'S-400' is the number -400 to PostgreSQL's parser, or the topic's folded name: seen as a
    constant, a term in a tenth of the articles made the planner test every article's vector (a
    sequential scan, detoasting each). As an InitPlan parameter the match uses the GIN index."""
    _, statements = search_page_queries(client, "S-400")
    estimate, ranked = evaluating_the_match(statements)
    matches = ranked[: ranked.index("newest AS")]
    assert re.search(
        r"search_vector @@ \(SELECT \(websearch_to_tsquery\(.*\|\| phraseto_tsquery\('simple', "
        r"'s4oo'\)\)\)",
        matches,
    ), matches
    # The estimate that chose this plan saw the terms themselves.
    assert "@@ (websearch_to_tsquery(" in estimate


@postgresql_only
def test_the_planners_estimate_still_chooses_the_plan_for_a_common_word(client, monkeypatch):
    """A word in most articles walks them newest first, testing each (the estimate sees the
    word); a rarer one is found on the index. Both give the same page."""
    bulk_articles(60, searchable=True)
    make_article("Kinzhal test", body="bulk")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # the planner's statistics of the words

    def ranked_sql_and_headlines(query):
        response, statements = search_page_queries(client, query)
        headlines = [article.headline for article in response.context["results"]]
        return evaluating_the_match(statements)[-1], headlines

    monkeypatch.setattr(search, "COMMON_WORD_MATCHES", 40)
    common_sql, common_page = ranked_sql_and_headlines("bulk")
    rare_sql, _ = ranked_sql_and_headlines("Kinzhal")
    assert "@@ (SELECT" not in common_sql
    assert "@@ (SELECT" in rare_sql
    monkeypatch.setattr(search, "COMMON_WORD_MATCHES", 10**9)
    indexed_sql, indexed_page = ranked_sql_and_headlines("bulk")
    assert "@@ (SELECT" in indexed_sql
    assert common_page == indexed_page and len(common_page) == 20
