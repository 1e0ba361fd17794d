"""Feeds, sitemaps and robots.txt: the URLs machines read."""

urlpatterns = []
