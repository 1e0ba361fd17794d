from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, ListView

from articles import workflow
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
    """A public article with its key points, body, topics, sources and related articles.

    Staff who may work on an article that is not public yet see it too, as a preview.
    """

    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.request.user.is_staff:
                raise
        article = super().get_object(Article.objects.for_detail())
        if not workflow.can_preview(self.request.user, article):
            raise Http404("No article found matching the query")
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published()
        context["related_articles"] = Article.objects.published().sharing_topics_with(self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
