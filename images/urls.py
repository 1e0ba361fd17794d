from django.urls import re_path

from images.views import serve_rendition

app_name = "images"

urlpatterns = [
    re_path(
        r"^renditions/(?P<image_id>[0-9]+)/(?P<name>[a-z0-9-]+\.[0-9a-f]{16}\.(?:avif|webp|jpg))$",
        serve_rendition,
        name="rendition",
    ),
]
