from django.urls import path, re_path

from topics import views

app_name = "topics"

urlpatterns = [
    path("", views.TopicIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
    re_path(
        r"^(?P<slugs>[-\w]+(?:\+[-\w]+)+)/$",
        views.CombinedTopicView.as_view(),
        name="combined",
    ),
]
