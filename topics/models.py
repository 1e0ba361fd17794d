import re
import unicodedata

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from taggit.models import TagBase

from coverage_site.links import slug_url
from coverage_site.text import (
    CleanCharField,
    CleanSlugField,
    CleanTextField,
    strip_invisible_characters,
)
from topics.lookalikes import fold_topic_name

SLUG_MAX_LENGTH = 100
# Related topics are counted over this many of a topic's newest public articles.
CO_OCCURRENCE_ARTICLES = 1000


def normalise_topic_name(name):
    """Return the name as stored: NFC, trimmed, inner whitespace collapsed, and without control,
    bidi or zero-width characters."""
    return " ".join(unicodedata.normalize("NFC", strip_invisible_characters(name or "")).split())


def topic_name_key(name):
    """Return the key two names share when they are one subject (`fold_topic_name`)."""
    return fold_topic_name(name)


NAME_KEY_MAX_LENGTH = 400
# How topics/migrations/0005_fold_names_and_aliases.py marks the key of a topic whose name
# folds to another's: "indiarussia~7".
CLASH_MARK = "~"


def name_refusal(name, key, *, topic=None, alias=None):
    """Why no topic or alias may take `name` (folded to `key`), or None.

    Names and aliases share one space: "S400" cannot be an alias of S-400 and the name of
    another topic. `topic` and `alias` are the objects being saved, which may keep their own.
    """
    if not key:
        return (
            f"“{name}” is not a usable topic name: a name needs at least one letter or digit."
            if name
            else "A topic needs a name."
        )
    topics = Topic.objects.filter(name_key=key)
    aliases = TopicAlias.objects.filter(name_key=key).select_related("topic")
    if topic is not None and topic.pk:
        topics = topics.exclude(pk=topic.pk)
        # Its own aliases may fold to its name when spelled differently ("S400" for "S-400").
        aliases = aliases.exclude(topic=topic)
    if alias is not None and alias.pk:
        aliases = aliases.exclude(pk=alias.pk)
    clash = topics.first()
    if clash:
        refusal = f"There is already a topic named “{clash.name}”."
        if clash.name != name:
            refusal += (
                f" “{name}” is the same topic as the existing topic “{clash.name}”: names that "
                "differ only in case, spaces, dashes, punctuation or look-alike characters from "
                "another alphabet are one topic. Use the existing topic."
            )
        return refusal
    alias_clash = aliases.first()
    if alias_clash:
        return (
            f"“{name}” is already a name of the topic “{alias_clash.topic.name}” (as its alias "
            f"“{alias_clash.name}”). Use that topic."
        )
    return None


