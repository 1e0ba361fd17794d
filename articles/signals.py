"""Keep the search index and the page cache in step with what readers see."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, Correction, KeyPoint, Source, TaggedArticle
from articles.search import index_article, index_articles_in_bulk, unindex_article
from coverage_site.page_cache import content_changed
from topics.models import Topic


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
    if instance.pk is None:
        instance.renamed = False
        return
    previous = Topic.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance.renamed = previous is not None and previous != instance.name


@receiver(post_save, sender=Topic)
def index_articles_of_renamed_topic(sender, instance, **kwargs):
    if getattr(instance, "renamed", False):
        index_articles_in_bulk(
            list(instance.tagged_articles.values_list("content_object_id", flat=True))
        )


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=KeyPoint)
@receiver([post_save, post_delete], sender=Source)
@receiver([post_save, post_delete], sender=Correction)
@receiver([post_save, post_delete], sender=TaggedArticle)
@receiver([post_save, post_delete], sender=Topic)
def refresh_cached_pages(sender, **kwargs):
    """Any change to what readers see makes every cached page stale, in every process."""
    content_changed()


@receiver(m2m_changed, sender=Article.authors.through)
@receiver(m2m_changed, sender=Topic.parties.through)
def refresh_cached_pages_for_links(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed()
