import re
import unicodedata

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import TagBase

from coverage_site.links import slug_url
from coverage_site.text import (
    CleanCharField,
    CleanSlugField,
    CleanTextField,
    strip_invisible_characters,
)
from topics.lookalikes import lookalike_key

SLUG_MAX_LENGTH = 100
# Related topics are counted over this many of a topic's newest public articles.
CO_OCCURRENCE_ARTICLES = 1000


def normalise_topic_name(name):
    """Return the name as stored: NFC, trimmed, inner whitespace collapsed, and without control,
    bidi or zero-width characters."""
    return " ".join(unicodedata.normalize("NFC", strip_invisible_characters(name or "")).split())


def topic_name_key(name):
    """Return the key two names share when they are the same topic in any case or Unicode form."""
    return unicodedata.normalize("NFC", normalise_topic_name(name).casefold())


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
        waiting = self.not_yet_public_counts()
        not_yet_public = Case(
            *(When(pk=pk, then=Value(count)) for pk, count in waiting.items()),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        return self.annotate(published_count=F("published_article_count") - not_yet_public)

    def with_own_published_count(self):
        """`published_count` as `with_published_counts()` gives it, in the same query: for a page
        about one topic (the subquery starts from the few scheduled articles)."""
        from articles.models import Article, TaggedArticle

        not_yet_public = (
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"),
                content_object__status=Article.Status.PUBLISHED,
                content_object__published_at__gt=timezone.now(),
            )
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values("count")
        )
        waiting = Coalesce(Subquery(not_yet_public, output_field=models.IntegerField()), 0)
        return self.annotate(published_count=F("published_article_count") - waiting)

    def not_yet_public_counts(self):
        """{topic id: how many of its published articles are scheduled for later}."""
        from articles.models import Article, TaggedArticle

        scheduled = TaggedArticle.objects.filter(
            content_object__status=Article.Status.PUBLISHED,
            content_object__published_at__gt=timezone.now(),
        )
        rows = scheduled.order_by().values("tag").annotate(count=Count("pk"))
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

    def named(self, name):
        """The topic with this name, whatever its case or Unicode form."""
        return self.get(name_key=topic_name_key(name))

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

    def grouped_by_kind(self):
        """Return [(kind label, [topics...]), ...] in the order of TopicKind, names A–Z."""
        groups = {kind: [] for kind in TopicKind.values}
        for topic in self.order_by("name"):
            groups.setdefault(topic.kind, []).append(topic)
        return [(TopicKind(kind).label, topics) for kind, topics in groups.items() if topics]


class Topic(TagBase):
    """A subject readers follow: a country, relationship, weapons system, doctrine or event."""

    name = CleanCharField(
        "name",
        max_length=100,
        unique=True,
        strip_invisible=True,
        help_text="As readers should see it, e.g. “India–Russia” or “S-400”. "
        "Names are unique whatever their capitalisation.",
    )
    name_key = models.CharField(
        max_length=100,
        unique=True,
        editable=False,
        help_text="The name case-folded and Unicode-normalised; keeps “s-400” from "
        "becoming a second topic beside “S-400”.",
    )
    lookalike_key = models.CharField(
        max_length=1000,
        default="",
        db_index=True,
        editable=False,
        help_text="The name's look-alike skeleton (Unicode TR39): keeps “Ѕ-400” with a Cyrillic "
        "Ѕ from becoming a second topic beside “S-400”.",
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
        self.lookalike_key = lookalike_key(self.name)
        if not self.name_key:
            raise ValidationError({"name": "A topic needs a name."})
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
        """Why no topic may have this name (another has it, or looks just like it), or None."""
        others = Topic.objects.exclude(pk=self.pk)
        clash = others.filter(name_key=self.name_key).first()
        if clash:
            return f"There is already a topic named “{clash.name}”."
        lookalike = others.filter(lookalike_key=self.lookalike_key).first()
        if lookalike:
            return (
                f"“{self.name}” looks the same to a reader as the existing topic "
                f"“{lookalike.name}” (some of its characters are look-alikes from another "
                "alphabet, or a different dash). Use the existing topic, or name this one so "
                "readers can tell them apart."
            )
        return None

    def free_slug(self):
        """The slug made from the name, numbered if another topic has it already."""
        taken = set(
            Topic.objects.filter(slug__startswith=self.slugify(self.name))
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, i = self.slugify(self.name), 0
        while slug in taken:
            i += 1
            slug = self.slugify(self.name, i)
        return slug

    def save(self, *args, **kwargs):
        self.name = normalise_topic_name(self.name)
        self.name_key = topic_name_key(self.name)
        self.lookalike_key = lookalike_key(self.name)
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
