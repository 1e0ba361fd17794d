"""Full-text search over public articles: PostgreSQL's own search, or SQLite's FTS5.

Both rank a headline match above a standfirst, key point or topic-name match, and those above a
body match. The index is kept up to date by signals whenever an article, one of its key points,
its topics or a topic's name changes (see `articles/signals.py`).
"""

import json
import re
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article

MAX_QUERY_LENGTH = 500
SEARCH_CONFIG = "english"
FTS_TABLE = "articles_search"
# Column weights for SQLite's bm25(): headline, standfirst, key points, topics, body.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 4.0, 1.0)

WORD = re.compile(r"\w+", re.UNICODE)


class QueryTooLong(ValueError):
    """The search terms are longer than anyone types."""


def clean_query(raw):
    """The query without control characters and surrounding space; refuse absurd lengths."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable()).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"Search terms are limited to {MAX_QUERY_LENGTH} characters.")
    return text


def search_terms(query):
    """The words of a query, as the highlighter and SQLite look for them."""
    return WORD.findall(query)


def matching(queryset, query):
    """`queryset` narrowed to articles whose index matches `query` (any status), unranked."""
    if not search_terms(query):
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.filter(
            search_vector=SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        )
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in search_terms(query))
    return queryset.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    )


def search_articles(query):
    """Public articles matching `query`, best match first (then newest), as a queryset.

    Every match is ranked; `SearchResults` is what the search page uses at scale.
    """
    public = Article.objects.published()
    if not search_terms(query):
        return public.none()
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            public.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "-pk")
        )
    return _sqlite_search(public, query)


def fts_match(query):
    # Every word is quoted, so FTS5 operators and punctuation in the input are just text.
    return " ".join('"{}"'.format(term.replace('"', '""')) for term in search_terms(query))


def _sqlite_search(public, query):
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    # One join with the FTS5 table, so bm25() is worked out once per match. The ORM has no
    # join to a virtual table without a model, hence extra(); the values are parameters.
    return public.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = articles_article.id", f"{FTS_TABLE} MATCH %s"],
        params=[fts_match(query)],
        select={"rank": f"bm25({FTS_TABLE}, {weights})"},
    ).order_by("rank", "-published_at", "-pk")  # bm25() is lower for better matches


# The search page pages through at most this many matches (50 pages of 20).
RESULT_LIMIT = 1000
# Only the newest this many matches are ranked: a word in two thirds of 100,000 articles would
# otherwise rank 66,000 of them (2.6 s on SQLite, 1.3 s on PostgreSQL) to show twenty. A reader
# of a news site expects the best of the recent coverage first; a rarer word is ranked in full.
RANKED_MATCHES = 2000

# SQLite: the newest matches are the highest rowids (article ids grow as articles are written),
# which FTS5 walks backwards without scoring; then bm25() scores only the rows from there on.
_NEWEST_MATCH_SQLITE = f"""
SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s
"""
_RANKED_SQLITE = f"""
SELECT a.id FROM {FTS_TABLE} JOIN articles_article a ON a.id = {FTS_TABLE}.rowid
WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid >= %s AND a.status = %s AND a.published_at <= %s
ORDER BY bm25({FTS_TABLE}, {", ".join(str(weight) for weight in FTS_WEIGHTS)}),
    a.published_at DESC, a.id DESC
LIMIT %s
"""
# PostgreSQL: how many rows the planner expects a query to match, from the index's statistics.
_ESTIMATE_POSTGRES = """
EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_article
WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
"""
# A word this common is found among the newest articles at once: walk them newest first and
# test each (a bitmap of 60,000 matches would cost more than reading 3,000 rows).
COMMON_WORD_MATCHES = 30_000
_RANKED_POSTGRES_COMMON = """
WITH newest AS (
    SELECT id FROM articles_article
    WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
      AND status = %(status)s AND published_at <= %(now)s
    ORDER BY published_at DESC, id DESC LIMIT %(ranked)s
)
SELECT a.id FROM articles_article a JOIN newest USING (id)
ORDER BY ts_rank(a.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(query)s)) DESC,
    a.published_at DESC, a.id DESC
LIMIT %(limit)s
"""
# Rarer words: the index finds every match, and only the newest are ranked.
_RANKED_POSTGRES = """
WITH matches AS MATERIALIZED (
    SELECT id, published_at FROM articles_article
    WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
      AND status = %(status)s AND published_at <= %(now)s
), newest AS (
    SELECT id FROM matches ORDER BY published_at DESC, id DESC LIMIT %(ranked)s
)
SELECT a.id FROM articles_article a JOIN newest USING (id)
ORDER BY ts_rank(a.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(query)s)) DESC,
    a.published_at DESC, a.id DESC
