"""Feeds, sitemaps and robots.txt: the URLs machines read."""

from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from articles import cache_keys
from articles.feeds import LatestArticlesFeed, TopicFeed
from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS
from coverage_site.page_cache import depends_on, public_page

# Django's stock sitemap.xml needs django.contrib.sitemaps in INSTALLED_APPS; this one renders
# plain entries too, with full lastmod times, and adds Google News fields where an entry has them.
SITEMAP_TEMPLATE = "sitemaps/news.xml"
ROBOTS_DISALLOW = ["/admin/", "/search/", "/preview/"]


@public_page
@require_safe
def robots_txt(request):
    """Keep crawlers out of the newsroom, search and previews; point them at the sitemaps."""
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW), ""]
    lines += [
        f"Sitemap: {request.build_absolute_uri(reverse(name))}"
        for name in ("sitemap", "news_sitemap")
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@public_page
@require_safe
def public_sitemap(request, **kwargs):
    """A sitemap (`?p=N` pages one of over 50,000 addresses), naming what it lists."""
    response = sitemap(request, **kwargs)
    if kwargs["sitemaps"] is NEWS_SITEMAPS:
        articles = [url["item"] for url in response.context_data["urlset"]]
        depends_on(request, cache_keys.news_sitemap_keys(articles))
    else:
        depends_on(request, cache_keys.sitemap_keys())
    return response


public_sitemap.cache_query_params = ("p",)

urlpatterns = [
    # GET and HEAD only: TRACE, POST and the rest answer 405 (Feed.as_view).
    path("feed/", LatestArticlesFeed.as_view(), name="feed"),
    path("topics/<slug:slug>/feed/", TopicFeed.as_view(), name="topic_feed"),
    path(
        "sitemap.xml",
        public_sitemap,
        {"sitemaps": SITEMAPS, "template_name": SITEMAP_TEMPLATE},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        public_sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": SITEMAP_TEMPLATE},
        name="news_sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
]
