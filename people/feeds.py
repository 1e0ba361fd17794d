from django.conf import settings

from articles.cache_keys import author_feed_keys
from articles.feeds import LatestArticlesFeed, feed_articles
from articles.models import Article
from coverage_site.page_cache import depends_on
from people.views import public_profile


class AuthorFeed(LatestArticlesFeed):
    """The newest public articles by one author."""

    def get_object(self, request, slug):
        return public_profile(slug)

    def title(self, obj):
        return f"{settings.SITE_NAME} — {obj.display_name}"

    def subtitle(self, obj):
        return f"The newest analysis by {obj.display_name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        articles = list(feed_articles(Article.objects.filter(authors=obj.user)))
        depends_on(self.request, author_feed_keys(obj, articles))
        return articles
