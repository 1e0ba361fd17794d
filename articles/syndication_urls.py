"""Feeds, sitemaps and robots.txt: the URLs machines read."""

from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from articles.feeds import LatestArticlesFeed, TopicFeed
from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS
from coverage_site.page_cache import public_page

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
    return sitemap(request, **kwargs)


urlpatterns = [
    # GET and HEAD only: TRACE, POST and the rest answer 405.
    path("feed/", public_page(require_safe(LatestArticlesFeed())), name="feed"),
    path("topics/<slug:slug>/feed/", public_page(require_safe(TopicFeed())), name="topic_feed"),
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
