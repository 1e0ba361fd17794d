"""Full-text search over public articles: PostgreSQL's own search, or SQLite's FTS5.

Both rank a headline match above a standfirst, key point or topic-name match, and those above a
body match. The index is kept up to date by signals whenever an article, one of its key points,
its topics, a topic's name or a topic's aliases change (see `articles/signals.py`).

A query is a list of parts that must all match: a word, a term such as "S-400" (a phrase of its
words) or a "quoted phrase". A part, or a run of parts, that folds to a topic's name or alias
(`fold_topic_name`: "S400", "S 400", "s-400" and "Ѕ-400" are one name) also matches the articles
tagged with that topic: each article's index holds its topics' folded names and aliases, so this
costs no query to look topics up, and only topics of public articles can ever match.
"""

import functools
import json
import re
from dataclasses import dataclass
from html import unescape

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article
from topics.lookalikes import fold_topic_name

MAX_QUERY_LENGTH = 500
SEARCH_CONFIG = "english"
FTS_TABLE = "articles_search"
FTS_COLUMNS = ("headline", "standfirst", "key_points", "topics", "topic_keys", "body")
# Column weights for SQLite's bm25(): headline, standfirst, key points, topic names (and
# aliases), topics' folded names, body.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 4.0, 4.0, 1.0)

WORD = re.compile(r"\w+", re.UNICODE)
# A topic name is at most this many parts of a query ("Chennai–Vladivostok maritime corridor"),
# looked for among its first few parts: the expansion stays small whatever is typed.
TOPIC_NAME_PARTS = 4
EXPANDED_PARTS = 8


class QueryTooLong(ValueError):
    """The search terms are longer than anyone types."""


def clean_query(raw):
    """The query without control characters and surrounding space; refuse absurd lengths."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable()).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"Search terms are limited to {MAX_QUERY_LENGTH} characters.")
    return text


@dataclass(frozen=True)
class Part:
    """One thing a query asks for: a word, a term like "S-400", or a quoted phrase."""

    text: str
    quoted: bool = False

    @property
    def typed(self):
        return f'"{self.text}"' if self.quoted else self.text


def query_parts(query):
    """The parts of `query` that must all match, in order; parts without a word are dropped."""
    parts = []
    for position, piece in enumerate((query or "").split('"')):
        quoted = position % 2 == 1
        texts = [" ".join(piece.split())] if quoted else piece.split()
        parts += [Part(text, quoted) for text in texts if WORD.search(text)]
    return parts


def search_terms(query):
    """What the highlighter marks: each part of the query, a word or a phrase ("S-400")."""
    return [part.text for part in query_parts(query)]


@dataclass(frozen=True)
class TopicAlternative:
    """Parts of a query that fold to `key`, which match an article tagged with a topic of that
    name or alias, provided the `rest` of the query matches too."""

    key: str
    rest: tuple


def topic_alternatives(parts):
    """Every run of the first parts that could be a topic's name or alias, with the rest."""
    alternatives, seen = [], set()
    head = parts[:EXPANDED_PARTS]
    for start in range(len(head)):
        for stop in range(start + 1, min(start + TOPIC_NAME_PARTS, len(head)) + 1):
            run = head[start:stop]
            if len(run) == 1 and run[0].text.isascii() and run[0].text.isalpha():
                continue  # a plain word: a topic of that name is in the index as that word
            key = fold_topic_name(" ".join(part.text for part in run))
            if key and key not in seen:
                seen.add(key)
                alternatives.append(TopicAlternative(key, tuple(parts[:start] + parts[stop:])))
    return alternatives


def fts_phrase(text):
    # Quoted, so FTS5 operators and punctuation in the input are just text; "S-400" is a phrase.
    return '"{}"'.format(text.replace('"', '""'))


