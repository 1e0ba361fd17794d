from django.urls import path

from coverage_site.page_cache import public_page
from people.feeds import AuthorFeed
from people.views import AuthorDetailView

app_name = "people"

urlpatterns = [
    path("<slug:slug>/", AuthorDetailView.as_view(), name="author"),
    path("<slug:slug>/feed/", public_page(AuthorFeed()), name="feed"),
]
