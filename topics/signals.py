"""Keep topic pages fresh in the page cache: a milestone edited or deleted, or the article it
links becoming public or ceasing to be; an alias added, renamed or removed (the topic's pages
and the list of names go stale)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import cache_keys
from articles.signals import public
from coverage_site.page_cache import note_change
from topics.models import Milestone, TopicAlias


@receiver([post_save, post_delete], sender=TopicAlias)
def alias_changed(sender, instance, **kwargs):
    note_change({cache_keys.topic_key(instance.topic_id), cache_keys.TOPIC_ALIASES})


@receiver([post_save, post_delete], sender=Milestone)
def milestone_changed(sender, instance, **kwargs):
    note_change({cache_keys.topic_key(instance.topic_id)})


@receiver(post_save, sender="articles.Article")
def linked_article_changed_visibility(sender, instance, raw=False, **kwargs):
    """A timeline links an article only while it is public. Pages name only the public articles
    they link (a draft's id never appears in their keys), so when an article's visibility
    changes, the topics whose milestones link it are told here."""
    before = getattr(instance, "state_before_save", None) or {}
    was_public = public(before.get("status", ""), before.get("published_at"))
    if raw or was_public == instance.is_published():
        return
    topic_ids = set(Milestone.objects.filter(article=instance).values_list("topic_id", flat=True))
    if topic_ids:
        note_change({cache_keys.topic_key(pk) for pk in topic_ids})