def fts_match(query):
    """The FTS5 query: every part, or a topic's folded name (with the other parts)."""
    parts = query_parts(query)
    every_part = " ".join(fts_phrase(part.text) for part in parts)
    expressions = [every_part]
    for alternative in topic_alternatives(parts):
        key = "topic_keys : " + fts_phrase(alternative.key)
        rest = " ".join(fts_phrase(part.text) for part in alternative.rest)
        expressions.append(f"{key} AND {rest}" if rest else key)
    if len(expressions) == 1:
        return every_part
    return " OR ".join(f"({expression})" for expression in expressions)


def tsquery_sql(query):
    """PostgreSQL's query as SQL and parameters: `websearch_to_tsquery` of the whole query, or a
    topic's folded name (indexed with the 'simple' configuration) with the other parts."""
    websearch = "websearch_to_tsquery(%s::regconfig, %s)"
    sql, params = [websearch], [SEARCH_CONFIG, query]
    for alternative in topic_alternatives(query_parts(query)):
        key = "phraseto_tsquery('simple', %s)"
        if alternative.rest:
            sql.append(f"({key} && {websearch})")
            rest = " ".join(part.typed for part in alternative.rest)
            params += [alternative.key, SEARCH_CONFIG, rest]
        else:
            sql.append(key)
            params.append(alternative.key)
    return "(" + " || ".join(sql) + ")", params


def on_the_index(tsquery):
    """`tsquery` (SQL) as an index lookup the planner cannot turn into a sequential scan.

    Seen as a constant, the query's estimate decides the plan, and a term in a tenth of the
    articles ("S-400" is the number -400, or the topic's folded name), or a word in most of them,
    made a sequential scan look cheaper than the GIN index: it tests every article's vector,
    detoasting each (`SearchResults("S-400")` at 10,000 articles: 64 ms, against 4 ms on the
    index). As a subquery (an InitPlan) it is a parameter the planner guesses rare, so the index
    is used; `SearchResults` asks for the estimate itself, once, to choose its plan.
    """
    return f"(SELECT {tsquery})"


def matching(queryset, query):
    """`queryset` narrowed to articles whose index matches `query` (any status), unranked."""
    if not search_terms(query):
        return queryset.none()
    if connection.vendor == "postgresql":
        tsquery, params = tsquery_sql(query)
        match = f"articles_article.search_vector @@ {on_the_index(tsquery)}"
        return queryset.filter(RawSQL(match, params, BooleanField()))
    return queryset.filter(
        pk__in=RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_match(query)]
        )
    )


