from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from articles.models import Article
from topics.models import Topic


class TopicIndexView(TemplateView):
    """Every topic with public articles, grouped by kind, with counts."""

    template_name = "topics/topic_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topic_groups"] = Topic.objects.with_published_articles().grouped_by_kind()
        return context


class TopicDetailView(ListView):
    """A topic's description and its public articles, newest first, 20 a page."""

    template_name = "topics/topic_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return (
            Article.objects.published()
            .filter(tagged_items__tag=self.topic)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)
