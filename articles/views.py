from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from articles import cache_keys, workflow
from articles.models import Article
from articles.redirects import article_moved_from
from articles.search import (
    QueryTooLong,
    SearchResults,
    body_snippet,
    clean_query,
    highlight,
    matched_topic_keys,
    search_terms,
    topic_keys_in,
)
from coverage_site.metadata import (
    json_ld_script,
    news_article_json_ld,
    page_metadata,
    social_image,
    website_json_ld,
)
from coverage_site.page_cache import cached_fragment, depends_on
from images.models import Image
from topics.models import Topic

HOME_ARTICLE_COUNT = 20
HOME_TOPIC_COUNT = 12
HOME_SECONDARY_COUNT = 3


class HomeView(ListView):
    """The newest public articles and the topics with the most coverage."""

    template_name = "home.html"
    context_object_name = "articles"
    public_page = True

    def get_queryset(self):
        # Most days no story is pinned, and the plain newest-first list is far cheaper to build.
        pinned_ids = cached_fragment(
            self.request,
            "pinned-stories",
            lambda: list(Article.objects.published().pinned_now().values_list("pk", flat=True)),
            lambda _ids: {cache_keys.PUBLIC_ARTICLES, cache_keys.SCHEDULE},
        )
        return (
            Article.objects.published()
            .lead_first(HOME_ARTICLE_COUNT, pinned_ids)
            .for_listing()[:HOME_ARTICLE_COUNT]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["articles"])
        depends_on(self.request, cache_keys.home_keys(articles))
        context["lead"] = articles[0] if articles else None
        context["secondary"] = articles[1 : 1 + HOME_SECONDARY_COUNT]
        context["rest"] = articles[1 + HOME_SECONDARY_COUNT :]
        context["topics"] = cached_fragment(
            self.request,
            "most-covered-topics",
            lambda: list(
                Topic.objects.with_published_articles().order_by("-published_count", "name")[
                    :HOME_TOPIC_COUNT
                ]
            ),
            cache_keys.most_covered_topics_keys,
        )
        context["meta"] = page_metadata(
            self.request,
            title=f"{settings.SITE_NAME} — {settings.SITE_TAGLINE}",
            description="Analysis of geopolitics, followed by relationships, systems, "
            "doctrines and events.",
            json_ld=json_ld_script(website_json_ld(self.request)),
            image=social_image(self.request, self.lead_image(context["lead"])),
        )
        return context

    def lead_image(self, lead):
        """The lead story's picture with every rendition (the list loads only the cards' shape),
        kept until the story changes (a new crop names the articles that use it)."""
        if lead is None or lead.lead_image_id is None:
            return None
        return cached_fragment(
            self.request,
            f"lead-image:{lead.pk}",
            lambda: Image.objects.with_renditions().get(pk=lead.lead_image_id),
            lambda _image: {cache_keys.article_key(lead.pk)},
        )


class ArticleDetailView(DetailView):
    """A public article with its key points, body, topics, sources and related articles.

    Staff who may work on an article that is not public yet see it too, as a preview.
    """

    context_object_name = "article"
    public_page = True

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = article_moved_from(kwargs["slug"]) if type(self).public_page else None
            if moved is None:
                raise
            return redirect(moved.get_absolute_url(), permanent=True)

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
        if context["is_preview"]:
            parts = self.parts_and_related(article)
        else:
            parts = cached_fragment(
                self.request,
                f"article-parts:v2:{article.pk}",
                lambda: self.parts_and_related(article),
                lambda value: cache_keys.article_page_keys(article, value["related_articles"]),
            )
        article.use_kept_topics_and_byline(parts["topics"], parts["authors"])
        context.update(parts)
        depends_on(self.request, cache_keys.article_page_keys(article, parts["related_articles"]))
        context["meta"] = page_metadata(
            self.request,
            title=f"{article.headline} — {settings.SITE_NAME}",
            description=article.standfirst,
            path=article.get_absolute_url(),
            og_type="article",
            og_title=article.headline,
            image=social_image(self.request, article.lead_image),
            robots="noindex" if context["is_preview"] else None,
            json_ld=None
            if context["is_preview"]
            else json_ld_script(news_article_json_ld(self.request, article)),
        )
        return context

    @staticmethod
    def parts_and_related(article):
        """Topics, byline, key points, sources, corrections and related coverage: four or five
        queries, kept (for a public article) until the article or its topics' lists change."""
        related = list(Article.objects.published().sharing_topics_with(article))
        return {
            **article.page_parts(),
            "topics": list(article.topics.all()),
            "authors": list(article.authors.all()),
            "related_articles": related,
        }

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
        return SearchResults(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms, wanted = search_terms(self.query), topic_keys_in(self.query)
        for article in context["results"]:
            keys = matched_topic_keys(article, wanted)
            article.highlighted_headline = highlight(article.headline, terms, keys)
            article.highlighted_standfirst = highlight(article.standfirst, terms, keys)
            if "<mark>" not in article.highlighted_headline + article.highlighted_standfirst:
                article.snippet = body_snippet(article, terms, keys)
        context["query"] = self.query
        context["more_than_limit"] = self.object_list.more_than_limit
        context["result_limit"] = f"{self.object_list.limit:,}"
        context["page_query"] = urlencode({"q": self.query}) if self.query else ""
        context["meta"] = self.metadata()
        return context

    def metadata(self):
        return page_metadata(
            self.request,
            title=f"Search — {settings.SITE_NAME}",
            description="Search the coverage.",
            path=reverse("search"),
            robots="noindex",
        )
