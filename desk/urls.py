from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("articles/new/autosave/", views.autosave, name="autosave_new"),
    path("articles/<int:article_id>/autosave/", views.autosave, name="autosave"),
    path("articles/new/autosave/discard/", views.discard, name="discard_new"),
    path("articles/<int:article_id>/autosave/discard/", views.discard, name="discard"),
    path("articles/new/preview/", views.preview, name="preview_new"),
    path("articles/<int:article_id>/preview/", views.preview, name="preview"),
    path("authors/", views.authors, name="authors"),
]
