"""Keep the search index and the page cache in step with what readers see."""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles import cache_keys
from articles.models import (
    Article,
    Correction,
    KeyPoint,
    Source,
    TaggedArticle,
    TopicMonthCount,
    month_of,
)
from articles.search import index_article, index_articles_in_bulk, unindex_article
from coverage_site.page_cache import note_change
from topics.models import Topic, TopicAlias


@receiver(post_save, sender=Article)
def index_saved_article(sender, instance, **kwargs):
    index_article(instance.pk)


@receiver(post_delete, sender=Article)
def unindex_deleted_article(sender, instance, **kwargs):
    unindex_article(instance.pk)


@receiver([post_save, post_delete], sender=KeyPoint)
@receiver([post_save, post_delete], sender=TaggedArticle)
def index_changed_part(sender, instance, **kwargs):
    index_article(instance.article_id if sender is KeyPoint else instance.content_object_id)


@receiver(pre_save, sender=Topic)
def note_topic_rename(sender, instance, **kwargs):
    instance.slug_before_save = None
    if instance.pk is None:
        instance.renamed = False
        return
    previous, instance.slug_before_save = Topic.objects.filter(pk=instance.pk).values_list(
        "name", "slug"
    ).first() or (None, None)
    instance.renamed = previous is not None and previous != instance.name


@receiver(post_save, sender=Topic)
def index_articles_of_renamed_topic(sender, instance, **kwargs):
    if getattr(instance, "renamed", False):
        index_articles_in_bulk(
            list(instance.tagged_articles.values_list("content_object_id", flat=True))
        )


@receiver([post_save, post_delete], sender=TopicAlias)
def index_articles_of_topic_with_changed_alias(sender, instance, raw=False, **kwargs):
    """An alias finds the topic's articles in search, so their entries hold it (a merge
    re-indexes them itself, once: `topics.merging.save_alias`)."""
    if not raw and not getattr(instance, "search_indexed_by_caller", False):
        index_articles_in_bulk(
            list(
                TaggedArticle.objects.filter(tag_id=instance.topic_id).values_list(
                    "content_object_id", flat=True
                )
            )
        )


# -- Topic counts: each topic keeps how many published articles carry it --------------------


def count_links(topic_ids, change):
    Topic.objects.filter(pk__in=topic_ids).update(
        published_article_count=F("published_article_count") + change
    )


def published_status_time(article_id):
    """The article's publication time if its status is Published (scheduled or not), else None."""
    return (
        Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED)
        .values_list("published_at", flat=True)
        .first()
    )


@receiver(post_save, sender=TaggedArticle)
def count_new_link(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        moment = published_status_time(instance.content_object_id)
        if moment is not None:
            count_links([instance.tag_id], +1)
            TopicMonthCount.objects.add([instance.tag_id], moment, +1)


@receiver(post_delete, sender=TaggedArticle)
def count_removed_link(sender, instance, **kwargs):
    moment = published_status_time(instance.content_object_id)
    if moment is not None:
        count_links([instance.tag_id], -1)
        TopicMonthCount.objects.add([instance.tag_id], moment, -1)


@receiver(post_save, sender=Article)
def count_status_change(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    before = getattr(instance, "state_before_save", None) or {"status": "", "published_at": None}
    was = before["status"] == Article.Status.PUBLISHED
    now = instance.status == Article.Status.PUBLISHED
    moved = (
        was
        and now
        and before["published_at"] is not None
        and month_of(before["published_at"]) != month_of(instance.published_at)
    )
    if was == now and not moved:
        return
    topic_ids = topic_ids_of(instance.pk)
    if was != now:
        count_links(topic_ids, +1 if now else -1)
    if was:
        TopicMonthCount.objects.add(topic_ids, before["published_at"], -1)
    if now:
        TopicMonthCount.objects.add(topic_ids, instance.published_at, +1)


# -- The page cache: name what each change touched (see articles/cache_keys.py) -------------


def public(status, published_at):
    """The rule of `Article.objects.published()`, for a row's values."""
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and (published_at <= timezone.now())
    )


def scheduled(status, published_at):
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and (published_at > timezone.now())
    )


def topic_ids_of(article_id):
    return set(
        TaggedArticle.objects.filter(content_object_id=article_id).values_list("tag_id", flat=True)
    )


def author_ids_of(article_id):
    return set(
        Article.authors.through.objects.filter(article_id=article_id).values_list(
            "user_id", flat=True
        )
    )


def listing_keys(topic_ids, author_ids):
    """An article joined or left the public lists, or moved in them."""
    return {
        cache_keys.PUBLIC_ARTICLES,
        cache_keys.ARTICLE_LASTMOD,
        cache_keys.TOPIC_COUNTS,
        *(cache_keys.topic_articles_key(pk) for pk in topic_ids),
        *(cache_keys.person_articles_key(pk) for pk in author_ids),
    }


@receiver(pre_save, sender=Article)
def remember_article_state(sender, instance, **kwargs):
    instance.state_before_save = (
        Article.objects.filter(pk=instance.pk)
        .values("status", "published_at", "pinned_until", "slug")
        .first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Article)