def search_articles(query):
    """Public articles matching `query`, best match first (then newest), as a queryset.

    Every match is ranked; `SearchResults` is what the search page uses at scale.
    """
    public = Article.objects.published()
    if not search_terms(query):
        return public.none()
    if connection.vendor == "postgresql":
        tsquery, params = tsquery_sql(query)
        rank = RawSQL(f"ts_rank(articles_article.search_vector, {tsquery})", params, FloatField())
        return matching(public, query).annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
    return _sqlite_search(public, query)


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
EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_article WHERE search_vector @@ {tsquery}
"""
# A word this common is found among the newest articles at once: walk them newest first and
# test each (a bitmap of 60,000 matches would cost more than reading 3,000 rows).
COMMON_WORD_MATCHES = 30_000
_RANKED_POSTGRES_COMMON = """
WITH newest AS (
    SELECT id FROM articles_article
    WHERE search_vector @@ {tsquery} AND status = %s AND published_at <= %s
    ORDER BY published_at DESC, id DESC LIMIT %s
)
SELECT a.id FROM articles_article a JOIN newest USING (id)
ORDER BY ts_rank(a.search_vector, {tsquery}) DESC, a.published_at DESC, a.id DESC
LIMIT %s
"""
# Rarer words: the index finds every match (`on_the_index`), and only the newest are ranked.
_RANKED_POSTGRES = """
WITH matches AS MATERIALIZED (
    SELECT id, published_at FROM articles_article
    WHERE search_vector @@ {indexed_tsquery} AND status = %s AND published_at <= %s
), newest AS (
    SELECT id FROM matches ORDER BY published_at DESC, id DESC LIMIT %s
)
SELECT a.id FROM articles_article a JOIN newest USING (id)
ORDER BY ts_rank(a.search_vector, {tsquery}) DESC, a.published_at DESC, a.id DESC
LIMIT %s
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
                tsquery, params = tsquery_sql(self.query)
                cursor.execute(_ESTIMATE_POSTGRES.format(tsquery=tsquery), params)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                common = plan[0]["Plan"]["Plan Rows"] >= COMMON_WORD_MATCHES
                ranked = _RANKED_POSTGRES_COMMON if common else _RANKED_POSTGRES
                cursor.execute(
                    ranked.format(tsquery=tsquery, indexed_tsquery=on_the_index(tsquery)),
                    [*params, Article.Status.PUBLISHED, now, RANKED_MATCHES, *params, limit],
                )
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

    The same statements as `index_articles_in_bulk`, for one article. Migrations pass their
    historical `article_model`, which the SQL does not need.
    """
    if not article_model.objects.filter(pk=article_id).exists():
        return unindex_article(article_id)
    index_articles_in_bulk([article_id])


def unindex_article(article_id):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])


SNIPPET_LENGTH = 220
# Words of one marked run are separated by at most this: a space, a hyphen or dash, ", ".
JOINER = re.compile(r"\W{1,3}")
TOPIC_NAME_WORDS = 6


def topic_keys_in(query):
    """The folded topic names `query` may stand for (its runs of parts, folded)."""
    return {alternative.key for alternative in topic_alternatives(query_parts(query))}


def matched_topic_keys(article, wanted):
    """Of the folded topic names `wanted` (`topic_keys_in(query)`), those `article` is tagged
    with: what it matched by."""
    return wanted & {topic.name_key for topic in article.topics.all()}


@functools.lru_cache(maxsize=4096)
def _folded(text):
    return fold_topic_name(text)


def _word_matches(word, term):
    # A prefix of three letters or more stands in for the stemming both databases do.
    return word == term or (len(term) >= 3 and word.startswith(term))


def marked_runs(text, terms, keys=()):
    """(start, end) of each run of `text` to mark: a term's words in a row ("S-400", a quoted
    phrase), each word as typed or lengthened; or words that fold to one of `keys`, the topics an
    article matched by ("S 400" or "S400" for S-400)."""
    phrases = {tuple(word.casefold() for word in WORD.findall(term)) for term in terms}
    phrases = sorted(phrases - {()}, key=len, reverse=True)
    words = list(WORD.finditer(text))
    folded = [word.group().casefold() for word in words]

    def joined(first, last):
        return all(
            JOINER.fullmatch(text, words[i].end(), words[i + 1].start()) for i in range(first, last)
        )

    def run_end(first):
        for phrase in phrases:
            last = first + len(phrase) - 1
            if (
                last < len(words)
                and joined(first, last)
                and all(_word_matches(folded[first + i], term) for i, term in enumerate(phrase))
            ):
                return last
        if not keys:
            return None
        start = _folded(words[first].group())
        if not start or not any(key.startswith(start) for key in keys):
            return None
        for last in range(min(first + TOPIC_NAME_WORDS, len(words)) - 1, first - 1, -1):
            if (
                joined(first, last)
                and _folded(text[words[first].start() : words[last].end()]) in keys
            ):
                return last
        return None

    # Most words start no run: two set lookups rule them out (a body can be thousands of words).
    firsts = {phrase[0] for phrase in phrases}
    short_firsts = {term for term in firsts if len(term) < 3}
    long_heads = {term[:3] for term in firsts if len(term) >= 3}
    key_heads = {key[0] for key in keys}

    def may_start(first):
        word = folded[first]
        if word in short_firsts or word[:3] in long_heads:
            return True
        head = _folded(word[0]) if key_heads else None
        return head is not None and (not head or head[0] in key_heads)

    first = 0
    while first < len(words):
        last = run_end(first) if may_start(first) else None
        if last is None:
            first += 1
        else:
            yield words[first].start(), words[last].end()
            first = last + 1


def body_snippet(article, terms, keys=()):
    """A short passage of the body around the first run `highlight` marks, marked; or None."""
    text = " ".join(unescape(strip_tags(article.body_html)).split())
    for run_start, _ in marked_runs(text, terms, keys):
        start = max(0, run_start - SNIPPET_LENGTH // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        passage = text[start : start + SNIPPET_LENGTH]
        if start + SNIPPET_LENGTH < len(text):
            passage = passage[: passage.rfind(" ")] + " …"
        return highlight(("… " if start else "") + passage, terms, keys)
    return None


def highlight(text, terms, keys=()):
    """`text` escaped, with each run that matched the search (`marked_runs`) in <mark>."""
    pieces, position = [], 0
    for start, end in marked_runs(text, terms, keys):
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


BULK_INDEX_BATCH = 500
# The text an article's entry indexes: key points in position order; its topics' names, then
# their aliases, in the order of the (article, topic) index; the folded names and aliases likewise.
# Each joined by spaces. SQLite 3.40 has no ORDER BY inside group_concat(), so it aggregates an
# ordered subquery.
_KEY_POINTS_SQL = (
    "SELECT k.text FROM articles_keypoint k WHERE k.article_id = a.id ORDER BY k.position, k.id"
)
_TOPIC_NAMES_SQL = """
SELECT t.{name} AS name, ta.tag_id AS topic, 0 AS alias
FROM articles_taggedarticle ta JOIN topics_topic t ON t.id = ta.tag_id
WHERE ta.content_object_id = a.id
UNION ALL
SELECT al.{name}, ta.tag_id, al.id
FROM articles_taggedarticle ta JOIN topics_topicalias al ON al.topic_id = ta.tag_id
WHERE ta.content_object_id = a.id
"""
_TOPICS_SQL = f"SELECT name FROM ({_TOPIC_NAMES_SQL.format(name='name')}) ORDER BY topic, alias"
_TOPIC_KEYS_SQL = (
    f"SELECT name FROM ({_TOPIC_NAMES_SQL.format(name='name_key')}) ORDER BY topic, alias"
)
_BULK_INDEX_POSTGRESQL = f"""
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.headline, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.standfirst || ' ' || COALESCE((
        SELECT string_agg(k.text, ' ' ORDER BY k.position, k.id) FROM articles_keypoint k
        WHERE k.article_id = a.id), '') || ' ' || COALESCE((
        SELECT string_agg(n.name, ' ' ORDER BY n.topic, n.alias)
        FROM ({_TOPIC_NAMES_SQL.format(name="name")}) n), ''), '')), 'B')
    || setweight(to_tsvector('simple', COALESCE((
        SELECT string_agg(n.name, ' ' ORDER BY n.topic, n.alias)
        FROM ({_TOPIC_NAMES_SQL.format(name="name_key")}) n), '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(a.body, '')), 'C')
WHERE a.id = ANY(%(ids)s)
"""
_BULK_INDEX_SQLITE = f"""
INSERT INTO {FTS_TABLE} (rowid, {", ".join(FTS_COLUMNS)})
SELECT a.id, a.headline, a.standfirst,
    COALESCE((SELECT group_concat(text, ' ') FROM ({_KEY_POINTS_SQL})), ''),
    COALESCE((SELECT group_concat(name, ' ') FROM ({_TOPICS_SQL})), ''),
    COALESCE((SELECT group_concat(name, ' ') FROM ({_TOPIC_KEYS_SQL})), ''),
    a.body
FROM articles_article a WHERE a.id IN ({{marks}})
"""


def index_articles_in_bulk(article_ids):
    """Index many articles, in one or two statements a batch."""
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


def create_fts_table(cursor):
    """SQLite: the FTS5 table the index is written to (a migration creates it)."""
    cursor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(FTS_COLUMNS)}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
