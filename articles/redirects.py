"""Old addresses keep working: when a public article or a topic changes its slug, the old
address answers 301 to the new one (see ArticleRedirect and TopicRedirect)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from topics.models import Topic, TopicRedirect


def was_ever_public(state):
    """A row's values before a save: had the article's address been public (a draft sent back
    after publication had; a draft or a scheduled article never was)?"""
    published_at = state and state["published_at"]
    return bool(published_at and published_at <= timezone.now())


@receiver(post_save, sender=Article)
def keep_old_article_address(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "state_before_save", None)
    if raw or not (created or (before and before["slug"] != instance.slug)):
        return
    # The article that takes an address now owns it, whatever redirected from it before.
    ArticleRedirect.objects.filter(old_slug=instance.slug).delete()
    if not created and was_ever_public(before):
        ArticleRedirect.objects.update_or_create(
            old_slug=before["slug"], defaults={"article": instance}
        )


def article_moved_from(slug):
    """The public article that once had `slug`, or None: a withdrawn one stays a 404."""
    return Article.objects.published().filter(redirects__old_slug=slug).first()


@receiver(post_save, sender=Topic)
def keep_old_topic_address(sender, instance, created, raw=False, **kwargs):
    old_slug = getattr(instance, "slug_before_save", None)
    if raw or not (created or (old_slug and old_slug != instance.slug)):
        return
    TopicRedirect.objects.filter(old_slug=instance.slug).delete()
    if not created:
        TopicRedirect.objects.update_or_create(old_slug=old_slug, defaults={"topic": instance})
