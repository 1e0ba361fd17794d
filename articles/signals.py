"""Keep the search index in step with articles, key points, topics and topic names."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article, KeyPoint, TaggedArticle
from articles.search import index_article, unindex_article
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
    previous = Topic.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance.renamed = previous is not None and previous != instance.name


@receiver(post_save, sender=Topic)
def index_articles_of_renamed_topic(sender, instance, **kwargs):
    if getattr(instance, "renamed", False):
        for article_id in instance.tagged_articles.values_list("content_object_id", flat=True):
            index_article(article_id)
