"""Atom feeds of public articles: the whole site and one topic.

Atom (`Atom1Feed`) rather than RSS 2.0, because Atom carries an entry's updated time, its
authors and its categories natively; RSS 2.0 has no element for the updated time.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article
from coverage_site.text import strip_control_characters as xml_text
from topics.models import Topic

FEED_LENGTH = 20


def feed_articles(queryset):
    """The newest public articles of `queryset`, with their topics and byline in two queries."""
    authors = get_user_model().objects.order_by("last_name", "pk")
    return (
        queryset.published()
        .defer("body", "body_html")
        .prefetch_related("topics", Prefetch("authors", queryset=authors))
        .newest_first()[:FEED_LENGTH]
    )


class LatestArticlesFeed(Feed):
    """The newest public articles across the site."""

    feed_type = Atom1Feed
    link = "/"

    def title(self):
        return f"{settings.SITE_NAME} — latest analysis"

    def subtitle(self):
        return f"The newest analysis and explainers from {settings.SITE_NAME}."

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        return feed_articles(Article.objects.all())

    def item_title(self, item):
        return xml_text(item.headline)

    def item_description(self, item):
        return escape(xml_text(item.standfirst))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return xml_text(", ".join(item.byline_names)) or None

    def item_categories(self, item):
        return [xml_text(topic.name) for topic in item.sorted_topics]


class TopicFeed(LatestArticlesFeed):
    """The newest public articles on one topic."""

    def get_object(self, request, slug):
        return Topic.objects.public().get(slug=slug)

    def title(self, obj):
        return xml_text(f"{settings.SITE_NAME} — {obj.name}")

    def subtitle(self, obj):
        return xml_text(
            obj.description or f"The newest {settings.SITE_NAME} coverage of {obj.name}."
        )

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return feed_articles(Article.objects.filter(tagged_items__tag=obj))