def ascii_slug(text, max_length=SLUG_MAX_LENGTH, fallback="topic"):
    """Return a readable ASCII slug: transliterated, every run of punctuation a single hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(text or "").lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


class TopicKind(models.TextChoices):
    COUNTRY = "country", "Country"
    RELATIONSHIP = "relationship", "Bilateral relationship"
    DEFENCE_SYSTEM = "defence_system", "Defence system"
    DOCTRINE = "doctrine", "Policy or doctrine"
    ORGANISATION = "organisation", "Organisation"
    PERSON = "person", "Person"
    EVENT = "event", "Event"
    THEME = "theme", "Theme"


class TimelineOrder(models.TextChoices):
    NEWEST_FIRST = "newest_first", "Newest first"
    OLDEST_FIRST = "oldest_first", "Oldest first"


class ValueByPk(models.Expression):
    """`CASE pk WHEN 1 THEN 40 WHEN 7 THEN 2 ... ELSE 0 END` for a {pk: integer} mapping, in SQL
    written directly: the same CASE as `When()` objects cost 25 ms for 300 topics to build."""

    output_field = models.IntegerField()

    def __init__(self, values):
        super().__init__()
        self.values, self.pk = dict(values), F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, expressions):
        (self.pk,) = expressions

    def as_sql(self, compiler, connection):
        if not self.values:
            return "0", []
        pk_sql, pk_params = compiler.compile(self.pk)
        whens = " ".join(["WHEN %s THEN %s"] * len(self.values))
        pairs = [int(value) for item in self.values.items() for value in item]
        return f"CASE {pk_sql} {whens} ELSE 0 END", [*pk_params, *pairs]


class TopicQuerySet(models.QuerySet):
    def with_public_flag(self):
        """Annotate `is_public`: the topic carries at least one public article right now.

        A topic used only by drafts or scheduled articles is embargoed: its name would confirm
        a subject before publication. It becomes public the moment its first article does.
        """
        from articles.models import Article

        public_articles = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
        return self.annotate(is_public=Exists(public_articles))

    def public(self):
        """Topics a reader may see: those with a public article (the rule of `published()`)."""
        return self.with_public_flag().filter(is_public=True)

    def with_published_counts(self):
        """Annotate each topic with `published_count`, the number of its public articles.

        Read from the count kept on each topic (`published_article_count`, maintained as
        articles are published, withdrawn, tagged and deleted), less its scheduled articles that
        are not public yet (counted first, in one small query): cheap whatever the archive's size.
        """
        not_yet_public = ValueByPk(self.not_yet_public_counts())
        return self.annotate(published_count=F("published_article_count") - not_yet_public)

    def with_own_published_count(self):
        """`published_count` as `with_published_counts()` gives it, in the same query: for a page
        about one topic.

        The scheduled articles are counted by looking each one's link to the topic up on the
        (article, topic) index: a cost that follows the few scheduled articles, however many
        the topic has. Joined on the topic instead, PostgreSQL read all 54,000 of India's links
        at 100,000 articles (18 ms, most of its deep page).
        """
        from articles.models import Article, TaggedArticle

        carries_topic = TaggedArticle.objects.filter(
            content_object=OuterRef("pk"), tag=OuterRef(OuterRef("pk"))
        )
        not_yet_public = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by()
            # One group, counted with a condition tested per scheduled article: an EXISTS in
            # the WHERE clause becomes a join, hashed over the topic's links again.
            .values("status")
            .annotate(count=Count("pk", filter=Exists(carries_topic)))
            .values("count")
        )
        waiting = Coalesce(Subquery(not_yet_public, output_field=models.IntegerField()), 0)
        return self.annotate(published_count=F("published_article_count") - waiting)

    def not_yet_public_counts(self):
        """{topic id: how many of its published articles are scheduled for later}."""
        from articles.models import Article, TaggedArticle

        scheduled = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        ).values("pk")
        if connection.vendor == "postgresql":
            # As one array, the scheduled ids probe the links' index; joined to the links,
            # PostgreSQL hashed every link of the archive (100,000 articles: 43 -> 10 ms).
            sql, params = scheduled.query.sql_with_params()
            links = TaggedArticle.objects.filter(
                RawSQL(f"content_object_id = ANY(ARRAY({sql}))", params, models.BooleanField())
            )
        else:
            links = TaggedArticle.objects.filter(content_object_id__in=scheduled)
        rows = links.order_by().values("tag").annotate(count=Count("pk"))
        return {row["tag"]: row["count"] for row in rows}

    def counted_from_scratch(self):
        """Each topic with `published_count` counted over every link (for checks and repairs)."""
        from articles.models import published_condition

        public = published_condition(prefix="tagged_articles__content_object__")
        return self.annotate(published_count=Count("tagged_articles", filter=public))

    def recount_published(self):
        """Set every topic's kept count from scratch (after bulk imports, which send no signals)."""
        from articles.models import Article, TaggedArticle

        links = (
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"), content_object__status=Article.Status.PUBLISHED
            )
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values("count")
        )
        self.update(
            published_article_count=Coalesce(Subquery(links, output_field=models.IntegerField()), 0)
        )

    def with_published_articles(self):
        """Public topics (as `public()`), with their counts: one aggregate, for whole lists."""
        return self.with_published_counts().filter(published_count__gt=0)

    def with_latest_article_id(self):
        """Annotate `latest_article_id`: the topic's newest public article (a subquery per topic,
        walking that topic's links newest first)."""
        from articles.models import TaggedArticle, published_condition

        newest = (
            TaggedArticle.objects.filter(
                published_condition("content_object__"), tag=OuterRef("pk")
            )
            .order_by("-content_object__published_at", "-content_object_id")
            .values("content_object_id")[:1]
        )
        return self.annotate(latest_article_id=Subquery(newest))

    def named(self, name):
        """The topic with this name or alias, whatever its case, dashes or look-alikes."""
        key = topic_name_key(name)
        by_alias = TopicAlias.objects.filter(name_key=key).values("topic")
        return self.get(Q(name_key=key) | Q(pk__in=by_alias))

    def co_occurring_with(self, topic, limit=8, recent=CO_OCCURRENCE_ARTICLES):
        """Topics most often on the same public articles as `topic`, with `shared` counts.

        Counted over the topic's newest `recent` public articles: what it is covered alongside
        now, at the same cost for a topic of 50,000 articles as for one of 1,000 (over all of
        them, India's took 4.5 s at 100,000 articles on SQLite).
        """
        from articles.models import Article

        newest = Article.objects.published().tagged_with(topic).newest_first().values("pk")[:recent]
        return (
            self.filter(tagged_articles__content_object__in=newest)
            .exclude(pk=topic.pk)
            .annotate(shared=Count("tagged_articles"))
            .order_by("-shared", "name")[:limit]
        )

    def connected_to(self, topic):
        """The topics a relationship is between ("party"), and the relationships a topic is a
        party to ("relationship"), in one query; each carries its `connection`."""
        fields = ["pk", "name", "slug", "kind"]
        parties = self.filter(relationships=topic).annotate(connection=Value("party"))
        relationships = self.filter(parties=topic).annotate(connection=Value("relationship"))
        return (
            parties.only(*fields)
            .order_by()
            .union(relationships.only(*fields).order_by())
            .order_by("name")
        )

    def moved_from(self, slug):
        """The topic (of these) an old address now belongs to (an alias's slug, a slug it had
        before a rename, the slug of a topic merged into it), or None.

        Called only when no topic has `slug`, so a topic's own address always wins.
        """
        return self.filter(
            Q(pk__in=TopicAlias.objects.filter(slug=slug).values("topic"))
            | Q(pk__in=TopicRedirect.objects.filter(old_slug=slug).values("topic"))
        ).first()


