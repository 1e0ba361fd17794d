"""An article as readers would see it, built from an unsaved change form; nothing is saved."""

import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.markdown import render_markdown
from articles.models import Article, KeyPoint, Source
from desk.article_form import SLUG_FALLBACK, article_slug
from images.models import Image
from topics.models import Topic

MAX_ROWS = 100  # an inline posted with a larger count is read up to here
is_web_link = URLValidator(schemes=["http", "https"])


class _Listed:
    """Stands in for a related manager: `.all()` returns the given objects."""

    def __init__(self, items):
        self.items = list(items)

    def all(self):
        return self.items


class PreviewArticle:
    """An unsaved copy of the article with the form's values; looks like an Article to the
    public template (topics and byline come from the form, not the database)."""

    def __init__(self, article, topics, authors):
        self._article = article
        self.topics = _Listed(topics)
        self.authors = _Listed(authors)

    def __getattr__(self, name):
        return getattr(self._article, name)

    # The article's own properties, reading this copy's topics and byline.
    sorted_topics = Article.sorted_topics
    byline_names = Article.byline_names
    byline = Article.byline
    kicker = Article.kicker


def _ids(values):
    return [int(value) for value in values if value.isdigit()][:MAX_ROWS]


def _rows(data, prefix, fields):
    """The posted rows of an inline, minus empty and deleted ones."""
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for index in range(count):
        row = {field: data.get(f"{prefix}-{index}-{field}", "").strip() for field in fields}
        if data.get(f"{prefix}-{index}-DELETE") or not any(row.values()):
            continue
        try:
            row["position"] = int(row.get("position") or 0)
        except ValueError:
            row["position"] = 0
        rows.append((row["position"], index, row))
    return [row for _, _, row in sorted(rows, key=lambda item: item[:2])]


def _web_link(url):
    try:
        is_web_link(url)
    except ValidationError:
        return ""
    return url


def build(data, article, user):
    """(preview article, page parts) from the posted form `data`, for `article` (None: new)."""
    draft = copy.copy(article) if article else Article(status=Article.Status.DRAFT)
    draft.headline = data.get("headline", "").strip() or "(No headline yet)"
    draft.standfirst = data.get("standfirst", "").strip()
    draft.body = data.get("body", "")
    draft.body_html = render_markdown(draft.body)
    draft.slug = draft.slug or article_slug(draft.headline) or SLUG_FALLBACK
    draft.lead_image_caption = data.get("lead_image_caption", "").strip()
    draft.lead_image = Image.objects.filter(pk__in=_ids([data.get("lead_image", "")])).first()
    draft.kicker_topic = Topic.objects.filter(pk__in=_ids([data.get("kicker_topic", "")])).first()
    topics = Topic.objects.filter(pk__in=_ids(data.getlist("topics")))
    authors = list(get_user_model().objects.filter(pk__in=_ids(data.getlist("authors"))))
    preview = PreviewArticle(draft, topics, authors or [user])
    parts = article.page_parts() if article else {"corrections": []}
    parts["key_points"] = [
        KeyPoint(text=row["text"], position=row["position"])
        for row in _rows(data, "key_points", ["position", "text"])
        if row["text"]
    ]
    parts["sources"] = [
        Source(
            publication=row["publication"] or row["title"],
            title=row["title"] if row["publication"] else "",
            url=_web_link(row["url"]),
        )
        for row in _rows(data, "sources", ["position", "publication", "title", "url"])
        if row["publication"] or row["title"]
    ]
    related = Article.objects.published()
    if article:
        related = related.exclude(pk=article.pk)
    topic_ids = [topic.pk for topic in preview.topics.all()]
    parts["related_articles"] = (
        related.sharing_topics_with(_WithTopics(topic_ids)) if topic_ids else []
    )
    return preview, parts


class _WithTopics:
    """What `sharing_topics_with()` reads from an article: its pk and its topics."""

    pk = None

    def __init__(self, topic_ids):
        self.topics = _Listed(Topic(pk=pk) for pk in topic_ids)
