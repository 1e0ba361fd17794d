from django.views.generic import DetailView, ListView

from articles.models import Article
from topics.models import Topic

HOME_ARTICLE_COUNT = 20
HOME_TOPIC_COUNT = 12


class HomeView(ListView):
    """The newest public articles and the topics with the most coverage."""

    template_name = "home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()[:HOME_ARTICLE_COUNT]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topics"] = Topic.objects.with_published_articles().order_by(
            "-published_count", "name"
        )[:HOME_TOPIC_COUNT]
        return context


class ArticleDetailView(DetailView):
    """A public article with its key points, body, topics, sources and related articles."""

    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_articles"] = Article.objects.published().sharing_topics_with(self.object)
        return context