class Topic(TagBase):
    """A subject readers follow: a country, relationship, weapons system, doctrine or event."""

    name = CleanCharField(
        "name",
        max_length=100,
        unique=True,
        strip_invisible=True,
        help_text="As readers should see it, e.g. “India–Russia” or “S-400”. "
        "Names are unique whatever their case, spacing, dashes or punctuation.",
    )
    name_key = models.CharField(
        max_length=NAME_KEY_MAX_LENGTH,
        unique=True,
        editable=False,
        help_text="The name folded (case, dashes, spaces, punctuation and look-alike characters "
        "removed): keeps “S 400”, “s-400” or “Ѕ-400” from becoming a second topic beside "
        "“S-400”.",
    )
    slug = CleanSlugField(
        "slug",
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text="The topic's web address. Leave blank to make one from the name; "
        "it does not change when the topic is renamed.",
    )
    kind = models.CharField(
        max_length=20,
        choices=TopicKind.choices,
        default=TopicKind.THEME,
        help_text="What sort of subject this is; the topics page groups topics by kind.",
    )
    description = CleanTextField(
        blank=True,
        help_text="One or two sentences shown at the top of the topic page.",
    )
    published_article_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Articles with the status Published (scheduled ones included) carrying this "
        "topic; kept up to date as articles are published, withdrawn, tagged and deleted.",
    )
    timeline_order = models.CharField(
        "timeline order",
        max_length=12,
        choices=TimelineOrder.choices,
        default=TimelineOrder.OLDEST_FIRST,
        help_text="How the topic page lists the milestones of its timeline.",
    )
    parties = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="relationships",
        help_text="For a relationship, the topics it is between: India–Russia names India and "
        "Russia. Their pages then link back to it.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"
        constraints = [
            models.CheckConstraint(condition=~Q(name_key=""), name="topic_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="topic_slug_not_empty"),
        ]

    def clean(self):
        self.name = normalise_topic_name(self.name)
        self.name_key = topic_name_key(self.name)
        if not self.name_key:
            raise ValidationError({"name": self.name_refusal()})
        self.slug_is_made = not self.slug
        if self.slug_is_made:
            self.slug = self.free_slug()
        refusal = self.name_refusal()
        if refusal:
            raise ValidationError({"name": refusal})

    def validate_unique(self, exclude=None):
        # A colleague's topic may have been committed since clean() looked (each statement
        # sees the latest commit): look again, so a clash is reported as the clash, and pick
        # a free slug again if this form made one.
        if "name" not in (exclude or ()):
            refusal = self.name_refusal()
            if refusal:
                raise ValidationError({"name": refusal})
        if getattr(self, "slug_is_made", False):
            self.slug = self.free_slug()
        super().validate_unique(exclude)

    def name_refusal(self):
        """Why no topic may have this name (another topic or alias has it), or None."""
        return name_refusal(self.name, topic_name_key(self.name), topic=self)

    def free_slug(self):
        """The slug made from the name, numbered if another topic has it already."""
        base = self.slugify(self.name)
        taken = set(
            Topic.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        ) | set(TopicAlias.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, i = self.slugify(self.name), 0
        while slug in taken:
            i += 1
            slug = self.slugify(self.name, i)
        return slug

    def save(self, *args, **kwargs):
        self.name = normalise_topic_name(self.name)
        self.name_key = topic_name_key(self.name)
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The kept count is the signals' to change: a topic loaded before an article was
            # tagged must not write its stale number back.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "published_article_count"
            ]
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        """Make the slug from the name; taggit calls this with i=1, 2… when a slug is taken."""
        base = ascii_slug(tag)
        if i is None:
            return base
        suffix = f"-{i + 1}"
        return base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix

    def get_absolute_url(self):
        return slug_url("topics:detail", self.slug)

    @property
    def summary(self):
        """The description's first sentence, for lists of topics."""
        return first_sentence(self.description)


class TopicAlias(models.Model):
    """Another name readers use for a topic: "S400" or "С-400" for S-400.

    An alias shares the topics' name space (no alias may fold to another topic's name or
    alias), finds the topic in search and in the article form, and its slug answers with a
    redirect to the topic's page.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    name = CleanCharField(
        max_length=100,
        strip_invisible=True,
        help_text="Another name for this topic, e.g. “S400” or “Indo-Russian relations”.",
    )
    name_key = models.CharField(max_length=NAME_KEY_MAX_LENGTH, unique=True, editable=False)
    slug = CleanSlugField(
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Made from the alias; its address redirects to the topic's page. Empty when "
        "the address is already the topic's own or another's.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "alias"
        verbose_name_plural = "aliases"
        constraints = [
            models.CheckConstraint(condition=~Q(name_key=""), name="topic_alias_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalise_topic_name(self.name)
        self.name_key = topic_name_key(self.name)
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def clean(self):
        self.name = normalise_topic_name(self.name)
        self.name_key = topic_name_key(self.name)
        refusal = self.own_topic_refusal() or name_refusal(
            self.name, self.name_key, topic=self.own_topic(), alias=self
        )
        if refusal:
            raise ValidationError({"name": refusal})

    def own_topic(self):
        """The topic this alias names (in the admin's add form, one not saved yet), or None."""
        try:
            return self.topic
        except Topic.DoesNotExist:
            return None

    def own_topic_refusal(self):
        """Why this alias is no use beside its own topic's name and aliases, or None.

        An alias may fold to its topic's name when it is spelled differently ("S400" beside
        "S-400"): it is then shown in the article form and gives the topic another address.
        """
        topic = self.own_topic()
        if topic is None or not self.name_key:
            return None
        if self.name.casefold() == normalise_topic_name(topic.name).casefold():
            return f"“{self.name}” is the topic's own name; an alias is another name for it."
        if topic.pk:
            twin = (
                TopicAlias.objects.filter(topic=topic, name_key=self.name_key)
                .exclude(pk=self.pk)
                .first()
            )
            if twin:
                return (
                    f"“{self.name}” is already an alias of this topic (as “{twin.name}”): "
                    "aliases that differ only in case, spaces, dashes or look-alike "
                    "characters are one alias."
                )
        return None

    def free_slug(self):
        """The slug made from the alias, or None when a topic or another alias has it."""
        slug = ascii_slug(self.name, fallback="")
        if not slug:
            return None
        taken = (
            Topic.objects.filter(slug=slug).exists()
            or TopicAlias.objects.filter(slug=slug).exclude(pk=self.pk).exists()
        )
        return None if taken else slug


class TopicRedirect(models.Model):
    """An address a topic had before: its old slug after a rename, or a merged topic's slug.

    It follows the topic through later renames and merges (a foreign key, not a URL), so
    A → B → C sends A and B to C; a topic that takes the slug again makes it its own.
    """

    old_slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="redirects")
    merge = models.ForeignKey(
        "TopicMerge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redirects",
        help_text="The merge that made this address redirect, if a merge did.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old topic address"
        verbose_name_plural = "old topic addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.topic.slug}"


class TopicMerge(models.Model):
    """The audit record of one merge: who merged which topic into which, and what it held.

    `source` is the merged topic as it was (a snapshot, since the topic is gone): enough to
    put it back exactly, and to say what changed since (`topics.merging.undo_merge`).
    """

    source_name = models.CharField(max_length=100)
    source_slug = models.SlugField(max_length=SLUG_MAX_LENGTH)
    source = models.JSONField(
        help_text="The merged topic as it was: name, slug, kind, description, parties, "
        "relationships, aliases, old addresses and its articles."
    )
    target = models.ForeignKey(
        Topic, null=True, on_delete=models.SET_NULL, related_name="merges_into"
    )
    target_name = models.CharField(max_length=100)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        get_latest_by = "merged_at"
        verbose_name = "topic merge"
        verbose_name_plural = "topic merges"

    def __str__(self):
        return f"Merge {self.pk}: “{self.source_name}” into “{self.target_name}”"

    @property
    def is_undone(self):
        return self.undone_at is not None


class MilestoneQuerySet(models.QuerySet):
    def in_timeline_order(self, order):
        """Oldest or newest first (a `TimelineOrder`); same-day milestones in the order added."""
        if order == TimelineOrder.OLDEST_FIRST:
            return self.order_by("date", "pk")
        return self.order_by("-date", "-pk")

    def with_public_article(self):
        """Each milestone with `public_article`: its linked article if a reader may see it, else
        None, in one query. Drafts, scheduled and withdrawn articles give no URL or headline."""
        from articles.models import Article

        public = Article.objects.published().filter(pk=OuterRef("article_id"))
        return (
            self.annotate(article_is_public=Exists(public))
            .select_related("article")
            .only(
                *(f.name for f in Milestone._meta.concrete_fields),
                "article__headline",
                "article__slug",
            )
        )


class Milestone(models.Model):
    """A dated event in a topic's story (a contract signed, a delivery, a summit), for the
    timeline on the topic page."""

    class Precision(models.TextChoices):
        DAY = "day", "Day (4 December 2025)"
        MONTH = "month", "Month (December 2025)"
        YEAR = "year", "Year (2025)"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(
        help_text="When it happened. With a coarser precision only the month or year is shown "
        "(any day of that month or year will do)."
    )
    precision = models.CharField(
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text="How much of the date readers see.",
    )
    title = CleanCharField(
        max_length=120,
        strip_invisible=True,
        help_text="What happened, in a few words: “First S-400 deliveries”.",
    )
    sentence = CleanCharField(
        "one sentence",
        max_length=280,
        blank=True,
        help_text="Optional: one sentence of context.",
    )
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text="Optional: an article about it. The link appears only while the article is "
        "public.",
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "-date", "-pk"]
        verbose_name = "milestone"
        verbose_name_plural = "timeline"

    def __str__(self):
        return f"{self.display_date}: {self.title}"

    @property
    def display_date(self):
        """The date as readers see it: “4 December 2025”, “December 2025” or “2025”."""
        if self.date is None:
            return ""
        formats = {self.Precision.YEAR: "Y", self.Precision.MONTH: "F Y"}
        return dateformat.format(self.date, formats.get(self.precision, "j F Y"))

    @property
    def machine_date(self):
        """The date for `<time datetime>` and JSON-LD, to the same precision: 2025-12-04,
        2025-12 or 2025."""
        if self.precision == self.Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == self.Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    @property
    def public_article(self):
        """The linked article if readers may see it (set by `with_public_article()`), else None."""
        if self.article_id and getattr(self, "article_is_public", False):
            return self.article
        return None


def first_sentence(text, max_length=200):
    """The first sentence of `text` (up to its first “. ”, “! ” or “? ”), at most
    `max_length` characters, cut at a word with an ellipsis if longer."""
    text = " ".join((text or "").split())
    match = re.search(r"[.!?…](?=\s|$)", text)
    sentence = text[: match.end()] if match else text
    if len(sentence) <= max_length:
        return sentence
    return sentence[: max_length - 1].rsplit(" ", 1)[0].rstrip(",;:–—-") + "…"
