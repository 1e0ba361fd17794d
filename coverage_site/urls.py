from django.contrib import admin
from django.urls import include, path

from articles.views import HomeView

admin.site.site_header = "Coverage newsroom"
admin.site.site_title = "Coverage newsroom"
admin.site.index_title = "Articles and topics"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("articles.syndication_urls")),
    path("articles/", include("articles.urls")),
    path("topics/", include("topics.urls")),
    path("admin/", admin.site.urls),
]
