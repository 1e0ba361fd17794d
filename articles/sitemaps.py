"""Sitemaps of public pages, and a Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, published_condition
from coverage_site.text import strip_control_characters
from topics.models import Topic

NEWS_WINDOW = timedelta(hours=48)


class ArticleSitemap(Sitemap):
    """Every public article, last modified when it was last saved."""

    def items(self):
        return Article.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class TopicSitemap(Sitemap):
    """Topics with at least one public article, last modified at their newest one."""

    def items(self):
        public = published_condition(prefix="tagged_articles__content_object__")
        newest = Max("tagged_articles__content_object__published_at", filter=public)
        return (
            Topic.objects.public()
            .annotate(newest_published_at=newest)
            .order_by("name", "pk")
            .only("slug")
        )

    def lastmod(self, item):
        return item.newest_published_at


class StaticSitemap(Sitemap):
    """The home page and the topics index."""

    changefreq = "hourly"

    def items(self):
        return ["home", "topics:index"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    """Articles published in the last 48 hours, with their Google News fields."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .newest_first()
            .only("slug", "headline", "published_at", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_urls(self, *args, **kwargs):
        """Attach each entry's Google News fields for the template."""
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["news"] = {
                "publication_name": settings.SITE_NAME,
                "language": "en",
                "publication_date": url["item"].published_at,
                "title": strip_control_characters(url["item"].headline),
            }
        return urls


SITEMAPS = {"static": StaticSitemap, "articles": ArticleSitemap, "topics": TopicSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}
