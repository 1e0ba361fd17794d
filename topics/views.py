from django.conf import settings
from django.db.models import Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.generic import ListView, TemplateView

from articles import cache_keys
from articles.models import Article
from coverage_site.metadata import (
    collection_page_json_ld,
    json_ld_script,
    page_metadata,
    timeline_json_ld,
)
from coverage_site.page_cache import cached_fragment, depends_on
from coverage_site.pagination import ReversiblePaginator
from topics.index import LETTERS, OTHER, topic_index
from topics.models import Topic

MAX_COMBINED_TOPICS = 3


class TopicIndexView(TemplateView):
    """Public topics grouped by kind, with counts, first sentences and latest headlines; an A–Z
    jump list leads to each letter's topics (`?letter=s`, 100 a page with `&page=2`)."""

    template_name = "topics/topic_index.html"
    public_page = True
    cache_query_params = ("letter", "page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.request.GET.get("letter", "").lower()
        if letter and letter not in [*LETTERS, OTHER]:
            raise Http404("A letter is one of a–z, or “other”.")
        page = self.request.GET.get("page", "1")
        if not page.isdigit() or not 0 < int(page) <= 10_000:
            raise Http404("No such page.")
        page = int(page)
        index = cached_fragment(
            self.request,
            f"topic-index:{letter or '-'}:{page}",
            lambda: topic_index(letter, page),
            lambda value: (
                cache_keys.topic_index_keys(value)
                if value
                else {cache_keys.TOPICS, cache_keys.TOPIC_COUNTS}
            ),
        )
        if index is None and (letter or page > 1):
            raise Http404("No topic there.")
        context["index"] = index
        name = "Topics" if not letter else f"Topics: {letter.upper() if letter != OTHER else '#'}"
        if page > 1:
            name += f" (page {page})"
        params = [("letter", letter), ("page", page if page > 1 else "")]
        query = urlencode([(key, value) for key, value in params if value])
        path = reverse("topics:index") + (f"?{query}" if query else "")
        context["meta"] = page_metadata(
            self.request,
            title=f"{name} — {settings.SITE_NAME}",
            description="Every subject we follow: relationships, countries, defence systems, "
            "doctrines and events.",
            path=path,
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
        self.topic = self.topic_or_404(self.kwargs["slug"])
        return Article.objects.published().tagged_with(self.topic).for_listing().newest_first()

    def topic_or_404(self, slug):
        """The topic with its public count and flag, kept until its name or list changes.
        Staff may open a topic that has no public article yet (a preview); readers get a 404."""
        try:
            topic = cached_fragment(
                self.request,
                f"topic:{slug}",
                lambda: Topic.objects.with_own_published_count().with_public_flag().get(slug=slug),
                lambda found: {
                    cache_keys.topic_key(found.pk),
                    cache_keys.topic_articles_key(found.pk),
                },
            )
        except Topic.DoesNotExist:  # not kept: any address may be asked for
            raise Http404("No topic found matching the query") from None
        if not (topic.is_public or self.request.user.is_staff):
            raise Http404("No topic found matching the query")
        return topic

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
                    self.context_fragment(topic),
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
        if context.get("milestones") and not context["is_preview"]:
            context["meta"]["json_ld"] += json_ld_script(
                timeline_json_ld(self.request, topic, context["milestones"])
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

    @staticmethod
    def context_fragment(topic):
        """The name under which the first page's context is kept (`cached_fragment`)."""
        return f"topic-context:v3:{topic.pk}"

    def topic_context(self, topic):
        """What the first page shows besides its list; it changes only when content does."""
        public = Article.objects.published().tagged_with(topic)
        timeline = list(public.coverage_by_month())
        busiest = max((month["count"] for month in timeline), default=0)
        for month in timeline:
            month["share"] = 5 * round(20 * month["count"] / busiest)  # a CSS class per 5%
        connections = list(Topic.objects.public().connected_to(topic))
        milestones = topic.milestones.with_public_article().in_timeline_order(topic.timeline_order)
        context = {
            "latest": newest_key_points(public),
            "related_topics": list(Topic.objects.co_occurring_with(topic)),
            "parties": [t for t in connections if t.connection == "party"],
            "relationships": [t for t in connections if t.connection == "relationship"],
            "timeline": list(reversed(timeline)),
            "milestones": list(milestones),
            "aliases": list(topic.aliases.values_list("name", flat=True)),
        }
        # Kept as HTML: two years of months and the timeline are most of the page's rendering.
        context["aside"] = render_to_string("topics/aside.html", {"topic": topic, **context})
        return context


def newest_key_points(articles):
    """{"pk": the newest article's id, "points": [its key points]} in one query, or None.

    The page shows them in the first card of its list (the newest article expanded), so the
    "latest" block never repeats an article the list shows.
    """
    newest = articles.newest_first().values("pk")[:1]
    rows = (
        Article.objects.filter(pk=Subquery(newest))
        .order_by("key_points__position", "key_points__pk")
        .values_list("pk", "key_points__text")
    )
    latest = None
    for pk, text in rows:
        latest = latest or {"pk": pk, "points": []}
        if text is not None:
            latest["points"].append(text)
    return latest


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
