from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TaggedItemBase

from articles.markdown import complexity_refusal, figure_ids, render_markdown
from coverage_site.links import slug_url
from coverage_site.text import CleanCharField, CleanSlugField, CleanTextField
from images.models import Rendition
from topics.models import Topic, name_refusal, topic_name_key

WORDS_A_MINUTE = 230
SECTION_KIND_ORDER = [
    "relationship", "country", "event", "doctrine",
    "defence_system", "organisation", "person", "theme",
]  # fmt: skip


CARD_IMAGE_FIELDS = ["lead_image__alt_text", "lead_image__is_decorative", "lead_image__credit"]


def card_renditions():
    """The lead image's renditions a card or lead story uses."""
    return Prefetch("lead_image__renditions", queryset=Rendition.objects.filter(shape="wide"))


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


def published_condition(prefix=""):
    """The one definition of public: published, with a publication time that has come.

    `prefix` lets other models filter through a relation, e.g. "tagged_articles__content_object__".
    """
    return Q(
        **{
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class LoadedRelation(models.QuerySet):
    """One article's rows of a relation, read in one query for a whole list, as a prefetch
    leaves them: reading them asks nothing more; narrowing or changing them (`filter()`,
    `values()`, ...) asks the database about this article's relation itself.

    The list's query runs the first time any article's rows are read (`load_list`), so a page
    whose cards all come from the cache never runs it."""

    @classmethod
    def of(cls, model, rows, **relation):
        loaded = cls.of_relation(model, relation)
        loaded._result_cache = rows
        return loaded

    @classmethod
    def on_first_read(cls, model, load_list, **relation):
        loaded = cls.of_relation(model, relation)
        loaded.load_list = load_list
        return loaded

    @classmethod
    def of_relation(cls, model, relation):
        loaded = cls(model=model)
        loaded._prefetch_done, loaded.relation = True, relation
        # Anything that runs this queryset's own SQL (`iterator()`, `update()`, `delete()`, ...)
        # gets the relation's filter first, as the query is first read.
        loaded._deferred_filter = (False, (), relation)
        return loaded

    def _fetch_all(self):
        if self._result_cache is None:
            self.load_list()
        super()._fetch_all()

    def count(self):
        return len(self)

    def exists(self):
        return bool(self)

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("load_list", None)  # a loaded relation is kept (pickled) with its rows only
        return state

    def _clone(self):
        return self.model._default_manager.filter(**self.relation)

    def _chain(self):
        return self._clone()


def attach_on_first_read(articles, name, model, relation_field, rows_by_article):
    """`article.<name>.all()` for each of `articles`, read for all of them together the first
    time any of them is read: `rows_by_article(ids)` gives {article id: [rows]}."""
    relations = {}

    def load_list():
        found = rows_by_article(list(relations))
        for pk, relation in relations.items():
            relation._result_cache = found.get(pk, [])

    for article in articles:
        relation = LoadedRelation.on_first_read(model, load_list, **{relation_field: article.pk})
        relations[article.pk] = relation
        article._prefetched_objects_cache = getattr(article, "_prefetched_objects_cache", {})
        article._prefetched_objects_cache[name] = relation


# What cards, kickers and topic links read of an article's topics.
LISTED_TOPIC_FIELDS = ("id", "name", "name_key", "slug", "kind", "published_article_count")


def topics_by_article(article_ids):
    """{article id: [its topics, A–Z]} in one plain query over the links. taggit's own prefetch
    builds a generic query per list, which cost more than the rest of a list's queries together."""
    by_article = {pk: [] for pk in article_ids}
    fields = [f.attname for f in Topic._meta.concrete_fields if f.attname in LISTED_TOPIC_FIELDS]
    rows = (
        TaggedArticle.objects.filter(content_object_id__in=article_ids)
        .order_by("tag__name")
        .values_list("content_object_id", *(f"tag__{field}" for field in fields))
    )
    for article_id, *values in rows:
        by_article[article_id].append(Topic.from_db(None, fields, values))
    return by_article


def attach_topics(articles):
    """`article.topics.all()` for a list, read in one query the first time any is read."""
    attach_on_first_read(
        articles, "topics", Topic, "tagged_articles__content_object", topics_by_article
    )


BYLINE_FIELDS = ("id", "username", "first_name", "last_name")


def bylines_by_article(article_ids):
    """{article id: [its authors in byline order]}, each person with the profile their link
    needs, in one plain query."""
    from people.models import Profile

    user_model = get_user_model()
    by_article = {pk: [] for pk in article_ids}
    rows = (
        Article.authors.through.objects.filter(article_id__in=article_ids)
        .order_by("user__last_name", "user_id")
        .values_list(
            "article_id", *(f"user__{field}" for field in BYLINE_FIELDS), "user__profile__slug"
        )
    )
    people = {}
    for article_id, user_id, *names, profile_slug in rows:
        person = people.get(user_id)
        if person is None:
            person = people[user_id] = user_model.from_db(None, BYLINE_FIELDS, [user_id, *names])
            profile = None
            if profile_slug is not None:
                profile = Profile.from_db(None, ["user_id", "slug"], [user_id, profile_slug])
            # None tells `person.profile` there is none, without asking the database.
            user_model.profile.related.set_cached_value(person, profile)
        by_article[article_id].append(person)
    return by_article


def attach_bylines(articles):
    """`article.authors.all()` for a list, read in one query the first time any is read."""
    attach_on_first_read(articles, "authors", get_user_model(), "articles", bylines_by_article)


class ArticleQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._attach_topics = False
        self._attach_bylines = False
        # The filters this queryset is known to be made of ("published", ("topic", pk)), or None
        # once any other filter is applied: `coverage_by_month()` reads kept counts only for
        # exactly `published().tagged_with(topic)`.
        self._known_filters = frozenset()

    def _clone(self):
        clone = super()._clone()
        clone._attach_topics = self._attach_topics
        clone._attach_bylines = self._attach_bylines
        clone._known_filters = self._known_filters
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone._known_filters = None
        return clone

    def _known_as(self, queryset, condition):
        queryset._known_filters = (
            None if self._known_filters is None else self._known_filters | {condition}
        )
        return queryset

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._result_cache and isinstance(self._result_cache[0], Article):
            if self._attach_topics:
                attach_topics(self._result_cache)
            if self._attach_bylines:
                attach_bylines(self._result_cache)

    def with_topics(self):
        """Each article's topics (`attach_topics`): one query for the list, when first read."""
        clone = self._chain()
        clone._attach_topics = True
        return clone

    def with_bylines(self):
        """Each article's byline (`attach_bylines`): one query for the list, when first read."""
        clone = self._chain()
        clone._attach_bylines = True
        return clone

    def published(self):
        """Articles a reader may see: published and due."""
        return self._known_as(self.filter(published_condition()), "published")

    def next_publication_time(self):
        """When public pages next change by themselves, or None: a scheduled article goes
        public, or a pinned lead story's time runs out. One query, each part on an index.

        Any pinned story counts, public or not: with the status in its condition, SQLite read
        every published article rather than the few pinned ones (80 ms at 100,000 articles).
        A pinned draft only makes pages expire when its pin does."""
        now = timezone.now()
        published = Article.objects.filter(status=Status.PUBLISHED).order_by()
        scheduled = published.filter(published_at__gt=now).order_by("published_at")
        pinned = Article.objects.filter(pinned_until__gt=now).order_by("pinned_until")
        row = (
            self.model.objects.order_by()
            .annotate(
                next_scheduled=Subquery(scheduled.values("published_at")[:1]),
                next_unpinned=Subquery(pinned.values("pinned_until")[:1]),
            )
            .values_list("next_scheduled", "next_unpinned")
            .first()
        )
        moments = [moment for moment in row or () if moment is not None]
        return min(moments, default=None)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def pinned_now(self):
        """Stories pinned to lead until a time still to come. The few pinned ones are found
        first, on their own index (a query): with the status in the same condition, SQLite read
        every published article instead."""
        pinned = Article.objects.filter(pinned_until__gt=timezone.now()).order_by()
        return self.filter(pk__in=list(pinned.values_list("pk", flat=True)))

    def lead_first(self, count, pinned_ids=None):
        """The first `count` of these articles newest first, except that a story pinned (until a
        time still to come) leads. Apply `for_listing()` and the like after this.

        Only the pinned stories and the newest `count` are sorted, each found on an index: an
        order on the pinned flag over the whole archive would sort every public article. A caller
        that knows no story is pinned (`pinned_ids` empty) gets the plain newest-first list.
        """
        if pinned_ids is not None and not pinned_ids:
            return self.newest_first()
        now = timezone.now()
        newest = self.newest_first().values("pk")[:count]
        # Any pinned article, found on its own index, then held to this queryset's filters.
        pinned_now = self.model.objects.filter(pinned_until__gt=now).order_by().values("pk")
        pinned = Case(When(pinned_until__gt=now, then=Value(1)), default=Value(0))
        return (
            self.model.objects.filter(
                Q(pk__in=newest)
                | Q(pk__in=pinned_now) & Exists(self.filter(pk=OuterRef("pk")).order_by())
            )
            .annotate(pinned=pinned)
            .order_by("-pinned", "-published_at", "-pk")
        )

    def for_listing(self, *also):
        """What a list of article cards shows: topics, byline and thumbnail, each in one query.

        `also` names further fields to load (search results show a passage of the body)."""
        return (
            self.select_related("lead_image", "kicker_topic")
            .with_topics()
            .with_bylines()
            .prefetch_related(card_renditions())
            .only("pk", "headline", "slug", "standfirst", "published_at", "status",
                  "kicker_topic__name", "kicker_topic__slug", *CARD_IMAGE_FIELDS, *also)
        )  # fmt: skip

    def for_detail(self):
        """What an article page shows besides `page_parts()`: byline, topics and lead image."""
        return (
            self.select_related("lead_image", "kicker_topic")
            .with_topics()
            .with_bylines()
            .prefetch_related("lead_image__renditions")
        )

    def tagged_with(self, topic):
        return self._known_as(self.filter(tagged_items__tag=topic), ("topic", topic.pk))

    def tagged_with_all(self, topics):
        """Articles that carry every one of `topics`."""
        return (
            self.filter(tagged_items__tag__in=topics)
            .annotate(matched_topics=Count("tagged_items"))
            .filter(matched_topics=len(topics))
        )

    def coverage_by_month(self, months=24):
        """[{"month": datetime, "count": n}, ...] for the newest `months` months with coverage.

        For `published().tagged_with(topic)` (a topic page), read from the counts kept per topic
        and month (`TopicMonthCount`); otherwise counted from scratch.
        """
        known = self._known_filters or frozenset()
        topic_ids = [condition[1] for condition in known if condition != "published"]
        one_topics_public_articles = len(known) == 2 and "published" in known and topic_ids
        if one_topics_public_articles and not (self.query.is_empty() or self.query.is_sliced):
            return TopicMonthCount.objects.coverage_of(topic_ids[0], months)
        return self.coverage_by_month_from_scratch(months)

    def coverage_by_month_from_scratch(self, months=24):
        return list(
            self.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("-month")[:months]
        )

    def sharing_topics_with(self, article, limit=3, candidates=300):
        """Other articles that share topics with `article`, most shared topics first.

        Only the newest `candidates` articles sharing any topic are ranked, so the cost stays
        flat however many articles a hot topic carries.
        """
        topic_ids = [topic.pk for topic in article.topics.all()]
        if not topic_ids:
            return self.none()
        sharing = self.filter(tagged_items__tag__in=topic_ids).exclude(pk=article.pk)
        recent = sharing.order_by("-published_at").values("pk")[:candidates]
        return (
            sharing.filter(pk__in=recent)
            .annotate(shared_topics=Count("tagged_items"))
            .order_by("-shared_topics", "-published_at", "-pk")
            .select_related("lead_image")
            .only("pk", "headline", "slug", "published_at", *CARD_IMAGE_FIELDS)
            .prefetch_related(card_renditions())[:limit]
        )


class TopicTaggableManager(_TaggableManager):
    """Topics given by name match existing topics whatever their case or Unicode form."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        resolved = []
        for tag in tags:
            if isinstance(tag, str):
                try:
                    tag = Topic.objects.named(tag)
                except Topic.DoesNotExist:
                    refusal = name_refusal(tag, topic_name_key(tag))
                    if refusal:  # "???" or "—": no letter or digit, so no topic
                        raise ValidationError(refusal) from None
                    tag = Topic.objects.create(name=tag, **tag_kwargs)
            resolved.append(tag)
        return super()._to_tag_model_instances(resolved, tag_kwargs)


@reversion.register(
    follow=["key_points", "sources", "tagged_items"], exclude=["lock_version", "search_vector"]
)
class Article(models.Model):
    """A piece of coverage: headline, standfirst, key points, Markdown body, bylines, topics."""

    Status = Status

    headline = CleanCharField(max_length=200, strip_invisible=True)
    slug = CleanSlugField(
        max_length=200,
        unique=True,
        help_text="The article's web address, made from the headline. "
        "Avoid changing it once the article is public.",
    )
    standfirst = CleanTextField(
        max_length=600,
        help_text="The one- or two-sentence summary under the headline; "
        "also used in lists and search results.",
    )
    body = CleanTextField(
        blank=True,
        help_text="Markdown: “## ” starts a section heading, “- ” a bullet, "
        "“> ” a quotation, [text](https://…) a link, "
        '![what it shows](image:42 "Caption") on its own line library image 42 as a figure. '
        "Raw HTML is shown as text.",
    )
    body_html = models.TextField(blank=True, editable=False)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="articles",
        help_text="The byline: these people's full names are shown on the article.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published articles whose publication time has come are public.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article becomes public. A future time schedules it; "
        "left empty, publishing sets it to now.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the admin list's order
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of_articles",
        help_text="Shown large above the article, as its thumbnail in lists, and when the "
        "article is shared. Pick from the library, or “+” to upload one.",
    )
    lead_image_caption = CleanCharField(
        "lead image caption",
        max_length=500,
        blank=True,
        help_text="For this article only; left empty, the library caption is used.",
    )
    kicker_topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="primary topic",
        help_text="Shown above the headline. Left empty, the first relationship (or other) "
        "topic of the article is used.",
    )
    pinned_until = models.DateTimeField(
        "lead story until",
        null=True,
        blank=True,
        db_index=True,
        help_text="Keep this article as the home page's lead story until this time. "
        "Left empty, the newest article leads.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    lock_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up by one with every save; an edit form opened at an older "
        "version is refused, so no one overwrites a change they have not seen.",
    )

    topics = TaggableManager(
        "topics",
        through="articles.TaggedArticle",
        manager=TopicTaggableManager,
        blank=True,
        help_text="The subjects this article is about.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish, schedule, withdraw and send back articles"),
            ("edit_any_article", "Can edit any article, whoever wrote it and whatever its status"),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="A published article needs a publication time.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.fill_publication_time()
        self.body_html = render_markdown(self.body)
        self.lock_version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"lock_version", "updated_at"} | (
                {"body_html"} if "body" in update_fields else set()
            )
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            self.link_figures()

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    def link_figures(self):
        """Record which library images the body shows, for “where used” and re-rendering."""
        wanted = set(figure_ids(self.body))
        linked = set(self.figure_links.values_list("image_id", flat=True))
        if wanted == linked:
            return
        self.figure_links.exclude(image_id__in=wanted).delete()
        from images.models import Image

        existing = Image.objects.filter(pk__in=wanted - linked).values_list("pk", flat=True)
        ArticleFigure.objects.bulk_create(
            ArticleFigure(article=self, image_id=pk) for pk in existing
        )

    def clean(self):
        self.fill_publication_time()
        limit = settings.ARTICLE_BODY_MAX_CHARS
        if len(self.body) > limit:
            raise ValidationError(
                {
                    "body": f"The body is {len(self.body):,} characters long; the limit is "
                    f"{limit:,} (a long analysis is about 60,000). Split it into a series, or "
                    "remove pasted material such as tables of raw data."
                }
            )
        refusal = complexity_refusal(self.body)
        if refusal:
            raise ValidationError({"body": refusal})

    def fill_publication_time(self):
        """Publishing without a time means publishing now."""
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def publish_now(self):
        """Make the article public now; False if it already is. The caller saves."""
        if self.is_published():
            return False
        self.status, self.published_at = Status.PUBLISHED, timezone.now()
        return True

    def schedule(self, moment):
        """Publish the article at `moment`. The caller saves."""
        self.status, self.published_at = Status.PUBLISHED, moment
        return True

    def move_to(self, status):
        """Set `status` (withdraw, send back to draft); False if it is already there."""
        if self.status == status:
            return False
        self.status = status
        return True

    def is_scheduled(self):
        """Published, with a publication time still to come."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def is_written_by(self, user):
        """True if `user` created the article or is in its byline."""
        if self.created_by_id == user.pk:
            return True
        return self.pk is not None and self.authors.filter(pk=user.pk).exists()

    @property
    def visibility_label(self):
        """Status as an editor needs it: drafts, review, scheduled (with time), live, withdrawn."""
        if self.is_scheduled():
            local = timezone.localtime(self.published_at)
            return f"Scheduled for {local:%-d %B %Y, %H:%M} {local.tzname()}"
        return self.get_status_display()

    def is_published(self):
        """Return True if the article is publicly visible (mirrors `published()`)."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def page_parts(self):
        """Key points, sources and corrections, each in its order, from one query.

        Returns {"key_points": [...], "sources": [...], "corrections": [...]} of unsaved
        instances, enough for the article page.
        """
        blank, no_time = Value(""), Cast(Value(None), models.DateTimeField())
        columns = ["part", "p_position", "p_text", "p_publication", "p_title", "p_url"]
        columns += ["p_kind", "p_created_at", "p_id"]

        def select(queryset, part, **values):
            annotations = {
                "p_position": Value(0),
                "p_text": blank,
                "p_publication": blank,
                "p_title": blank,
                "p_url": blank,
                "p_kind": blank,
                "p_created_at": no_time,
                **values,
            }
            return (
                queryset.filter(article=self)
                .order_by()
                .annotate(part=Value(part), p_id=F("pk"), **annotations)
                .values_list(*columns)
            )

        rows = select(
            KeyPoint.objects, "key_points", p_position=F("position"), p_text=F("text")
        ).union(
            select(
                Source.objects,
                "sources",
                p_position=F("position"),
                p_publication=F("publication"),
                p_title=F("title"),
                p_url=F("url"),
            ),
            select(
                Correction.objects,
                "corrections",
                p_text=F("text"),
                p_kind=F("kind"),
                p_created_at=F("created_at"),
            ),
            all=True,
        )
        parts = {"key_points": [], "sources": [], "corrections": []}
        for part, position, text, publication, title, url, kind, created_at, pk in rows:
            if part == "key_points":
                item = KeyPoint(pk=pk, article=self, text=text, position=position)
            elif part == "sources":
                item = Source(
                    pk=pk, article=self, publication=publication, title=title, url=url,
                    position=position,
                )  # fmt: skip
            else:
                item = Correction(pk=pk, article=self, text=text, kind=kind, created_at=created_at)
            parts[part].append(item)
        parts["key_points"].sort(key=lambda point: (point.position, point.pk))
        parts["sources"].sort(key=lambda source: (source.position, source.pk))
        parts["corrections"].sort(key=lambda correction: (correction.created_at, correction.pk))
        return parts

    def use_kept_topics_and_byline(self, topics, authors):
        """Read `self.topics.all()` and `self.authors.all()` from rows kept with the page's parts,
        as a prefetch would leave them."""
        self._prefetched_objects_cache = getattr(self, "_prefetched_objects_cache", {})
        self._prefetched_objects_cache["topics"] = LoadedRelation.of(
            Topic, list(topics), tagged_articles__content_object=self.pk
        )
        self._prefetched_objects_cache["authors"] = LoadedRelation.of(
            get_user_model(), list(authors), articles=self.pk
        )

    @property
    def sorted_topics(self):
        """The article's topics A–Z; uses prefetched topics when the queryset has them."""
        return sorted(self.topics.all(), key=lambda topic: topic.name.casefold())

    @property
    def byline_names(self):
        return [author.get_full_name() or author.get_username() for author in self.authors.all()]

    @property
    def byline(self):
        """[(name, author page URL or None), ...] in byline order."""
        people = []
        for author in self.authors.all():
            profile = getattr(author, "profile", None)
            url = profile.get_absolute_url() if profile else None
            people.append((author.get_full_name() or author.get_username(), url))
        return people

    @property
    def kicker(self):
        """The topic above the headline: the editor's choice, else the first by kind."""
        if self.kicker_topic_id:
            return self.kicker_topic
        ranked = sorted(
            self.topics.all(),
            key=lambda topic: (SECTION_KIND_ORDER.index(topic.kind), topic.name.casefold()),
        )
        return ranked[0] if ranked else None

    @property
    def reading_minutes(self):
        words = len(self.body.split()) + len(self.standfirst.split())
        return max(1, round(words / WORDS_A_MINUTE))

    @property
    def lead_caption(self):
        return self.lead_image_caption or (self.lead_image.caption if self.lead_image else "")

    @property
    def was_updated(self):
        """True when the article changed noticeably after it went public."""
        return bool(
            self.published_at and (self.updated_at - self.published_at).total_seconds() > 60
        )


@reversion.register()
class TaggedArticle(TaggedItemBase):
    """An article's link to one of its topics."""

    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "article topic"
        verbose_name_plural = "article topics"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]


def month_of(moment):
    """The first day of `moment`'s month in the site's time zone (as TruncMonth cuts it)."""
    return timezone.localtime(moment).date().replace(day=1)


class TopicMonthCountQuerySet(models.QuerySet):
    def add(self, topic_ids, moment, change):
        """Count `change` more (or fewer) published articles for each topic in `moment`'s month."""
        if not topic_ids or moment is None:
            return
        month = month_of(moment)
        if change > 0:  # a row to take from exists already (and a topic being deleted gets none)
            self.bulk_create(
                [TopicMonthCount(topic_id=pk, month=month) for pk in topic_ids],
                ignore_conflicts=True,
            )
        self.filter(topic_id__in=topic_ids, month=month).update(count=F("count") + change)

    def coverage_of(self, topic_id, months):
        """`coverage_by_month()` of the topic's public articles, from the kept counts.

        They include scheduled articles: later months hold nothing else and are left out; this
        month's are taken off (one query over the articles scheduled for the rest of the month).
        """
        now = timezone.now()
        this_month = month_of(now)
        counts = dict(
            self.filter(topic_id=topic_id, month__lte=this_month, count__gt=0).values_list(
                "month", "count"
            )
        )
        zone = timezone.get_current_timezone()
        next_month = (this_month + timedelta(days=31)).replace(day=1)
        counts[this_month] = counts.get(this_month, 0) - (
            TaggedArticle.objects.filter(
                tag_id=topic_id,
                content_object__status=Status.PUBLISHED,
                content_object__published_at__gt=now,
                content_object__published_at__lt=timezone.make_aware(
                    datetime(next_month.year, next_month.month, 1), zone
                ),
            ).count()
        )
        return [
            {"month": timezone.make_aware(datetime(day.year, day.month, 1), zone), "count": count}
            for day, count in sorted(counts.items(), reverse=True)
            if count > 0
        ][:months]

    def recount(self, topic_ids=None):
        """Set the monthly counts from scratch, of every topic or of `topic_ids` (after bulk
        imports and merges, which send no signals)."""
        published = TaggedArticle.objects.filter(content_object__status=Status.PUBLISHED)
        stale = self.all()
        if topic_ids is not None:
            published = published.filter(tag_id__in=topic_ids)
            stale = stale.filter(topic_id__in=topic_ids)
        counts = {}
        for topic_id, moment in published.values_list("tag_id", "content_object__published_at"):
            key = (topic_id, month_of(moment))
            counts[key] = counts.get(key, 0) + 1
        stale.delete()
        self.bulk_create(
            TopicMonthCount(topic_id=topic_id, month=month, count=count)
            for (topic_id, month), count in counts.items()
        )


class TopicMonthCount(models.Model):
    """How many articles with the status Published (scheduled ones included) carry a topic, per
    month of publication: a topic page's coverage by month without counting 50,000 articles.
    Kept by the signals that keep `Topic.published_article_count`."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="month_counts")
    month = models.DateField()
    count = models.IntegerField(default=0)

    objects = TopicMonthCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "month"], name="topic_month_count_unique"),
        ]

    def __str__(self):
        return f"{self.topic_id} {self.month:%Y-%m}: {self.count}"


class ArticleFigure(models.Model):
    """A library image shown as a figure in an article's body (`![alt](image:ID)`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figure_links")
    image = models.ForeignKey("images.Image", on_delete=models.PROTECT, related_name="figure_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="article_figure_unique"),
        ]

    def __str__(self):
        return f"Image {self.image_id} in “{self.article}”"


@reversion.register()
class KeyPoint(models.Model):
    """One of an article's key points, shown in a box under the standfirst."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="key_points")
    text = CleanTextField(max_length=500, help_text="One sentence a reader should take away.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Key points are shown from the lowest number up."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "key point"

    def __str__(self):
        return self.text


@reversion.register()
class Source(models.Model):
    """A publication or report the article quotes or relies on, listed at its foot."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    publication = CleanCharField(max_length=200, help_text="Who published it, e.g. “The Guardian”.")
    title = CleanCharField(
        max_length=300, blank=True, help_text="The report's title or what it covered."
    )
    url = models.URLField("link", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.publication}: {self.title}" if self.title else self.publication


class Correction(models.Model):
    """A dated correction or update note, shown at the foot of a published article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = CleanTextField(
        help_text="What was wrong and what is right now, or what has changed since publication."
    )
    created_at = models.DateTimeField("date", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()} of {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Article.objects.filter(pk=self.article_id).update(updated_at=timezone.now())


class ArticleOpening(models.Model):
    """Who last opened an article's edit form, and when: lets the admin warn of a colleague."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="openings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_opening_unique"),
        ]

    def __str__(self):
        return f"{self.user} opened {self.article} at {self.opened_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, article_id, user, within=timedelta(minutes=10)):
        """Note that `user` opened the article; return the others who opened it `within`."""
        now = timezone.now()
        cls.objects.update_or_create(article_id=article_id, user=user, defaults={"opened_at": now})
        return list(
            cls.objects.filter(article_id=article_id, opened_at__gte=now - within)
            .exclude(user=user)
            .select_related("user")
            .order_by("-opened_at")
        )


class ArticleRedirect(models.Model):
    """An address a public article had before its slug changed: it answers 301 to the article's
    address, whatever that is now, while the article is public (never to a withdrawn one)."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old article address"
        verbose_name_plural = "old article addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
