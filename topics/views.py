from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import ListView, TemplateView

from articles import cache_keys
from articles.models import Article, KeyPoint
from coverage_site.metadata import collection_page_json_ld, json_ld_script, page_metadata
from coverage_site.page_cache import cached_fragment, depends_on
from coverage_site.pagination import ReversiblePaginator
from topics.models import Topic

LATEST_KEY_POINT_ARTICLES = 3
MAX_COMBINED_TOPICS = 3


class TopicIndexView(TemplateView):
    """Every topic with public articles, grouped by kind, with counts."""

    template_name = "topics/topic_index.html"
    public_page = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topic_groups"] = cached_fragment(
            self.request,
            "topics-by-kind",
            lambda: Topic.objects.with_published_articles().grouped_by_kind(),
            cache_keys.topic_index_keys,
        )
        context["meta"] = page_metadata(
            self.request,
            title=f"Topics — {settings.SITE_NAME}",
            description="Every subject we follow: relationships, countries, defence systems, "
            "doctrines and events.",
        )
        return context


class TopicArticlesMixin:
    """A paginated list of public articles with the page's canonical URL and breadcrumbs."""

    context_object_name = "articles"
    paginate_by = 20
    paginator_class = ReversiblePaginator
    public_page = True
    cache_query_params = ("page",)

    def page_path(self, path, page):
        return path if page.number == 1 else f"{path}?page={page.number}"

    def collection_metadata(self, *, name, description, path, page):
        trail = [("Home", reverse("home")), ("Topics", reverse("topics:index")), (name, path)]
        page_suffix = f" (page {page.number})" if page.number > 1 else ""
        return page_metadata(
            self.request,
            title=f"{name}{page_suffix} — {settings.SITE_NAME}",
            description=description,
            path=self.page_path(path, page),
            json_ld=json_ld_script(
                collection_page_json_ld(
                    self.request, name=name, description=description, path=path, trail=trail
                )
            ),
            robots=None if page.paginator.count else "noindex",
        )


def with_query(url, request):
    """`url` with the request's query string (a moved page keeps its ?page=N)."""
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


class TopicDetailView(TopicArticlesMixin, ListView):
    """A topic's description, context and public articles, newest first, 20 a page."""

    template_name = "topics/topic_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = Topic.objects.public().moved_from(kwargs["slug"])
            if moved is None:
                raise
            return redirect(with_query(moved.get_absolute_url(), request), permanent=True)

    def get_queryset(self):
        # Staff may open a topic that has no public article yet (a preview); readers get a 404.
        topics = Topic.objects.with_own_published_count().with_public_flag()
        if not self.request.user.is_staff:
            topics = topics.filter(is_public=True)
        self.topic = get_object_or_404(topics, slug=self.kwargs["slug"])
        return Article.objects.published().tagged_with(self.topic).for_listing().newest_first()

    def get_paginator(self, queryset, *args, **kwargs):
        """The topic's kept count, read with the topic: at 50,000 articles a COUNT would be the
        most expensive query of a deep page."""
        paginator = super().get_paginator(queryset, *args, **kwargs)
        paginator.count = self.topic.published_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topic=self.topic, **kwargs)
        topic, page = self.topic, context["page_obj"]
        depends_on(self.request, cache_keys.topic_list_keys([topic], context["articles"]))
        context["is_preview"] = not topic.is_public
        if page.number == 1:
            context.update(
                cached_fragment(
                    self.request,
                    f"topic-context:{topic.pk}",
                    lambda: self.topic_context(topic),
                    lambda value: cache_keys.topic_context_keys(topic, value),
                )
            )
        context["meta"] = self.collection_metadata(
            name=topic.name,
            description=topic.description or f"Coverage of {topic.name}.",
            path=topic.get_absolute_url(),
            page=page,
        )
        if context["is_preview"]:
            context["meta"].update(robots="noindex", json_ld=None)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    def topic_context(self, topic):
        """What the first page shows above the list; it changes only when content does."""
        public = Article.objects.published().tagged_with(topic)
        latest = list(
            public.newest_first().only("pk", "headline", "slug", "published_at")[
                :LATEST_KEY_POINT_ARTICLES
            ]
        )
        points = KeyPoint.objects.filter(article__in=latest).order_by("position", "pk")
        by_article = {article.pk: [] for article in latest}
        for point in points:
            by_article[point.article_id].append(point)
        timeline = list(public.coverage_by_month())
        busiest = max((month["count"] for month in timeline), default=0)
        for month in timeline:
            month["share"] = 5 * round(20 * month["count"] / busiest)  # a CSS class per 5%
        connections = list(Topic.objects.public().connected_to(topic))
        return {
            "latest_key_points": [
                (article, by_article[article.pk]) for article in latest if by_article[article.pk]
            ],
            "related_topics": list(Topic.objects.co_occurring_with(topic)),
            "parties": [t for t in connections if t.connection == "party"],
            "relationships": [t for t in connections if t.connection == "relationship"],
            "timeline": list(reversed(timeline)),
        }


class CombinedTopicView(TopicArticlesMixin, ListView):
    """/topics/india-russia+s-400/: public articles that carry every named topic (two or three)."""

    template_name = "topics/combined_topic.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slugs = self.kwargs["slugs"].split("+")
            if len(slugs) > MAX_COMBINED_TOPICS:
                raise
            public = Topic.objects.public()
            current = set(public.filter(slug__in=slugs).values_list("slug", flat=True))
            moved = [
                slug if slug in current else getattr(public.moved_from(slug), "slug", None)
                for slug in slugs
            ]
            if None in moved or moved == slugs or len(set(moved)) != len(moved):
                raise
            url = reverse("topics:combined", kwargs={"slugs": "+".join(moved)})
            return redirect(with_query(url, request), permanent=True)

    def get_queryset(self):
        slugs = self.kwargs["slugs"].split("+")
        if len(slugs) > MAX_COMBINED_TOPICS:
            raise Http404(f"At most {MAX_COMBINED_TOPICS} topics can be combined")
        topics = list(Topic.objects.public().filter(slug__in=slugs))
        if len(set(slugs)) != len(slugs) or len(topics) != len(slugs):
            raise Http404("Unknown or repeated topic in the address")
        order = {slug: index for index, slug in enumerate(slugs)}
        self.topics = sorted(topics, key=lambda topic: order[topic.slug])
        return Article.objects.published().tagged_with_all(self.topics).for_listing().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topics=self.topics, **kwargs)
        depends_on(self.request, cache_keys.topic_list_keys(self.topics, context["articles"]))
        names = [topic.name for topic in self.topics]
        title = " and ".join([", ".join(names[:-1]), names[-1]])
        context["title"] = title
        context["meta"] = self.collection_metadata(
            name=title,
            description=f"Coverage that is about {title} together.",
            path=self.request.path,
            page=context["page_obj"],
        )
        return context
