from django.urls import path

from people.feeds import AuthorFeed
from people.views import AuthorDetailView

app_name = "people"

urlpatterns = [
    path("<slug:slug>/", AuthorDetailView.as_view(), name="author"),
    path("<slug:slug>/feed/", AuthorFeed.as_view(), name="feed"),
]
