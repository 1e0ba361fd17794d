from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.views import ArticlePreviewView, HomeView, SearchView
from coverage_site.bench_floor import floor_view
from coverage_site.health import healthz

admin.site.site_header = "Coverage newsroom"
admin.site.site_title = "Coverage newsroom"
admin.site.index_title = "Articles and topics"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.syndication_urls")),
    path("articles/", include("articles.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("preview/articles/<slug:slug>/", ArticlePreviewView.as_view(), name="preview"),
    path("topics/", include("topics.urls")),
    path("authors/", include("people.urls")),
    path("admin/desk/", include("desk.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler500 = "coverage_site.health.server_error"
handler404 = "coverage_site.security.page_not_found"

# Renditions from MEDIA_ROOT, unless a proxy or object storage serves them.
if settings.SERVE_MEDIA:
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/"), include("images.urls")))

# The benchmark's floor page, only in the gunicorn that `make bench` starts.
if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor/", floor_view))
