"""`manage.py seed_bench`: the benchmark's synthetic archive, and bulk search indexing."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from articles.markdown import render_markdown
from articles.models import Article
from articles.search import FTS_TABLE, index_article, index_articles_in_bulk, search_articles
from tests.factories import make_article, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db

ARTICLES, TOPICS = 200, 40
LEXEME = re.compile(r"'((?:[^']|'')*)':([\dA-D,]+)")


def seed(*args):
    out = StringIO()
    call_command("seed_bench", "--articles", ARTICLES, "--topics", TOPICS, *args, stdout=out)
    return out.getvalue()


def bench_articles():
    return Article.objects.filter(slug__startswith="bench-")


def digest():
    """A fingerprint of everything the command decides, ids aside."""
    hasher = hashlib.sha256()
    for article in bench_articles().prefetch_related("topics", "key_points", "authors", "sources"):
        hasher.update(
            repr(
                (
                    article.slug,
                    article.headline,
                    article.standfirst,
                    article.body,
                    article.status,
                    article.published_at,
                    article.updated_at,
                    sorted(topic.slug for topic in article.topics.all()),
                    [point.text for point in article.key_points.all()],
                    sorted(author.username for author in article.authors.all()),
                    [source.title for source in article.sources.all()],
                )
            ).encode()
        )
    return hasher.hexdigest()


def test_reports_what_it_made():
    output = seed()
    assert re.search(
        r"^Seeded 200 articles \(186 public, 10 drafts, 4 scheduled\), 40 topics in [\d.]+ s$",
        output,
        re.MULTILINE,
    )
    assert bench_articles().count() == ARTICLES
    assert Topic.objects.filter(slug__startswith="bench-").count() == TOPICS


def test_drafts_and_scheduled_articles_are_not_public():
    seed()
    now = timezone.now()
    assert bench_articles().filter(status=Article.Status.DRAFT).count() == 10
    assert bench_articles().filter(status="published", published_at__gt=now).count() == 4
    assert Article.objects.published().count() == 186
    assert not Article.objects.published().filter(published_at__gt=now).exists()


def test_every_article_has_three_key_points_and_three_to_six_topics():
    seed()
    counts = bench_articles().annotate(
        points=Count("key_points", distinct=True), topic_count=Count("tagged_items", distinct=True)
    )
    assert {article.points for article in counts} == {3}
    assert {article.topic_count for article in counts} <= {3, 4, 5, 6}
    assert all(article.authors.exists() for article in bench_articles()[:20])


def test_a_few_hot_topics_carry_a_large_share():
    seed()
    counts = sorted(
        (topic.published_count for topic in Topic.objects.with_published_counts()), reverse=True
    )
    assert counts[0] > 0.4 * 186
    assert sum(counts[:5]) > 3 * sum(counts[-5:])
    names = Topic.objects.values_list("name_key", flat=True)
    assert len(set(names)) == TOPICS


def test_bodies_are_markdown_sections_rendered_ahead():
    seed()
    for article in bench_articles()[:25]:
        assert article.body.startswith("## ")
        assert "\n- " in article.body
        assert 600 < len(article.body.split()) < 1100
        assert article.body_html == render_markdown(article.body)


def test_the_same_seed_gives_the_same_archive():
    seed("--seed", "7")
    first = digest()
    output = seed("--seed", "7")
    assert "Removed 200 articles and 40 topics of an earlier run." in output
    assert bench_articles().count() == ARTICLES
    assert digest() == first
    seed("--seed", "8")
    assert digest() != first


def test_refuses_a_database_with_other_content():
    make_article("Real analysis")
    with pytest.raises(CommandError, match=r"holds 1 articles and 0 topics .* --force"):
        seed()
    assert not bench_articles().exists()


def test_refuses_other_topics_too_and_proceeds_with_force():
    make_topic("Real topic")
    real = make_article("Real analysis")
    with pytest.raises(CommandError, match="refusing"):
        seed()
    assert "Seeded 200 articles" in seed("--force")
    assert Topic.objects.filter(name="Real topic").exists()
    assert Article.objects.filter(pk=real.pk).exists()


def test_search_finds_seeded_articles(client):
    seed()
    article = Article.objects.published().filter(slug__startswith="bench-").first()
    assert article in search_articles(article.headline)
    draft = bench_articles().filter(status=Article.Status.DRAFT).first()
    assert draft not in search_articles(draft.headline)
    response = client.get(reverse("search"), {"q": "India"})
    assert response.status_code == 200
    assert len(response.context["results"]) == 20


def index_snapshot():
    """The stored index; on PostgreSQL each lexeme's weights, as the order of an article's topic
    names (which `index_article` leaves to the query plan) moves positions but not results."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT rowid, * FROM {FTS_TABLE} ORDER BY rowid")
            return cursor.fetchall()
        cursor.execute("SELECT id, search_vector::text FROM articles_article ORDER BY id")
        return [
            (pk, sorted((lexeme, sorted(re.sub(r"\d", "", p) for p in positions.split(",")))
                        for lexeme, positions in LEXEME.findall(vector)))
            for pk, vector in cursor.fetchall()
        ]  # fmt: skip


def search_snapshot():
    queries = ["India", "sanctions", "S-400", "kharif", "official", "Russia", "Ports"]
    results = {query: list(search_articles(query).values_list("pk", "rank")) for query in queries}
    results["two words"] = sorted(search_articles("rouble tankers").values_list("pk", flat=True))
    return results


def test_bulk_index_gives_the_results_of_indexing_each_article():
    make_article("Unadorned piece")  # no key points, no topics
    make_article("Tagged piece", topics=[make_topic("Ports")], key_points=["B point", "A point"])
    seed("--force")
    ids = list(Article.objects.values_list("pk", flat=True))
    index_articles_in_bulk(ids)
    bulk_index, bulk_results = index_snapshot(), search_snapshot()
    assert len(bulk_index) >= len(ids)
    assert all(row[1] for row in bulk_index)
    assert all(bulk_results.values())
    for article_id in ids:
        index_article(article_id)
    assert index_snapshot() == bulk_index
    assert search_snapshot() == bulk_results