def article_saved(sender, instance, **kwargs):
    before = getattr(instance, "state_before_save", None) or {
        "status": "",
        "published_at": None,
        "pinned_until": None,
    }
    was_public = public(before["status"], before["published_at"])
    is_public = instance.is_published()
    keys = {cache_keys.article_key(instance.pk)}
    if was_public or is_public:
        keys.add(cache_keys.ARTICLE_LASTMOD)
    moved = before["published_at"] != instance.published_at
    # A list it joins later keeps its pages only until the publication it knew of: newly
    # scheduled, or re-timed, the lists it will join are rebuilt and learn the new moment.
    will_join = instance.is_scheduled() and (
        moved or not scheduled(before["status"], before["published_at"])
    )
    if was_public != is_public or (is_public and moved) or will_join:
        keys |= listing_keys(topic_ids_of(instance.pk), author_ids_of(instance.pk))
    if scheduled(before["status"], before["published_at"]) or instance.is_scheduled():
        keys.add(cache_keys.SCHEDULE)
    if before["pinned_until"] != instance.pinned_until:  # the home page's lead, and its end
        keys |= {cache_keys.PUBLIC_ARTICLES, cache_keys.SCHEDULE}
    note_change(keys)


@receiver(pre_delete, sender=Article)
def remember_deleted_article(sender, instance, **kwargs):
    instance.topic_ids_before_delete = topic_ids_of(instance.pk)
    instance.author_ids_before_delete = author_ids_of(instance.pk)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    keys = {cache_keys.article_key(instance.pk)}
    if instance.is_published():
        keys |= listing_keys(
            getattr(instance, "topic_ids_before_delete", ()),
            getattr(instance, "author_ids_before_delete", ()),
        )
    if instance.is_scheduled():
        keys.add(cache_keys.SCHEDULE)
    note_change(keys)


def article_is_public(article_id):
    return Article.objects.published().filter(pk=article_id).exists()


@receiver([post_save, post_delete], sender=KeyPoint)
@receiver([post_save, post_delete], sender=Source)
@receiver([post_save, post_delete], sender=Correction)
def article_part_changed(sender, instance, **kwargs):
    keys = {cache_keys.article_key(instance.article_id)}
    if article_is_public(instance.article_id):
        keys.add(cache_keys.ARTICLE_LASTMOD)
    note_change(keys)


@receiver([post_save, post_delete], sender=TaggedArticle)
def article_topics_changed(sender, instance, **kwargs):
    """A topic added to or taken from an article: its pages, and if public, both topics' lists
    and the related topics of every topic the article carries."""
    article_id = instance.content_object_id
    keys = {cache_keys.article_key(article_id)}
    if article_is_public(article_id):
        keys |= {cache_keys.TOPIC_COUNTS, cache_keys.ARTICLE_LASTMOD}
        keys |= {
            cache_keys.topic_articles_key(pk) for pk in topic_ids_of(article_id) | {instance.tag_id}
        }
    note_change(keys)


@receiver(m2m_changed, sender=Article.authors.through)
def byline_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        article_ids = {instance.pk}
        people = set(pk_set) if action != "pre_clear" else author_ids_of(instance.pk)
    else:
        people = {instance.pk}
        if action == "pre_clear":
            article_ids = set(instance.articles.values_list("pk", flat=True))
        else:
            article_ids = set(pk_set)
    keys = {cache_keys.article_key(pk) for pk in article_ids}
    if Article.objects.published().filter(pk__in=article_ids).exists():
        keys |= {cache_keys.person_articles_key(pk) for pk in people}
    note_change(keys)


@receiver(post_save, sender=Topic)
def topic_saved(sender, instance, created, **kwargs):
    keys = {cache_keys.TOPICS}
    if not created:
        keys.add(cache_keys.topic_key(instance.pk))
    note_change(keys)


@receiver(post_delete, sender=Topic)
def topic_deleted(sender, instance, **kwargs):
    note_change(
        {
            cache_keys.TOPICS,
            cache_keys.TOPIC_COUNTS,
            cache_keys.topic_key(instance.pk),
            cache_keys.topic_articles_key(instance.pk),
        }
    )


@receiver(m2m_changed, sender=Topic.parties.through)
def topic_relationships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """India–Russia names India and Russia; all three pages show the link."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        related = instance.relationships if reverse else instance.parties
        pk_set = set(related.values_list("pk", flat=True))
    note_change({cache_keys.topic_key(pk) for pk in {instance.pk, *pk_set}})


@receiver(pre_save, sender=get_user_model())
def remember_person_name(sender, instance, update_fields=None, **kwargs):
    instance.name_before_save = (
        sender.objects.filter(pk=instance.pk)
        .values_list("first_name", "last_name", "username")
        .first()
        if instance.pk
        and (update_fields is None or {"first_name", "last_name", "username"} & set(update_fields))
        else None
    )


@receiver(post_save, sender=get_user_model())
def person_renamed(sender, instance, created, **kwargs):
    before = getattr(instance, "name_before_save", None)
    now = (instance.first_name, instance.last_name, instance.username)
    if not created and before is not None and before != now:
        note_change({cache_keys.person_key(instance.pk)})
