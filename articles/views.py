from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from articles import workflow
from articles.models import Article
from articles.search import QueryTooLong, clean_query, highlight, search_articles, search_terms
from coverage_site.metadata import (
    json_ld_script,
    news_article_json_ld,
    page_metadata,
    website_json_ld,
)
from coverage_site.page_cache import cached_fragment
from topics.models import Topic

HOME_ARTICLE_COUNT = 20
HOME_TOPIC_COUNT = 12


class HomeView(ListView):
    """The newest public articles and the topics with the most coverage."""

    template_name = "home.html"
    context_object_name = "articles"
    public_page = True

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()[:HOME_ARTICLE_COUNT]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topics"] = cached_fragment(
            "most-covered-topics",
            lambda: list(
                Topic.objects.with_published_articles().order_by("-published_count", "name")[
                    :HOME_TOPIC_COUNT
                ]
            ),
        )
        context["meta"] = page_metadata(
            self.request,
            title="Coverage — geopolitical analysis",
            description="Analysis of geopolitics, followed by relationships, systems, "
            "doctrines and events.",
            json_ld=json_ld_script(website_json_ld(self.request)),
        )
        return context


class ArticleDetailView(DetailView):
    """A public article with its key points, body, topics, sources and related articles.

    Staff who may work on an article that is not public yet see it too, as a preview.
    """

    context_object_name = "article"
    public_page = True

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.request.user.is_staff:
                raise
        return self.get_preview_object()

    def get_preview_object(self):
        article = super().get_object(Article.objects.for_detail())
        if not workflow.can_preview(self.request.user, article):
            raise Http404("No article found matching the query")
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["is_preview"] = not article.is_published()
        context.update(article.page_parts())
        context["related_articles"] = Article.objects.published().sharing_topics_with(article)
        context["meta"] = page_metadata(
            self.request,
            title=f"{article.headline} — Coverage",
            description=article.standfirst,
            path=article.get_absolute_url(),
            og_type="article",
            og_title=article.headline,
            robots="noindex" if context["is_preview"] else None,
            json_ld=None
            if context["is_preview"]
            else json_ld_script(news_article_json_ld(self.request, article)),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class ArticlePreviewView(ArticleDetailView):
    """/preview/articles/<slug>/: the staff-only address of any article, public or not."""

    public_page = False

    def get_object(self, queryset=None):
        if not self.request.user.is_staff:
            raise Http404("No article found matching the query")
        return self.get_preview_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["meta"].update(robots="noindex", json_ld=None)
        return context


class SearchView(ListView):
    """Public articles matching `?q=`, best match first, 20 a page, matches highlighted."""

    template_name = "search.html"
    context_object_name = "results"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        try:
            self.query = clean_query(request.GET.get("q", ""))
        except QueryTooLong as error:
            context = {"query": "", "error": str(error), "meta": self.metadata()}
            response = render(request, self.template_name, context, status=400)
        else:
            response = super().get(request, *args, **kwargs)
        # What a reader searched for is theirs: no browser or proxy keeps it.
        add_never_cache_headers(response)
        return response

    def get_queryset(self):
        return search_articles(self.query).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms = search_terms(self.query)
        for article in context["results"]:
            article.highlighted_headline = highlight(article.headline, terms)
            article.highlighted_standfirst = highlight(article.standfirst, terms)
        context["query"] = self.query
        context["page_query"] = urlencode({"q": self.query}) if self.query else ""
        context["meta"] = self.metadata()
        return context

    def metadata(self):
        return page_metadata(
            self.request,
            title="Search — Coverage",
            description="Search the coverage.",
            path=reverse("search"),
            robots="noindex",
        )