LIMIT %(limit)s
"""


class SearchResults:
    """The public articles matching a query, best first, as the search page pages them.

    One query finds the ids of the best `RESULT_LIMIT` of the newest `RANKED_MATCHES` matches
    (ranked by the database's own ranking: bm25 on SQLite, ts_rank on PostgreSQL); each page
    then loads only its own articles. `count()` is exact up to the limit; `more_than_limit` says the
    query matched more.
    """

    def __init__(self, query):
        self.query, self.limit = query, RESULT_LIMIT
        self.ids = self.ranked_ids() if search_terms(query) else []
        self.more_than_limit = len(self.ids) > self.limit
        del self.ids[self.limit :]

    def ranked_ids(self):
        from django.utils import timezone

        now, limit = timezone.now(), self.limit + 1
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                values = {
                    "config": SEARCH_CONFIG,
                    "query": self.query,
                    "status": Article.Status.PUBLISHED,
                    "now": now,
                    "ranked": RANKED_MATCHES,
                    "limit": limit,
                }
                cursor.execute(_ESTIMATE_POSTGRES, values)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                common = plan[0]["Plan"]["Plan Rows"] >= COMMON_WORD_MATCHES
                cursor.execute(_RANKED_POSTGRES_COMMON if common else _RANKED_POSTGRES, values)
            else:
                match = fts_match(self.query)
                cursor.execute(_NEWEST_MATCH_SQLITE, [match, RANKED_MATCHES - 1])
                oldest_ranked = cursor.fetchone()
                lowest_id = oldest_ranked[0] if oldest_ranked else 0
                cursor.execute(
                    _RANKED_SQLITE, [match, lowest_id, Article.Status.PUBLISHED, now, limit]
                )
            return [row[0] for row in cursor.fetchall()]

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        found = Article.objects.for_listing("body_html").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def index_article(article_id, article_model=Article):
    """Write one article's search entry from its current headline, key points, topics, body.

    Migrations pass their historical `article_model`.
    """
    fields = ["headline", "standfirst", "body"]
    article = article_model.objects.filter(pk=article_id).only(*fields).first()
    if article is None:
        return unindex_article(article_id)
    key_points = " ".join(article.key_points.values_list("text", flat=True))
    topics = " ".join(article.tagged_items.order_by("tag_id").values_list("tag__name", flat=True))
    if connection.vendor == "postgresql":
        article_model.objects.filter(pk=article_id).update(
            search_vector=SearchVector(Value(article.headline), weight="A", config=SEARCH_CONFIG)
            + SearchVector(
                Value(f"{article.standfirst} {key_points} {topics}"),
                weight="B",
                config=SEARCH_CONFIG,
            )
            + SearchVector(Value(article.body), weight="C", config=SEARCH_CONFIG)
        )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, key_points, topics, body)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    article_id,
                    article.headline,
                    article.standfirst,
                    key_points,
                    topics,
                    article.body,
                ],
            )


def unindex_article(article_id):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])


SNIPPET_LENGTH = 220


def body_snippet(article, terms):
    """A short passage of the body around the first searched word, marked; None if none."""
    text = " ".join(unescape(strip_tags(article.body_html)).split())
    wanted = [term.casefold() for term in terms if term]
    for match in WORD.finditer(text):
        folded = match.group().casefold()
        if any(folded == term or (len(term) >= 3 and folded.startswith(term)) for term in wanted):
            start = max(0, match.start() - SNIPPET_LENGTH // 3)
            start = text.rfind(" ", 0, start) + 1 if start else 0
            passage = text[start : start + SNIPPET_LENGTH]
            if start + SNIPPET_LENGTH < len(text):
                passage = passage[: passage.rfind(" ")] + " …"
            return highlight(("… " if start else "") + passage, terms)
    return None


def highlight(text, terms):
    """`text` escaped, with words that start with a search term wrapped in <mark>."""
    wanted = [term.casefold() for term in terms if term]
    pieces = []
    position = 0
    for match in WORD.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        word = match.group()
        folded = word.casefold()
        if any(folded == term or (len(term) >= 3 and folded.startswith(term)) for term in wanted):
            pieces.append(f"<mark>{escape(word)}</mark>")
        else:
            pieces.append(escape(word))
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


BULK_INDEX_BATCH = 500
# The text `index_article` indexes: key points in position order, topic names in the order its
# query reads them from the (article, topic) index; each joined by spaces. SQLite 3.40 has no
# ORDER BY inside group_concat(), so it aggregates an ordered subquery.
_KEY_POINTS_SQL = (
    "SELECT k.text FROM articles_keypoint k WHERE k.article_id = a.id ORDER BY k.position, k.id"
)
_TOPICS_SQL = (
    "SELECT t.name FROM articles_taggedarticle ta JOIN topics_topic t ON t.id = ta.tag_id "
    "WHERE ta.content_object_id = a.id ORDER BY ta.tag_id"
)
_BULK_INDEX_POSTGRESQL = """
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.headline, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.standfirst || ' ' || COALESCE((
        SELECT string_agg(k.text, ' ' ORDER BY k.position, k.id) FROM articles_keypoint k
        WHERE k.article_id = a.id), '') || ' ' || COALESCE((
        SELECT string_agg(t.name, ' ' ORDER BY ta.tag_id) FROM articles_taggedarticle ta
        JOIN topics_topic t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), ''), '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.body, '')), 'C')
WHERE a.id = ANY(%(ids)s)
"""
_BULK_INDEX_SQLITE = f"""
INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, key_points, topics, body)
SELECT a.id, a.headline, a.standfirst,
    COALESCE((SELECT group_concat(text, ' ') FROM ({_KEY_POINTS_SQL})), ''),
    COALESCE((SELECT group_concat(name, ' ') FROM ({_TOPICS_SQL})), ''),
    a.body
FROM articles_article a WHERE a.id IN ({{marks}})
"""


def index_articles_in_bulk(article_ids):
    """Index many articles, as `index_article` does each one, in one or two statements a batch."""
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), BULK_INDEX_BATCH):
        batch = article_ids[start : start + BULK_INDEX_BATCH]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(_BULK_INDEX_POSTGRESQL, {"config": SEARCH_CONFIG, "ids": batch})
            elif connection.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)
                cursor.execute(_BULK_INDEX_SQLITE.format(marks=marks), batch)
