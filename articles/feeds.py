"""Atom feeds of public articles: the whole site and one topic.

Atom (`Atom1Feed`) rather than RSS 2.0, because Atom carries an entry's updated time, its
authors and its categories natively; RSS 2.0 has no element for the updated time.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.views.decorators.http import require_safe

from articles import cache_keys
from articles.models import Article
from coverage_site.page_cache import depends_on
from coverage_site.text import strip_control_characters as xml_text
from images.models import Rendition
from topics.models import Topic

FEED_LENGTH = 20
ENCLOSURE_WIDTH = 1280


def feed_articles(queryset):
    """The newest public articles of `queryset`, with their topics and byline in two queries."""
    authors = get_user_model().objects.order_by("last_name", "pk")
    return (
        queryset.published()
        .defer("body", "body_html")
        .select_related("lead_image")
        .prefetch_related("topics", Prefetch("authors", queryset=authors))
        .prefetch_related(
            Prefetch(
                "lead_image__renditions",
                queryset=Rendition.objects.filter(shape="wide", format="jpeg"),
            )
        )
        .newest_first()[:FEED_LENGTH]
    )


class LatestArticlesFeed(Feed):
    """The newest public articles across the site."""

    feed_type = Atom1Feed
    link = "/"

    @classmethod
    def as_view(cls):
        """A view that builds a feed per request, so the feed can name what it shows."""

        @require_safe
        def view(request, *args, **kwargs):
            feed = cls()
            feed.request = request
            return feed(request, *args, **kwargs)

        view.public_page = True
        return view

    def title(self):
        return f"{settings.SITE_NAME} — latest analysis"

    def subtitle(self):
        return f"The newest analysis and explainers from {settings.SITE_NAME}."

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        articles = list(feed_articles(Article.objects.all()))
        depends_on(self.request, cache_keys.feed_keys(articles))
        return articles

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

    def item_enclosures(self, item):
        """The lead image, linked with rel="enclosure" (type and length included)."""
        rendition = item.lead_image and item.lead_image.rendition("wide", "jpeg", ENCLOSURE_WIDTH)
        if not rendition:
            return []
        url = self.request.build_absolute_uri(rendition.url)
        return [Enclosure(url, str(rendition.size), rendition.mime_type)]


class TopicFeed(LatestArticlesFeed):
    """The newest public articles on one topic; an old address of the topic redirects."""

    @classmethod
    def as_view(cls):
        feed_view = super().as_view()

        @require_safe
        def view(request, slug):
            try:
                return feed_view(request, slug=slug)
            except Http404:
                moved = Topic.objects.public().moved_from(slug)
                if moved is None:
                    raise
                return redirect(reverse("topic_feed", kwargs={"slug": moved.slug}), permanent=True)

        view.public_page = True
        return view

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
        articles = list(feed_articles(Article.objects.filter(tagged_items__tag=obj)))
        depends_on(self.request, cache_keys.feed_keys(articles, topic=obj))
        return articles
